"""Several processes, one truth: what one process stores, every other process sees.

- Two app servers (gunicorn, one worker each) behind one browser: a registration walked over
  real HTTP, every request to the other server than the one before. The session, the wizard's
  draft, the CSRF token, a flash message and the "never register twice" record all cross from
  one process to the other; exactly one melding is stored.
- Two e-mail workers (`manage.py db_worker`) on one queue: 100 queued e-mails are each sent
  exactly once.

The processes use pytest's test database (its name goes to them in DATABASE_URL, as in
test_email_worker.py), so the data must be committed: transactional tests.

Dates: the processes run on the real clock, while tests/conftest.py freezes this process at
VANDAAG (2026-03-16). This module does not freeze (it overrides `bevroren_tijd`), and builds the
demo for the real today, read through time-machine's escape hatch (the real clock even when a
traveller is active), so the pupils' ages, enrolments and the one-year limit hold on the
servers whatever day the suite runs.
"""

import contextlib
import datetime
import email
import importlib
import re
import time
from collections import Counter
from itertools import pairwise

import pytest
from django.conf import global_settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult
from time_machine import escape_hatch

from leerlingen.demo import DEMO_WACHTWOORD
from meldingen import tasks
from meldingen.demo import laad_demo
from meldingen.models import Melding, Verzuimsoort
from tests.conftest import AMSTERDAM
from tests.processen import SETTINGS, Browser, Processen, formulier_met, omgeving

pytestmark = pytest.mark.django_db(transaction=True)

DAG = datetime.timedelta(days=1)
WAARSCHUWING = "Let op: de verzuimperiode is langer dan 28 dagen."


@pytest.fixture(autouse=True)
def bevroren_tijd():
    """Overrides tests/conftest.py's frozen clock: here the test and the processes it starts
    share the real one."""
    return None


def echte_vandaag() -> datetime.date:
    """Today in Europe/Amsterdam on the real clock, as the server processes count it
    (`verzuimloket.datums.vandaag`); right even if a time-machine traveller is active (its
    escape hatch reads the real clock, and only works while travelling)."""
    if escape_hatch.is_travelling():
        return escape_hatch.datetime.datetime.now(AMSTERDAM).date()
    return datetime.datetime.now(AMSTERDAM).date()


def wachtwoord_zoals_de_servers(wachtwoord: str) -> str:
    """A password hash the server processes accept. The test process hashes with MD5 for speed
    (conftest's `snel_wachtwoord_hashen`), which the project's settings do not list; this
    hashes with the project's own first hasher, as the servers would."""
    project = importlib.import_module(SETTINGS)
    hashers = getattr(project, "PASSWORD_HASHERS", global_settings.PASSWORD_HASHERS)
    return make_password(wachtwoord, hasher=import_string(hashers[0])())


@pytest.fixture
def processen(transactional_db, tmp_path):
    """Starts processes on the test database; stops every one of them afterwards, also when
    the test fails (before the transactional database is flushed)."""
    alle = Processen(tmp_path, omgeving())
    try:
        yield alle
    finally:
        alle.stop_alle()


@contextlib.contextmanager
def met_uitleg(processen: Processen, browser: Browser | None = None):
    """A failure shows the requests so far and what the processes printed."""
    try:
        yield
    except (AssertionError, OSError) as exc:
        verloop = f"verzoeken:\n{browser.verloop_tekst()}\n\n" if browser else ""
        raise AssertionError(f"{exc}\n\n{verloop}{processen.uitvoer()}") from exc


def verwacht(antwoord, status: int, naar: str | None = None):
    toelichting = f"{antwoord}\n{antwoord.tekst[:3000]}"
    assert antwoord.status == status, toelichting
    if naar is not None:
        assert antwoord.location.split("?")[0].endswith(naar), toelichting
    return antwoord


def datum(veld: str, d: datetime.date) -> dict:
    return {f"{veld}_0": d.day, f"{veld}_1": d.month, f"{veld}_2": d.year}


# --- Two servers, one registration ----------------------------------------------------------


