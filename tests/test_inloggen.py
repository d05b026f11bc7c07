"""Login: throttled with django-axes, passwords stored hashed."""

import datetime
from html import unescape

import pytest
from django.conf import global_settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, identify_hasher
from django.urls import reverse

from leerlingen.demo import DEMO_WACHTWOORD
from meldingen.demo import laad_demo
from tests.conftest import AMSTERDAM, VANDAAG

pytestmark = pytest.mark.django_db

GEBLOKKEERD = "Te veel mislukte inlogpogingen"


def poging(client, wachtwoord, gebruikersnaam="melder"):
    return client.post(reverse("login"), {"username": gebruikersnaam, "password": wachtwoord})


def test_fout_wachtwoord_geeft_nederlandse_fout_en_geen_sessie(client, demo):
    antwoord = poging(client, "fout")
    assert antwoord.status_code == 200
    html = unescape(antwoord.content.decode())
    assert "Er is een probleem" in html
    assert "Voer een juiste gebruikersnaam en wachtwoord in" in html
    assert "_auth_user_id" not in client.session


def test_na_vijf_mislukte_pogingen_weigert_ook_het_goede_wachtwoord(client, demo):
    for _ in range(4):
        assert poging(client, "fout").status_code == 200
    # The fifth failure locks the account (and already shows the lockout page).
    assert poging(client, "fout").status_code == 429
    antwoord = poging(client, DEMO_WACHTWOORD)
    assert antwoord.status_code == 429
    html = antwoord.content.decode()
    assert GEBLOKKEERD in html
    assert "Probeer het over 15 minuten opnieuw." in html
    assert '<html lang="nl">' in html
    assert "_auth_user_id" not in client.session
    # Still locked: the school pages stay closed.
    assert client.get(reverse("leerlingen:zoeken")).status_code == 302


def test_vier_mislukte_pogingen_blokkeren_nog_niet(client, demo):
    for _ in range(4):
        poging(client, "fout")
    antwoord = poging(client, DEMO_WACHTWOORD)
    assert antwoord.status_code == 302
    assert client.session["_auth_user_id"] == str(demo.gebruikers["melder"].pk)


def test_blokkade_geldt_per_gebruiker(client, demo):
    for _ in range(5):
        poging(client, "fout")
    assert poging(client, DEMO_WACHTWOORD).status_code == 429
    assert poging(client, DEMO_WACHTWOORD, gebruikersnaam="melder-zuid").status_code == 302


def test_na_de_afkoeltijd_kan_het_weer(client, demo, time_machine):
    for _ in range(5):
        poging(client, "fout")
    assert poging(client, DEMO_WACHTWOORD).status_code == 429
    time_machine.move_to(datetime.datetime(2026, 3, 16, 10, 16, tzinfo=AMSTERDAM), tick=True)
    assert poging(client, DEMO_WACHTWOORD).status_code == 302


def test_wachtwoorden_worden_gehasht_bewaard(settings):
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS  # the production hasher
    laad_demo(VANDAAG)
    for gebruiker in get_user_model().objects.all():
        assert DEMO_WACHTWOORD not in gebruiker.password
        assert identify_hasher(gebruiker.password).algorithm == "pbkdf2_sha256"
    assert check_password(DEMO_WACHTWOORD, gebruiker.password)


def test_inlogpagina_is_nederlands_en_zonder_eherkenning_melding_weg(client):
    antwoord = client.get(reverse("login"))
    assert antwoord.status_code == 200
    html = antwoord.content.decode()
    assert "<h1>Inloggen</h1>" in html
    assert 'autocomplete="current-password"' in html
    assert "Gebruikersnaam" in html and "Wachtwoord" in html


def test_een_sessie_geldt_tot_ze_verloopt_en_dan_niet_meer(client, demo, time_machine, settings):
    """The session store (verzuimloket/sessies.py) reads a session with its own SQL: a session
    past its expiry date is no login, even when the cookie still comes along."""
    client.force_login(get_user_model().objects.get(username="melder"))
    assert client.get(reverse("leerlingen:zoeken")).status_code == 200
    time_machine.move_to(
        datetime.datetime(2026, 3, 16, 10, 0, tzinfo=AMSTERDAM)
        + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)
    )
    assert client.get(reverse("leerlingen:zoeken")).status_code == 200
    time_machine.move_to(
        datetime.datetime(2026, 3, 16, 10, 0, tzinfo=AMSTERDAM)
        + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE + 60)
    )
    antwoord = client.get(reverse("leerlingen:zoeken"))
    assert antwoord.status_code == 302 and antwoord["Location"].startswith(reverse("login"))


def test_een_onbekende_of_vervalste_sessiesleutel_is_geen_login(client, demo):
    """A cookie with a key the server never gave out (guessed, or a stolen one after logout)
    logs nobody in, and a session the server then saves gets a new key of its own (Django's
    protection against session fixation stays)."""
    from verzuimloket.sessies import SessionStore

    client.force_login(get_user_model().objects.get(username="melder"))
    echte = client.cookies[settings_naam()].value
    client.logout()
    for sleutel in (echte, "a" * 32, "x' OR '1'='1"):
        client.cookies[settings_naam()] = sleutel
        antwoord = client.get(reverse("leerlingen:zoeken"))
        assert antwoord.status_code == 302, sleutel
    sessie = SessionStore("b" * 32)
    assert sessie.load() == {} and sessie.session_key is None
    sessie["x"] = 1
    sessie.save()
    assert sessie.session_key not in (None, "b" * 32)
    assert SessionStore(sessie.session_key).load() == {"x": 1}


def settings_naam() -> str:
    from django.conf import settings

    return settings.SESSION_COOKIE_NAME
