"""Wording and format on the pages: a warning says "Let op" once, dag and maand stay two digits
after a round trip, the instelling is written "code – naam", every back link names the page
it returns to, and the footer."""

import re
from html import unescape
from urllib.parse import quote

import pytest
from django.urls import reverse

from meldingen.models import Verzuimsoort
from tests.conftest import VANDAAG
from tests.wizard_hulp import (
    DAG,
    beheer,
    periode_data,
    post_stap,
    stap_url,
    tot_overzicht,
    tot_verzuim,
    verzuim_data,
)

pytestmark = pytest.mark.django_db

INSTELLING = "24GP – Scholengemeenschap De Grote Markt"


def tekst(antwoord) -> str:
    """The page's text, tags removed and whitespace collapsed."""
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", antwoord.content.decode(), flags=re.S)
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))).strip()


def terug_link(antwoord) -> tuple[str, str]:
    """(href, text) of the page's back link."""
    html = antwoord.content.decode()
    gevonden = re.findall(r'<a class="terug-link" href="([^"]*)">(.*?)</a>', html)
    assert len(gevonden) == 1, gevonden
    href, inhoud = gevonden[0]
    return unescape(href), unescape(re.sub(r"<[^>]+>", "", inhoud))


@pytest.fixture
def sanne(demo):
    return demo.leerlingen["999999989"]


@pytest.fixture
def luxe(sanne):
    return sanne.meldingen.get(soort=Verzuimsoort.LUXE)


# --- "Let op" once -----------------------------------------------------------------------------

LANG = {"begindatum": VANDAAG - 40 * DAG, "einddatum": VANDAAG - 5 * DAG}


def test_let_op_eenmaal_in_de_melding_na_stap_2(melder_client, sanne):
    tot_verzuim(melder_client, sanne)
    post_stap(melder_client, sanne, "verzuim", periode_data(**LANG))
    antwoord = post_stap(
        melder_client, sanne, "verzuim", verzuim_data(**LANG, **{"verzuim-soort": "V3"})
    )
    assert antwoord.status_code == 302
    pagina = tekst(melder_client.get(antwoord["Location"]))
    assert "Let op: de verzuimperiode is langer dan 28 dagen." in pagina
    assert pagina.count("Let op") == 1


def test_let_op_eenmaal_op_het_overzicht(melder_client, sanne):
    tot_overzicht(
        melder_client, sanne, **LANG, verzuim=verzuim_data(**LANG, **{"verzuim-soort": "V3"})
    )
    pagina = tekst(melder_client.get(stap_url(sanne, "overzicht")))
    assert "Let op: de verzuimperiode is langer dan 28 dagen." in pagina
    assert pagina.count("Let op") == 1


def test_een_waarschuwing_zonder_let_op_krijgt_de_titel(rf, demo):
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.template.loader import render_to_string

    verzoek = rf.get("/")
    verzoek.user = demo.gebruikers["melder"]
    verzoek.instelling = None
    verzoek.session = {}
    opslag = FallbackStorage(verzoek)
    opslag.add(30, "Controleer de einddatum.")  # messages.WARNING
    verzoek._messages = opslag
    html = render_to_string("base.html", request=verzoek)
    assert re.search(r"<strong>Let op</strong>\s*<p>Controleer de einddatum.</p>", html)


# --- dag and maand in two digits -----------------------------------------------------------


def datumwaarden(antwoord, veld: str) -> list[str]:
    html = antwoord.content.decode()
    return [
        re.search(rf'name="{veld}_{i}"[^>]*value="([^"]*)"', html).group(1)
        if re.search(rf'name="{veld}_{i}"[^>]*value="', html)
        else ""
        for i in range(3)
    ]


