/* Verzuimloket: small progressive enhancement; every page works without it.
 * 1. data-toon-als="<name>=<value>": the element is shown only while the radio button or
 *    checkbox named <name> with value <value> is checked, or the select named <name> has that
 *    value ("actie_gewenst=ja", "verzuim-actie_gewenst=nee" with a form prefix,
 *    "stuur_email=on" for a single checkbox). Several values: "soort=V3|V4"; any answer at
 *    all: "soort=*". data-verberg-als="...": the other way round (the OPTIONEEL mark of a
 *    field that is required after a certain answer). Without JavaScript everything shows as
 *    the server rendered it; the server ignores what does not apply.
 * 2. Focus after a form was sent (WCAG 2.4.3, 3.3.1, 4.1.3). A refusal takes focus on load,
 *    so it is read out first: the error summary (.foutoverzicht), the bar of a concurrent
 *    change (includes/gelijktijdig.html), an error bar of base.html; each is marked
 *    data-foutoverzicht. A page reached by sending a form that was not refused (the next
 *    step, the Bevestiging, Melding details after Wijzigen, the melding after an action, the
 *    results of a search) gives focus to its main heading, the <h1>; the message bars above it
 *    (Gelukt, Let op, Ter informatie) describe it (aria-describedby), so they are heard with
 *    it. Left alone: pages reached by a button that only changes the page itself
 *    (name="actie": Contactpersoon toevoegen, Voeg dag toe, ...) and a page with a field of
 *    its own to start in (autofocus: Inloggen). Pages opened by a link keep the browser's
 *    start (the skip link first).
 */