def test_twee_servers_een_registratie(processen):
    vandaag = echte_vandaag()
    demo = laad_demo(vandaag)
    melder = demo.gebruikers["melder"]
    melder.password = wachtwoord_zoals_de_servers(DEMO_WACHTWOORD)
    melder.save(update_fields=["password"])
    sanne = demo.leerlingen["999999989"]
    eerdere = set(Melding.objects.filter(leerling=sanne).values_list("pk", flat=True))

    # 40 to 5 days back: within the year, clear of the demo meldingen (60 and 150 days back),
    # and 36 days of '16 uren per 4 weken' bring the warning. Unique text, to find it back.
    begin, eind = vandaag - 40 * DAG, vandaag - 5 * DAG
    reden = f"Twee servers, een waarheid {time.monotonic_ns()}"
    ouders = "ouders.de.vries@example.nl"
    contactpersoon = "T. van Twee"
    toelichting_acties = "Huisbezoek afgelegd"

    a = processen.start_server("server-a")
    b = processen.start_server("server-b")
    browser = Browser()
    with met_uitleg(processen, browser):
        processen.wacht_op_servers(a, b)
        start = time.monotonic()

        # Inloggen: the form from A, posted to B; the session B made works on A and B.
        pagina = verwacht(browser.get(a, "/inloggen/"), 200)
        form = formulier_met(pagina, "username")
        r = browser.post(
            b, form.actie or pagina.pad, form.invullen(username="melder", password=DEMO_WACHTWOORD)
        )
        verwacht(r, 302, "/instelling/")
        r = verwacht(browser.volg(a, r), 302)  # one machtiging: straight on to Zoek leerling
        pagina = verwacht(browser.volg(b, r), 200)
        assert "Ingelogd als melder" in pagina.tekst
        assert "Instelling 24GP" in pagina.tekst

        # Zoek leerling (posted to A), Leerling overzicht (B).
        form = formulier_met(pagina, "pgn")
        r = verwacht(browser.post(a, form.actie, form.invullen(pgn="999999989")), 302)
        pagina = verwacht(browser.volg(b, r), 200)
        leerling_overzicht = pagina.pad
        assert "Sanne de Vries" in pagina.tekst
        assert "Ingelogd als melder" in pagina.tekst
        start_url = re.search(r'href="([^"]+)"[^>]*>Registreer nieuwe melding<', pagina.html)
        assert start_url, pagina.tekst

        # Registreer nieuwe melding (A) makes the draft; step 1 rendered by B, posted to A.
        r = verwacht(browser.get(a, start_url.group(1)), 302, "/leerling/")
        pagina = verwacht(browser.volg(b, r), 200)
        assert "Stap 1 van 6" in pagina.tekst
        form = formulier_met(pagina, "leerling-leerling_email")
        concept = form.waarden()["concept"][0]
        assert concept
        r = browser.post(a, pagina.pad, form.invullen(**{"leerling-leerling_email": ouders}))
        verwacht(r, 302, "/verzuim/")

        # Step 2, first phase: rendered by B, reloaded from A (the same draft), posted to B.
        pagina = verwacht(browser.volg(b, r), 200)
        pagina = verwacht(browser.get(a, pagina.pad), 200)
        form = formulier_met(pagina, "verzuim-begindatum_0")
        assert form.waarden()["concept"] == [concept]
        assert "verzuim-soort" not in form.namen  # only the period first
        data = form.invullen(
            **datum("verzuim-begindatum", begin), **datum("verzuim-einddatum", eind)
        )
        r = verwacht(browser.post(b, pagina.pad, data), 302, "/verzuim/")

        # Step 2, second phase: A shows the period B accepted; the full form goes to B.
        pagina = verwacht(browser.volg(a, r), 200)
        form = formulier_met(pagina, "verzuim-soort")
        waarden = form.waarden()
        assert [waarden[f"verzuim-begindatum_{i}"][0] for i in range(3)] == [
            str(begin.day),
            str(begin.month),
            str(begin.year),
        ]
        data = form.invullen(
            **{
                "verzuim-soort": Verzuimsoort.V3,
                "verzuim-vermoedelijke_reden": reden,
                "verzuim-actie_gewenst": "ja",
                "verzuim-met_prioriteit": "nee",
                "verzuim-contactpersoon_naam": contactpersoon,
                "verzuim-contactpersoon_functie": "Mentor",
                "verzuim-contactpersoon_email": "t.vantwee@school.example.nl",
            }
        )
        r = verwacht(browser.post(b, pagina.pad, data), 302, "/lesuren/")

        # The warning B put in the messages is shown by A, once.
        pagina = verwacht(browser.volg(a, r), 200)
        berichten = re.search(r'<div class="berichten">(.*?)</main>', pagina.html, re.S)
        assert berichten and WAARSCHUWING in berichten.group(1), pagina.tekst
        form = formulier_met(pagina, "lesuren-alle_lessen_gemist")
        data = form.invullen(**{"lesuren-alle_lessen_gemist": "ja"})
        r = verwacht(browser.post(b, pagina.pad, data), 302, "/acties/")

        pagina = verwacht(browser.volg(a, r), 200)
        assert WAARSCHUWING not in pagina.tekst  # shown once, by A, and gone
        form = formulier_met(pagina, "acties-ondernomen_acties")
        data = form.invullen(
            **{
                "acties-ondernomen_acties": ["gesprek_ouder", "anders"],
                "acties-toelichting_acties": toelichting_acties,
            }
        )
        r = verwacht(browser.post(b, pagina.pad, data), 302, "/overzicht/")

        # The Overzicht rendered by A shows what was typed on both servers.
        pagina = verwacht(browser.volg(a, r), 200)
        for getypt in [
            ouders,  # step 1, posted to A
            f"{begin:%d-%m-%Y}",  # step 2 period, posted to B
            reden,  # step 2, posted to B
            contactpersoon,
            toelichting_acties,  # step 4, posted to B
        ]:
            assert getypt in pagina.tekst, getypt
        overzicht = pagina.pad
        form = formulier_met(pagina, "concept")
        assert form.waarden()["concept"] == [concept]
        registreren = form.invullen()

        # Registreren (B), Bevestiging (A).
        r = verwacht(browser.post(b, pagina.pad, registreren), 302)
        pagina = verwacht(browser.volg(a, r), 200)
        assert "De verzuimmelding is succesvol geregistreerd." in pagina.tekst
        nummer = int(re.search(r"Meldingnummer: (\d+)", pagina.tekst).group(1))

        # B lists it on the Leerling overzicht; the same Overzicht posted again, now to A (back
        # and resubmit), finds B's record in the session: the same Bevestiging, no second one.
        r = verwacht(browser.get(b, leerling_overzicht), 200)
        assert str(nummer) in r.tekst
        r = verwacht(browser.post(a, overzicht, registreren), 302)
        assert r.location.endswith(f"/bevestiging/{nummer}/"), r
        verwacht(browser.volg(b, r), 200)
        duur = time.monotonic() - start

    with met_uitleg(processen, browser):
        nieuw = Melding.objects.filter(leerling=sanne).exclude(pk__in=eerdere)
        assert nieuw.count() == 1, list(nieuw.values_list("nummer", flat=True))
        melding = nieuw.get()
        assert melding.nummer == nummer
        assert melding.concept.hex == concept
        assert melding.instelling.instellingscode == "24GP"
        assert melding.geregistreerd_door == melder
        assert melding.melddatum in (vandaag, vandaag + DAG)  # the servers' today (midnight)
        assert (melding.soort, melding.begindatum, melding.einddatum) == (
            Verzuimsoort.V3,
            begin,
            eind,
        )
        assert melding.vermoedelijke_reden == reden
        assert melding.leerling_email == ouders
        assert melding.contactpersoon_naam == contactpersoon
        assert melding.ondernomen_acties == ["gesprek_ouder", "anders"]
        assert melding.toelichting_acties == toelichting_acties
        mails = [
            t
            for t in DBTaskResult.objects.all()
            if t.args_kwargs["kwargs"].get("melding_id") == melding.pk
        ]
        assert len(mails) == 1  # to Gemeente Groningen, queued once

        # Every request went to the other server than the one before; both served half.
        servers = [antwoord.server for antwoord in browser.verloop]
        assert all(x != y for x, y in pairwise(servers)), servers
        print(f"\n{len(servers)} verzoeken over twee servers in {duur:.1f} s")
        print(browser.verloop_tekst())


