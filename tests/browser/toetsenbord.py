"""Keyboard-only helpers for the browser tests: reach an element by pressing Tab, as a keyboard
user walks the page, and press a key that leads to the next page. Nothing is clicked, filled
or focused by the test itself, so an element out of the tab order, or a keyboard trap before
it, fails the test."""

# More Tab stops than any page has (the longest: step 2 of the wizard, a werkvoorraad page of
# 25 rows with its filters); running out means the element is not in the tab order, or a
# keyboard trap stands before it.
MAX_TABS = 150

_BESCHRIJF = """el => {
    const actief = document.activeElement;
    let naam = "body";
    if (actief && actief !== document.body) {
        const tekst = (actief.getAttribute("aria-label") || actief.textContent || actief.name
            || "").trim().replace(/\\s+/g, " ").slice(0, 40);
        naam = `${actief.tagName.toLowerCase()}${actief.id ? "#" + actief.id : ""} "${tekst}"`;
    }
    return [el === actief, naam];
}"""


def focus_op(doel) -> tuple[bool, str]:
    """Whether `doel` has focus, and a short description of what has, for failure messages."""
    return tuple(doel.evaluate(_BESCHRIJF))


def tab_naar(pagina, doel, *, terug: bool = False, maximaal: int = MAX_TABS):
    """Press Tab (Shift+Tab with `terug`) until `doel` has focus, as a keyboard user walks the
    page; fails listing where focus went."""
    doel.wait_for()
    toets = "Shift+Tab" if terug else "Tab"
    spoor = []
    for _ in range(maximaal):
        heeft_focus, waar = focus_op(doel)
        if heeft_focus:
            return doel
        spoor.append(waar)
        pagina.keyboard.press(toets)
    raise AssertionError(
        f"Na {maximaal}x {toets} heeft het element geen focus op {pagina.url}; "
        f"de focus ging langs: {spoor}"
    )


def druk(pagina, toets: str = "Enter"):
    """Press a key that sends a form or follows a link, and wait for the next page."""
    with pagina.expect_navigation():
        pagina.keyboard.press(toets)
