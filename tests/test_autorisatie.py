"""Login landing per demo user, the choice and switch of organisation, and the scoping of EVERY
URL by `OrganisatieMiddleware`, for both kinds of users: the school's verzuimloketmelder and the
uitvoerende instantie's behandelaar."""

import re
from html import unescape

import pytest
from django.contrib.auth.models import Permission
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from leerlingen.autorisatie import (
    INSTANTIE,
    INSTELLING,
    SESSIE_SLEUTEL,
    organisaties_van,
    rol_verzuimloketmelder,
)
from leerlingen.models import UitvoerendeInstantie
from meldingen.models import Melding
from tests.factories import GebruikerFactory

WACHTWOORD = "verzuimloket-demo"
GEEN_TOEGANG = "Geen toegang tot het verzuimloket"

pytestmark = pytest.mark.django_db


def inloggen(client, gebruikersnaam):
    return client.post(
        reverse("login"),
        {"username": gebruikersnaam, "password": WACHTWOORD},
        follow=True,
    )


def eindpunt(antwoord) -> str:
    return (
        antwoord.redirect_chain[-1][0] if antwoord.redirect_chain else antwoord.request["PATH_INFO"]
    )


# --- Landing after login ---------------------------------------------------------------------


def test_melder_met_een_machtiging_gaat_direct_naar_zoek_leerling(client, demo):
    antwoord = inloggen(client, "melder")
    assert antwoord.status_code == 200
    assert eindpunt(antwoord) == reverse("leerlingen:zoeken")
    assert client.session[SESSIE_SLEUTEL] == "instelling:24GP"
    html = unescape(antwoord.content.decode())
    assert "Kies instellingscode" not in html
    assert "Ingelogd als <strong>melder</strong>" in html
    assert "Instelling <strong>24GP</strong>" in html


def test_melder2_kiest_een_instelling_en_kan_wisselen(client, demo):
    antwoord = inloggen(client, "melder2")
    assert eindpunt(antwoord) == reverse("kies_instelling")
    html = unescape(antwoord.content.decode())
    assert "<h1>Kies instellingscode</h1>" in html
    assert "24GP – Scholengemeenschap De Grote Markt" in html
    assert "00BB – Praktijkschool Het Zuiden" in html
    assert SESSIE_SLEUTEL not in client.session

    # Without a choice, the school pages send melder2 back to the choice.
    antwoord = client.get(reverse("leerlingen:zoeken"))
    assert antwoord.status_code == 302
    assert antwoord["Location"].startswith(reverse("kies_instelling"))

    antwoord = client.post(
        reverse("kies_instelling"), {"organisatie": "instelling:00BB"}, follow=True
    )
    assert eindpunt(antwoord) == reverse("leerlingen:zoeken")
    assert client.session[SESSIE_SLEUTEL] == "instelling:00BB"
    assert "Instelling <strong>00BB</strong>" in antwoord.content.decode()

    # Switch: the header link leads back to the choice, with the current one preselected.
    antwoord = client.get(reverse("kies_instelling"))
    assert antwoord.status_code == 200
    radio = r'<input type="radio"[^>]*value="([\w:]+)"[^>]*checked'
    assert re.findall(radio, antwoord.content.decode()) == ["instelling:00BB"]
    antwoord = client.post(
        reverse("kies_instelling"), {"organisatie": "instelling:24GP"}, follow=True
    )
    assert client.session[SESSIE_SLEUTEL] == "instelling:24GP"
    assert "Instelling <strong>24GP</strong>" in antwoord.content.decode()


def test_kies_instelling_weigert_een_instelling_zonder_machtiging(client, demo):
    from tests.factories import InstellingFactory

    InstellingFactory(instellingscode="11AA", naam="Andere school")
    inloggen(client, "melder2")
    antwoord = client.post(reverse("kies_instelling"), {"organisatie": "instelling:11AA"})
    assert antwoord.status_code == 200
    assert "Kies een instellingscode waarvoor u gemachtigd bent." in antwoord.content.decode()
    assert SESSIE_SLEUTEL not in client.session


