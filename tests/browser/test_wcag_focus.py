"""WCAG 2.2 success criteria 2.4.7 Focus visible, 2.4.11 Focus not obscured (minimum) and
2.4.13 Focus appearance, on every page of the catalogue (tests/browser/paginas.py), in its
normal and its error state.

The test presses Tab through the whole page, as a keyboard user does, until the focus comes
back to the first element it reached. For each element that gets focus:

- 2.4.7: its computed outline, box-shadow, border or background differs from before it had
  focus (the styles of every element are read before the first Tab): there is an indicator.
- 2.4.13: the indicator is at least as large as a 2 CSS px thick perimeter (an outline or a
  box-shadow ring of at least 2 px, a border that changes and is at least 2 px, or a changed
  background), and its colour has a contrast of at least 3:1 against the colour the same
  pixels had without focus: the background around the element (an outline, a ring), the
  old border colour, the old background. Colours come from computed styles; a part with
  transparency is blended over the background first.
- 2.4.11: once the browser has scrolled it into view, the element is not hidden under
  anything else (a sticky or fixed header, the error summary): document.elementFromPoint at
  its centre is the element itself or something inside it, and that centre is inside the
  window. An element inside a scroll container counts at its visible part.
"""

import pytest

from tests.browser.paginas import PAGINAS, doorloop, ids

# django_db: only so that pytest-django sets up the test database when this module runs
# alone; the pages' data comes from the module's `wcag_site`.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

VENSTER = {"width": 1280, "height": 720}
# Beyond this many Tabs more than the page has focusable elements, the focus is stuck.
MARGE = 10

# Measures the element that just got focus; VOORBEREIDEN runs it from a focusin listener.
# Chromium has scrolled the element into view before it dispatches the focus events (the same
# positions and styles as read after the key press), so one round trip per Tab is enough.
METEN = """el => {
    const w = window.__wcag;
    const tekst = (el.innerText || el.value || el.getAttribute("aria-label") || el.name || "")
        .trim().replace(/\\s+/g, " ").slice(0, 40);
    const naam = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
        + (el.classList.length ? "." + [...el.classList].join(".") : "")
        + (tekst ? ` "${tekst}"` : "");
    if (w.gezien.has(el)) return {herhaald: true, naam};
    w.gezien.add(el);

    // Colours: "rgb(r, g, b)" / "rgba(r, g, b, a)" → [r, g, b, a].
    const rgba = kleur => {
        const m = kleur.match(/rgba?\\(([^)]+)\\)/);
        if (!m) return [0, 0, 0, 0];
        const d = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
        return [d[0], d[1], d[2], d.length > 3 ? d[3] : 1];
    };
    const over = (voor, achter) => {  // voor blended over an opaque achter
        const a = voor[3];
        return [0, 1, 2].map(i => voor[i] * a + achter[i] * (1 - a)).concat(1);
    };
    const lum = k => {
        const c = k.slice(0, 3).map(v => {
            v /= 255;
            return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
        });
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    };
    const contrast = (a, b) => {
        const [l1, l2] = [lum(a), lum(b)].sort((x, y) => y - x);
        return (l1 + 0.05) / (l2 + 0.05);
    };
    // The colour behind an element: the first ancestor with a background, over white.
    const achtergrond = start => {
        const lagen = [];
        for (let o = start; o; o = o.parentElement) {
            const k = rgba(getComputedStyle(o).backgroundColor);
            if (k[3] > 0) lagen.push(k);
            if (k[3] >= 1) break;
        }
        return lagen.reverse().reduce((achter, laag) => over(laag, achter), [255, 255, 255, 1]);
    };

    const voor = w.voor.get(el) || w.stijlen(el);  // focusable now but not then: compare anyway
    const na = w.stijlen(el);
    const rond = achtergrond(el.parentElement);
    const eigen = achtergrond(el);
    const delen = [];  // parts of the indicator: [soort, dikte, contrast]

    const outlineNu = na.outlineStyle !== "none" && na.outlineWidth > 0;
    const outlineToen = voor.outlineStyle !== "none" && voor.outlineWidth > 0;
    if (outlineNu && (!outlineToen || na.outlineColor !== voor.outlineColor
            || na.outlineWidth !== voor.outlineWidth || na.outlineStyle !== voor.outlineStyle)) {
        // Drawn outside the element (offset >= 0): over the background around it; inside
        // (negative offset): over the element's own background.
        const onder = na.outlineOffset < 0 ? eigen : rond;
        const kleur = over(rgba(na.outlineColor), onder);
        // "auto" is the browser's own ring: its computed width, and colour, are not what
        // it draws, so it cannot be proven; a page sets its own.
        const eigen_ring = na.outlineStyle === "auto";
        delen.push([eigen_ring ? "outline auto (browser)" : "outline",
                    eigen_ring ? 0 : na.outlineWidth, contrast(kleur, onder)]);
    }
    if (na.boxShadow !== voor.boxShadow && na.boxShadow !== "none") {
        // Each shadow: "rgb(...) x y blur spread [inset]".
        for (const schaduw of na.boxShadow.split(/,(?![^(]*\\))/)) {
            const kleur = (schaduw.match(/rgba?\\([^)]+\\)/) || ["rgba(0,0,0,0)"])[0];
            const maten = schaduw.replace(/rgba?\\([^)]+\\)/, "").trim().split(/\\s+/)
                .filter(v => v.endsWith("px")).map(parseFloat);
            const spreiding = maten[3] || 0;
            const binnen = schaduw.includes("inset");
            const onder = binnen ? eigen : rond;
            delen.push(["box-shadow", spreiding,
                        contrast(over(rgba(kleur), onder), onder)]);
        }
    }
    na.borders.forEach((rand, i) => {
        const toen = voor.borders[i];
        if (rand.stijl !== "none" && rand.breedte > 0
                && (rand.kleur !== toen.kleur || rand.breedte !== toen.breedte)) {
            const onderToen = toen.stijl === "none" || toen.breedte === 0
                ? rond : over(rgba(toen.kleur), rond);
            delen.push(["border", rand.breedte,
                        contrast(over(rgba(rand.kleur), rond), onderToen)]);
        }
    });
    if (na.background !== voor.background) {
        const toen = over(rgba(voor.background), rond), nu = over(rgba(na.background), rond);
        const r = el.getBoundingClientRect();
        // A changed background covers the whole element: as large as a 2 px perimeter
        // once the element is at least 4 px in both directions.
        delen.push(["background", Math.min(r.width, r.height) >= 4 ? 2 : 0,
                    contrast(nu, toen)]);
    }

    // After the browser scrolled it into view: nothing on top of it. A link that wraps
    // has a box per line, and the middle of its bounding box can fall between them: the
    // middle of any of its boxes will do.
    const vakken = [...el.getClientRects()].filter(v => v.width >= 1 && v.height >= 1);
    let bedekt = "";
    if (!vakken.length) {
        const r = el.getBoundingClientRect();
        bedekt = `${r.width} × ${r.height} px groot`;
    } else {
        const redenen = [];
        for (const v of vakken) {
            const x = v.left + v.width / 2, y = v.top + v.height / 2;
            if (x < 0 || y < 0 || x > innerWidth || y > innerHeight) {
                redenen.push(`midden (${Math.round(x)}, ${Math.round(y)}) buiten het venster`);
                continue;
            }
            const b = document.elementFromPoint(x, y);
            if (!b || b === el || el.contains(b)) { redenen.length = 0; break; }
            redenen.push("onder " + b.tagName.toLowerCase() + (b.id ? "#" + b.id : "")
                + (b.classList.length ? "." + [...b.classList].join(".") : ""));
        }
        bedekt = redenen.join("; ");
    }
    return {naam, delen, bedekt};
}"""


