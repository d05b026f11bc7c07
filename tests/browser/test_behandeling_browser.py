"""The behandeling side in a real Chromium: a melding the school registers through the wizard
reaches the werkvoorraad of Gemeente Groningen, where `lpa-groningen` (Jeroen de Boer) takes it
in behandeling, gives a terugkoppeling and closes it, using the keyboard only; the school then
reads the outcome in the Melding details. Every behandelaar page, also the Afsluiten form and
the werkvoorraad's filters showing errors, passes axe-core (WCAG 2.2 AA)."""

import datetime
import functools
import re

import pytest
from playwright.sync_api import expect

from meldingen.models import Melding, RedenAfgesloten, Status
from tests.browser import toetsenbord
from tests.browser.conftest import DEMO_WACHTWOORD, controleer_toegankelijkheid, inloggen
from tests.browser.test_wizard_browser import klik, kop, vul_datum
from tests.conftest import VANDAAG

pytestmark = pytest.mark.browser
DAG = datetime.timedelta(days=1)

# Mila Jansen: 14, lives in Groningen (9712), only at 24GP and without meldingen, so a new
# melding is leerplichtig and `uitvoerende_instantie_voor` routes it to Gemeente Groningen.
PGN = "101000012"
LEERLING = "Mila Jansen"
TOELICHTING = "Gesprek gevoerd met Mila en haar ouders; verlof achteraf niet toegekend."

# More Tab presses than any page of the behandeling side has focusable elements before its
# main action; running out means the element is unreachable or a keyboard trap stands before it.
MAX_TABS = 80


# -- Keyboard helpers ------------------------------------------------------------------------


# The bound above, not the default of tests/browser/toetsenbord.py.
tab_naar = functools.partial(toetsenbord.tab_naar, maximaal=MAX_TABS)
druk = toetsenbord.druk


def inloggen_met_toetsenbord(pagina, live_server, gebruikersnaam: str):
    pagina.goto(f"{live_server.url}/inloggen/")
    tab_naar(pagina, pagina.get_by_label("Gebruikersnaam"))
    pagina.keyboard.type(gebruikersnaam)
    pagina.keyboard.press("Tab")
    expect(pagina.get_by_label("Wachtwoord")).to_be_focused()
    pagina.keyboard.type(DEMO_WACHTWOORD)
    druk(pagina)  # Enter in a field submits the login form


def uitloggen_met_toetsenbord(pagina):
    tab_naar(pagina, pagina.get_by_role("button", name="Uitloggen"))
    druk(pagina)
    expect(pagina.get_by_role("heading", level=1)).to_have_text("Inloggen")


# -- The school's side -----------------------------------------------------------------------


def melding_registreren(pagina, live_server) -> int:
    """`melder` registers a luxe verzuim for Mila Jansen through the six steps, with only the
    required answers (the wizard itself is test_wizard_browser.py's); returns the meldingnummer
    the Bevestiging shows."""
    inloggen(pagina, live_server, "melder")
    pagina.get_by_label("Persoonsgebonden nummer").fill(PGN)
    klik(pagina, "Zoeken")
    expect(pagina.get_by_role("heading", level=1)).to_have_text("Leerling overzicht")
    with pagina.expect_navigation():
        pagina.get_by_role("link", name="Registreer nieuwe melding").click()

    kop(pagina, 1, "Leerling")
    klik(pagina, "Verder")

    kop(pagina, 2, "Verzuim")
    vul_datum(pagina, "Begindatum", VANDAAG - 7 * DAG)
    vul_datum(pagina, "OPTIONEEL Einddatum", VANDAAG - 5 * DAG)
    klik(pagina, "Verder")  # the first Verder asks only the period
    kop(pagina, 2, "Verzuim")
    pagina.get_by_label("Luxe verzuim").check()
    pagina.get_by_label("Vermoedelijke reden").fill("Vakantie buiten de schoolvakanties")
    pagina.get_by_role("group", name="Actie gewenst").get_by_label("Ja").check()
    pagina.get_by_label("Naam", exact=True).fill("Kees Smit")
    pagina.get_by_label("E-mail", exact=True).fill("kees@school.example.nl")
    klik(pagina, "Verder")

    kop(pagina, 3, "Lesuren")  # Alle lessen gemist is Ja unless changed
    klik(pagina, "Verder")

    kop(pagina, 4, "Acties school")
    pagina.get_by_label("Brief gestuurd").check()
    klik(pagina, "Verder")

    kop(pagina, 5, "Overzicht")
    klik(pagina, "Registreren")

    expect(pagina.get_by_role("heading", level=1)).to_have_text("Bevestiging")
    nummer = pagina.get_by_text(re.compile(r"^Meldingnummer: \d+$")).inner_text()
    return int(nummer.removeprefix("Meldingnummer: "))


# -- The tests -------------------------------------------------------------------------------


