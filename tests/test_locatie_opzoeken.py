"""The onderwijslocatie lookup (manual 2.4: the postcode and huisnummer show as soon as the
onderwijslocatiecode is typed): JSON for the script of block Verzuim, only about locaties of
the instelling the user acts for; anything else is one and the same 404."""

from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import OnderwijslocatieFactory

pytestmark = pytest.mark.django_db

BESTAAT_NIET = {"fout": "Deze onderwijslocatie bestaat niet"}


def url(code: str) -> str:
    return reverse("meldingen:locatie", args=[code])


def test_een_locatie_van_de_eigen_instelling(melder_client):
    antwoord = melder_client.get(url("100X001"))
    assert antwoord.status_code == 200
    assert antwoord["Content-Type"] == "application/json"
    assert antwoord.json() == {
        "postcode": "9712HN",
        "huisnummer": 1,
        "tekst": "Postcode 9712HN Huisnummer 1",
    }
    assert "no-store" in antwoord["Cache-Control"]


def test_kleine_letters_mogen(melder_client):
    assert melder_client.get(url("100x001")).json()["postcode"] == "9712HN"


def test_elke_locatie_van_een_aanbieder_van_de_instelling(melder_client, demo):
    aanbieder = demo.instellingen["24GP"].onderwijsaanbieders.get()
    OnderwijslocatieFactory(code="100X002", aanbieder=aanbieder, postcode="9711AB", huisnummer=12)
    assert melder_client.get(url("100X002")).json()["tekst"] == "Postcode 9711AB Huisnummer 12"


def test_een_locatie_van_een_andere_school_bestaat_niet(melder_client, demo):
    # 100X501 is Praktijkschool Het Zuiden's (00BB): for 24GP it does not exist, exactly as
    # a code that no school has.
    for code in ["100X501", "999X999"]:
        antwoord = melder_client.get(url(code))
        assert antwoord.status_code == 404
        assert antwoord.json() == BESTAAT_NIET
    zuid = Client()
    zuid.force_login(demo.gebruikers["melder-zuid"])
    assert zuid.get(url("100X501")).json()["postcode"] == "9202LE"
    assert zuid.get(url("100X001")).json() == BESTAAT_NIET


def test_de_gekozen_instelling_telt_niet_alle_machtigingen(client, demo):
    client.force_login(demo.gebruikers["melder2"])  # 24GP and 00BB
    client.post(reverse("kies_instelling"), {"organisatie": "instelling:24GP"})
    assert client.get(url("100X501")).status_code == 404
    client.post(reverse("kies_instelling"), {"organisatie": "instelling:00BB"})
    assert client.get(url("100X501")).status_code == 200
    assert client.get(url("100X001")).status_code == 404


@pytest.mark.parametrize(
    "code",
    [
        "abc",
        "100X0011",
        "100X00",
        "100A001",
        " 100X001",
        "100X001\n",
        "100X001 OR 1=1",
        "１００X００１",  # full-width digits
        "²00X001",
        "x" * 5000,
        "9" * 5000,
        "%00",
        "\x00",
        "<script>",
        "100X001/",
        "../100X001",
        "a/b/c",
    ],
)
def test_onzin_is_een_404_geen_serverfout(melder_client, code):
    # As the script asks it: the code as one path segment (a "/" in it too).
    melder_client.raise_request_exception = False
    antwoord = melder_client.get(f"/meldingen/locatie/{quote(code, safe='')}/")
    assert antwoord.status_code == 404
    if "\n" not in code:  # no text field sends a newline; Django's own 404 answers it
        assert antwoord.json() == BESTAAT_NIET


def test_alleen_lezen(melder_client):
    assert melder_client.post(url("100X001")).status_code == 405


def test_zonder_inloggen_naar_de_inlogpagina(client, demo):
    antwoord = client.get(url("100X001"))
    assert antwoord.status_code == 302
    assert antwoord["Location"] == f"{reverse('login')}?next={url('100X001')}"


def test_zonder_rol_geen_toegang(demo):
    client = Client()
    client.force_login(demo.gebruikers["zonderrol"])
    antwoord = client.get(url("100X001"))
    assert antwoord.status_code == 403
    assert "9712HN" not in antwoord.content.decode()
