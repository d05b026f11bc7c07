"""The foundation pages in a real Chromium: login, kies instelling, Zoek leerling,
Leerling overzicht and the 403 page, each with zero axe-core WCAG 2.1 AA violations; and the
print stylesheet of the Leerling overzicht."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from meldingen import regels
from tests.browser.conftest import controleer_toegankelijkheid, inloggen
from tests.conftest import VANDAAG
from verzuimloket import datums

pytestmark = pytest.mark.browser


def test_bevroren_tijd_geldt_ook_in_de_live_server(pagina, live_server, live_demo):
    """time-machine patches the clock process-wide, so the live server thread computes dates
    and ages on VANDAAG (16-03-2026) as the test does, not on the real date."""
    assert datums.vandaag() == VANDAAG
    # 22 on VANDAAG, 23 from 17-03-2026 on: on the real (later) date the server would show
    # the blue bar instead of the button.
    leerling = live_demo.leerlingen["999990019"]
    leerling.geboortedatum = VANDAAG.replace(year=VANDAAG.year - 23) + datetime.timedelta(days=1)
    leerling.save()
    inloggen(pagina, live_server, "melder")
    pagina.goto(f"{live_server.url}/leerling/{leerling.pk}/")
    expect(pagina.get_by_role("link", name="Registreer nieuwe melding")).to_be_visible()


def test_inlogpagina(pagina, live_server, live_demo):
    pagina.goto(f"{live_server.url}/inloggen/")
    expect(pagina).to_have_title("Inloggen - Verzuimloket")
    expect(pagina.get_by_role("heading", level=1)).to_have_text("Inloggen")
    controleer_toegankelijkheid(pagina)


def test_inlogfout_toegankelijk(pagina, live_server, live_demo):
    inloggen(pagina, live_server, "melder", wachtwoord="fout")
    expect(pagina).to_have_title(re.compile("^Fout: Inloggen"))
    expect(pagina.get_by_role("alert")).to_contain_text("Er is een probleem")
    controleer_toegankelijkheid(pagina)


def test_melder_gaat_direct_naar_zoek_leerling(pagina, live_server, live_demo):
    inloggen(pagina, live_server, "melder")
    expect(pagina).to_have_url(f"{live_server.url}/")
    expect(pagina.get_by_role("heading", level=1)).to_have_text("Zoeken")
    expect(pagina.get_by_role("navigation", name="Gebruiker en instelling")).to_contain_text("24GP")


def test_kies_instelling_en_wissel(pagina, live_server, live_demo):
    inloggen(pagina, live_server, "melder2")
    expect(pagina.get_by_role("heading", level=1)).to_have_text("Kies instellingscode")
    controleer_toegankelijkheid(pagina)

    # Without a choice: an error in the summary, linked to the first radio.
    pagina.get_by_role("button", name="Verder").click()
    expect(pagina.get_by_role("alert")).to_contain_text("Kies een instellingscode.")
    controleer_toegankelijkheid(pagina)
    # The summary links to the first radio (00BB: the choices are ordered by code).
    pagina.get_by_role("alert").get_by_role("link").click()
    expect(pagina.get_by_label(re.compile("00BB"))).to_be_focused()

    pagina.get_by_label(re.compile("00BB")).check()
    pagina.get_by_role("button", name="Verder").click()
    kop = pagina.get_by_role("navigation", name="Gebruiker en instelling")
    expect(kop).to_contain_text("00BB")

    kop.get_by_role("link", name="Wissel instelling").click()
    expect(pagina.get_by_label(re.compile("00BB"))).to_be_checked()
    pagina.get_by_label(re.compile("24GP")).check()
    pagina.get_by_role("button", name="Verder").click()
    expect(kop).to_contain_text("24GP")
    expect(kop).not_to_contain_text("00BB")


def test_zoek_leerling_met_fout(pagina, live_server, live_demo):
    inloggen(pagina, live_server, "melder")
    controleer_toegankelijkheid(pagina)
    veld = pagina.get_by_label("Persoonsgebonden nummer")
    veld.fill("999999988")
    pagina.get_by_role("button", name="Zoeken").click()
    expect(pagina).to_have_title(re.compile("^Fout: Zoek leerling"))
    samenvatting = pagina.get_by_role("alert")
    expect(samenvatting).to_contain_text("Vul een geldig burgerservicenummer")
    expect(veld).to_have_attribute("aria-invalid", "true")
    expect(veld).to_have_accessible_description(re.compile("Vul een geldig burgerservicenummer"))
    controleer_toegankelijkheid(pagina)
    samenvatting.get_by_role("link").click()
    expect(veld).to_be_focused()

    veld.fill("999 999 989")
    pagina.get_by_role("button", name="Zoeken").click()
    expect(pagina.get_by_role("heading", level=1)).to_have_text("Leerling overzicht")


def test_leerling_overzicht_met_knop(pagina, live_server, live_demo):
    inloggen(pagina, live_server, "melder")
    pagina.goto(f"{live_server.url}/leerling/{live_demo.leerlingen['999999989'].pk}/")
    expect(pagina.get_by_role("link", name="Registreer nieuwe melding")).to_be_visible()
    tabel = pagina.get_by_role("table", name="Verzuimmeldingen")
    expect(tabel.get_by_role("row")).to_have_count(3)
    controleer_toegankelijkheid(pagina)


def test_leerling_overzicht_met_blauwe_balk(pagina, live_server, live_demo):
    inloggen(pagina, live_server, "melder")
    pagina.goto(f"{live_server.url}/leerling/{live_demo.leerlingen['999990044'].pk}/")
    balk = pagina.get_by_role("status")
    expect(balk).to_contain_text(regels.BLOKKADE_TITEL)
    expect(balk).to_contain_text(regels.BLOKKADE_REGISTER)
    expect(pagina.get_by_role("link", name="Registreer nieuwe melding")).to_have_count(0)
    controleer_toegankelijkheid(pagina)


def test_geen_toegang_voor_zonderrol(pagina, live_server, live_demo):
    antwoorden = []
    pagina.on(
        "response",
        lambda r: antwoorden.append(r.status) if r.request.resource_type == "document" else None,
    )
    inloggen(pagina, live_server, "zonderrol")
    assert antwoorden[-1] == 403
    expect(pagina.get_by_role("heading", level=1)).to_have_text("Geen toegang tot het verzuimloket")
    expect(pagina.get_by_role("link", name="Zoek leerling")).to_have_count(0)
    expect(pagina.get_by_role("button", name="Uitloggen")).to_be_visible()
    controleer_toegankelijkheid(pagina)


def test_afdrukken_verbergt_kop_navigatie_en_knoppen(pagina, live_server, live_demo):
    inloggen(pagina, live_server, "melder")
    pagina.goto(f"{live_server.url}/leerling/{live_demo.leerlingen['999999989'].pk}/")
    knop = pagina.get_by_role("link", name="Registreer nieuwe melding")
    gebruiker = pagina.locator(".kop__gebruiker")
    terug = pagina.get_by_role("link", name="Terug naar zoeken")
    for element in (knop, gebruiker, terug):
        expect(element).to_be_visible()

    pagina.emulate_media(media="print")
    for element in (
        knop,
        gebruiker,
        terug,
        pagina.get_by_role("button", name="Uitloggen"),
        pagina.locator("footer"),
        pagina.locator(".overslaan"),
    ):
        expect(element).to_be_hidden()
    # What the printout is for stays.
    expect(pagina.get_by_role("heading", name="Leerling overzicht")).to_be_visible()
    expect(pagina.get_by_text("Sanne de Vries")).to_be_visible()
    expect(pagina.get_by_role("table", name="Verzuimmeldingen")).to_be_visible()

    pagina.emulate_media(media="screen")
    expect(knop).to_be_visible()