def test_gekozen_instelling_uit_de_sessie_zonder_machtiging_telt_niet(client, demo):
    """A session value is not trusted: only a code the user still holds a machtiging for."""
    client.force_login(demo.gebruikers["melder"])
    sessie = client.session
    sessie[SESSIE_SLEUTEL] = "instelling:00BB"
    sessie.save()
    antwoord = client.get(reverse("leerlingen:zoeken"))
    assert antwoord.status_code == 200
    assert antwoord.wsgi_request.instelling.instellingscode == "24GP"


def test_kies_instelling_volgt_alleen_een_lokale_next(client, demo):
    inloggen(client, "melder2")
    antwoord = client.post(
        reverse("kies_instelling"),
        {"organisatie": "instelling:24GP", "next": "https://example.com/"},
    )
    assert antwoord["Location"] == reverse("leerlingen:zoeken")


def test_met_een_machtiging_slaat_kies_instelling_over(client, demo):
    client.force_login(demo.gebruikers["melder"])
    antwoord = client.get(reverse("kies_instelling"))
    assert antwoord.status_code == 302
    assert antwoord["Location"] == reverse("leerlingen:zoeken")


def test_na_inloggen_en_kiezen_terug_naar_de_gevraagde_pagina(client, demo):
    leerling = demo.leerlingen["999999989"]
    gevraagd = reverse("meldingen:leerling_overzicht", args=[leerling.pk])
    antwoord = client.get(gevraagd)
    assert antwoord["Location"] == f"{reverse('login')}?next={gevraagd}"
    antwoord = client.post(
        antwoord["Location"],
        {"username": "melder2", "password": WACHTWOORD, "next": gevraagd},
        follow=True,
    )
    assert eindpunt(antwoord).startswith(reverse("kies_instelling"))
    antwoord = client.post(
        eindpunt(antwoord), {"organisatie": "instelling:24GP", "next": gevraagd}, follow=True
    )
    assert eindpunt(antwoord) == gevraagd
    assert "Sanne de Vries" in antwoord.content.decode()


def test_melder_zuid_landt_bij_00BB(client, demo):
    antwoord = inloggen(client, "melder-zuid")
    assert eindpunt(antwoord) == reverse("leerlingen:zoeken")
    assert client.session[SESSIE_SLEUTEL] == "instelling:00BB"
    assert "Instelling <strong>00BB</strong>" in antwoord.content.decode()


def test_zonderrol_krijgt_403_met_nederlandse_uitleg_en_verder_niets(client, demo):
    antwoord = inloggen(client, "zonderrol")
    assert antwoord.status_code == 403
    html = unescape(antwoord.content.decode())
    assert GEEN_TOEGANG in html
    assert "U heeft de rol 'verzuimloketmelder' of 'behandelaar' niet." in html
    assert "Uitloggen" in html
    # Nothing else of the app: no tabs, no instelling, no search form, no data.
    assert "Zoek leerling" not in html
    assert "Zoek melding" not in html
    assert "Wissel instelling" not in html
    assert "24GP" not in html
    assert 'name="pgn"' not in html
    assert SESSIE_SLEUTEL not in client.session


def test_rol_zonder_machtiging_krijgt_403(client, demo):
    gebruiker = GebruikerFactory(melder=True)
    client.force_login(gebruiker)
    antwoord = client.get(reverse("leerlingen:zoeken"))
    assert antwoord.status_code == 403
    html = unescape(antwoord.content.decode())
    assert GEEN_TOEGANG in html
    assert "U bent voor geen enkele instellingscode of uitvoerende instantie gemachtigd." in html
    assert 'name="pgn"' not in html


def test_beheerder_landt_in_het_beheer(client, demo):
    antwoord = inloggen(client, "beheerder")
    assert eindpunt(antwoord) == reverse("admin:index")
    assert antwoord.status_code == 200
    assert "Verzuimloket — beheer" in antwoord.content.decode()


