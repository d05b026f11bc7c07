"""WCAG 4.1.3 Statusberichten, in a real Chromium: the outcome of what the user did is in the
accessibility tree with a role, so assistive technology tells it without moving focus to it.

The bars of base.html (`messages`):
- Gelukt (success), Ter informatie (info) and Let op (warning): role="status", a polite live
  region (technique ARIA22). A warning here is advice after something that did succeed (the
  period is longer than 28 days, the melding was saved): it must not interrupt.
- Er is een probleem (error): role="alert", an assertive live region (ARIA19), because what the
  user asked was refused; like the error summary it also takes focus on load.
The bar of a concurrent change (includes/gelijktijdig.html) is such a refusal too: role="alert"
with focus. Client-side: the onderwijslocatie's address, looked up while the user types, is a
role="status" region, and the count of Zoek melding's results is a status as well.

After a form that was not refused, focus goes to the page's h1 (static/js/verzuimloket.js) and
the bars above it describe it (aria-describedby), so they are read with it."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from behandeling import services as behandeling_services
from behandeling.regels import NIET_MOGELIJK
from meldingen.models import Melding, Verzuimsoort
from meldingen.services import GELIJKTIJDIG_GEWIJZIGD
from meldingen.views import GEEN_WIJZIGING, GEWIJZIGD, INGETROKKEN
from meldingen.workflow import NIET_WIJZIGBAAR
from tests.browser.conftest import inloggen
from tests.browser.test_wizard_browser import klik, kop, vul_datum
from tests.conftest import VANDAAG

pytestmark = pytest.mark.browser
DAG = datetime.timedelta(days=1)

# Mila Jansen: 14, only at 24GP, no meldingen: a new melding goes to Gemeente Groningen.
PGN = "101000012"
LANG = "Let op: de verzuimperiode is langer dan 28 dagen."


def balk(pagina, rol: str, tekst: str):
    """The one bar with `rol` holding `tekst`, found in the accessibility tree."""
    gevonden = pagina.get_by_role(rol).filter(has_text=tekst)
    expect(gevonden).to_have_count(1)
    return gevonden


def kop_beschreven_door(pagina, *teksten: str):
    """The h1 has focus and the bars above it are its description."""
    h1 = pagina.get_by_role("heading", level=1)
    expect(h1).to_be_focused()
    for tekst in teksten:
        expect(h1).to_have_accessible_description(re.compile(re.escape(tekst)))


def test_balken_van_de_school(pagina, live_server, live_demo):
    inloggen(pagina, live_server, "melder")
    pagina.goto(f"{live_server.url}/meldingen/nieuw/{live_demo.leerlingen[PGN].pk}/")
    kop(pagina, 1, "Leerling")
    klik(pagina, "Verder")
    vul_datum(pagina, "Begindatum", VANDAAG - 40 * DAG)
    vul_datum(pagina, "OPTIONEEL Einddatum", VANDAAG - 2 * DAG)
    klik(pagina, "Verder")

    # Client-side: the onderwijslocatie's address is a status region, filled as the code
    # changes (no round trip).
    adres = pagina.get_by_role("status").filter(has_text="Postcode")
    expect(adres).to_have_text("Postcode 9712HN Huisnummer 1")
    locatie = pagina.get_by_label("Onderwijslocatiecode")
    locatie.fill("999X999")
    locatie.press("Tab")
    expect(pagina.get_by_role("status")).to_have_text("Deze onderwijslocatie bestaat niet")
    locatie.fill("100X001")
    locatie.press("Tab")
    expect(pagina.get_by_role("status")).to_have_text("Postcode 9712HN Huisnummer 1")

    pagina.get_by_label("16 uren per 4 weken 18-").check()
    pagina.get_by_label("Vermoedelijke reden").fill("Spijbelt met vrienden")
    pagina.get_by_role("group", name="Actie gewenst").get_by_label("Ja").check()
    klik(pagina, "Verder")

    # A warning after Verder (the step was saved): a polite status, described with the heading.
    kop(pagina, 3, "Lesuren")
    expect(balk(pagina, "status", LANG)).to_contain_text("Controleer of het om 4")
    expect(pagina.get_by_role("alert")).to_have_count(0)
    kop_beschreven_door(pagina, LANG)
    klik(pagina, "Verder")
    kop(pagina, 4, "Acties school")
    pagina.get_by_label("Brief gestuurd").check()
    klik(pagina, "Verder")
    kop(pagina, 5, "Overzicht")
    klik(pagina, "Registreren")

    # Registered: the Bevestiging's own Gelukt bar is a status.
    expect(pagina.get_by_role("heading", level=1)).to_have_text("Bevestiging")
    expect(balk(pagina, "status", "Gelukt")).to_have_text(
        re.compile(r"^\s*Gelukt\s+De verzuimmelding is succesvol geregistreerd.\s*$")
    )
    melding = Melding.objects.get(leerling__pgn=PGN)
    assert melding.soort == Verzuimsoort.V3
    detail = f"{live_server.url}/meldingen/{melding.nummer}/"

    # Wijzigen without a change: Ter informatie, a status.
    pagina.goto(f"{detail}wijzig/verzuim/")
    klik(pagina, "Wijzigen")
    expect(balk(pagina, "status", "Ter informatie")).to_contain_text(GEEN_WIJZIGING)
    kop_beschreven_door(pagina, GEEN_WIJZIGING)

    # With a change: Gelukt and, still more than 28 days, Let op; both polite, both with the
    # heading.
    pagina.goto(f"{detail}wijzig/verzuim/")
    pagina.get_by_label("Vermoedelijke reden").fill("Spijbelt met vrienden in de stad")
    klik(pagina, "Wijzigen")
    expect(balk(pagina, "status", "Gelukt")).to_contain_text(GEWIJZIGD)
    balk(pagina, "status", LANG)
    expect(pagina.get_by_role("alert")).to_have_count(0)
    kop_beschreven_door(pagina, GEWIJZIGD, LANG)

    # Intrekken: Gelukt.
    pagina.goto(f"{detail}intrekken/")
    pagina.get_by_label("Reden melding intrekken").select_option(label="Ten onrechte gemeld")
    klik(pagina, "Intrekken")
    expect(balk(pagina, "status", "Gelukt")).to_contain_text(INGETROKKEN)
    kop_beschreven_door(pagina, INGETROKKEN)

    # Refused: a withdrawn melding cannot be changed. The error bar is an alert, and it has
    # focus (as the error summary), not the heading.
    pagina.goto(f"{detail}wijzig/verzuim/")
    expect(pagina).to_have_url(detail)
    fout = balk(pagina, "alert", "Er is een probleem")
    expect(fout).to_contain_text(NIET_WIJZIGBAAR.format(status="Ingetrokken"))
    expect(fout).to_be_focused()
    expect(pagina.get_by_role("status")).to_have_count(0)

    # Zoek melding: the count of results is a status.
    pagina.goto(f"{live_server.url}/meldingen/zoeken/")
    pagina.get_by_label("Uitvoerende instantienaam").fill("Groningen")
    pagina.get_by_label("Ingetrokken").check()
    klik(pagina, "Zoeken")
    expect(balk(pagina, "status", "gevonden")).to_have_text(re.compile(r"^\d+ meldingen? gevonden"))


def test_balken_van_de_behandelaar(pagina, live_server, live_demo):
    # Sanne's Luxe verzuim: Geregistreerd, for Gemeente Groningen.
    luxe = live_demo.leerlingen["999999989"].meldingen.get(soort=Verzuimsoort.LUXE)
    melding_url = f"{live_server.url}/behandeling/meldingen/{luxe.nummer}/"
    inloggen(pagina, live_server, "lpa-groningen")
    pagina.goto(melding_url)
    klik(pagina, "In behandeling nemen")
    expect(balk(pagina, "status", "Gelukt")).to_contain_text(
        "De melding is in behandeling genomen."
    )
    kop_beschreven_door(pagina, "De melding is in behandeling genomen.")

    # The terugkoppeling form is open while a colleague gives one: sending it is refused, the
    # bar that says so is an alert and has focus; what was typed stays.
    pagina.goto(f"{melding_url}terugkoppeling_geven/")
    pagina.get_by_label("Toelichting").fill("Huisbezoek afgelegd.")
    luxe.refresh_from_db()
    behandeling_services.terugkoppeling_geven(
        melding=luxe,
        gebruiker=live_demo.gebruikers["lpa-groningen"],
        versie=luxe.versie,
        naam="Collega",
        datum=VANDAAG,
        toelichting="Gebeld met de ouders.",
    )
    klik(pagina, "Terugkoppeling geven")
    fout = balk(pagina, "alert", GELIJKTIJDIG_GEWIJZIGD)
    expect(fout).to_contain_text("Er is een probleem")
    expect(fout).to_be_focused()
    expect(pagina.get_by_label("Toelichting")).to_have_value("Huisbezoek afgelegd.")

    # An action the status no longer allows (a second In behandeling nemen): the melding's
    # page with an error bar, an alert with focus.
    pagina.goto(f"{melding_url}in_behandeling_nemen/")
    expect(pagina).to_have_url(melding_url)
    fout = balk(pagina, "alert", "Er is een probleem")
    expect(fout).to_contain_text(NIET_MOGELIJK.format(status="In behandeling"))
    expect(fout).to_be_focused()
