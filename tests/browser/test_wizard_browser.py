"""The registration wizard in a real Chromium: `melder` looks up 999999989, fills
all six steps by their labels, and finds the new melding in the Leerling overzicht. On every
page, also pages showing errors, axe-core reports zero WCAG 2.1 AA violations."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from meldingen.models import Melding
from tests.browser.conftest import controleer_toegankelijkheid, inloggen
from tests.conftest import VANDAAG

pytestmark = pytest.mark.browser
DAG = datetime.timedelta(days=1)


def vul_datum(pagina, groep: str, datum: datetime.date, binnen=None):
    veld = (binnen or pagina).get_by_role("group", name=groep, exact=True)
    veld.get_by_label("dag").fill(str(datum.day))
    veld.get_by_label("maand").fill(str(datum.month))
    veld.get_by_label("jaar").fill(str(datum.year))


def klik(pagina, knop: str):
    with pagina.expect_navigation():
        pagina.get_by_role("button", name=knop, exact=True).click()


def kop(pagina, stap: int, titel: str):
    expect(pagina.get_by_role("heading", level=1)).to_have_text(titel)
    expect(pagina.get_by_text(f"Stap {stap} van 6 - Verzuimmelding registreren")).to_be_visible()


def test_melding_registreren_in_zes_stappen(pagina, live_server, live_demo):
    begin, eind = VANDAAG - 7 * DAG, VANDAAG - 5 * DAG
    inloggen(pagina, live_server, "melder")
    pagina.get_by_label("Persoonsgebonden nummer").fill("999999989")
    klik(pagina, "Zoeken")
    expect(pagina.get_by_role("heading", level=1)).to_have_text("Leerling overzicht")
    with pagina.expect_navigation():
        pagina.get_by_role("link", name="Registreer nieuwe melding").click()

    # Stap 1: Leerling
    kop(pagina, 1, "Leerling")
    expect(pagina.get_by_text("Ter informatie")).to_be_visible()
    controleer_toegankelijkheid(pagina)
    pagina.get_by_label("E-mail").fill("sanne@example.nl")
    pagina.get_by_label("Telefoon").fill("06-12345678")
    pagina.get_by_role("button", name="Contactpersoon toevoegen").click()  # a dialog
    contactpersoon = pagina.get_by_role("dialog", name="Contactpersoon toevoegen")
    contactpersoon.get_by_label("Relatie tot leerling").fill("Moeder")
    klik(pagina, "Toevoegen")
    expect(contactpersoon).to_contain_text("Vul de naam in.")
    expect(pagina).to_have_title(re.compile("^Fout: "))
    controleer_toegankelijkheid(pagina)
    contactpersoon.get_by_label("Naam").fill("Ineke de Vries")
    klik(pagina, "Toevoegen")
    expect(pagina.get_by_role("row").filter(has_text="Ineke de Vries")).to_contain_text("Moeder")
    afwijkend = pagina.get_by_role("group", name="Heeft deze leerling een afwijkend adres?")
    afwijkend.get_by_label("Ja").check()
    pagina.get_by_role("group", name="Soort adres").get_by_label("Alternatief").check()
    expect(pagina.get_by_label("Straatnaam")).to_be_hidden()
    pagina.get_by_label("Aanduiding locatie").fill("Woonboot bij de Noorderhaven")
    pagina.get_by_label("Plaatsnaam").fill("Groningen")
    klik(pagina, "Verder")

    # Stap 2: Verzuim, first the period only
    kop(pagina, 2, "Verzuim")
    expect(pagina.get_by_label("Instellingscode")).to_have_value("24GP")
    expect(pagina.get_by_text("Vermoedelijke reden")).to_have_count(0)
    controleer_toegankelijkheid(pagina)
    vul_datum(pagina, "Begindatum", VANDAAG - 59 * DAG)
    klik(pagina, "Verder")
    expect(pagina.get_by_role("alert")).to_contain_text("valt (deels) samen met melding")
    controleer_toegankelijkheid(pagina)
    vul_datum(pagina, "Begindatum", begin)
    vul_datum(pagina, "OPTIONEEL Einddatum", eind)
    klik(pagina, "Verder")
    kop(pagina, 2, "Verzuim")
    expect(pagina.get_by_label("Onderwijsaanbiedercode")).to_have_value("100A001")
    expect(pagina.get_by_label("Onderwijslocatiecode")).to_have_value("100X001")
    expect(pagina.get_by_text("Postcode 9712HN Huisnummer 1")).to_be_visible()
    controleer_toegankelijkheid(pagina)
    pagina.get_by_label("Overig verzuim").check()
    pagina.get_by_label("Vermoedelijke reden").fill("afwezig vanwege ziekte")
    pagina.get_by_role("group", name="Actie gewenst").get_by_label("Ja").check()
    pagina.get_by_role("group", name="Met prioriteit oppakken").get_by_label("Ja").check()
    pagina.get_by_label("Naam", exact=True).fill("Kees Smit")
    pagina.get_by_label("Functie").fill("Verzuimcoördinator")
    pagina.get_by_label("E-mail", exact=True).fill("kees@school.example.nl")
    klik(pagina, "Verder")

    # Stap 3: Lesuren
    kop(pagina, 3, "Lesuren")
    expect(pagina.get_by_text("Gekozen verzuimperiode: van 09-03-2026 tot en met 11-03-2026"))
    pagina.get_by_role("group", name="Alle lessen gemist").get_by_label("Nee").check()
    klik(pagina, "Voeg dag toe")
    dag = pagina.get_by_role("group", name="Verzuimdag 1")
    vul_datum(pagina, "Datum", begin, binnen=dag)
    dag.get_by_role("group", name="Hele dag").get_by_label("Nee").check()
    klik(pagina, "Voeg toe")
    expect(pagina.get_by_role("alert")).to_contain_text("Kies minimaal één lesuur.")
    controleer_toegankelijkheid(pagina)
    dag = pagina.get_by_role("group", name="Verzuimdag 1")
    lesuren = dag.get_by_role("group", name="Lesuren")
    lesuren.get_by_label("1", exact=True).check()
    lesuren.get_by_label("2", exact=True).check()
    klik(pagina, "Voeg toe")
    expect(pagina.get_by_role("cell", name="1, 2")).to_be_visible()
    controleer_toegankelijkheid(pagina)
    klik(pagina, "Verder")

    # Stap 4: Acties school
    kop(pagina, 4, "Acties school")
    controleer_toegankelijkheid(pagina)
    pagina.get_by_label("Brief gestuurd").check()
    pagina.get_by_label("Gesprek met ouder/verzorger").check()
    klik(pagina, "Verder")

    # Stap 5: Overzicht, with a round trip through Wijzig
    kop(pagina, 5, "Overzicht")
    controleer_toegankelijkheid(pagina)
    with pagina.expect_navigation():
        pagina.get_by_role("link", name="Wijzig acties door school").click()
    pagina.get_by_label("Toelichting ondernomen acties").fill("Brief aan ouders verstuurd")
    klik(pagina, "Verder")
    kop(pagina, 5, "Overzicht")
    expect(pagina.get_by_text("Brief aan ouders verstuurd")).to_be_visible()
    expect(pagina.get_by_text("Woonboot bij de Noorderhaven")).to_be_visible()
    pagina.get_by_label("Stuur e-mail naar melder").check()
    klik(pagina, "Registreren")

    # Stap 6: Bevestiging
    expect(pagina.get_by_role("heading", level=1)).to_have_text("Bevestiging")
    expect(pagina.get_by_text("Stap 6 van 6 - Verzuimmelding registreren")).to_be_visible()
    expect(pagina.get_by_role("status")).to_contain_text(
        "Gelukt De verzuimmelding is succesvol geregistreerd."
    )
    controleer_toegankelijkheid(pagina)
    melding = Melding.objects.get(leerling=live_demo.leerlingen["999999989"], melddatum=VANDAAG)
    assert melding.met_prioriteit is True
    assert melding.stuur_email_naar_melder is True
    assert [(d.datum, d.lesuren) for d in melding.verzuimdagen.all()] == [(begin, [1, 2])]
    with pagina.expect_navigation():
        pagina.get_by_role("link", name="Naar leerling overzicht").click()
    expect(pagina.get_by_role("heading", level=1)).to_have_text("Leerling overzicht")
    rij = pagina.get_by_role("row").filter(has_text=str(melding.nummer))
    expect(rij).to_contain_text("Overig verzuim")
    expect(rij).to_contain_text("Geregistreerd")
    expect(rij).to_contain_text("09-03-2026")
    expect(rij).to_contain_text("11-03-2026")
