"""Server time and SQL queries per page, with N extra meldingen in the database.

    .venv/bin/python bench/paginas.py --meldingen 1000

Runs against the database of DATABASE_URL (default: the one `make run` uses), inside one
transaction that is rolled back at the end, so it leaves nothing behind. Prints one line per
page: median server time over --herhalingen requests and the number of SQL queries.
"""

import argparse
import contextlib
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

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
from django.urls import reverse  # noqa: E402

from leerlingen.models import Inschrijving, Leerling  # noqa: E402
from meldingen.demo import laad_demo  # noqa: E402
from meldingen.models import Melding, OndernomenActie, Status, Verzuimsoort, Wet  # noqa: E402
from verzuimloket.datums import vandaag  # noqa: E402


class Terugdraaien(Exception):
    """Raised to roll the measurement's transaction back."""


def bsns(start: int):
    basis = start
    while True:
        cijfers = [int(c) for c in f"{basis:08d}"]
        rest = sum(c * (9 - i) for i, c in enumerate(cijfers)) % 11
        if rest < 10:
            yield f"{basis:08d}{rest}"
        basis += 1


def vul(demo, aantal: int) -> None:
    """`aantal` extra meldingen of 24GP, each for its own pupil, plus 20 for the demo pupil's
    classmate so one leerling overzicht has many rows."""
    instelling = demo.instellingen["24GP"]
    inschrijving = demo.leerlingen["999999989"].inschrijvingen.get(instelling=instelling)
    instantie = demo.instanties["Gemeente Groningen"]
    nummers = bsns(31000000)
    leerlingen = Leerling.objects.bulk_create(
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
    )
    Inschrijving.objects.bulk_create(
        Inschrijving(
            leerling=leerling,
            instelling=instelling,
            aanbieder=inschrijving.aanbieder,
            locatie=inschrijving.locatie,
            begindatum=inschrijving.begindatum,
        )
        for leerling in leerlingen
    )
    t = demo.vandaag
    Melding.objects.bulk_create(
        Melding(
            leerling=leerling,
            instelling=instelling,
            melddatum=t - datetime.timedelta(days=1),
            status=[Status.GEREGISTREERD, Status.IN_BEHANDELING, Status.AFGESLOTEN][i % 3],
            wet=Wet.LEERPLICHTWET,
            uitvoerende_instantie=instantie,
            begindatum=t - datetime.timedelta(days=10 + i % 200),
            einddatum=t - datetime.timedelta(days=5 + i % 200),
            soort=Verzuimsoort.OVERIG,
            vermoedelijke_reden="Spijbelen",
            actie_gewenst=True,
            aanbieder=inschrijving.aanbieder,
            locatie=inschrijving.locatie,
            contactpersoon_naam="K. Smit",
            contactpersoon_email="k.smit@example.nl",
            ondernomen_acties=[OndernomenActie.BRIEF],
        )
        for i, leerling in enumerate(leerlingen)
    )


def meet(client: Client, url: str, herhalingen: int) -> tuple[float, int, int]:
    tijden = []
    for _ in range(herhalingen):
        with CaptureQueriesContext(connection) as queries:
            begin = time.perf_counter()
            response = client.get(url)
            tijden.append((time.perf_counter() - begin) * 1000)
    return statistics.median(tijden), len(queries), response.status_code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meldingen", type=int, default=1000)
    parser.add_argument("--herhalingen", type=int, default=5)
    args = parser.parse_args()

    with contextlib.suppress(Terugdraaien), transaction.atomic():
        demo = laad_demo(vandaag())
        vul(demo, args.meldingen)
        client = Client()
        client.force_login(demo.gebruikers["melder"])
        sanne = demo.leerlingen["999999989"]
        melding = sanne.meldingen.order_by("nummer").first()
        paginas = [
            ("Zoek leerling", reverse("leerlingen:zoeken")),
            ("Leerling overzicht", reverse("meldingen:leerling_overzicht", args=[sanne.pk])),
            ("Zoek melding (formulier)", reverse("meldingen:zoeken")),
            (
                "Zoek melding (resultaten, status Geregistreerd)",
                reverse("meldingen:zoeken") + "?instellingscode=24GP&status=R",
            ),
            (
                "Zoek melding (instantienaam 'groningen', pagina 3)",
                reverse("meldingen:zoeken") + "?instantienaam=groningen&page=3",
            ),
            ("Melding details", reverse("meldingen:detail", args=[melding.nummer])),
            (
                "Wijzig verzuim",
                reverse("meldingen:wijzig", args=[melding.nummer, "verzuim"]),
            ),
            ("Intrekken", reverse("meldingen:intrekken", args=[melding.nummer])),
        ]
        print(
            f"{args.meldingen} extra meldingen, {Melding.objects.count()} in totaal; "
            f"mediaan van {args.herhalingen} verzoeken"
        )
        print(f"{'pagina':55} {'ms':>7} {'queries':>8} {'status':>6}")
        for naam, url in paginas:
            ms, queries, status = meet(client, url, args.herhalingen)
            print(f"{naam:55} {ms:7.1f} {queries:8d} {status:6d}")
        raise Terugdraaien


if __name__ == "__main__":
    main()
