"""Property-based: whatever anyone posts to any form of the Verzuimloket, the answer is never a
server error (5xx). Hypothesis generates the values — any text, control characters, huge
numbers, missing and extra fields — for the field names each page really renders."""

import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meldingen.models import Melding
from tests.wizard_hulp import stap_url, start_url, tot_overzicht

pytestmark = pytest.mark.django_db

VOORBEELDEN = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Values people and attackers type: text of any kind, numbers as text, dates in pieces, the
# formset counts, and the page buttons' values.
WAARDEN = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=400),
    # Longer than any column: every length limit must hold before the database's does.
    st.builds(lambda teken, n: teken * n, st.sampled_from("a9 é\n"), st.integers(100, 5000)),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.sampled_from(
        [
            "",
            "ja",
            "nee",
            "on",
            "0",
            "1",
            "5",
            "6",
            "-1",
            "99999999999",
            "29",
            "2",
            "2026",
            "\x00",
            "regulier",
            "alternatief",
            "anders",
            "V3",
            "LRV",
            "L",
            "100A001",
            "100X001",
            "contactpersoon_toevoegen",
            "contactpersoon_verwijderen_0",
            "dag_toevoegen",
            "dag_opslaan",
            "dag_verwijderen_9",
            "overzicht",
            "verzuim",
        ]
    ),
)


def veldnamen(html: str) -> list[str]:
    """The names of the form fields a page renders (inputs, selects, textareas, buttons)."""
    return sorted(set(re.findall(r'<(?:input|select|textarea|button)[^>]*\sname="([^"]+)"', html)))


def formulier(html: str) -> dict[str, str]:
    """The hidden inputs as rendered (management form, draft id, versie), to start from."""
    velden = {}
    for tag in re.findall(r"<input[^>]*>", html):
        naam = re.search(r'\sname="([^"]+)"', tag)
        waarde = re.search(r'\svalue="([^"]*)"', tag)
        if naam and 'type="hidden"' in tag:
            velden[unescape(naam.group(1))] = unescape(waarde.group(1)) if waarde else ""
    return velden


def gegenereerd(namen: list[str]):
    """Any subset of the names, each with any value; sometimes a name the page never had."""
    return st.fixed_dictionaries(
        {},
        optional={
            **{naam: st.one_of(WAARDEN, st.lists(WAARDEN, max_size=3)) for naam in namen},
            "onbekend": WAARDEN,
        },
    )


def post_zonder_5xx(client: Client, url: str, data: dict):
    client.raise_request_exception = False
    antwoord = client.post(url, data)
    assert antwoord.status_code < 500, (url, data, antwoord.status_code)
    return antwoord


@pytest.fixture
def ingelogd(demo):
    client = Client()
    client.force_login(demo.gebruikers["melder"])
    client.get(reverse("leerlingen:zoeken"))  # chooses the only instelling
    return client


def test_inloggen(client, demo):
    namen = veldnamen(client.get(reverse("login")).content.decode())

    @settings(VOORBEELDEN, max_examples=100)
    @given(data=gegenereerd(namen))
    def eigenschap(data):
        post_zonder_5xx(Client(), reverse("login"), data)
        post_zonder_5xx(Client(), reverse("admin:login"), data)

    eigenschap()


def test_kies_instelling_en_zoeken(demo):
    client = Client()
    client.force_login(demo.gebruikers["melder2"])
    kies = veldnamen(client.get(reverse("kies_instelling")).content.decode())
    client.post(reverse("kies_instelling"), {"organisatie": "instelling:24GP"})
    zoeken = veldnamen(client.get(reverse("leerlingen:zoeken")).content.decode())
    zoek_melding = veldnamen(client.get(reverse("meldingen:zoeken")).content.decode())

    @VOORBEELDEN
    @given(a=gegenereerd(kies), b=gegenereerd(zoeken), c=gegenereerd(zoek_melding))
    def eigenschap(a, b, c):
        post_zonder_5xx(client, reverse("kies_instelling"), a)
        client.post(reverse("kies_instelling"), {"organisatie": "instelling:24GP"})
        post_zonder_5xx(client, reverse("leerlingen:zoeken"), b)
        client.raise_request_exception = False
        antwoord = client.get(reverse("meldingen:zoeken"), c)
        assert antwoord.status_code < 500, c

    eigenschap()


@pytest.mark.parametrize("stap", ["leerling", "verzuim", "lesuren", "acties", "overzicht"])
def test_elke_stap_van_registreren(ingelogd, demo, stap):
    sanne = demo.leerlingen["999999989"]
    tot_overzicht(ingelogd, sanne)
    html = ingelogd.get(stap_url(sanne, stap)).content.decode()
    namen, basis = veldnamen(html), formulier(html)

    @VOORBEELDEN
    @given(data=gegenereerd(namen), met_beheer=st.booleans())
    def eigenschap(data, met_beheer):
        post_zonder_5xx(ingelogd, stap_url(sanne, stap), {**basis, **data} if met_beheer else data)

    eigenschap()
    ingelogd.get(start_url(sanne))


@pytest.mark.parametrize("blok", ["leerling", "verzuim", "lesuren", "acties", "intrekken"])
def test_wijzigen_en_intrekken(ingelogd, demo, blok):
    melding = Melding.objects.get(leerling__pgn="999999989", soort="L")
    url = (
        reverse("meldingen:intrekken", args=[melding.nummer])
        if blok == "intrekken"
        else reverse("meldingen:wijzig", args=[melding.nummer, blok])
    )
    html = ingelogd.get(url).content.decode()
    namen, basis = veldnamen(html), formulier(html)

    @VOORBEELDEN
    @given(data=gegenereerd(namen), met_versie=st.booleans())
    def eigenschap(data, met_versie):
        post_zonder_5xx(ingelogd, url, {**basis, **data} if met_versie else data)

    eigenschap()