def test_behandelaar_neemt_in_behandeling_koppelt_terug_en_sluit_af(pagina, live_server, live_demo):
    # 1. The school registers; the melding goes to Gemeente Groningen.
    nummer = melding_registreren(pagina, live_server)
    melding = Melding.objects.get(nummer=nummer)
    assert melding.uitvoerende_instantie == live_demo.instanties["Gemeente Groningen"]
    assert melding.status == Status.GEREGISTREERD
    with pagina.expect_navigation():
        pagina.get_by_role("button", name="Uitloggen").click()

    # 2. From here on the behandelaar uses the keyboard only. After logging in they land on
    # the werkvoorraad, where the melding nobody of the instantie opened yet is marked Nieuw.
    inloggen_met_toetsenbord(pagina, live_server, "lpa-groningen")
    expect(pagina).to_have_url(f"{live_server.url}/behandeling/")
    expect(pagina.get_by_role("heading", level=1)).to_have_text("Werkvoorraad")
    link = pagina.get_by_role("link", name=str(nummer), exact=True)
    rij = pagina.get_by_role("row").filter(has=link)
    expect(rij).to_contain_text("Nieuw")
    expect(rij).to_contain_text(LEERLING)
    expect(rij).to_contain_text("Luxe verzuim")
    expect(rij).to_contain_text("Geregistreerd")
    controleer_toegankelijkheid(pagina)
    tab_naar(pagina, link)
    druk(pagina)

    expect(pagina).to_have_url(f"{live_server.url}/behandeling/meldingen/{nummer}/")
    expect(pagina.get_by_role("heading", level=1)).to_contain_text(LEERLING)
    behandeling = pagina.get_by_role("region", name="Behandeling", exact=True)
    expect(behandeling).to_contain_text("Geregistreerd")
    expect(behandeling).to_contain_text("Gemeente Groningen")
    controleer_toegankelijkheid(pagina)

    # 3. In behandeling nemen: one button on the melding's page (Space presses a button).
    tab_naar(pagina, pagina.get_by_role("button", name="In behandeling nemen"))
    druk(pagina, "Space")
    expect(pagina.get_by_role("status").filter(has_text="Gelukt")).to_contain_text(
        "De melding is in behandeling genomen."
    )
    expect(behandeling).to_contain_text("In behandeling")
    expect(behandeling).to_contain_text("Jeroen de Boer")
    expect(pagina.get_by_role("button", name="In behandeling nemen")).to_have_count(0)
    controleer_toegankelijkheid(pagina)

    # 4. Terugkoppeling geven: the form starts with the behandelaar's own name and today.
    tab_naar(pagina, pagina.get_by_role("link", name="Terugkoppeling geven"))
    druk(pagina)
    expect(pagina.get_by_role("heading", level=1)).to_have_text("Terugkoppeling geven")
    expect(pagina.get_by_label("Naam", exact=True)).to_have_value("Jeroen de Boer")
    expect(pagina.get_by_label("E-mail")).to_have_value("lpa-groningen@example.nl")
    datum = pagina.get_by_role("group", name="Datum terugkoppeling")
    expect(datum.get_by_label("dag")).to_have_value(f"{VANDAAG.day:02d}")
    expect(datum.get_by_label("maand")).to_have_value(f"{VANDAAG.month:02d}")
    expect(datum.get_by_label("jaar")).to_have_value(str(VANDAAG.year))
    controleer_toegankelijkheid(pagina)
    tab_naar(pagina, pagina.get_by_label("Toelichting"))
    pagina.keyboard.type(TOELICHTING)
    tab_naar(pagina, pagina.get_by_role("button", name="Terugkoppeling geven"))
    druk(pagina)
    expect(pagina.get_by_role("status").filter(has_text="Gelukt")).to_contain_text(
        "De terugkoppeling is opgeslagen."
    )
    terugkoppeling = pagina.get_by_role("region", name="Terugkoppeling behandelaar")
    expect(terugkoppeling).to_contain_text(TOELICHTING)
    expect(terugkoppeling).to_contain_text("Jeroen de Boer")
    # Given once, the action reads "wijzigen".
    expect(pagina.get_by_role("link", name="Terugkoppeling wijzigen")).to_be_visible()
    controleer_toegankelijkheid(pagina)

    # 5. Afsluiten, first without a reason: the error summary takes focus, its link leads to
    # the field, and the page in its error state passes axe too.
    tab_naar(pagina, pagina.get_by_role("link", name="Afsluiten"))
    druk(pagina)
    expect(pagina.get_by_role("heading", level=1)).to_have_text("Afsluiten")
    controleer_toegankelijkheid(pagina)
    knop = pagina.get_by_role("button", name="Afsluiten")
    tab_naar(pagina, knop)
    druk(pagina)
    expect(pagina).to_have_title(re.compile("^Fout: "))
    samenvatting = pagina.get_by_role("alert")
    expect(samenvatting).to_be_focused()  # verzuimloket.js, so it is read out first
    foutlink = samenvatting.get_by_role(
        "link",
        name="Reden melding afgesloten: Kies de reden waarom de melding is afgesloten.",
    )
    reden = pagina.get_by_label("Reden melding afgesloten")
    expect(foutlink).to_have_attribute("href", f"#{reden.get_attribute('id')}")
    expect(reden).to_have_attribute("aria-invalid", "true")
    controleer_toegankelijkheid(pagina)
    tab_naar(pagina, foutlink)
    pagina.keyboard.press("Enter")  # an in-page link: no navigation
    expect(reden).to_be_focused()
    # Typing on a closed select picks the first option starting with it, as with a mouse.
    pagina.keyboard.type("Terug")
    expect(reden).to_have_value(RedenAfgesloten.HERVAT)
    tab_naar(pagina, knop)
    druk(pagina)
    expect(pagina.get_by_role("status").filter(has_text="Gelukt")).to_contain_text(
        "De melding is afgesloten."
    )
    expect(behandeling).to_contain_text("Afgesloten")
    expect(terugkoppeling).to_contain_text("Terug naar school, opleiding hervat")
    # Afgesloten is final for the instantie: nothing left to do.
    expect(pagina.get_by_role("region", name="Behandelen", exact=True)).to_have_count(0)
    controleer_toegankelijkheid(pagina)

    # Back in the werkvoorraad, the count per status leads to it: opened, so no longer Nieuw.
    tab_naar(pagina, pagina.get_by_role("link", name="Terug naar werkvoorraad"))
    druk(pagina)
    tab_naar(pagina, pagina.get_by_role("link", name="Afgesloten", exact=True))
    druk(pagina)
    expect(pagina.get_by_role("combobox", name="Status")).to_have_value(Status.AFGESLOTEN)
    rij = pagina.get_by_role("row").filter(
        has=pagina.get_by_role("link", name=str(nummer), exact=True)
    )
    expect(rij).to_contain_text("Afgesloten")
    expect(rij).not_to_contain_text("Nieuw")
    controleer_toegankelijkheid(pagina)

    melding.refresh_from_db()
    assert melding.status == Status.AFGESLOTEN
    assert melding.in_behandeling_door == live_demo.gebruikers["lpa-groningen"]
    assert melding.terugkoppeling.toelichting == TOELICHTING
    assert melding.terugkoppeling.datum == VANDAAG
    assert melding.terugkoppeling.reden_afgesloten == RedenAfgesloten.HERVAT

    # 6. The school reads the outcome in the Melding details (via Zoek melding).
    uitloggen_met_toetsenbord(pagina)
    inloggen(pagina, live_server, "melder")
    with pagina.expect_navigation():
        pagina.get_by_role("link", name="Zoek melding").click()
    pagina.get_by_label("Meldingnummer").fill(str(nummer))
    klik(pagina, "Zoeken")  # an exact number opens the melding straight away
    expect(pagina).to_have_url(re.compile(rf"/meldingen/{nummer}/"))
    expect(pagina.get_by_role("region", name="Melding", exact=True)).to_contain_text("Afgesloten")
    terugkoppeling = pagina.get_by_role("region", name="Terugkoppeling behandelaar")
    expect(terugkoppeling).to_contain_text(TOELICHTING)
    expect(terugkoppeling).to_contain_text("Jeroen de Boer")
    expect(terugkoppeling).to_contain_text("Gemeente Groningen")
    expect(terugkoppeling).to_contain_text("Terug naar school, opleiding hervat")
    controleer_toegankelijkheid(pagina)