def test_uitloggen(client, demo):
    inloggen(client, "melder")
    antwoord = client.post(reverse("logout"))
    assert antwoord.status_code == 302
    assert antwoord["Location"] == reverse("login")
    antwoord = client.get(reverse("leerlingen:zoeken"))
    assert antwoord.status_code == 302
    assert antwoord["Location"].startswith(reverse("login"))


# --- Every URL of the project is scoped ------------------------------------------------------

# Public on purpose: logging in and out, and the load balancer's health checks (which show
# nothing but "ok" or why not: tests/test_productie.py).
UITGEZONDERD = {"login", "logout", "gezond_leeft", "gezond_klaar"}
VOORBEELDWAARDEN = {"blok": "verzuim", "step": "leerling", "actie": "in_behandeling_nemen"}


def _alle_urls(patronen=None, namespace=""):
    """(name, url) of every named URL pattern, with sample values for its arguments."""
    if patronen is None:
        patronen = get_resolver().url_patterns
    for patroon in patronen:
        if isinstance(patroon, URLResolver):
            if patroon.app_name in ("admin", "koppelvlak"):
                continue  # their own checks: the staff login, and the API's walk by koppeling
            ns = f"{namespace}{patroon.namespace}:" if patroon.namespace else namespace
            yield from _alle_urls(patroon.url_patterns, ns)
        elif isinstance(patroon, URLPattern):
            assert patroon.name, f"URL-patroon zonder naam: {patroon.pattern}"
            naam = f"{namespace}{patroon.name}"
            if naam in UITGEZONDERD:
                continue
            kwargs = {}
            for argument, converter in patroon.pattern.converters.items():
                # The first sample the converter accepts (int, custom, str converters).
                kandidaten = [VOORBEELDWAARDEN.get(argument), "4000000", "1", "x"]
                kwargs[argument] = next(
                    waarde
                    for waarde in kandidaten
                    if waarde is not None and re.fullmatch(converter.regex, waarde)
                )
            yield naam, reverse(naam, kwargs=kwargs)


ALLE_URLS = list(_alle_urls())


def test_de_lijst_van_urls_is_compleet():
    namen = {naam for naam, _ in ALLE_URLS}
    assert {
        "kies_instelling",
        "leerlingen:zoeken",
        "meldingen:leerling_overzicht",
        "meldingen:zoeken",
        "meldingen:detail",
        "meldingen:wijzig",
        "meldingen:intrekken",
        "meldingen:registreren_start",
        "meldingen:registreren",
        "meldingen:registreren_bevestiging",
        "behandeling:werkvoorraad",
        "behandeling:melding",
        "behandeling:actie",
    } <= namen


def _soort(url: str) -> str:
    """Which kind of organisation a URL is for (school views unless marked otherwise)."""
    return getattr(resolve(url).func, "verzuimloket_voor", INSTELLING)


@pytest.mark.parametrize(("naam", "url"), ALLE_URLS, ids=[naam for naam, _ in ALLE_URLS])
@pytest.mark.parametrize("methode", ["get", "post"])
def test_elke_url_is_afgeschermd(client, demo, naam, url, methode):
    # Anonymous: to the login page, with the way back.
    antwoord = getattr(client, methode)(url)
    assert antwoord.status_code == 302, naam
    assert antwoord["Location"].startswith(reverse("login") + "?next="), naam

    # Logged in without the role.
    client.force_login(demo.gebruikers["zonderrol"])
    antwoord = getattr(client, methode)(url)
    assert antwoord.status_code == 403, naam
    assert GEEN_TOEGANG in antwoord.content.decode()

    # The role but no machtiging, of either kind.
    for rol in ({"melder": True}, {"behandelaar": True}):
        client.force_login(GebruikerFactory(**rol))
        antwoord = getattr(client, methode)(url)
        assert antwoord.status_code == 403, naam
        assert GEEN_TOEGANG in antwoord.content.decode()


# Users who may act only for the other kind of organisation than the URL is for.
ANDERE_SOORT = {INSTELLING: "lpa-groningen", INSTANTIE: "melder"}
NIET_VOOR_U = {
    INSTELLING: "Deze pagina is voor onderwijsinstellingen",
    INSTANTIE: "Deze pagina is voor uitvoerende instanties",
}


