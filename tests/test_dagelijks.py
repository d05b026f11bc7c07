"""`manage.py dagelijks`, the one daily job: anonymise, drop the inzagelog and throttle counters
past their time, put stuck e-mails back in the queue, prune sent e-mail tasks. Running it twice
does no harm."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from leerlingen.models import Handeling, Inzage
from meldingen.models import Melding
from meldingen.tasks import verstuur_meldingmail
from verzuimloket.models import Teller
from verzuimloket.rem import UUR, Rem

pytestmark = pytest.mark.django_db


def dagelijks() -> str:
    uit = StringIO()
    call_command("dagelijks", stdout=uit)
    return uit.getvalue()


def test_de_dagelijkse_taken(demo, settings):
    settings.INZAGE_BEWAARDAGEN = 30
    gebruiker, instelling = demo.gebruikers["melder"], demo.instellingen["24GP"]
    sanne = demo.leerlingen["999999989"]
    oud, nieuw = [
        Inzage.objects.create(
            gebruiker=gebruiker,
            instelling=instelling,
            leerling=sanne,
            handeling=Handeling.LEERLING_OVERZICHT,
        )
        for _ in range(2)
    ]
    Inzage.objects.filter(pk=oud.pk).update(tijdstip=timezone.now() - datetime.timedelta(days=31))
    Rem("test", limiet=lambda: 1, venster=UUR).tel("x")
    Teller.objects.update(venster=timezone.now() - datetime.timedelta(days=2))
    melding = Melding.objects.filter(instelling_id="24GP").first()
    taak = verstuur_meldingmail.enqueue(
        melding_id=melding.pk, soort_mail="registratie", ontvanger="lpa@example.nl"
    )
    DBTaskResult.objects.filter(pk=taak.id).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now() - datetime.timedelta(hours=2)
    )

    uitvoer = dagelijks()

    assert list(Inzage.objects.all()) == [nieuw]
    assert not Teller.objects.exists()
    assert DBTaskResult.objects.get(pk=taak.id).status == TaskResultStatus.READY
    assert "Vastgelopen e-mails opnieuw in de wachtrij: 1" in uitvoer
    assert "Dagelijkse taken klaar." in uitvoer
    # Twice is harmless.
    assert "Inzagelog verwijderd: 0" in dagelijks()


def test_een_mail_die_net_verstuurd_wordt_blijft_lopen(demo):
    melding = Melding.objects.filter(instelling_id="24GP").first()
    taak = verstuur_meldingmail.enqueue(
        melding_id=melding.pk, soort_mail="registratie", ontvanger="lpa@example.nl"
    )
    DBTaskResult.objects.filter(pk=taak.id).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    dagelijks()
    assert DBTaskResult.objects.get(pk=taak.id).status == TaskResultStatus.RUNNING
