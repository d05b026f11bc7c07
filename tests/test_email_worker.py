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

    berichten = [pad.read_text() for pad in tmp_path.iterdir()]
    assert len(berichten) == 1
    bericht = berichten[0]
    assert "To: leerplicht@groningen.example.nl" in bericht
    assert f"Nieuwe verzuimmelding {melding.nummer}" in bericht
    assert "999999989" not in bericht
    assert "Sanne" not in bericht
