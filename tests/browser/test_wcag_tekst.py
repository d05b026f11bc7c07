"""WCAG 2.2 success criteria 1.4.4 Resize text and 1.4.12 Text spacing, on every page of the
catalogue (tests/browser/paginas.py), in its normal and its error state.

1.4.4, text at 200 %: in a 1280 × 800 window every element's font size is doubled (text-only
zoom, as Firefox's "zoom text only", Chrome's font size setting or the operating system's text
size do). Why not page zoom: 200 % page zoom of a 1280 px window is the page laid out at 640
CSS px with everything scaled alike, which asks less than the 320 px of tests/browser/
test_wcag_reflow.py. What page zoom cannot find, and text-only zoom does, is a box whose size
does not grow with its text. Doubling each element's computed size in px works whatever unit
the stylesheet used (the site uses rem, Django's admin also px), where doubling only the root
font size would leave px text alone.

1.4.12, text spacing: WCAG's own values on every element (line height 1.5, spacing after
paragraphs 2em, letter spacing 0.12em, word spacing 0.16em), same window.

After each, no content or control may be lost: no element that hides its overflow holds more
than it shows (text cut off by overflow: hidden or a fixed height), the page does not scroll
sideways, and every control is visible and horizontally inside the window, or inside a scroll
container it can be scrolled into view in; none is cut off by an ancestor that hides overflow.
"""

import pytest

from tests.browser.paginas import PAGINAS, doorloop, ids

# django_db: only so that pytest-django sets up the test database when this module runs
# alone; the pages' data comes from the module's `wcag_site`.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

VENSTER = {"width": 1280, "height": 800}

TEKST_200 = """() => {
    const elementen = [...document.querySelectorAll("body, body *")];
    const maten = elementen.map(el => parseFloat(getComputedStyle(el).fontSize));
    elementen.forEach((el, i) => {
        el.dataset.wcagFontSize = el.style.getPropertyValue("font-size");
        el.style.setProperty("font-size", `${2 * maten[i]}px`, "important");
    });
}"""

TEKST_100 = """() => {
    for (const el of document.querySelectorAll("[data-wcag-font-size]")) {
        el.style.removeProperty("font-size");
        if (el.dataset.wcagFontSize) el.style.setProperty("font-size", el.dataset.wcagFontSize);
        delete el.dataset.wcagFontSize;
    }
}"""

# WCAG 1.4.12's values, as the W3C's text spacing bookmarklet sets them.
TEKSTAFSTAND = """
*, *::before, *::after {
    line-height: 1.5 !important;
    letter-spacing: 0.12em !important;
    word-spacing: 0.16em !important;
}
p { margin-bottom: 2em !important; }
"""

# A constructed stylesheet: the pages' Content-Security-Policy refuses an inline <style>, and
# switching it off (bypass_csp) would test another page than the user gets.
AFSTAND_AAN = """css => {
    const blad = new CSSStyleSheet();
    blad.replaceSync(css);
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, blad];
}"""

