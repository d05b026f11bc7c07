/* Verzuimloket: small progressive enhancement; every page works without it.
 * 1. data-toon-als="<name>=<value>": the element is shown only while the radio button or
 *    checkbox named <name> with value <value> is checked ("actie_gewenst=ja",
 *    "verzuim-actie_gewenst=nee" with a form prefix, "stuur_email=on" for a single checkbox).
 *    Without JavaScript everything shows; the server ignores what does not apply.
 * 2. The error summary (.foutoverzicht) takes focus on load, so it is read out first.
 */
(function () {
  "use strict";

  function regels() {
    return Array.prototype.map.call(document.querySelectorAll("[data-toon-als]"), function (el) {
      var deel = el.getAttribute("data-toon-als").split("=");
      return { el: el, naam: deel[0], waarde: deel.slice(1).join("=") };
    });
  }

  function isGekozen(naam, waarde) {
    var velden = document.getElementsByName(naam);
    for (var i = 0; i < velden.length; i++) {
      if (velden[i].value === waarde && velden[i].checked) {
        return true;
      }
    }
    return false;
  }

  function werkBij(alle) {
    alle.forEach(function (regel) {
      regel.el.hidden = !isGekozen(regel.naam, regel.waarde);
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

    var overzicht = document.querySelector("[data-foutoverzicht]");
    if (overzicht) {
      overzicht.focus();
    }
  });
})();