(function () {
  "use strict";

  function regels() {
    var alle = [];
    ["data-toon-als", "data-verberg-als"].forEach(function (attribuut) {
      document.querySelectorAll("[" + attribuut + "]").forEach(function (el) {
        var deel = el.getAttribute(attribuut).split("=");
        alle.push({
          el: el,
          naam: deel[0],
          waarden: deel.slice(1).join("=").split("|"),
          toon: attribuut === "data-toon-als"
        });
      });
    });
    return alle;
  }

  function isGekozen(naam, waarden) {
    var velden = document.getElementsByName(naam);
    for (var i = 0; i < velden.length; i++) {
      var veld = velden[i];
      var gekozen = veld.tagName === "SELECT" || veld.checked;
      if (gekozen && veld.value && (waarden[0] === "*" || waarden.indexOf(veld.value) !== -1)) {
        return true;
      }
    }
    return false;
  }

  function werkBij(alle) {
    alle.forEach(function (regel) {
      regel.el.hidden = isGekozen(regel.naam, regel.waarden) !== regel.toon;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var alle = regels();
    if (alle.length) {
      werkBij(alle);
      document.addEventListener("change", function (event) {
        var naam = event.target && event.target.name;
        if (naam && alle.some(function (regel) { return regel.naam === naam; })) {
          werkBij(alle);
        }
      });
    }

    var naVersturen = verstuurd();
    var overzicht = document.querySelector("[data-foutoverzicht]");
    if (overzicht) {
      overzicht.focus();
    } else if (naVersturen && !document.querySelector("[autofocus]")) {
      kopFocus();
    }
  });

  // Whether the page before this one was left by sending a form (sessionStorage: this tab).
  var VERSTUURD = "verzuimloket.verstuurd";

  function verstuurd() {
    try {
      var waarde = window.sessionStorage.getItem(VERSTUURD) === "1";
      window.sessionStorage.removeItem(VERSTUURD);
      return waarde;
    } catch (e) {
      return false; // storage switched off: the browser's own start
    }
  }

  document.addEventListener("submit", function (event) {
    var knop = event.submitter;
    var form = event.target;
    if (!event.defaultPrevented && window.location.hash && !form.getAttribute("action") &&
        !(knop && knop.hasAttribute("formaction"))) {
      // A form sent to the page itself (action="") takes the page's #fragment along (from an
      // error summary's link, the skip link) and a redirect keeps it: the browser would then
      // give focus to that element of the next page, not to its heading. The form's address
      // is read after this event, so it goes without.
      form.setAttribute("action", window.location.href.split("#")[0]);
    }
    try {
      if (event.defaultPrevented || (knop && knop.name === "actie")) {
        window.sessionStorage.removeItem(VERSTUURD);
      } else {
        window.sessionStorage.setItem(VERSTUURD, "1");
      }
    } catch (e) {
      // storage switched off: nothing to remember
    }
  });

  function kopFocus() {
    var kop = document.querySelector("main h1");
    if (!kop) {
      return;
    }
    var balken = document.querySelectorAll(".berichten > [role]");
    var ids = [];
    Array.prototype.forEach.call(balken, function (balk, i) {
      if (!balk.id) {
        balk.id = "bericht-" + (i + 1);
      }
      ids.push(balk.id);
    });
    if (ids.length) {
      kop.setAttribute("aria-describedby", ids.join(" "));
    }
    if (!kop.hasAttribute("tabindex")) {
      // Focusable for this once only, not a stop in the tab order nor a target for a click.
      kop.setAttribute("tabindex", "-1");
      kop.addEventListener("blur", function () {
        kop.removeAttribute("tabindex");
      }, { once: true });
    }
    kop.focus();
  }
})();

/* 3. Vensters (manual 2.3, "Contactpersoon toevoegen"): the fields of one row with Toevoegen
 *    and Sluit, shown as a modal <dialog>. The server stays the source of truth: without
 *    JavaScript every button makes a round trip and the page shows the open row's fields.
 *    - A button with data-opent="<id of a <template>>" shows that template's venster (what the
 *      server would show after the button's round trip) in a dialog instead. Meanwhile inputs
 *      elsewhere in the form with the same names (the row's hidden inputs) are switched off,
 *      and data-totaal-veld / data-totaal give the formset's TOTAL_FORMS a new row. Sluit and
 *      Escape undo all of it and give focus back to the button.
 *    - A venster the server rendered open ([data-venster] in the page, e.g. after a refused
 *      Toevoegen) opens as a dialog at once; its Sluit, and Escape, make the round trip.
 *    - Focus goes to the first field with an error, else the first field; Enter in a field
 *      means Toevoegen ([data-venster-toevoegen]), not the page's Verder.
 */
(function () {
  "use strict";

  function kanDialoog() {
    return typeof HTMLDialogElement === "function" &&
      typeof HTMLDialogElement.prototype.showModal === "function";
  }

  function verstuur(knop) {
    if (knop.form && knop.form.requestSubmit) {
      knop.form.requestSubmit(knop);
    } else {
      knop.click();
    }
  }

  // The venster as a modal dialog. `terug` undoes what opening it did (a venster from a
  // template); without it Sluit is the server's.
  function toon(venster, terug) {
    var dialoog = document.createElement("dialog");
    dialoog.className = "venster-dialoog";
    var titel = venster.querySelector("legend[id]");
    if (titel) {
      dialoog.setAttribute("aria-labelledby", titel.id);
    }
    venster.parentNode.insertBefore(dialoog, venster);
    dialoog.appendChild(venster);
    var sluit = venster.querySelector("[data-venster-sluit]");
    var toevoegen = venster.querySelector("[data-venster-toevoegen]");

    // However it closes (Sluit, Escape), closing means Sluit, done at once and once only.
    // Not in the dialog's close event alone: the browser fires that a task after closing,
    // when it has already given focus back to the opener, so a key pressed in between
    // (Enter on Contactpersoon toevoegen again) opened a new venster that the old one's late
    // undo then spoilt (TOTAL_FORMS set back: Toevoegen posted no open contactpersoon).
    var gesloten = false;
    function sluiten() {
      if (gesloten) {
        return;
      }
      gesloten = true;
      if (dialoog.open) {
        dialoog.close();
      }
      if (terug) {
        if (dialoog.parentNode) {
          dialoog.parentNode.removeChild(dialoog);
        }
        terug();
      } else if (sluit) {
        verstuur(sluit);
      }
    }
    dialoog.addEventListener("cancel", function (event) {
      event.preventDefault(); // Escape: close it ourselves, now
      sluiten();
    });
    dialoog.addEventListener("close", sluiten);
    if (terug && sluit) {
      sluit.addEventListener("click", function (event) {
        event.preventDefault();
        sluiten();
      });
    }
    venster.addEventListener("keydown", function (event) {
      var veld = event.target;
      if (event.key === "Enter" && toevoegen && veld.tagName === "INPUT" &&
          ["submit", "button", "reset", "image"].indexOf(veld.type) === -1) {
        event.preventDefault();
        verstuur(toevoegen);
      }
    });

    dialoog.showModal();
    var eerste = venster.querySelector('[aria-invalid="true"]') ||
      venster.querySelector("input:not([type=hidden]), select, textarea");
    if (eerste) {
      eerste.focus();
    }
  }

  function openSjabloon(knop, sjabloon) {
    var form = knop.form;
    var venster = sjabloon.content.cloneNode(true).querySelector("[data-venster]");
    sjabloon.parentNode.insertBefore(venster, sjabloon);

    var namen = {};
    venster.querySelectorAll("input[name], select[name], textarea[name]").forEach(function (el) {
      namen[el.name] = true;
    });
    var uit = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.tagName !== "BUTTON" && namen[el.name] && !el.disabled && !venster.contains(el)) {
        el.disabled = true;
        uit.push(el);
      }
    });
    var totaal = form.elements.namedItem(venster.getAttribute("data-totaal-veld") || "");
    var totaalVoor = totaal ? totaal.value : null;
    if (totaal) {
      totaal.value = venster.getAttribute("data-totaal");
    }

    toon(venster, function () {
      uit.forEach(function (el) { el.disabled = false; });
      if (totaal) {
        totaal.value = totaalVoor;
      }
      knop.focus();
    });
  }

  document.addEventListener("click", function (event) {
    var knop = event.target.closest ? event.target.closest("button[data-opent]") : null;
    var sjabloon = knop && document.getElementById(knop.getAttribute("data-opent"));
    if (!sjabloon || !sjabloon.content || !knop.form || !kanDialoog()) {
      return; // the round trip
    }
    event.preventDefault();
    openSjabloon(knop, sjabloon);
  });

  document.addEventListener("DOMContentLoaded", function () {
    var open = document.querySelector("form [data-venster]");
    if (open && kanDialoog()) {
      toon(open, null);
    }
  });
})();

