"""E-mails about meldingen, queued durably through the Django tasks API (django-tasks-db).

`meld_registratie` and `meld_intrekking` are called inside the service's transaction: the task
row is written in that same transaction, so a failed registration queues nothing and a mail
server that is down loses nothing (the worker, `manage.py db_worker`, retries by re-running).
The mail names the meldingnummer, soort, period and a link — never BSN, name or reason (AVG).
"""

import datetime
import logging
import smtplib

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from .models import Melding

logger = logging.getLogger(__name__)

# A mail server that is down gets the mail later: each failed attempt queues the next one,
# waiting 2, 4, 8, ... minutes (at most 6 hours), for about two days in all.
MAX_POGINGEN = 15
MAX_WACHTTIJD = datetime.timedelta(hours=6)

REGISTRATIE = "registratie"
INTREKKING = "intrekking"

ONDERWERPEN = {
    REGISTRATIE: "Nieuwe verzuimmelding {nummer}",
    INTREKKING: "Verzuimmelding {nummer} is ingetrokken",
}


@task()
def verstuur_meldingmail(
    *, melding_id: int, soort_mail: str, ontvanger: str, poging: int = 1
) -> None:
    melding = Melding.objects.select_related("uitvoerende_instantie").get(pk=melding_id)
    context = {
        "melding": melding,
        "soort_mail": soort_mail,
        "link": settings.SITE_URL + reverse("meldingen:detail", args=[melding.nummer]),
    }
    try:
        send_mail(
            subject=ONDERWERPEN[soort_mail].format(nummer=melding.nummer),
            message=render_to_string("meldingen/email/melding.txt", context),
            from_email=None,
            recipient_list=[ontvanger],
        )
    except (OSError, smtplib.SMTPException):
        if poging >= MAX_POGINGEN:
            raise
        wachttijd = min(datetime.timedelta(minutes=2**poging), MAX_WACHTTIJD)
        logger.warning(
            "E-mail over melding %s niet verstuurd (poging %s); nieuwe poging over %s.",
            melding.nummer,
            poging,
            wachttijd,
        )
        verstuur_meldingmail.using(run_after=timezone.now() + wachttijd).enqueue(
            melding_id=melding_id, soort_mail=soort_mail, ontvanger=ontvanger, poging=poging + 1
        )


def _plan(melding, soort_mail: str, ontvanger: str) -> None:
    verstuur_meldingmail.enqueue(melding_id=melding.pk, soort_mail=soort_mail, ontvanger=ontvanger)


def meld_registratie(melding) -> None:
    instantie = melding.uitvoerende_instantie
    if instantie.wil_email and instantie.email:
        _plan(melding, REGISTRATIE, instantie.email)
    if melding.stuur_email_naar_melder and melding.contactpersoon_email:
        _plan(melding, REGISTRATIE, melding.contactpersoon_email)


def meld_intrekking(melding) -> None:
    instantie = melding.uitvoerende_instantie
    if instantie.wil_email and instantie.email:
        _plan(melding, INTREKKING, instantie.email)


# A worker stopped while it held a task (killed, or a SIGTERM during its claim) leaves the task
# RUNNING for ever; sending takes seconds, so one running for an hour is stuck. It goes back in
# the queue: a mail that might go twice is better than one that never goes.
VASTGELOPEN_NA = datetime.timedelta(hours=1)


def vastgelopen_mail_opnieuw() -> int:
    """For the daily job: put stuck e-mail tasks back in the queue; returns how many."""
    return (
        DBTaskResult.objects.running()
        .filter(started_at__lt=timezone.now() - VASTGELOPEN_NA)
        .update(status=TaskResultStatus.READY, started_at=None)
    )
