"""Step 2 in a real Chromium, as the manual shows it: Actie gewenst appears once a soort is
chosen, and OPTIONEEL follows the answers (Einddatum with 16 uren per 4 weken, Toelichting actie
gewenst with Actie gewenst Nee), exactly where the server then demands the field."""

import datetime

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import controleer_toegankelijkheid, inloggen
from tests.browser.test_wizard_browser import klik, vul_datum
from tests.conftest import VANDAAG

pytestmark = pytest.mark.browser
DAG = datetime.timedelta(days=1)


def test_stap_2_volgt_de_antwoorden(pagina, live_server, live_demo):
    sanne = live_demo.leerlingen["999999989"]
    inloggen(pagina, live_server, "melder")
    pagina.goto(f"{live_server.url}/meldingen/nieuw/{sanne.pk}/")
    klik(pagina, "Verder")  # step 1 as it is
    vul_datum(pagina, "Begindatum", VANDAAG - 7 * DAG)
    klik(pagina, "Verder")

    actie = pagina.get_by_role("group", name="Actie gewenst", exact=True)
    expect(actie).to_be_hidden()
    einddatum_optioneel = pagina.locator(".veld__optioneel[data-verberg-als$='soort=V3|V4']")
    expect(einddatum_optioneel).to_be_visible()

    pagina.get_by_label("16 uren per 4 weken 18-").check()
    expect(actie).to_be_visible()
    expect(einddatum_optioneel).to_be_hidden()  # required with 16 uren per 4 weken
    pagina.get_by_label("Overig verzuim").check()
    expect(einddatum_optioneel).to_be_visible()

    toelichting_optioneel = pagina.locator(
        ".veld__optioneel[data-verberg-als$='actie_gewenst=nee']"
    )
    expect(toelichting_optioneel).to_be_visible()
    actie.get_by_label("Nee").check()
    expect(toelichting_optioneel).to_be_hidden()
    expect(pagina.get_by_role("group", name="Met prioriteit oppakken")).to_be_hidden()
    controleer_toegankelijkheid(pagina)

    # What the page now says is required, the server demands.
    klik(pagina, "Verder")
    expect(pagina.get_by_role("alert")).to_contain_text("Licht toe waarom geen actie gewenst is.")
    expect(toelichting_optioneel).to_be_hidden()
    controleer_toegankelijkheid(pagina)
