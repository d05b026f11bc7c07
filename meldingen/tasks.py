"""E-mails about meldingen, queued durably through the Django tasks API (django-tasks-db).

The `meld_*` functions are called inside the service's transaction: the task row is written in
that same transaction, so a refused change queues nothing and a mail server that is down loses
nothing (the worker, `manage.py db_worker`, retries by re-running).

Who gets what (docs/regels.md, "E-mail"):
- the uitvoerende instantie, if it wants e-mail: a new melding (registered, or sent on to it), a
  melding withdrawn, or changed by the school while it is In behandeling; the link opens the
  melding on the instantie's side;
- the school's contactpersoon onderwijsinstelling: the registration when *Stuur e-mail naar
  melder* was ticked, a terugkoppeling given, the melding closed or taken ter kennisgeving; the
  link opens the school's Melding details.
A mail names the meldingnummer, soort, period and a link — never BSN, name or reason (AVG).
Links are absolute, from SITE_URL; after logging in the reader lands on that melding.
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
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.compat import normalize_json, task_enqueued
from django_tasks_db.models import DBTaskResult, get_date_max

from .models import Melding, Status

logger = logging.getLogger(__name__)

# A mail server that is down gets the mail later: each failed attempt queues the next one,
# waiting 2, 4, 8, ... minutes (at most 6 hours), for about two days in all.
MAX_POGINGEN = 15
MAX_WACHTTIJD = datetime.timedelta(hours=6)

REGISTRATIE = "registratie"
INTREKKING = "intrekking"
WIJZIGING = "wijziging"
DOORGESTUURD = "doorgestuurd"
TERUGKOPPELING = "terugkoppeling"
AFGESLOTEN = "afgesloten"

ONDERWERPEN = {
    REGISTRATIE: "Nieuwe verzuimmelding {nummer}",
    INTREKKING: "Verzuimmelding {nummer} is ingetrokken",
    WIJZIGING: "Verzuimmelding {nummer} is gewijzigd door de school",
    DOORGESTUURD: "Verzuimmelding {nummer} is aan u doorgestuurd",
    TERUGKOPPELING: "Terugkoppeling op verzuimmelding {nummer}",
    AFGESLOTEN: "Verzuimmelding {nummer} is {status}",
}

# Who reads the mail decides where its link leads.
INSTANTIE = "instantie"
SCHOOL = "school"
LINKS = {INSTANTIE: "behandeling:melding", SCHOOL: "meldingen:detail"}


def link(melding: Melding, voor: str) -> str:
    return settings.SITE_URL + reverse(LINKS[voor], args=[melding.nummer])


@task()
def verstuur_meldingmail(
    *, melding_id: int, soort_mail: str, ontvanger: str, voor: str = INSTANTIE, poging: int = 1
) -> None:
    melding = Melding.objects.select_related("uitvoerende_instantie").get(pk=melding_id)
    context = {
        "melding": melding,
        "soort_mail": soort_mail,
        "voor": voor,
        "link": link(melding, voor),
    }
    onderwerp = ONDERWERPEN[soort_mail].format(
        nummer=melding.nummer, status=melding.get_status_display().lower()
    )
    try:
        send_mail(
            subject=onderwerp,
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
            melding_id=melding_id,
            soort_mail=soort_mail,
            ontvanger=ontvanger,
            voor=voor,
            poging=poging + 1,
        )


def _plan(*mails: dict | None) -> None:
    """Queue the mails (keyword arguments of `verstuur_meldingmail`; None: no mail). Several
    at once go in with one INSERT, rows as django-tasks-db's `enqueue` makes them (its
    `DatabaseBackend._task_to_db_task`; bulk_create sends no pre_save, so `run_after` is set
    here as its signal handler would), each announced with `task_enqueued` as `enqueue` does."""
    mails = [mail for mail in mails if mail is not None]
    taak = verstuur_meldingmail
    backend = taak.get_backend()
    if len(mails) < 2 or not isinstance(backend, DatabaseBackend):
        for mail in mails:
            taak.enqueue(**mail)
        return
    backend.validate_task(taak)
    rijen = DBTaskResult.objects.bulk_create(
        DBTaskResult(
            args_kwargs=normalize_json({"args": [], "kwargs": mail}),
            priority=taak.priority,
            task_path=taak.module_path,
            queue_name=taak.queue_name,
            run_after=taak.run_after or get_date_max(),
            backend_name=backend.alias,
        )
        for mail in mails
    )
    for rij in rijen:
        task_enqueued.send(type(backend), task_result=rij.task_result)


def _mail(melding, soort_mail: str, ontvanger: str, voor: str) -> dict:
    return {
        "melding_id": melding.pk,
        "soort_mail": soort_mail,
        "ontvanger": ontvanger,
        "voor": voor,
    }


def _aan_instantie(melding, soort_mail: str) -> dict | None:
    instantie = melding.uitvoerende_instantie
    if instantie.wil_email and instantie.email:
        return _mail(melding, soort_mail, instantie.email, INSTANTIE)
    return None


def _aan_school(melding, soort_mail: str) -> dict | None:
    if melding.contactpersoon_email:
        return _mail(melding, soort_mail, melding.contactpersoon_email, SCHOOL)
    return None


def meld_registratie(melding) -> None:
    _plan(
        _aan_instantie(melding, REGISTRATIE),
        _aan_school(melding, REGISTRATIE) if melding.stuur_email_naar_melder else None,
    )


def meld_intrekking(melding) -> None:
    _plan(_aan_instantie(melding, INTREKKING))


def meld_wijziging(melding) -> None:
    """The school changed a melding the instantie is working on."""
    if melding.status == Status.IN_BEHANDELING:
        _plan(_aan_instantie(melding, WIJZIGING))


def meld_doorgestuurd(melding) -> None:
    _plan(_aan_instantie(melding, DOORGESTUURD))


def meld_terugkoppeling(melding) -> None:
    """A terugkoppeling given (or changed): the school's contactpersoon reads it."""
    _plan(_aan_school(melding, TERUGKOPPELING))


def meld_afgesloten(melding) -> None:
    """Afgesloten or Ter kennisgeving aangenomen: the school's contactpersoon is told."""
    _plan(_aan_school(melding, AFGESLOTEN))


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