@pytest.mark.parametrize(("naam", "url"), ALLE_URLS, ids=[naam for naam, _ in ALLE_URLS])
@pytest.mark.parametrize("methode", ["get", "post"])
def test_elke_url_is_alleen_voor_zijn_soort_organisatie(client, demo, naam, url, methode):
    if naam == "kies_instelling":  # the choice itself is for both kinds
        return
    soort = _soort(url)
    client.force_login(demo.gebruikers[ANDERE_SOORT[soort]])
    antwoord = getattr(client, methode)(url)
    assert antwoord.status_code == 403, naam
    assert NIET_VOOR_U[soort] in unescape(antwoord.content.decode()), naam
    assert "Sanne de Vries" not in antwoord.content.decode()

    # Who holds both kinds but acts for the other one now chooses first, then comes back.
    client.force_login(demo.gebruikers["lpa-en-melder"])
    sessie = client.session
    sessie[SESSIE_SLEUTEL] = (
        "instelling:24GP"
        if soort == INSTANTIE
        else f"instantie:{UitvoerendeInstantie.objects.get(naam='Gemeente Groningen').pk}"
    )
    sessie.save()
    antwoord = getattr(client, methode)(url)
    assert antwoord.status_code == 302, naam
    assert antwoord["Location"].startswith(reverse("kies_instelling") + "?next="), naam


# For each kind, a user of another organisation of the same kind: every URL about one melding
# is a 404 for them, exactly as for a melding that does not exist.
VREEMDE = {INSTELLING: "melder-zuid", INSTANTIE: "lpa-smallingerland"}
EIGEN = {INSTELLING: "melder", INSTANTIE: "lpa-groningen"}
MELDING_URLS = [(naam, url) for naam, url in ALLE_URLS if "nummer" in resolve(url).kwargs]


def test_er_zijn_melding_urls_van_beide_soorten():
    assert {_soort(url) for _, url in MELDING_URLS} == {INSTELLING, INSTANTIE}


@pytest.mark.parametrize(("naam", "url"), MELDING_URLS, ids=[naam for naam, _ in MELDING_URLS])
@pytest.mark.parametrize("methode", ["get", "post"])
def test_een_melding_van_een_ander_is_een_404(client, demo, naam, url, methode):
    # Sanne's luxe verzuim: school 24GP, Gemeente Groningen, Geregistreerd.
    melding = Melding.objects.get(leerling__pgn="999999989", status="R")
    assert melding.instelling_id == "24GP"
    assert melding.uitvoerende_instantie.naam == "Gemeente Groningen"
    kwargs = {**resolve(url).kwargs, "nummer": melding.nummer}
    if "leerling_pk" in kwargs:
        kwargs["leerling_pk"] = melding.leerling_id
    url = reverse(naam, kwargs=kwargs)
    client.force_login(demo.gebruikers[VREEMDE[_soort(url)]])
    antwoord = getattr(client, methode)(url, {"versie": melding.versie})
    assert antwoord.status_code == 404, naam
    # The control: its own organisation does reach it (here GET only, nothing changes).
    client.force_login(demo.gebruikers[EIGEN[_soort(url)]])
    assert client.get(url).status_code in (200, 302), naam
    assert "Sanne de Vries" not in antwoord.content.decode()
    melding.refresh_from_db()
    assert melding.status == "R"


def test_beheer_is_niet_voor_melders(client, demo):
    client.force_login(demo.gebruikers["melder"])
    antwoord = client.get(reverse("admin:index"))
    assert antwoord.status_code == 302
    assert antwoord["Location"].startswith(reverse("admin:login"))


