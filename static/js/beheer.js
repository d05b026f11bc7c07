/* Verzuimloket — beheer: names that Django's admin widgets leave out, for assistive
   technology (WCAG 4.1.2; docs/toegankelijkheid.md). The widgets are made by scripts (Select2
   for autocomplete fields, SelectFilter2 for the lists of groups and rights), also for rows
   added later, so this watches the page and names what appears.

   - Select2 replaces a <select> by a combobox of its own (and a "textbox" inside it showing
     the choice) that is not tied to the <label> of the select: both get the label's text as
     their name.
   - SelectFilter2's search icon carries an aria-label without a role, which ARIA does not
     allow on a <span>: it becomes an image (role="img") with that name. */
"use strict";

(function () {
  function benoem() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var label = select.id && document.querySelector('label[for="' + select.id + '"]');
      var houder = select.nextElementSibling;
      var naam = label && label.textContent.replace(/:\s*$/, "").trim();
      if (!naam || !houder) return;
      // The combobox, and the box inside it that shows the choice (role="textbox").
      houder.querySelectorAll('[role="combobox"], [role="textbox"]').forEach(function (el) {
        if (!el.hasAttribute("aria-label")) el.setAttribute("aria-label", naam);
      });
    });
    document.querySelectorAll("span.help-tooltip[aria-label]:not([role])").forEach(function (el) {
      el.setAttribute("role", "img");
    });
  }

  new MutationObserver(benoem).observe(document.documentElement, {childList: true, subtree: true});
  document.addEventListener("DOMContentLoaded", benoem);
})();
