"""Onderwijslocatiecode (manual 2.4): the postcode and huisnummer of the locatie show as soon as
the code is typed (the field loses focus), without Verder, in step 2 and on the Wijzig page of
block Verzuim; a code of no locatie of the user's instelling gets "Deze onderwijslocatie bestaat
niet". A polite live region reads the text out.

The page's markup this needs: the address element under the field is always rendered (hidden
while empty) and names the lookup and the field:
`<p class="veld__hint" id="locatie-adres" data-locatie-url="/meldingen/locatie/CODE/"
data-locatie-veld="id_verzuim-locatie" aria-live="polite">`."""

import pytest
from playwright.sync_api import expect

from leerlingen.models import Onderwijsaanbieder
from meldingen.models import Verzuimsoort
from tests.browser.conftest import controleer_toegankelijkheid, inloggen
from tests.browser.test_wizard_browser import klik, vul_datum
from tests.conftest import VANDAAG
from tests.factories import OnderwijslocatieFactory
from tests.wizard_hulp import DAG

pytestmark = pytest.mark.browser


@pytest.fixture
def tweede_locatie(live_demo):
    """A second locatie of 24GP's onderwijsaanbieder."""
    return OnderwijslocatieFactory(
        code="100X002",
        aanbieder=Onderwijsaanbieder.objects.get(code="100A001"),
        postcode="9711AB",
        huisnummer=12,
    )


def typ_code(pagina, code: str):
    veld = pagina.get_by_label("Onderwijslocatiecode")
    veld.fill(code)
    veld.press("Tab")  # the field loses focus: the lookup starts


def controleer_opzoeken(pagina, begin: str):
    adres = pagina.locator("#locatie-adres")
    expect(adres).to_have_text(begin)
    expect(adres).to_have_attribute("aria-live", "polite")
    url = pagina.url
    with pagina.expect_response(lambda antwoord: "/meldingen/locatie/" in antwoord.url):
        typ_code(pagina, "100x002")
    expect(adres).to_have_text("Postcode 9711AB Huisnummer 12")
    controleer_toegankelijkheid(pagina)
    # Another school's locatie, and what is no code at all, exist no more than an unknown one.
    for code in ["100X501", "999X999", "onzin/../x"]:
        typ_code(pagina, code)
        expect(adres).to_have_text("Deze onderwijslocatie bestaat niet")
    typ_code(pagina, "")
    expect(adres).to_have_text("")
    typ_code(pagina, "100X001")
    expect(adres).to_have_text("Postcode 9712HN Huisnummer 1")
    assert pagina.url == url  # no round trip
    controleer_toegankelijkheid(pagina)


def test_stap_2(pagina, live_server, live_demo, tweede_locatie):
    inloggen(pagina, live_server, "melder")
    pagina.goto(f"{live_server.url}/meldingen/nieuw/{live_demo.leerlingen['999999989'].pk}/")
    klik(pagina, "Verder")
    vul_datum(pagina, "Begindatum", VANDAAG - 7 * DAG)
    vul_datum(pagina, "OPTIONEEL Einddatum", VANDAAG - 5 * DAG)
    klik(pagina, "Verder")
    expect(pagina.get_by_label("Onderwijslocatiecode")).to_have_value("100X001")
    controleer_opzoeken(pagina, "Postcode 9712HN Huisnummer 1")


def test_wijzigpagina_verzuim(pagina, live_server, live_demo, tweede_locatie):
    luxe = live_demo.leerlingen["999999989"].meldingen.get(soort=Verzuimsoort.LUXE)
    inloggen(pagina, live_server, "melder")
    pagina.goto(f"{live_server.url}/meldingen/{luxe.nummer}/wijzig/verzuim/")
    controleer_opzoeken(pagina, "Postcode 9712HN Huisnummer 1")
    # Wijzigen stores the locatie that was shown.
    typ_code(pagina, "100X002")
    expect(pagina.locator("#locatie-adres")).to_have_text("Postcode 9711AB Huisnummer 12")
    klik(pagina, "Wijzigen")
    luxe.refresh_from_db()
    assert luxe.locatie_id == "100X002"