# Before the first Tab: the styles of everything that can get focus, and the helpers.
VOORBEREIDEN = """() => {
    const focusbaar = "a[href], area[href], button, input:not([type=hidden]), select, "
        + "textarea, summary, iframe, [tabindex], [contenteditable=true]";
    const stijlen = el => {
        const s = getComputedStyle(el);
        return {
            outlineStyle: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth),
            outlineColor: s.outlineColor, outlineOffset: parseFloat(s.outlineOffset),
            boxShadow: s.boxShadow, background: s.backgroundColor,
            borders: ["Top", "Right", "Bottom", "Left"].map(kant => ({
                breedte: parseFloat(s[`border${kant}Width`]),
                stijl: s[`border${kant}Style`], kleur: s[`border${kant}Color`],
            })),
        };
    };
    // Nothing focused while the styles are read: an autofocus field or the error summary
    // (focused on load) would otherwise count their focus style as their normal look.
    if (document.activeElement && document.activeElement !== document.body)
        document.activeElement.blur();
    const w = window.__wcag = {stijlen, voor: new Map(), gezien: new Set(), metingen: [],
                               rond: false, meten: MEETFUNCTIE};
    const elementen = [...document.querySelectorAll(focusbaar)];
    for (const el of elementen) w.voor.set(el, stijlen(el));
    document.addEventListener("focusin", gebeurtenis => {
        if (w.rond) return;
        const meting = w.meten(gebeurtenis.target);
        if (meting.herhaald) w.rond = true;
        else w.metingen.push(meting);
    });
    return elementen.length;
}""".replace("MEETFUNCTIE", METEN)


def _beoordeel(meting: dict) -> list[str]:
    fouten = []
    naam, delen = meting["naam"], meting["delen"]
    if not delen:
        fouten.append(
            f"{naam}: geen zichtbare focus (outline, schaduw, rand en achtergrond "
            "gelijk aan zonder focus) [2.4.7]"
        )
    elif not any(dikte >= 2 and verhouding >= 3 for _, dikte, verhouding in delen):
        beschrijving = ", ".join(
            f"{soort} {dikte:g} px, contrast {verhouding:.2f}:1"
            for soort, dikte, verhouding in delen
        )
        fouten.append(
            f"{naam}: focusindicator te klein of te weinig contrast ({beschrijving}; "
            "nodig: 2 px en 3:1) [2.4.13]"
        )
    if meting["bedekt"]:
        fouten.append(f"{naam}: focus niet te zien, {meting['bedekt']} [2.4.11]")
    return fouten


@pytest.mark.parametrize("pagina", PAGINAS, ids=ids(PAGINAS))
def test_focus_zichtbaar_niet_bedekt_en_duidelijk(wcag_site, pagina):
    for stand in doorloop(wcag_site, pagina, viewport=VENSTER):
        tab = stand.pagina
        aantal = tab.evaluate(VOORBEREIDEN)
        rond = False
        for keer in range(1, aantal + MARGE + 1):
            tab.keyboard.press("Tab")
            if keer % 8 == 0 and tab.evaluate("() => window.__wcag.rond"):
                rond = True
                break
        rond = rond or tab.evaluate("() => window.__wcag.rond")
        metingen = tab.evaluate("() => window.__wcag.metingen")
        assert rond, (
            f"{pagina.sleutel}, {stand}: na {aantal + MARGE} keer Tab is de focus niet rond "
            "(vastgelopen?)"
        )
        assert metingen, f"{pagina.sleutel}, {stand}: niets kreeg focus"
        fouten = [fout for meting in metingen for fout in _beoordeel(meting)]
        assert not fouten, f"{pagina.sleutel}, {stand}:\n" + "\n".join(fouten)
