"""E-mail delivery survives a mail server that is down: nothing is lost, a later attempt is
queued in the database and sent once the server answers."""

import datetime
import socket

from django.core import mail
from django_tasks_db.models import DBTaskResult

from meldingen.tasks import verstuur_meldingmail


def _gesloten_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_mailserver_onbereikbaar_plant_nieuwe_poging(demo, settings, time_machine, taken_uitvoeren):
    melding = demo.leerlingen["999999989"].meldingen.first()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = _gesloten_poort()
    settings.EMAIL_TIMEOUT = 2

    verstuur_meldingmail.call(
        melding_id=melding.pk, soort_mail="registratie", ontvanger="leerplicht@example.nl"
    )

    opnieuw = DBTaskResult.objects.get()
    assert opnieuw.args_kwargs["kwargs"]["poging"] == 2
    assert opnieuw.args_kwargs["kwargs"]["ontvanger"] == "leerplicht@example.nl"
    assert opnieuw.run_after is not None

    # The server is back; the worker picks the attempt up once its time has come.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert taken_uitvoeren() == 0
    assert mail.outbox == []
    time_machine.shift(datetime.timedelta(minutes=5))
    assert taken_uitvoeren() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["leerplicht@example.nl"]
    assert str(melding.nummer) in mail.outbox[0].subject
