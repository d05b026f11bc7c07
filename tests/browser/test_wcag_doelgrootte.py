"""WCAG 2.2 success criterion 2.5.8 Target size (minimum), on every page of the catalogue
(tests/browser/paginas.py), in its normal and its error state.

Every click target (link, button, input, select, textarea, summary) is at least 24 × 24 CSS
px. A checkbox or radio button counts together with its label, which clicks it too (the
union of their boxes, when they touch). A smaller target passes on WCAG's exceptions only:

- Spacing: a circle of 24 px diameter centred on its box intersects no other target, and no
  such circle of another small target.
- Inline: a link in a sentence, whose height the line of text decides. Detected as: the link
  is display: inline and the block it stands in holds other text with at least two letters
  besides the link (so "<a>Geregistreerd</a>: 3" in a list, or a breadcrumb "Home › Leerlingen"
  is not a sentence and must meet the size or the spacing).

Measured at 320 × 640 CSS px, the narrowest layout, where the page's parts stack and targets
come closest (and where a touch screen, the reason for this criterion, is most likely).
"""

import pytest

from tests.browser.paginas import PAGINAS, doorloop, ids

# django_db: only so that pytest-django sets up the test database when this module runs
# alone; the pages' data comes from the module's `wcag_site`.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

VENSTER = {"width": 320, "height": 640}
MINIMUM = 24

DOELEN = """minimum => {
    const selector = "a[href], button, input:not([type=hidden]), select, textarea, summary";
    const beschrijf = el => {
        const tekst = (el.innerText || el.value || el.getAttribute("aria-label")
            || el.getAttribute("title") || el.name || "").trim().replace(/\\s+/g, " ")
            .slice(0, 40);
        return el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
            + (el.classList.length ? "." + [...el.classList].join(".") : "")
            + (tekst ? ` "${tekst}"` : "");
    };
    // Only what a pointer can hit: visible, not clipped away (visually hidden text, a
    // skip link waiting above the page), not inside something hidden.
    const raakbaar = el => {
        const s = getComputedStyle(el);
        if (s.display === "none" || s.visibility === "hidden" || s.pointerEvents === "none")
            return false;
        if (el.closest("[hidden], dialog:not([open]), [inert]")) return false;
        if (s.clipPath.startsWith("inset(50%") || s.clip === "rect(0px, 0px, 0px, 0px)")
            return false;
        const r = el.getBoundingClientRect();
        if (r.width <= 1 || r.height <= 1) return false;
        return r.bottom + scrollY > 0 && r.right + scrollX > 0;
    };
    const vak = r => ({l: r.left + scrollX, t: r.top + scrollY,
                       r: r.right + scrollX, b: r.bottom + scrollY});
    const samen = (a, b) => ({l: Math.min(a.l, b.l), t: Math.min(a.t, b.t),
                              r: Math.max(a.r, b.r), b: Math.max(a.b, b.b)});
    const raken = (a, b) => a.l <= b.r + 1 && b.l <= a.r + 1 && a.t <= b.b + 1 && b.t <= a.b + 1;

    const letters = tekst => (tekst.match(/\\p{L}/gu) || []).length;
    const inZin = el => {
        if (el.tagName !== "A" || getComputedStyle(el).display !== "inline") return false;
        let blok = el.parentElement;
        while (blok && getComputedStyle(blok).display === "inline") blok = blok.parentElement;
        if (!blok) return false;
        const rest = blok.innerText.replace(el.innerText, "");
        return letters(rest) >= 2;
    };

    const doelen = [];
    const gedaan = new Set();
    for (const el of document.querySelectorAll(selector)) {
        if (gedaan.has(el) || !raakbaar(el)) continue;
        let v = vak(el.getBoundingClientRect());
        // A checkbox or radio and its label are one target where they touch.
        if (el.matches("input[type=checkbox], input[type=radio]")) {
            for (const label of el.labels || []) {
                if (!raakbaar(label)) continue;
                const l = vak(label.getBoundingClientRect());
                if (raken(v, l)) v = samen(v, l);
            }
        }
        gedaan.add(el);
        doelen.push({el, v, naam: beschrijf(el), inZin: inZin(el)});
    }

    const fouten = [];
    const klein = d => d.v.r - d.v.l < minimum - 0.01 || d.v.b - d.v.t < minimum - 0.01;
    const midden = d => [(d.v.l + d.v.r) / 2, (d.v.t + d.v.b) / 2];
    const afstandTotVak = ([x, y], v) => Math.hypot(Math.max(v.l - x, 0, x - v.r),
                                                    Math.max(v.t - y, 0, y - v.b));
    for (const d of doelen) {
        if (!klein(d) || d.inZin) continue;
        const c = midden(d);
        const buren = [];
        for (const ander of doelen) {
            if (ander === d || ander.el.contains(d.el) || d.el.contains(ander.el)) continue;
            // Two targets that are one control (a label around its own checkbox) are one.
            if (ander.el.labels && [...ander.el.labels].some(l => l.contains(d.el))) continue;
            const botsing = afstandTotVak(c, ander.v) < minimum / 2
                || (klein(ander) && !ander.inZin && Math.hypot(c[0] - midden(ander)[0],
                                                               c[1] - midden(ander)[1]) < minimum);
            if (botsing) buren.push(ander.naam);
        }
        if (buren.length) {
            const b = Math.round(d.v.r - d.v.l), h = Math.round(d.v.b - d.v.t);
            fouten.push(`${d.naam}: ${b} × ${h} px, en te dicht bij `
                + buren.slice(0, 3).join(", "));
        }
    }
    return {aantal: doelen.length, fouten};
}"""


@pytest.mark.parametrize("pagina", PAGINAS, ids=ids(PAGINAS))
def test_klikdoelen_24_px_of_genoeg_ruimte(wcag_site, pagina):
    for stand in doorloop(wcag_site, pagina, viewport=VENSTER):
        meting = stand.pagina.evaluate(DOELEN, MINIMUM)
        assert meting["aantal"] > 0, f"{pagina.sleutel}, {stand}: geen enkel klikdoel gevonden"
        assert not meting["fouten"], f"{pagina.sleutel}, {stand}:\n" + "\n".join(meting["fouten"])
