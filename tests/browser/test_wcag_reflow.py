"""WCAG 2.2 success criterion 1.4.10 Reflow, on every page of the catalogue
(tests/browser/paginas.py), in its normal and its error state.

At a viewport of 320 × 640 CSS px (WCAG's 1280 px at 400 % zoom) the page must not scroll
sideways: document.documentElement.scrollWidth <= clientWidth. Content that needs two
dimensions (a data table) may scroll, but inside a container of its own that a keyboard user
can reach and a screen reader user can identify: role="region" with a name (aria-label or
aria-labelledby) and tabindex="0". Content may not be cut off either: an element that hides
its overflow (overflow: hidden/clip) may not hold more than it shows, or the reflow just hid
the content instead of moving it.
"""

import pytest

from tests.browser.paginas import PAGINAS, doorloop, ids

# django_db: only so that pytest-django sets up the test database when this module runs
# alone; the pages' data comes from the module's `wcag_site`.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

BREED, HOOG = 320, 640

# Every element that overflows horizontally, with what kind of overflow: a scroll container
# (and whether it is a labelled, focusable region), or content cut off. Skipped: visually
# hidden text (.visueel-verborgen, 1 × 1 px clipped), meant to be invisible; form controls,
# whose own scrolling (a long value in an input) is the browser's; text moved aside on purpose
# behind an icon (text-indent far negative).
OVERLOOP = """() => {
    const doc = document.documentElement;
    const uitkomst = {scrollWidth: doc.scrollWidth, clientWidth: doc.clientWidth, fouten: []};
    const beschrijf = el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
        + (el.classList.length ? "." + [...el.classList].join(".") : "");
    const naam = el => {
        if ((el.getAttribute("aria-label") || "").trim()) return el.getAttribute("aria-label");
        const ids = (el.getAttribute("aria-labelledby") || "").split(/\\s+/).filter(Boolean);
        return ids.map(id => (document.getElementById(id) || {}).textContent || "")
            .join(" ").trim();
    };
    for (const el of document.body.querySelectorAll("*")) {
        if (el.matches("input, select, textarea, option, script, style, template")) continue;
        const stijl = getComputedStyle(el);
        if (stijl.display === "none" || stijl.visibility === "hidden") continue;
        if (el.clientWidth <= 1 || el.closest("[hidden], dialog:not([open])")) continue;
        // 2 px of slack: an icon a pixel or two wider than its box (the admin's search
        // icon), sub-pixel rounding; a cut-off letter is wider than that.
        if (el.scrollWidth <= el.clientWidth + 2) continue;
        // Text moved out of sight on purpose behind an icon (the admin's "image
        // replacement": text-indent -3000px, the text still names the button).
        if (parseFloat(stijl.textIndent) <= -999) continue;
        const x = stijl.overflowX;
        if (x === "auto" || x === "scroll") {
            const fout = [];
            if (el.getAttribute("role") !== "region") fout.push('role="region" ontbreekt');
            if (!naam(el)) fout.push("geen aria-label of aria-labelledby met tekst");
            if (el.getAttribute("tabindex") !== "0") fout.push('tabindex="0" ontbreekt');
            if (fout.length) uitkomst.fouten.push(
                `${beschrijf(el)} scrollt zijwaarts (${el.scrollWidth} > ${el.clientWidth} px)`
                + ` maar: ${fout.join(", ")}`);
        } else if (x === "hidden" || x === "clip") {
            uitkomst.fouten.push(`${beschrijf(el)} snijdt inhoud af: ${el.scrollWidth} px`
                + ` inhoud in ${el.clientWidth} px met overflow-x: ${x}`);
        }
    }
    return uitkomst;
}"""


@pytest.mark.parametrize("pagina", PAGINAS, ids=ids(PAGINAS))
def test_geen_zijwaarts_scrollen_op_320_px(wcag_site, pagina):
    for stand in doorloop(wcag_site, pagina, viewport={"width": BREED, "height": HOOG}):
        meting = stand.pagina.evaluate(OVERLOOP)
        assert meting["scrollWidth"] <= meting["clientWidth"], (
            f"{pagina.sleutel}, {stand}: de pagina scrollt zijwaarts op {BREED} px: "
            f"{meting['scrollWidth']} px breed"
        )
        assert not meting["fouten"], f"{pagina.sleutel}, {stand}:\n" + "\n".join(meting["fouten"])
