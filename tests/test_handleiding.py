"""Step 2 and 3 as the manual shows them (2.4, 2.5, 2.7): the verzuimsoorten in the manual's
order with its explanation of each and its note on ziekteverzuim; Actie gewenst only once a soort
is chosen; *Voeg dag toe* proposes the next day of the period; the Overzicht lists Telefoon
before E-mail."""

import re
from html import unescape

import pytest

from meldingen.models import VERZUIMSOORT_UITLEG, Verzuimsoort
from tests.conftest import VANDAAG
from tests.wizard_hulp import (
    DAG,
    STANDAARD_BEGIN,
    STANDAARD_EIND,
    beheer,
    lesuren_data,
    periode_data,
    post_stap,
    stap_url,
    tot_overzicht,
    tot_verzuim,
    verzuim_data,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sanne(demo):
    return demo.leerlingen["999999989"]


@pytest.fixture
def lotte(demo):
    return demo.leerlingen["999990019"]  # 19: the 18+ soorten


def stap_2(client, leerling):
    tot_verzuim(client, leerling)
    post_stap(client, leerling, "verzuim", periode_data(STANDAARD_BEGIN, STANDAARD_EIND))
    return unescape(client.get(stap_url(leerling, "verzuim")).content.decode())


def test_soorten_in_de_volgorde_van_de_handleiding(melder_client, sanne, lotte):
    html = stap_2(melder_client, sanne)
    assert re.findall(r'name="verzuim-soort" value="(\w+)"', html) == ["V3", "LRV", "O", "L"]
    html = stap_2(melder_client, lotte)
    assert re.findall(r'name="verzuim-soort" value="(\w+)"', html) == ["V4", "RMC", "O", "L"]


def test_elke_soort_met_de_uitleg_van_de_handleiding(melder_client, sanne):
    html = stap_2(melder_client, sanne)
    for soort in (Verzuimsoort.V3, Verzuimsoort.LRV, Verzuimsoort.OVERIG, Verzuimsoort.LUXE):
        invoer = re.search(rf'<input[^>]*name="verzuim-soort" value="{soort}"[^>]*>', html)
        beschreven = re.search(r'aria-describedby="([^"]+)"', invoer.group(0)).group(1)
        uitleg = re.search(rf'id="{beschreven}">([^<]*)<', html).group(1)
        assert uitleg == VERZUIMSOORT_UITLEG[soort]
    assert "Ziekteverzuim is geoorloofd verzuim: dat meldt u niet" in html


def test_actie_gewenst_pas_na_de_soort(melder_client, sanne):
    html = stap_2(melder_client, sanne)
    # Shown (by the page script) once a soort is chosen, after Soort, Vermoedelijke reden and
    # Toelichting, as in the manual.
    blok = re.search(
        r'<div data-toon-als="verzuim-soort=\*">(.*?)</div>\s*</div>\s*<h2', html, re.S
    )
    assert "Actie gewenst" in blok.group(1) and "Met prioriteit oppakken" in blok.group(1)
    assert html.index("Vermoedelijke reden") < html.index("Actie gewenst")
    # Without a soort, Actie gewenst is not asked: only the soort gets a message.
    data = verzuim_data(STANDAARD_BEGIN, STANDAARD_EIND)
    del data["verzuim-soort"], data["verzuim-actie_gewenst"]
    antwoord = post_stap(melder_client, sanne, "verzuim", data)
    fouten = antwoord.context["form"].errors
    assert "soort" in fouten and "actie_gewenst" not in fouten


def dag_toevoegen(client, leerling, data):
    pagina = client.get(stap_url(leerling, "lesuren"))
    antwoord = client.post(
        stap_url(leerling, "lesuren"), {**beheer(pagina), **data, "actie": "dag_toevoegen"}
    )
    assert antwoord.status_code == 302
    return unescape(client.get(stap_url(leerling, "lesuren")).content.decode())


def datum_in(html: str, index: int) -> tuple[str, ...]:
    """Dag, maand, jaar as the day's inputs show them ('' for an empty input)."""
    delen = []
    for deel in range(3):
        invoer = re.search(
            rf'<input[^>]*name="lesuren-verzuimdagen-{index}-datum_{deel}"[^>]*>', html
        )
        waarde = re.search(r'value="([^"]*)"', invoer.group(0))
        delen.append(waarde.group(1) if waarde else "")
    return tuple(delen)


def test_voeg_dag_toe_stelt_de_volgende_dag_voor(melder_client, sanne):
    tot_overzicht(melder_client, sanne)
    html = dag_toevoegen(
        melder_client, sanne, lesuren_data(**{"lesuren-alle_lessen_gemist": "nee"})
    )
    eerste = STANDAARD_BEGIN
    assert datum_in(html, 0) == (f"{eerste.day:02d}", f"{eerste.month:02d}", str(eerste.year))
    # Voeg toe, then Voeg dag toe again: the day after.
    data = {
        "lesuren-alle_lessen_gemist": "nee",
        "lesuren-verzuimdagen-TOTAL_FORMS": "1",
        "lesuren-verzuimdagen-INITIAL_FORMS": "0",
        "lesuren-verzuimdagen-0-datum_0": str(eerste.day),
        "lesuren-verzuimdagen-0-datum_1": str(eerste.month),
        "lesuren-verzuimdagen-0-datum_2": str(eerste.year),
        "lesuren-verzuimdagen-0-hele_dag": "ja",
    }
    html = dag_toevoegen(melder_client, sanne, data)
    tweede = eerste + DAG
    assert datum_in(html, 1) == (f"{tweede.day:02d}", f"{tweede.month:02d}", str(tweede.year))


def test_na_de_laatste_dag_van_de_periode_geen_voorstel(melder_client, sanne):
    tot_overzicht(melder_client, sanne)
    laatste = STANDAARD_EIND
    data = {
        "lesuren-alle_lessen_gemist": "nee",
        "lesuren-verzuimdagen-TOTAL_FORMS": "1",
        "lesuren-verzuimdagen-INITIAL_FORMS": "0",
        "lesuren-verzuimdagen-0-datum_0": str(laatste.day),
        "lesuren-verzuimdagen-0-datum_1": str(laatste.month),
        "lesuren-verzuimdagen-0-datum_2": str(laatste.year),
        "lesuren-verzuimdagen-0-hele_dag": "ja",
    }
    html = dag_toevoegen(melder_client, sanne, data)
    assert datum_in(html, 1) == ("", "", "")
    assert laatste < VANDAAG


def test_overzicht_noemt_telefoon_voor_e_mail(melder_client, sanne):
    tot_overzicht(melder_client, sanne)
    html = unescape(melder_client.get(stap_url(sanne, "overzicht")).content.decode())
    leerling = html[html.index('id="blok-leerling"') : html.index('id="blok-contactpersonen"')]
    assert leerling.index("<dt>Telefoon</dt>") < leerling.index("<dt>E-mail</dt>")