def test_werkvoorraad_filter_met_ongeldige_datum(pagina, live_server, live_demo):
    inloggen(pagina, live_server, "lpa-groningen")
    expect(pagina.get_by_role("heading", level=1)).to_have_text("Werkvoorraad")
    van = pagina.get_by_role("group", name="Begindatum van")
    van.get_by_label("dag").fill("31")
    van.get_by_label("maand").fill("02")
    van.get_by_label("jaar").fill("2026")
    pagina.get_by_role("button", name="Filteren").click()

    expect(pagina).to_have_title(re.compile("^Fout: Werkvoorraad"))
    samenvatting = pagina.get_by_role("alert")
    expect(samenvatting).to_be_focused()
    foutlink = samenvatting.get_by_role(
        "link", name="Begindatum van: Vul een bestaande datum in (dag, maand, jaar)."
    )
    # The link leads to the first input of the date (its dag).
    expect(foutlink).to_have_attribute("href", f"#{van.get_by_label('dag').get_attribute('id')}")
    # What was typed stays, to be corrected; no list is shown for filters that do not hold.
    expect(van.get_by_label("dag")).to_have_value("31")
    expect(pagina.get_by_role("table")).to_have_count(0)
    controleer_toegankelijkheid(pagina)

    # A "tot" before the "van": an error of the form, also shown at the field.
    van.get_by_label("dag").fill("10")
    tot = pagina.get_by_role("group", name="Begindatum tot en met")
    tot.get_by_label("dag").fill("01")
    tot.get_by_label("maand").fill("02")
    tot.get_by_label("jaar").fill("2026")
    pagina.get_by_role("button", name="Filteren").click()
    expect(pagina.get_by_role("alert")).to_contain_text(
        "De einddatum van het filter ligt voor de begindatum."
    )
    controleer_toegankelijkheid(pagina)