def test_alleen_inloggen_en_uitloggen_zijn_openbaar():
    """A view marked @openbaar skips the scoping; only login, logout and the health checks
    may be."""

    def openbare(patronen, namespace=""):
        for patroon in patronen:
            if isinstance(patroon, URLResolver):
                if patroon.app_name != "admin":
                    ns = f"{namespace}{patroon.namespace}:" if patroon.namespace else namespace
                    yield from openbare(patroon.url_patterns, ns)
            elif getattr(patroon.callback, "verzuimloket_openbaar", False):
                yield f"{namespace}{patroon.name}"

    assert set(openbare(get_resolver().url_patterns)) == UITGEZONDERD


# -- the user's organisations, read in one query ---------------------------------------------


def test_organisaties_van_volgt_de_rol_zoals_django_hem_kent(demo, django_assert_num_queries):
    """The one query that replaces has_perm: the role counts through a group or directly, an
    active superuser has every role, an inactive user none; a machtiging without its role
    counts for nothing."""
    instelling, instantie = demo.instellingen["24GP"], demo.instanties["Gemeente Groningen"]
    gebruiker = GebruikerFactory(machtigingen=[instelling], instanties=[instantie])
    with django_assert_num_queries(1):
        assert organisaties_van(gebruiker) == ([], [])
    gebruiker.user_permissions.add(Permission.objects.get(codename="behandelaar"))
    with django_assert_num_queries(1):
        instellingen, instanties = organisaties_van(gebruiker)
    assert instellingen == [] and instanties == [instantie]
    assert (instanties[0].naam, instanties[0].email, instanties[0].wil_email) == (
        instantie.naam,
        instantie.email,
        instantie.wil_email,
    )
    gebruiker.groups.add(rol_verzuimloketmelder())
    instellingen, _ = organisaties_van(gebruiker)
    assert [(i.pk, i.naam, i.plaats) for i in instellingen] == [
        (instelling.pk, instelling.naam, instelling.plaats)
    ]
    baas = GebruikerFactory(is_superuser=True, machtigingen=[instelling], instanties=[instantie])
    assert organisaties_van(baas) == ([instelling], [instantie])
    baas.is_active = False
    assert organisaties_van(baas) == ([], [])


def test_de_gebruiker_van_een_verzoek_brengt_zijn_organisaties_mee(demo, django_assert_num_queries):
    """Every page loads its user through GebruikerBackend, which reads the user's organisations
    in the same query: what it brings is what organisaties_van reads on its own, for every
    user of the demo (one or more machtigingen, both kinds, none, no role, the beheerder)."""
    from django.contrib.auth import get_user_model

    from leerlingen.autorisatie import GebruikerBackend

    def beschrijf(organisaties):
        instellingen, instanties = organisaties
        return (
            [(i.pk, i.naam, i.plaats) for i in instellingen],
            [(u.pk, u.naam, u.email, u.wil_email) for u in instanties],
        )

    gebruikers = list(get_user_model().objects.all())
    assert len(gebruikers) >= 5
    gezien = set()
    for gebruiker in gebruikers:
        with django_assert_num_queries(1):
            geladen = GebruikerBackend().get_user(gebruiker.pk)
        with django_assert_num_queries(0):
            meegebracht = beschrijf(organisaties_van(geladen))
        assert meegebracht == beschrijf(organisaties_van(gebruiker)), gebruiker.username
        gezien.add((bool(meegebracht[0]), bool(meegebracht[1])))
    assert {(True, False), (False, True), (False, False)} <= gezien


def test_een_inactieve_gebruiker_wordt_niet_geladen(demo):
    from django.contrib.auth import get_user_model

    from leerlingen.autorisatie import GebruikerBackend

    melder = get_user_model().objects.get(username="melder")
    melder.is_active = False
    melder.save()
    assert GebruikerBackend().get_user(melder.pk) is None


@pytest.mark.parametrize("sleutel", ["abc", "", None, "1; DROP TABLE auth_user"])
def test_een_onzinnige_gebruikerssleutel_laadt_niemand(demo, sleutel):
    """The user id comes from the session; whatever lands there, GebruikerBackend's own SQL
    loads nobody for a value that is no user id."""
    from leerlingen.autorisatie import GebruikerBackend

    assert GebruikerBackend().get_user(sleutel) is None
