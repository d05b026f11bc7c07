"""What the bench scripts share: Django set up against the database of DATABASE_URL, one
transaction per run that is always rolled back, extra leerlingen and meldingen to measure
against, and the timing of a request with its SQL queries, printed as one aligned line.

The scripts import it by its bare name (`import gedeeld`): Python puts a script's own directory,
bench/, on sys.path. Importing it sets Django up, so it must come before any import of the
project's apps. isort keeps it there: to ruff it is a third-party module, and those sort before
the first-party apps.
"""

import argparse
import contextlib
import datetime
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

# The scripts run as `.venv/bin/python bench/<name>.py`, so only bench/ is on sys.path; the
# apps live one level up. In front of bench/, not behind it: bench/behandeling.py would
# otherwise stand in for the app `behandeling`.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "verzuimloket.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
# A development run against the demo: the settings fail closed without it.
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from leerlingen.models import Inschrijving, Leerling  # noqa: E402
from meldingen.models import Melding, OndernomenActie, Status, Verzuimsoort, Wet  # noqa: E402

# From the demo (meldingen.demo): the pupil whose enrolment at INSTELLING the extra pupils copy,
# and the instantie the extra meldingen go to (the one of behandelaar lpa-groningen).
SANNE = "999999989"
INSTELLING = "24GP"
INSTANTIE = "Gemeente Groningen"


def argumenten(docstring: str) -> argparse.ArgumentParser:
    """The options every script has; a script adds its own before parse_args()."""
    parser = argparse.ArgumentParser(description=docstring.splitlines()[0])
    parser.add_argument("--meldingen", type=int, default=1000)
    parser.add_argument("--herhalingen", type=int, default=5)
    return parser


class Terugdraaien(Exception):
    """Raised to roll the measurement's transaction back."""


@contextlib.contextmanager
def terugdraaien():
    """A transaction that is rolled back when the block ends, so a run leaves nothing behind in
    the database it measures (the one `make run` uses, by default). Nested in another, it is a
    savepoint: rolled back on its own, the outer transaction goes on."""
    with contextlib.suppress(Terugdraaien), transaction.atomic():
        yield
        raise Terugdraaien


def bsns(start: int):
    """Valid BSNs (the eleven-test) from `start` (8 digits) on: each script starts from its own
    number, so the pupils it adds never clash with the demo's."""
    basis = start
    while True:
        cijfers = [int(c) for c in f"{basis:08d}"]
        rest = sum(c * (9 - i) for i, c in enumerate(cijfers)) % 11
        if rest < 10:
            yield f"{basis:08d}{rest}"
        basis += 1


def leerlingen_aanmaken(
    demo, aantal: int, eerste_bsn: int, batch_size: int | None = None
) -> tuple[list[Leerling], Inschrijving]:
    """`aantal` new pupils, each enrolled at 24GP like the demo pupil 999999989 (same aanbieder,
    locatie and begindatum). Returns them with that enrolment, whose instelling, aanbieder and
    locatie the meldingen made for them copy."""
    instelling = demo.instellingen[INSTELLING]
    inschrijving = (
        demo.leerlingen[SANNE]
        .inschrijvingen.select_related("instelling", "aanbieder", "locatie")
        .get(instelling=instelling)
    )
    nummers = bsns(eerste_bsn)
    leerlingen = Leerling.objects.bulk_create(
        (
            Leerling(
                pgn=next(nummers),
                naam=f"Leerling {i}",
                geboortedatum=datetime.date(2011, 5, 1),
                geslacht="O",
                straatnaam="Vismarkt",
                huisnummer=i + 1,
                postcode="9712CB",
                plaatsnaam="Groningen",
            )
            for i in range(aantal)
        ),
        batch_size=batch_size,
    )
    Inschrijving.objects.bulk_create(
        (
            Inschrijving(
                leerling=leerling,
                instelling=instelling,
                aanbieder=inschrijving.aanbieder,
                locatie=inschrijving.locatie,
                begindatum=inschrijving.begindatum,
            )
            for leerling in leerlingen
        ),
        batch_size=batch_size,
    )
    return leerlingen, inschrijving


