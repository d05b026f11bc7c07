"""Settings: without configuration it is production, which refuses to start without its
settings; production settings pass `check --deploy`; Dutch, Amsterdam time and DD-MM-JJJJ
dates everywhere."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from tests.conftest import VANDAAG

PROJECT = Path(__file__).resolve().parent.parent


def manage(*args, **env):
    omgeving = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    for naam, waarde in env.items():
        if waarde is None:
            omgeving.pop(naam, None)  # the default applies
        else:
            omgeving[naam] = waarde
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=omgeving,
        capture_output=True,
        text=True,
        timeout=120,
    )


# What production must set; DEBUG is left unset, since that is production too.
PRODUCTIE = {
    "DEBUG": None,
    "SECRET_KEY": "k3Q!v9#pZr2@Lw8$Xn5^Tb7&Hm4*Jd6(Fs1)Gy0-Uc+Ve=Ra?Oi%Pl~Nq|Mk<Bj>Wh",
    "ALLOWED_HOSTS": "verzuimloket.example.nl",
    "SITE_URL": "https://verzuimloket.example.nl",
}
TOON = "from django.conf import settings; print(settings.DEBUG, settings.ALLOWED_HOSTS)"


def test_check_deploy_zonder_waarschuwingen():
    resultaat = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTIE)
    assert resultaat.returncode == 0, resultaat.stdout + resultaat.stderr
    assert "System check identified no issues" in resultaat.stdout


def test_zonder_debug_is_het_productie():
    """Fail closed: a server started without DEBUG=1 is a production server."""
    resultaat = manage("shell", "-c", TOON, **PRODUCTIE)
    assert resultaat.returncode == 0, resultaat.stderr
    assert resultaat.stdout.strip().splitlines()[-1] == "False ['verzuimloket.example.nl']"


def test_zonder_enige_instelling_start_niets():
    resultaat = manage(
        "check", DEBUG=None, SECRET_KEY=None, ALLOWED_HOSTS=None, SITE_URL=None, DATABASE_URL=None
    )
    assert resultaat.returncode != 0
    assert "Zet SECRET_KEY wanneer DEBUG uit staat." in resultaat.stderr


@pytest.mark.parametrize("naam", ["SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL"])
@pytest.mark.parametrize("waarde", [None, "", " "])
def test_productie_start_niet_zonder(naam, waarde):
    """No default stands in for them: each missing one stops the start, naming itself."""
    resultaat = manage("check", **{**PRODUCTIE, "DEBUG": "0", naam: waarde})
    assert resultaat.returncode != 0
    assert f"Zet {naam} wanneer DEBUG uit staat." in resultaat.stderr


def test_site_url_is_een_adres():
    resultaat = manage("check", **{**PRODUCTIE, "SITE_URL": "verzuimloket.example.nl"})
    assert resultaat.returncode != 0
    assert "SITE_URL moet beginnen met https://" in resultaat.stderr


def test_ontwikkelstandaard_is_veilig_lokaal():
    """Development (DEBUG=1, as make run and make test set it) needs nothing else, serves
    local hosts only and sends no real mail."""
    resultaat = manage(
        "shell",
        "-c",
        "from django.conf import settings; "
        "print(settings.DEBUG, settings.ALLOWED_HOSTS, settings.EMAIL_BACKEND)",
        DEBUG="1",
        SECRET_KEY=None,
        ALLOWED_HOSTS=None,
        SITE_URL=None,
        EMAIL_BACKEND=None,
    )
    assert resultaat.returncode == 0, resultaat.stderr
    assert resultaat.stdout.strip().splitlines()[-1] == (
        "True ['localhost', '127.0.0.1', '[::1]'] django.core.mail.backends.console.EmailBackend"
    )


def test_database_plant_een_query_eenmaal_per_verbinding(db):
    """Prepared statements (docs/deploy.md): the fifth run of a query on a connection is
    prepared, so PostgreSQL stops planning it on every request; DATABASE_PREPARED_STATEMENTS=0
    turns it off (a PgBouncer that cannot keep them)."""
    connection.ensure_connection()
    assert connection.connection.prepare_threshold == 5
    with connection.cursor() as cursor:
        for _ in range(6):
            cursor.execute("SELECT %s::int + 1", [1])
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        assert cursor.fetchone()[0] >= 1
    uit = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS'])",
        DEBUG="1",
        DATABASE_PREPARED_STATEMENTS="0",
    )
    assert uit.returncode == 0, uit.stderr
    assert "server_side_binding" not in uit.stdout and "prepare_threshold" not in uit.stdout


def test_taal_en_tijdzone():
    assert settings.LANGUAGE_CODE == "nl"
    assert settings.TIME_ZONE == "Europe/Amsterdam"
    assert settings.USE_TZ
    # The frozen clock: 10:00 in Amsterdam is 09:00 UTC in March (CET).
    assert timezone.localtime().strftime("%H:%M") == "10:00"
    assert timezone.now().astimezone(datetime.UTC).hour == 9
    assert timezone.localdate() == VANDAAG


def test_datums_als_dd_mm_jjjj():
    with translation.override("nl"):
        html = Template("{{ d }}|{{ d|date }}|{{ d|date:'SHORT_DATE_FORMAT' }}|{{ t }}").render(
            Context({"d": datetime.date(2026, 3, 3), "t": timezone.now()})
        )
    assert html == "03-03-2026|03-03-2026|03-03-2026|16-03-2026 10:00"


@pytest.mark.django_db
def test_datum_op_een_pagina(melder_client, demo):
    leerling = demo.leerlingen["999999989"]
    antwoord = melder_client.get(reverse("meldingen:leerling_overzicht", args=[leerling.pk]))
    html = antwoord.content.decode()
    assert antwoord["Content-Language"] == "nl"
    assert '<html lang="nl">' in html
    assert f"<dd>{leerling.geboortedatum:%d-%m-%Y}</dd>" in html
    # The Luxe verzuim melding: 60..58 days ago.
    assert f"<td>{VANDAAG - datetime.timedelta(days=60):%d-%m-%Y}</td>" in html