/* 4. Onderwijslocatie (manual 2.4): an element with data-locatie-url (the lookup's URL with
 *    CODE where the code goes) and data-locatie-veld (the id of the onderwijslocatiecode's
 *    input) shows the postcode and huisnummer as soon as the code changes, or "Deze
 *    onderwijslocatie bestaat niet"; a polite live region reads it out. Without JavaScript
 *    the page shows them after Verder.
 */
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    var uitvoer = document.querySelector("[data-locatie-url]");
    var veld = uitvoer && document.getElementById(uitvoer.getAttribute("data-locatie-veld"));
    if (!veld || !window.fetch) {
      return;
    }
    // A live region is only heard when it is in the page before its text changes.
    uitvoer.setAttribute("aria-live", "polite");
    if (uitvoer.hidden) {
      uitvoer.textContent = "";
      uitvoer.hidden = false;
    }
    var laatste = 0;

    veld.addEventListener("change", function () {
      var code = veld.value.trim().toUpperCase();
      var nummer = ++laatste;
      function toon(tekst) {
        if (nummer === laatste && uitvoer.textContent !== tekst) {
          uitvoer.textContent = tekst;
        }
      }
      if (!code) {
        toon("");
        return;
      }
      var url = uitvoer.getAttribute("data-locatie-url").replace("CODE", encodeURIComponent(code));
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (antwoord) { return antwoord.json(); })
        .then(function (gegevens) { toon(gegevens.tekst || gegevens.fout || ""); })
        .catch(function () { toon(""); }); // logged out meanwhile, offline: Verder will tell
    });
  });
})();