VERLIES = """() => {
    const doc = document.documentElement;
    const fouten = [];
    const beschrijf = el => {
        const tekst = (el.innerText || el.value || el.getAttribute("aria-label") || "")
            .trim().replace(/\\s+/g, " ").slice(0, 40);
        return el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
            + (el.classList.length ? "." + [...el.classList].join(".") : "")
            + (tekst ? ` "${tekst}"` : "");
    };
    const zichtbaar = el => {
        const stijl = getComputedStyle(el);
        return stijl.display !== "none" && stijl.visibility !== "hidden"
            && el.getClientRects().length > 0 && !el.closest("[hidden], dialog:not([open])");
    };
    // Meant to be invisible or moved aside on purpose: visually hidden text (1 × 1 px,
    // clipped), text moved behind an icon (text-indent far negative).
    const verborgen = el => el.clientWidth <= 1 || el.clientHeight <= 1
        || parseFloat(getComputedStyle(el).textIndent) <= -999
        || getComputedStyle(el).clipPath.startsWith("inset(50%");
    const scrollt = stijl => ["auto", "scroll"].includes(stijl.overflowX)
        || ["auto", "scroll"].includes(stijl.overflowY);

    if (doc.scrollWidth > doc.clientWidth + 1)
        fouten.push(`de pagina scrollt zijwaarts: ${doc.scrollWidth} px in ${doc.clientWidth} px`);

    // Text cut off: an element that hides its overflow holds more than it shows (2 px of
    // slack for sub-pixel rounding and an icon a pixel larger than its box).
    for (const el of document.body.querySelectorAll("*")) {
        if (el.matches("input, select, textarea, option, script, style, template, svg *"))
            continue;
        if (!zichtbaar(el) || verborgen(el)) continue;
        const stijl = getComputedStyle(el);
        const x = ["hidden", "clip"].includes(stijl.overflowX);
        const y = ["hidden", "clip"].includes(stijl.overflowY);
        if (x && el.scrollWidth > el.clientWidth + 2)
            fouten.push(`${beschrijf(el)} snijdt tekst af: ${el.scrollWidth} px breed in `
                + `${el.clientWidth} px (overflow-x: ${stijl.overflowX})`);
        if (y && el.scrollHeight > el.clientHeight + 2)
            fouten.push(`${beschrijf(el)} snijdt tekst af: ${el.scrollHeight} px hoog in `
                + `${el.clientHeight} px (overflow-y: ${stijl.overflowY})`);
    }

    // Every control visible and reachable: inside the window horizontally, or inside a
    // scroll container; never outside an ancestor that hides its overflow.
    const bediening = "a[href], button, input:not([type=hidden]), select, textarea, summary";
    for (const el of document.querySelectorAll(bediening)) {
        if (!zichtbaar(el) || verborgen(el)) continue;
        const r = el.getBoundingClientRect();
        if (r.width < 1 || r.height < 1) {
            fouten.push(`${beschrijf(el)} is ${r.width} × ${r.height} px geworden`);
            continue;
        }
        let inScroller = false;
        for (let ouder = el.parentElement; ouder && ouder !== document.body;
             ouder = ouder.parentElement) {
            const stijl = getComputedStyle(ouder);
            if (scrollt(stijl)) { inScroller = true; break; }
            if (stijl.overflowX !== "visible" || stijl.overflowY !== "visible") {
                const o = ouder.getBoundingClientRect();
                if (r.left < o.left - 1 || r.right > o.right + 1
                        || r.top < o.top - 1 || r.bottom > o.bottom + 1) {
                    fouten.push(`${beschrijf(el)} valt buiten ${beschrijf(ouder)}, dat de `
                        + "rest afsnijdt");
                    break;
                }
            }
        }
        const links = r.left + window.scrollX, rechts = r.right + window.scrollX;
        if (!inScroller && (links < -1 || rechts > doc.clientWidth + 1))
            fouten.push(`${beschrijf(el)} staat buiten het venster: ${Math.round(links)}`
                + `-${Math.round(rechts)} px van ${doc.clientWidth} px`);
    }
    return fouten;
}"""


@pytest.mark.parametrize("pagina", PAGINAS, ids=ids(PAGINAS))
def test_tekst_200_procent_en_tekstafstand(wcag_site, pagina):
    for stand in doorloop(wcag_site, pagina, viewport=VENSTER):
        tab = stand.pagina
        tab.evaluate(TEKST_200)
        fouten = tab.evaluate(VERLIES)
        assert not fouten, f"{pagina.sleutel}, {stand}, tekst 200 %:\n" + "\n".join(fouten)
        tab.evaluate(TEKST_100)

        tab.evaluate(AFSTAND_AAN, TEKSTAFSTAND)
        fouten = tab.evaluate(VERLIES)
        assert not fouten, f"{pagina.sleutel}, {stand}, tekstafstand:\n" + "\n".join(fouten)
