"""Printing from the browser (manual 2.8: there is no print button, the user prints the page).
With print media emulated, every page that is worth printing shows its content: the wizard's
Overzicht (which sits inside a <form>), the Bevestiging, the Leerling overzicht, the Melding
details (both columns and the change history) and the Zoek melding results. Hidden are only
navigation, back links, buttons, Wijzig/Intrekken links and form fields."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from meldingen import services
from meldingen.models import Melding, Verzuimsoort
from tests.browser.conftest import inloggen
from tests.conftest import VANDAAG

pytestmark = pytest.mark.browser
DAG = datetime.timedelta(days=1)


def klik(pagina, knop: str):
    with pagina.expect_navigation():
        pagina.get_by_role("button", name=knop, exact=True).click()


def vul_datum(pagina, groep: str, datum: datetime.date):
    veld = pagina.get_by_role("group", name=groep, exact=True)
    veld.get_by_label("dag").fill(str(datum.day))
    veld.get_by_label("maand").fill(str(datum.month))
    veld.get_by_label("jaar").fill(str(datum.year))


def afdrukken(pagina):
    """Switch to print media; check that what the screen has for navigating and acting is
    there before and gone after (role queries skip hidden elements)."""
    expect(pagina.get_by_role("navigation").first).to_be_visible()
    expect(pagina.get_by_role("button").first).to_be_visible()
    pagina.emulate_media(media="print")
    expect(pagina.get_by_role("navigation")).to_have_count(0)
    expect(pagina.get_by_role("button")).to_have_count(0)
    expect(pagina.get_by_role("link", name=re.compile("^(← )?Terug naar"))).to_have_count(0)
    expect(pagina.get_by_role("link", name=re.compile("^Wijzig"))).to_have_count(0)
    expect(pagina.get_by_role("link", name=re.compile("^Intrekken"))).to_have_count(0)
    expect(pagina.locator("input:visible, select:visible, textarea:visible")).to_have_count(0)
    expect(pagina.locator("footer")).to_be_hidden()
    # The page's own title stays.
    expect(pagina.get_by_role("heading", level=1)).to_be_visible()


def bloktitels_zichtbaar(pagina, *titels: str):
    for titel in titels:
        expect(pagina.get_by_role("heading", name=titel, exact=True)).to_be_visible()


def test_overzicht_en_bevestiging_afdrukken(pagina, live_server, live_demo):
    sanne = live_demo.leerlingen["999999989"]
    begin, eind = VANDAAG - 40 * DAG, VANDAAG - 5 * DAG  # > 28 days: a "Let op" warning
    inloggen(pagina, live_server, "melder")
    pagina.goto(f"{live_server.url}/leerling/{sanne.pk}/")
    with pagina.expect_navigation():
        pagina.get_by_role("link", name="Registreer nieuwe melding").click()
    pagina.get_by_label("Telefoon").fill("06-12345678")
    klik(pagina, "Verder")
    vul_datum(pagina, "Begindatum", begin)
    vul_datum(pagina, "OPTIONEEL Einddatum", eind)
    klik(pagina, "Verder")
    pagina.get_by_label(Verzuimsoort.V3.label).check()
    pagina.get_by_label("Vermoedelijke reden").fill("afwezig vanwege ziekte")
    pagina.get_by_role("group", name="Actie gewenst").get_by_label("Ja").check()
    pagina.get_by_label("Naam", exact=True).fill("Kees Smit")
    pagina.get_by_label("E-mail", exact=True).fill("kees@school.example.nl")
    klik(pagina, "Verder")
    klik(pagina, "Verder")  # Lesuren: Alle lessen gemist
    pagina.get_by_label("Brief gestuurd").check()
    klik(pagina, "Verder")

    # Stap 5: Overzicht. Everything is inside the step's <form>.
    expect(pagina.get_by_role("heading", level=1)).to_have_text("Overzicht")
    expect(pagina.get_by_role("link", name="Wijzig verzuim")).to_be_visible()
    expect(pagina.get_by_label("Stuur e-mail naar melder")).to_be_visible()
    afdrukken(pagina)
    expect(pagina.get_by_text("Stap 5 van 6 - Verzuimmelding registreren")).to_be_visible()
    bloktitels_zichtbaar(
        pagina,
        "Leerling",
        "Verzuim",
        "Gegevens onderwijsinstelling",
        "Contactpersoon onderwijsinstelling",
        "Lesuren",
        "Acties door school",
    )
    for waarde in (
        "Sanne de Vries",
        "06-12345678",
        "afwezig vanwege ziekte",
        "Kees Smit",
        "Brief gestuurd",
        begin.strftime("%d-%m-%Y"),
    ):
        expect(pagina.get_by_text(waarde, exact=True).first).to_be_visible()
    waarschuwing = pagina.locator(".waarschuwingbalk")
    expect(waarschuwing).to_be_visible()
    expect(waarschuwing).to_contain_text("Let op: de verzuimperiode is langer dan 28 dagen.")
    expect(pagina.get_by_text("Stuur e-mail naar melder")).to_be_hidden()

    pagina.emulate_media(media="screen")
    klik(pagina, "Registreren")

    # Stap 6: Bevestiging
    melding = Melding.objects.get(leerling=sanne, begindatum=begin)
    expect(pagina.get_by_role("heading", level=1)).to_have_text("Bevestiging")
    naar_overzicht = pagina.get_by_role("link", name="Naar leerling overzicht")
    expect(naar_overzicht).to_be_visible()
    afdrukken(pagina)
    expect(naar_overzicht).to_be_hidden()
    expect(pagina.get_by_text("De verzuimmelding is succesvol geregistreerd.")).to_be_visible()
    expect(pagina.get_by_text(f"Meldingnummer: {melding.nummer}")).to_be_visible()


def test_leerling_overzicht_afdrukken(pagina, live_server, live_demo):
    inloggen(pagina, live_server, "melder")
    pagina.goto(f"{live_server.url}/leerling/{live_demo.leerlingen['999999989'].pk}/")
    registreer = pagina.get_by_role("link", name="Registreer nieuwe melding")
    expect(registreer).to_be_visible()
    afdrukken(pagina)
    expect(registreer).to_be_hidden()
    expect(pagina.get_by_text("Sanne de Vries")).to_be_visible()
    expect(pagina.get_by_text("999999989")).to_be_visible()
    tabel = pagina.get_by_role("table", name="Verzuimmeldingen")
    expect(tabel).to_be_visible()
    expect(tabel.get_by_role("row")).to_have_count(3)
    expect(tabel).to_contain_text("Luxe verzuim")


def test_melding_details_afdrukken(pagina, live_server, live_demo):
    luxe = Melding.objects.get(leerling=live_demo.leerlingen["999999989"], soort=Verzuimsoort.LUXE)
    services.melding_wijzigen(
        melding=luxe,
        gebruiker=live_demo.gebruikers["melder"],
        versie=luxe.versie,
        blok="verzuim",
        gegevens={"vermoedelijke_reden": "Familiebezoek"},
    )
    inloggen(pagina, live_server, "melder")
    pagina.goto(f"{live_server.url}/meldingen/{luxe.nummer}/")
    intrekken = pagina.get_by_role("link", name=re.compile("^Intrekken"))
    expect(intrekken).to_be_visible()
    expect(pagina.get_by_role("link", name="Wijzig verzuim")).to_be_visible()
    afdrukken(pagina)
    expect(intrekken).to_be_hidden()
    # Both columns and the change history.
    bloktitels_zichtbaar(
        pagina,
        "Leerling",
        "Contactpersonen leerling",
        "Lesuren",
        "Acties door school",
        "Melding",
        "Verzuim",
        "Onderwijsinstelling",
        "Contactpersoon onderwijsinstelling",
        "Wijzigingen",
    )
    for waarde in (str(luxe.nummer), "Geregistreerd", "Familiebezoek", "K. Smit"):
        expect(pagina.get_by_text(waarde, exact=True).first).to_be_visible()
    expect(
        pagina.get_by_text(
            "Vermoedelijke reden: Vakantie buiten de schoolvakanties → Familiebezoek"
        )
    ).to_be_visible()


def test_zoekresultaten_afdrukken(pagina, live_server, live_demo):
    from tests.test_zoek_melding import maak_meldingen

    instantie = Melding.objects.filter(instelling="24GP").first().uitvoerende_instantie
    maak_meldingen(30, instelling=live_demo.instellingen["24GP"], instantie=instantie)
    inloggen(pagina, live_server, "melder")
    pagina.goto(f"{live_server.url}/meldingen/zoeken/")
    pagina.get_by_label("Instellingscode").select_option("24GP")
    klik(pagina, "Zoeken")
    paginering = pagina.get_by_role("navigation", name="Paginering")
    wis = pagina.get_by_role("link", name="Wis velden")
    meldingnummer = pagina.get_by_label("Meldingnummer")
    for element in (paginering, wis, meldingnummer):
        expect(element).to_be_visible()
    afdrukken(pagina)
    for element in (paginering, wis, meldingnummer):
        expect(element).to_be_hidden()
    expect(pagina.get_by_role("heading", name="Gevonden meldingen")).to_be_visible()
    expect(
        pagina.get_by_text(re.compile(r"^\d+ meldingen gevonden, pagina 1 van 2"))
    ).to_be_visible()
    tabel = pagina.get_by_role("table", name="Gevonden meldingen, nieuwste eerst")
    expect(tabel).to_be_visible()
    expect(tabel.get_by_role("row")).to_have_count(26)
    expect(tabel.get_by_role("row").nth(1)).to_contain_text("24GP")