# --- Two workers, one queue -------------------------------------------------------------------

AANTAL_MAILS = 100
SCHEIDING = re.compile(r"\n-{79}\n")  # between messages in a file of the filebased backend


def verstuurde_berichten(map) -> list[email.message.Message]:
    """Every message the filebased e-mail backend wrote (a file can hold several)."""
    berichten = []
    for pad in sorted(map.iterdir()):
        for deel in SCHEIDING.split(pad.read_text()):
            if deel.strip():
                berichten.append(email.message_from_string(deel))
    return berichten


def test_twee_workers_een_wachtrij(processen, tmp_path):
    demo = laad_demo(echte_vandaag())
    meldingen = list(Melding.objects.filter(leerling__in=demo.leerlingen.values()))
    assert meldingen
    mailmap = tmp_path / "mail"
    mailmap.mkdir()
    processen.env.update(
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(mailmap),
    )

    # Both workers first, polling every 50 ms; then the whole queue committed at once, so the
    # two really compete for the same tasks.
    workers = [
        processen.start_worker(naam, "--interval", "0.05", "--no-startup-delay")
        for naam in ("worker-a", "worker-b")
    ]
    with met_uitleg(processen):
        for worker in workers:
            processen.wacht_op_log(worker, "Starting worker")
        verwacht_mail = {}
        with transaction.atomic():
            for i in range(AANTAL_MAILS):
                melding = meldingen[i % len(meldingen)]
                ontvanger = f"taak-{i:03d}@example.nl"
                verwacht_mail[ontvanger] = f"Nieuwe verzuimmelding {melding.nummer}"
                tasks.verstuur_meldingmail.enqueue(
                    melding_id=melding.pk, soort_mail=tasks.REGISTRATIE, ontvanger=ontvanger
                )
        start = time.monotonic()

        taken = DBTaskResult.objects.filter(task_path__endswith="verstuur_meldingmail")
        while (klaar := taken.successful().count()) < AANTAL_MAILS:
            mislukt = list(taken.failed().values_list("traceback", flat=True))
            assert not mislukt, mislukt[0]
            assert all(w.leeft for w in workers), "een worker stopte"
            assert time.monotonic() - start < 60, f"na 60 s pas {klaar} van {AANTAL_MAILS}"
            time.sleep(0.1)
        duur = time.monotonic() - start
        for worker in workers:
            worker.stop()
            # No error while working. The exit code itself is not checked: a SIGTERM that
            # lands in the worker's claim transaction (an idle poll here) makes db_worker exit
            # 1 with a traceback (a known fault of django-tasks-db 0.13), after the work was done.
            werk = worker.log.read_text(errors="replace").split("shutting down gracefully")[0]
            assert "Traceback" not in werk, worker.naam
            assert not worker.leeft

        # Each task claimed by one worker, once.
        assert taken.count() == AANTAL_MAILS
        per_worker = Counter()
        for worker_ids in taken.values_list("worker_ids", flat=True):
            assert len(worker_ids) == 1, worker_ids
            per_worker[worker_ids[0]] += 1
        print(f"\n{AANTAL_MAILS} mails in {duur:.1f} s; per worker: {dict(per_worker)}")
        # Both were polling (every 50 ms) before the queue was committed, and one worker
        # needs far longer than 50 ms for 100 mails: both got work (typically 35-65 each).
        assert set(per_worker) == {"worker-a", "worker-b"}, per_worker

        # Each mail sent exactly once: 100 messages, one per task, with its own subject.
        berichten = verstuurde_berichten(mailmap)
        per_ontvanger = Counter(bericht["To"] for bericht in berichten)
        dubbel = {o: n for o, n in per_ontvanger.items() if n > 1}
        assert not dubbel, f"meer dan eens verstuurd: {dubbel}"
        assert len(berichten) == AANTAL_MAILS
        assert {b["To"]: b["Subject"] for b in berichten} == verwacht_mail
