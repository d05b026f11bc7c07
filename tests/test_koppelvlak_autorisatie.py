"""The API's URL walk: every endpoint and method of /api/v1, called by every kind of caller —
nobody, a revoked key, a browser user with a session, a koppeling of the other kind of
organisation, a koppeling of another organisation of the right kind — gets 401, 403 or 404 and
nothing of the melding. A new endpoint fails here until it says who it is for."""

import pytest
from django.urls import URLPattern, get_resolver, reverse

from koppelvlak.services import koppeling_aanmaken, koppeling_intrekken
from meldingen.models import Melding
from tests.conftest import Api

SCHOOL, INSTANTIE, BEIDE = "instelling", "instantie", "beide"
OPENBAAR = {"openapi", "docs"}

# Who each endpoint and method is for.
VOOR = {
    ("leerling_zoeken", "post"): SCHOOL,
    ("meldingen", "get"): BEIDE,
    ("meldingen", "post"): SCHOOL,
    ("melding", "get"): BEIDE,
    ("melding", "patch"): SCHOOL,
    ("intrekking", "post"): SCHOOL,
    ("behandeling", "post"): INSTANTIE,
    ("terugkoppeling", "put"): INSTANTIE,
    ("afsluiting", "post"): INSTANTIE,
    ("kennisgeving", "post"): INSTANTIE,
    ("doorsturing", "post"): INSTANTIE,
    ("instanties", "get"): BEIDE,
}


def _koppelvlak():
    resolver = next(
        p for p in get_resolver().url_patterns if getattr(p, "namespace", None) == "koppelvlak"
    )
    for patroon in resolver.url_patterns:
        assert isinstance(patroon, URLPattern)
        view = patroon.callback.cls
        methoden = [m for m in ("get", "post", "put", "patch", "delete") if hasattr(view, m)]
        for methode in methoden:
            yield patroon.name, methode, bool(patroon.pattern.converters)


ENDPOINTS = list(_koppelvlak())


def test_elk_endpoint_zegt_voor_wie_het_is():
    assert {(n, m) for n, m, _ in ENDPOINTS if n not in OPENBAAR} == set(VOOR)


@pytest.fixture
def doel(demo):
    """Sanne's Luxe verzuim: of 24GP, at Gemeente Groningen, Geregistreerd."""
    return Melding.objects.get(leerling__pgn="999999989", soort="L")


def _url(naam, met_nummer, nummer):
    return reverse(f"koppelvlak:{naam}", args=[nummer] if met_nummer else [])


def _roep(api: Api, methode: str, url: str):
    pad = url.removeprefix("/api/v1")
    if methode == "get":
        return api.get(pad)
    return getattr(api, methode)(pad, {"pgn": "999999989"}, **{"If-Match": '"1"'})


@pytest.mark.parametrize(("naam", "methode", "met_nummer"), ENDPOINTS)
def test_zonder_geldige_sleutel_niets(client, demo, doel, naam, methode, met_nummer, settings):
    settings.API_VERZOEKEN_PER_MINUUT = 10_000
    url = _url(naam, met_nummer, doel.nummer)
    if naam in OPENBAAR:
        assert client.get(url).status_code == 200  # the document is public (ADR)
        return
    ingetrokken, sleutel = koppeling_aanmaken(naam="Oud", instelling=demo.instellingen["24GP"])
    koppeling_intrekken(koppeling=ingetrokken)
    for api in (Api(client, None), Api(client, sleutel), Api(client, "x.y")):
        antwoord = _roep(api, methode, url)
        assert antwoord.status_code == 401, (naam, methode)
        assert antwoord["Content-Type"] == "application/problem+json"
        assert "Sanne" not in antwoord.content.decode()
    # A browser session is no key.
    client.force_login(demo.gebruikers["melder"])
    assert _roep(Api(client, None), methode, url).status_code == 401


@pytest.mark.parametrize(("naam", "methode", "met_nummer"), ENDPOINTS)
def test_andere_soort_403_andere_organisatie_404(
    client, demo, doel, naam, methode, met_nummer, settings
):
    if naam in OPENBAAR:
        return
    settings.API_VERZOEKEN_PER_MINUUT = 10_000
    url = _url(naam, met_nummer, doel.nummer)
    koppelingen = {
        SCHOOL: dict(eigen="24GP", ander="00BB"),
        INSTANTIE: dict(eigen="Gemeente Groningen", ander="Gemeente Smallingerland"),
    }

    def api(soort, wie):
        if soort == SCHOOL:
            organisatie = {"instelling": demo.instellingen[koppelingen[SCHOOL][wie]]}
        else:
            organisatie = {"instantie": demo.instanties[koppelingen[INSTANTIE][wie]]}
        _, sleutel = koppeling_aanmaken(naam=f"{soort} {wie}", **organisatie)
        return Api(client, sleutel)

    voor = VOOR[(naam, methode)]
    for soort in (SCHOOL, INSTANTIE):
        if voor not in (soort, BEIDE):
            antwoord = _roep(api(soort, "eigen"), methode, url)
            assert antwoord.status_code == 403, (naam, methode, soort)
            assert "Sanne" not in antwoord.content.decode()
            continue
        if met_nummer:
            antwoord = _roep(api(soort, "ander"), methode, url)
            assert antwoord.status_code == 404, (naam, methode, soort)
            assert "Sanne" not in antwoord.content.decode()
            niets = _url(naam, met_nummer, 99999999)
            assert _roep(api(soort, "eigen"), methode, niets).status_code == 404
        # The organisation's own: past authorisation (whatever the body makes of it).
        eigen = _roep(api(soort, "eigen"), methode, url)
        assert eigen.status_code not in (401, 403, 404), (naam, methode, soort, eigen.content)
