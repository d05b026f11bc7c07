"""The real worker process (`manage.py db_worker`, as `make run` starts it) picks up the
e-mail that registering queued, and sends it through Django's mail API."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from meldingen import tasks

PROJECT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db(transaction=True)
def test_worker_verstuurt_gequeuede_mail(demo, tmp_path):
    melding = demo.leerlingen["999999989"].meldingen.order_by("nummer").first()
    tasks.meld_registratie(melding)  # Gemeente Groningen wants e-mail

    berichten = draai_worker(tmp_path)
    assert len(berichten) == 1
    bericht = berichten[0]
    assert "To: leerplicht@groningen.example.nl" in bericht
    assert f"Nieuwe verzuimmelding {melding.nummer}" in bericht
    assert "999999989" not in bericht
    assert "Sanne" not in bericht


def draai_worker(tmp_path) -> list[str]:
    """Run `manage.py db_worker` once over the queue; the mails it sent, as files."""
    instellingen = connection.settings_dict
    omgeving = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{instellingen['USER']}@{instellingen['HOST']}:{instellingen['PORT']}"
            f"/{instellingen['NAME']}"
        ),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path),
    }
    if instellingen.get("PASSWORD"):
        omgeving["PGPASSWORD"] = instellingen["PASSWORD"]
    uitvoer = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--no-reload"],
        cwd=PROJECT,
        env=omgeving,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert uitvoer.returncode == 0, uitvoer.stderr
    # The file backend appends the messages of one connection to one file, each closed by a
    # line of dashes.
    return [
        bericht
        for pad in tmp_path.iterdir()
        for bericht in pad.read_text().split("-" * 79 + "\n")
        if bericht.strip()
    ]


@pytest.mark.django_db(transaction=True)
def test_worker_verstuurt_de_mails_van_de_behandeling(demo, tmp_path):
    """A melding worked to the end: each reader gets their mail, with the link to their own view
    (the school's details, or the instantie's side), through the real worker."""
    from behandeling import services
    from meldingen.models import RedenAfgesloten, Verzuimsoort
    from tests.conftest import VANDAAG

    lpa = demo.gebruikers["lpa-groningen"]
    melding = demo.leerlingen["999999989"].meldingen.get(soort=Verzuimsoort.LUXE)
    services.in_behandeling_nemen(melding=melding, gebruiker=lpa, versie=melding.versie)
    melding.refresh_from_db()
    services.terugkoppeling_geven(
        melding=melding, gebruiker=lpa, versie=melding.versie, naam="J. de Boer", datum=VANDAAG
    )
    melding.refresh_from_db()
    services.melding_afsluiten(
        melding=melding, gebruiker=lpa, versie=melding.versie, reden=RedenAfgesloten.HERVAT
    )
    doorgestuurd = demo.leerlingen["999990093"].meldingen.get()
    services.doorsturen(
        melding=doorgestuurd,
        gebruiker=lpa,
        versie=doorgestuurd.versie,
        instantie=demo.instanties["RMC regio Groningen"],
        reden="De leerling is 18.",
    )

    berichten = draai_worker(tmp_path)
    assert len(berichten) == 3
    school = [b for b in berichten if "To: verzuim@24gp.example.nl" in b]
    assert len(school) == 2
    assert any(f"Terugkoppeling op verzuimmelding {melding.nummer}" in b for b in school)
    assert any(f"Verzuimmelding {melding.nummer} is afgesloten" in b for b in school)
    for bericht in school:
        assert f"http://127.0.0.1:8000/meldingen/{melding.nummer}/" in bericht
    (rmc,) = [b for b in berichten if "To: rmc@groningen.example.nl" in b]
    assert f"Verzuimmelding {doorgestuurd.nummer} is aan u doorgestuurd" in rmc
    assert f"http://127.0.0.1:8000/behandeling/meldingen/{doorgestuurd.nummer}/" in rmc
    for bericht in berichten:
        assert "999999989" not in bericht
        assert "Sanne" not in bericht
