"""The header's Hoofdmenu (manual 2.2, 3: Zoek leerling and Zoek melding) in a real Chromium:
on the pages deep inside the school side (Leerling overzicht, a wizard step, Melding details,
Intrekken) both links are there, the section the page belongs to is marked, a keyboard user
reaches a link with Tab and follows it with Enter, and axe-core finds no WCAG 2.1 AA
violation."""

import pytest
from playwright.sync_api import expect

from meldingen.models import Melding, Verzuimsoort
from tests.browser.conftest import controleer_toegankelijkheid, inloggen

pytestmark = pytest.mark.browser
MAX_TABS = 15


def hoofdmenu(pagina):
    return pagina.get_by_role("banner").get_by_role("navigation", name="Hoofdmenu")


def met_toetsenbord_naar(pagina, naam: str, kop: str):
    """From the top of the page, Tab until the Hoofdmenu's link `naam` has focus, then Enter:
    the page with h1 `kop` opens."""
    link = hoofdmenu(pagina).get_by_role("link", name=naam, exact=True)
    pagina.locator("body").focus()
    for _ in range(MAX_TABS):
        pagina.keyboard.press("Tab")
        if link.evaluate("element => element === document.activeElement"):
            break
    expect(link).to_be_focused()
    with pagina.expect_navigation():
        pagina.keyboard.press("Enter")
    expect(pagina.get_by_role("heading", level=1)).to_have_text(kop)


def controleer_menu(pagina, actief: str):
    menu = hoofdmenu(pagina)
    expect(menu.get_by_role("link")).to_have_count(2)
    for naam in ("Zoek leerling", "Zoek melding"):
        link = menu.get_by_role("link", name=naam, exact=True)
        expect(link).to_be_visible()
        if naam == actief:
            expect(link).to_have_attribute("aria-current", "true")
        else:
            expect(link).not_to_have_attribute("aria-current", "true")
    controleer_toegankelijkheid(pagina)


@pytest.fixture
def luxe(live_demo):
    return Melding.objects.get(leerling=live_demo.leerlingen["999999989"], soort=Verzuimsoort.LUXE)


def test_vanaf_leerling_overzicht(pagina, live_server, live_demo):
    inloggen(pagina, live_server, "melder")
    # On the search page itself its link is the current page.
    expect(hoofdmenu(pagina).get_by_role("link", name="Zoek leerling")).to_have_attribute(
        "aria-current", "page"
    )
    pagina.goto(f"{live_server.url}/leerling/{live_demo.leerlingen['999999989'].pk}/")
    controleer_menu(pagina, actief="Zoek leerling")
    met_toetsenbord_naar(pagina, "Zoek melding", "Zoeken")
    expect(pagina).to_have_url(f"{live_server.url}/meldingen/zoeken/")
    expect(hoofdmenu(pagina).get_by_role("link", name="Zoek melding")).to_have_attribute(
        "aria-current", "page"
    )
    expect(pagina.get_by_label("Meldingnummer")).to_be_visible()


def test_vanaf_een_stap_van_registreren(pagina, live_server, live_demo):
    inloggen(pagina, live_server, "melder")
    pagina.goto(f"{live_server.url}/leerling/{live_demo.leerlingen['999999989'].pk}/")
    with pagina.expect_navigation():
        pagina.get_by_role("link", name="Registreer nieuwe melding").click()
    expect(pagina.get_by_text("Stap 1 van 6 - Verzuimmelding registreren")).to_be_visible()
    controleer_menu(pagina, actief="Zoek leerling")
    met_toetsenbord_naar(pagina, "Zoek leerling", "Zoeken")
    expect(pagina).to_have_url(f"{live_server.url}/")
    expect(pagina.get_by_label("Persoonsgebonden nummer")).to_be_visible()


def test_vanaf_melding_details(pagina, live_server, live_demo, luxe):
    inloggen(pagina, live_server, "melder")
    # From the Leerling overzicht: the section is Zoek leerling.
    pagina.goto(f"{live_server.url}/leerling/{luxe.leerling_id}/")
    with pagina.expect_navigation():
        pagina.get_by_role("link", name=str(luxe.nummer)).click()
    expect(pagina.get_by_role("link", name="Terug naar leerling overzicht")).to_be_visible()
    controleer_menu(pagina, actief="Zoek leerling")

    # From the search results: the section is Zoek melding.
    pagina.goto(f"{live_server.url}/meldingen/zoeken/?instellingscode=24GP")
    with pagina.expect_navigation():
        pagina.get_by_role("link", name=str(luxe.nummer)).click()
    expect(pagina.get_by_role("link", name="Terug naar meldingenoverzicht")).to_be_visible()
    controleer_menu(pagina, actief="Zoek melding")
    met_toetsenbord_naar(pagina, "Zoek leerling", "Zoeken")


def test_vanaf_intrekken(pagina, live_server, live_demo, luxe):
    inloggen(pagina, live_server, "melder")
    pagina.goto(f"{live_server.url}/meldingen/{luxe.nummer}/")
    with pagina.expect_navigation():
        pagina.get_by_role("link", name=f"Intrekken melding {luxe.nummer}").click()
    expect(pagina.get_by_role("heading", level=1)).to_have_text("Intrekken verzuimmelding")
    expect(pagina.get_by_role("link", name="Terug naar melding details")).to_be_visible()
    controleer_menu(pagina, actief="Zoek leerling")
    met_toetsenbord_naar(pagina, "Zoek melding", "Zoeken")
    expect(pagina).to_have_url(f"{live_server.url}/meldingen/zoeken/")


def test_niet_op_de_inlogpagina(pagina, live_server, live_demo):
    pagina.goto(f"{live_server.url}/inloggen/")
    expect(pagina.get_by_role("navigation", name="Hoofdmenu")).to_have_count(0)
    expect(pagina.get_by_role("link", name="Zoek leerling")).to_have_count(0)