def nieuwe_melding(
    leerling: Leerling,
    inschrijving: Inschrijving,
    i: int,
    *,
    vandaag: datetime.date,
    status: str,
    instantie,
    **velden,
) -> Melding:
    """The `i`-th extra melding (not saved), for `leerling` at the instelling of `inschrijving`:
    its verzuim period lies 5 to 204 days back, cycling with `i`, so lists have dates to sort
    on. `velden` adds or overrides fields."""
    return Melding(
        leerling=leerling,
        instelling=inschrijving.instelling,
        melddatum=vandaag - datetime.timedelta(days=1),
        status=status,
        wet=Wet.LEERPLICHTWET,
        uitvoerende_instantie=instantie,
        begindatum=vandaag - datetime.timedelta(days=10 + i % 200),
        einddatum=vandaag - datetime.timedelta(days=5 + i % 200),
        soort=Verzuimsoort.OVERIG,
        vermoedelijke_reden="Spijbelen",
        actie_gewenst=True,
        aanbieder=inschrijving.aanbieder,
        locatie=inschrijving.locatie,
        contactpersoon_naam="K. Smit",
        contactpersoon_email="k.smit@example.nl",
        ondernomen_acties=[OndernomenActie.BRIEF],
        **velden,
    )


def vul(demo, aantal: int) -> None:
    """`aantal` extra meldingen of 24GP at Gemeente Groningen, each for its own pupil, in turn
    Geregistreerd, In behandeling and Afgesloten (the fill of paginas.py and wizard.py)."""
    leerlingen, inschrijving = leerlingen_aanmaken(demo, aantal, 31000000)
    instantie = demo.instanties[INSTANTIE]
    statussen = [Status.GEREGISTREERD, Status.IN_BEHANDELING, Status.AFGESLOTEN]
    Melding.objects.bulk_create(
        nieuwe_melding(
            leerling,
            inschrijving,
            i,
            vandaag=demo.vandaag,
            status=statussen[i % 3],
            instantie=instantie,
        )
        for i, leerling in enumerate(leerlingen)
    )


@dataclass(frozen=True)
class Verzoek:
    """One request as the server handled it: its response, time and SQL queries."""

    response: object
    ms: float
    queries: int


def verzoek(client: Client, methode: str, url: str, data=None) -> Verzoek:
    """One request with the time the server took (the test Client calls it in-process, so no
    network) and the number of SQL queries it ran."""
    with CaptureQueriesContext(connection) as queries:
        begin = time.perf_counter()
        response = getattr(client, methode)(url, data) if data is not None else client.get(url)
        ms = (time.perf_counter() - begin) * 1000
    return Verzoek(response, ms, len(queries))


def meet(client: Client, url: str, herhalingen: int) -> tuple[float, int, int]:
    """GET `url` `herhalingen` times: the median time (one slow request does not count), and the
    queries and status of the last request."""
    tijden = []
    for _ in range(herhalingen):
        laatste = verzoek(client, "get", url)  # only the last response is kept
        tijden.append(laatste.ms)
    return statistics.median(tijden), laatste.queries, laatste.response.status_code


@dataclass(frozen=True)
class Tabel:
    """The output of every script: a header, then one line per request with its time, queries
    and status, aligned under the header; `breedte` is the width of the first column."""

    eerste_kolom: str
    breedte: int

    def kop(self) -> None:
        print(f"{self.eerste_kolom:{self.breedte}} {'ms':>7} {'queries':>8} {'status':>6}")

    def regel(self, naam: str, ms: float, queries: int, status: int | None = None) -> None:
        """A line without `status` (a total) stops after the queries."""
        regel = f"{naam:{self.breedte}} {ms:7.1f} {queries:8d}"
        print(regel if status is None else f"{regel} {status:6d}")


def meet_paginas(client: Client, paginas: list[tuple[str, str]], herhalingen: int) -> None:
    """The table of paginas.py and behandeling.py: one line per (name, url) page."""
    tabel = Tabel("pagina", 55)
    tabel.kop()
    for naam, url in paginas:
        tabel.regel(naam, *meet(client, url, herhalingen))
