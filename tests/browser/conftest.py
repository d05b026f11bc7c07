"""Browser-test infrastructure: Playwright (sync API) driving Debian's Chromium against
pytest-django's `live_server`, plus an axe-core accessibility check.

Use it like this::

    import pytest
    from tests.browser.conftest import controleer_toegankelijkheid, inloggen

    @pytest.mark.browser
    def test_iets(pagina, live_server, live_demo):
        inloggen(pagina, live_server, "melder")
        ...
        controleer_toegankelijkheid(pagina)

Notes for test writers:

* `live_server` serves the test database from another thread, so browser tests must use a
  *transactional* database (`live_demo` asks for `transactional_db`). Between transactional
  tests Django flushes every table, including `auth_group`: `laad_demo` rebuilds the role group
  (`rol_verzuimloketmelder()`), so always load data through `live_demo` (or factories after it).
* The frozen time of `tests/conftest.py` (time-machine, 2026-03-16 10:00 Europe/Amsterdam,
  tick=True) patches the clock process-wide, so the live server thread sees the same day as the
  test; `test_bevroren_tijd_geldt_ook_in_de_live_server` in test_foundation_browser.py proves it.
  Chromium's JavaScript clock is the real one; no page script depends on the date.
* Mark every browser test `@pytest.mark.browser` (`pytest -m browser` runs only these).
"""

import os

import pytest

# Playwright's sync API runs an asyncio event loop in the test's (main) thread. Django then
# believes it is inside async code and refuses ORM calls in the test itself (fixtures, asserts
# on the database) with SynchronousOnlyOperation. Our test code is plain synchronous code that
# merely *waits* on the browser, so those calls are safe; this switch tells Django so. It must
# be set before the first ORM call of the session, hence at import time.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from tests.conftest import VANDAAG  # noqa: E402

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEMO_WACHTWOORD = "verzuimloket-demo"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Playwright waits this long (ms) for an element or a navigation before failing the test.
TIMEOUT_MS = 10_000

_axe = Axe()


@pytest.fixture(scope="session")
def _playwright():
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(_playwright):
    """One headless Chromium for the whole session (starting it costs about a second)."""
    browser = _playwright.chromium.launch(
        executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        args=CHROMIUM_ARGS,
        headless=True,
    )
    yield browser
    browser.close()


@pytest.fixture
def pagina(browser):
    """A fresh page in a fresh browser context (no cookies, no session) for every test."""
    context = browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def live_demo(transactional_db, live_server):
    """The demo story (`laad_demo(VANDAAG)`) in the database the live server serves."""
    from meldingen.demo import laad_demo

    return laad_demo(VANDAAG)


def inloggen(pagina, live_server, gebruikersnaam: str, wachtwoord: str = DEMO_WACHTWOORD):
    """Log in through the real login page, finding the fields by their labels (as a screen
    reader user would). Leaves the page where the login redirects to."""
    pagina.goto(f"{live_server.url}/inloggen/")
    pagina.get_by_label("Gebruikersnaam").fill(gebruikersnaam)
    pagina.get_by_label("Wachtwoord").fill(wachtwoord)
    with pagina.expect_navigation():
        pagina.get_by_role("button", name="Inloggen").click()
    return pagina


def _beschrijf(violations: list[dict]) -> str:
    regels = []
    for violation in violations:
        regels.append(
            f"- {violation['id']} ({violation.get('impact')}): {violation.get('help')} "
            f"[{violation.get('helpUrl')}]"
        )
        for node in violation.get("nodes", []):
            doel = ", ".join(" ".join(t) if isinstance(t, list) else t for t in node["target"])
            regels.append(f"    at {doel}: {node.get('failureSummary', '').splitlines()[-1:]}")
    return "\n".join(regels)


def controleer_toegankelijkheid(pagina, context=None):
    """Run axe-core's WCAG 2.1 A/AA rules on the current page; fail listing every violation
    (rule id, impact, CSS selector of each offending element)."""
    resultaat = _axe.run(
        pagina,
        context=context,
        options={
            "runOnly": {"type": "tag", "values": WCAG_TAGS},
            "resultTypes": ["violations"],
        },
    )
    violations = resultaat.response["violations"]
    assert not violations, (
        f"axe-core: {len(violations)} WCAG 2.1 AA-overtreding(en) op {pagina.url}:\n"
        + _beschrijf(violations)
    )
    return resultaat