def test_dag_en_maand_met_voorloopnul_na_een_rondgang(melder_client, sanne):
    begin = VANDAAG - 7 * DAG  # 09-03-2026
    tot_verzuim(melder_client, sanne)
    pagina = melder_client.get(stap_url(sanne, "verzuim"))
    getypt = {
        "verzuim-begindatum_0": "9",
        "verzuim-begindatum_1": "3",
        "verzuim-begindatum_2": "2026",
        "verzuim-einddatum_0": "x1",  # not a number: stays as typed
        "verzuim-einddatum_1": "123",
        "verzuim-einddatum_2": "2026",
    }
    # Submitted strings, shown again with the error.
    antwoord = melder_client.post(stap_url(sanne, "verzuim"), {**beheer(pagina), **getypt})
    assert antwoord.status_code == 200
    assert datumwaarden(antwoord, "verzuim-begindatum") == ["09", "03", "2026"]
    assert datumwaarden(antwoord, "verzuim-einddatum") == ["x1", "123", "2026"]

    # From the stored date, once the period is accepted.
    antwoord = post_stap(melder_client, sanne, "verzuim", periode_data(begin))
    assert antwoord.status_code == 302
    antwoord = melder_client.get(stap_url(sanne, "verzuim"))
    assert datumwaarden(antwoord, "verzuim-begindatum") == ["09", "03", "2026"]

    # Vorige stores what was typed ("9", "3"); coming back shows it in two digits.
    antwoord = post_stap(
        melder_client, sanne, "verzuim", {**verzuim_data(begin), "wizard_goto_step": "leerling"}
    )
    assert antwoord.status_code == 302
    antwoord = melder_client.get(stap_url(sanne, "verzuim"))
    assert datumwaarden(antwoord, "verzuim-begindatum") == ["09", "03", "2026"]


# --- the instelling: "code – naam" ------------------------------------------------------------


def test_instelling_in_de_kop(melder_client):
    pagina = tekst(melder_client.get(reverse("leerlingen:zoeken")))
    assert f"Instelling {INSTELLING}" in pagina


def test_instelling_bij_kies_instellingscode(client, demo):
    client.force_login(demo.gebruikers["melder2"])
    pagina = tekst(client.get(reverse("kies_instelling")))
    assert INSTELLING in pagina
    assert "00BB – Praktijkschool Het Zuiden" in pagina


def test_instelling_in_de_keuzelijst_van_zoek_melding(melder_client):
    html = melder_client.get(reverse("meldingen:zoeken")).content.decode()
    assert f'<option value="24GP">{INSTELLING}</option>' in html


# --- back links name the page they return to --------------------------------------------------


def test_terug_van_leerling_overzicht_naar_zoeken(melder_client, sanne):
    antwoord = melder_client.get(reverse("meldingen:leerling_overzicht", args=[sanne.pk]))
    assert terug_link(antwoord) == (reverse("leerlingen:zoeken"), "← Terug naar zoeken")


def test_terug_van_een_stap_naar_leerling_overzicht(melder_client, sanne):
    tot_verzuim(melder_client, sanne)
    href, tekst_ = terug_link(melder_client.get(stap_url(sanne, "verzuim")))
    assert tekst_ == "← Terug naar leerling overzicht"
    assert melder_client.get(href).url == reverse("meldingen:leerling_overzicht", args=[sanne.pk])


def test_terug_van_melding_details(melder_client, luxe):
    detail = reverse("meldingen:detail", args=[luxe.nummer])
    overzicht = reverse("meldingen:leerling_overzicht", args=[luxe.leerling_id])
    zoeken = "/meldingen/zoeken/?instellingscode=24GP"
    assert terug_link(melder_client.get(detail)) == (overzicht, "← Terug naar leerling overzicht")
    assert terug_link(melder_client.get(f"{detail}?terug={quote(zoeken)}")) == (
        zoeken,
        "← Terug naar meldingenoverzicht",
    )


@pytest.mark.parametrize("pagina", ["wijzig", "intrekken"])
def test_terug_van_wijzig_en_intrekken_naar_melding_details(melder_client, luxe, pagina):
    args = [luxe.nummer, "verzuim"] if pagina == "wijzig" else [luxe.nummer]
    url = reverse(f"meldingen:{pagina}", args=args)
    detail = reverse("meldingen:detail", args=[luxe.nummer])
    assert terug_link(melder_client.get(url)) == (detail, "← Terug naar melding details")


# --- footer ---------------------------------------------------------------------------------


def test_voettekst(melder_client):
    pagina = tekst(melder_client.get(reverse("leerlingen:zoeken")))
    assert (
        "Dit verzuimloket volgt de Handleiding verzuimloket van Dienst Uitvoering Onderwijs "
        "(versie 19.0, maart 2025)."
    ) in pagina
    assert (
        "Hebt u vragen? Bel het Informatiepunt Onderwijs op 050-599 90 00 (van 9.00 tot 13.00 "
        "uur) of mail naar verzuim@duo.nl ."  # the space: where tekst() removed </a>
    ) in pagina
