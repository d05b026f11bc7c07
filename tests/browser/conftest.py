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
# WCAG 2.2 A and AA: 2.2 adds rules of its own (target-size), tagged "wcag22aa".
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
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
    """Run axe-core's WCAG 2.2 A/AA rules on the current page; fail listing every violation
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
        f"axe-core: {len(violations)} WCAG 2.2 AA-overtreding(en) op {pagina.url}:\n"
        + _beschrijf(violations)
    )
    return resultaat


# -- The WCAG walk: every page of tests/browser/paginas.py, per criterion module ---------------


def _bewaarde_statische_bestanden():
    import time_machine
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.utils.http import http_date

    class BewaardeStatischeBestanden(StaticFilesHandler):
        """Stylesheets and scripts the browser may keep for the module: Django's development
        handler sends no Cache-Control, so every page asked for the admin's twenty files again
        (a 304 each, a third of a page's load). The Date is the real one: the frozen clock's
        would make every file months old, so stale, to Chromium (whose clock is real)."""

        def serve(self, request):
            antwoord = super().serve(request)
            antwoord["Cache-Control"] = "max-age=3600"
            antwoord["Date"] = http_date(time_machine.escape_hatch.time.time())
            return antwoord

    return BewaardeStatischeBestanden


class WcagSite:
    """The module's live server, the demo's facts, and one logged-in browser context per demo
    user (and viewport) for the whole module: each user is logged in once, and the browser's
    cache keeps the stylesheets and scripts (a fresh context would fetch the admin's twenty
    files again for every page)."""

    def __init__(self, browser, url: str, feiten: dict, sessies: dict[str, str]):
        self.browser = browser
        self.url = url
        self.feiten = feiten
        self._sessies = sessies
        self._contexten: dict = {}
        self._tabs: dict = {}
        self._jsi18n = None

    def _vertalingen(self, route):
        """The admin's JavaScript catalogue, the same on every page: asked once per module (a
        Django view of its own, 20-70 ms on each admin page)."""
        if self._jsi18n is None:
            antwoord = route.fetch()
            self._jsi18n = {
                "status": antwoord.status,
                "headers": antwoord.headers,
                "body": antwoord.body(),
            }
        route.fulfill(**self._jsi18n)

    def context(self, gebruiker: str | None, **opties):
        from django.conf import settings

        sleutel = (gebruiker, repr(sorted(opties.items())))
        if sleutel not in self._contexten:
            context = self.browser.new_context(
                locale="nl-NL", timezone_id="Europe/Amsterdam", **opties
            )
            context.set_default_timeout(TIMEOUT_MS)
            context.route("**/beheer/jsi18n/", self._vertalingen)
            if gebruiker is not None:
                context.add_cookies(
                    [
                        {
                            "name": settings.SESSION_COOKIE_NAME,
                            "value": self._sessies[gebruiker],
                            "url": self.url,
                        }
                    ]
                )
            self._contexten[sleutel] = context
        return self._contexten[sleutel]

    def tab(self, gebruiker: str | None, **opties):
        """The user's one tab for the module (a new tab costs 0.1 s; every state starts by
        opening its page, so what a test left behind is gone)."""
        sleutel = (gebruiker, repr(sorted(opties.items())))
        if sleutel not in self._tabs or self._tabs[sleutel].is_closed():
            self._tabs[sleutel] = self.context(gebruiker, **opties).new_page()
        return self._tabs[sleutel]

    def sluit(self):
        for context in self._contexten.values():
            context.close()


@pytest.fixture(scope="module")
def wcag_site(browser, django_db_setup, django_db_blocker):
    """The demo loaded once for a whole module, on a live server of the module's own.

    `live_demo` loads the demo and flushes the database for every test (about 1.5 s); the WCAG
    modules walk every page of the catalogue, one test per page, so they share one load. Not
    pytest-django's `live_server`: any test using it is made transactional and flushed after,
    which would wipe the module's data after its first test. The tests change nothing another
    test reads: error states are refused forms, and the one page that changes a row when
    opened (the behandelaar's melding: no longer Nieuw) is not read elsewhere. At the end the
    database is flushed, as after a transactional test, so later tests start empty."""
    import datetime

    import time_machine
    from django.conf import settings
    from django.core.management import call_command
    from django.db import DEFAULT_DB_ALIAS, connections
    from django.test import Client, override_settings
    from pytest_django.live_server_helper import LiveServer

    from meldingen.demo import laad_demo
    from tests.browser import paginas
    from tests.conftest import AMSTERDAM

    with django_db_blocker.unblock():
        try:
            # As the function-scoped fixtures of tests/conftest.py do for each test: the demo
            # built on VANDAAG, passwords hashed cheaply.
            with (
                override_settings(
                    PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
                ),
                time_machine.travel(
                    datetime.datetime(2026, 3, 16, 10, 0, tzinfo=AMSTERDAM), tick=True
                ),
            ):
                demo = laad_demo(VANDAAG)
                paginas.beheer_voorbeelden(demo)
                feiten = paginas.feiten(demo)
                # Logged in without the login page (walked itself, as a page of the
                # catalogue): a session per demo user the catalogue names.
                sessies = {}
                for gebruiker in paginas.gebruikers():
                    client = Client()
                    client.force_login(demo.gebruikers[gebruiker])
                    sessies[gebruiker] = client.cookies[settings.SESSION_COOKIE_NAME].value
            # Each request closes its database connection: the server's threads live as long
            # as the browser keeps a connection open, and a persistent database connection
            # of theirs would keep the test database from being dropped at the end.
            instellingen = connections.settings[DEFAULT_DB_ALIAS]
            bewaard, instellingen["CONN_MAX_AGE"] = instellingen["CONN_MAX_AGE"], 0
            server = LiveServer("localhost", start=False)
            server.thread.static_handler = _bewaarde_statische_bestanden()
            server.start()
            server._live_server_modified_settings.enable()
            site = WcagSite(browser, server.url, feiten, sessies)
            try:
                yield site
            finally:
                site.sluit()
                server._live_server_modified_settings.disable()
                server.stop()
                instellingen["CONN_MAX_AGE"] = bewaard
        finally:
            call_command("flush", verbosity=0, interactive=False)
