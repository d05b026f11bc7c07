"""Server time and SQL queries per step of the registration wizard, with N extra meldingen.

    .venv/bin/python bench/wizard.py --meldingen 1000 --herhalingen 5

Drives the whole wizard (GET and POST of every step, the two phases of step 2, a verzuimdag,
Registreren, the Bevestiging) for 999999989 with Django's test Client against the database of
DATABASE_URL (default: the one `make run` uses), inside one transaction that is rolled back at
the end, so it leaves nothing behind. Every run of the wizard registers one melding inside its
own savepoint, which is rolled back too. Prints per request the median server time over
--herhalingen runs and the number of SQL queries.
"""

import argparse
import contextlib
import datetime
import os
import re
import statistics
import sys
import time
from collections import defaultdict
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

from meldingen.demo import laad_demo  # noqa: E402
from meldingen.models import Melding  # noqa: E402
from verzuimloket.datums import vandaag  # noqa: E402

DAG = datetime.timedelta(days=1)


class Terugdraaien(Exception):
    """Raised to roll the measurement's transaction back."""


def datum(veld: str, d: datetime.date | None) -> dict:
    if d is None:
        return {f"{veld}_{i}": "" for i in range(3)}
    return {f"{veld}_0": str(d.day), f"{veld}_1": str(d.month), f"{veld}_2": str(d.year)}


def beheer(html: str) -> dict:
    velden = dict(re.findall(r'name="([^"]*current_step)" value="([^"]*)"', html))
    velden["concept"] = re.search(r'name="concept" value="([^"]*)"', html).group(1)
    return velden


def stappen(begin: datetime.date, eind: datetime.date) -> list[tuple[str, str, dict]]:
    """(label, step, POST data) in the order a user fills the wizard."""
    return [
        (
            "1 Leerling",
            "leerling",
            {
                "leerling-leerling_email": "sanne@example.nl",
                "leerling-leerling_telefoon": "0612345678",
                "leerling-afwijkend_adres": "nee",
                "leerling-contactpersonen-TOTAL_FORMS": "1",
                "leerling-contactpersonen-INITIAL_FORMS": "0",
                "leerling-contactpersonen-0-naam": "Ineke de Vries",
                "leerling-contactpersonen-0-relatie": "Moeder",
            },
        ),
        (
            "2 Verzuim (periode)",
            "verzuim",
            {**datum("verzuim-begindatum", begin), **datum("verzuim-einddatum", eind)},
        ),
        (
            "2 Verzuim (volledig)",
            "verzuim",
            {
                **datum("verzuim-begindatum", begin),
                **datum("verzuim-einddatum", eind),
                "verzuim-soort": "O",
                "verzuim-vermoedelijke_reden": "afwezig vanwege ziekte",
                "verzuim-actie_gewenst": "ja",
                "verzuim-met_prioriteit": "nee",
                "verzuim-aanbieder": "100A001",
                "verzuim-locatie": "100X001",
                "verzuim-contactpersoon_naam": "K. Smit",
                "verzuim-contactpersoon_email": "k.smit@school.example.nl",
            },
        ),
        (
            "3 Lesuren",
            "lesuren",
            {
                "lesuren-alle_lessen_gemist": "nee",
                "lesuren-verzuimdagen-TOTAL_FORMS": "1",
                "lesuren-verzuimdagen-INITIAL_FORMS": "0",
                **datum("lesuren-verzuimdagen-0-datum", begin),
                "lesuren-verzuimdagen-0-hele_dag": "nee",
                "lesuren-verzuimdagen-0-lesuren": ["1", "2"],
            },
        ),
        ("4 Acties school", "acties", {"acties-ondernomen_acties": ["brief"]}),
        ("5 Overzicht (Registreren)", "overzicht", {"overzicht-stuur_email_naar_melder": "on"}),
    ]


def verzoek(client, methode, url, data=None):
    with CaptureQueriesContext(connection) as queries:
        begin = time.perf_counter()
        response = getattr(client, methode)(url, data) if data is not None else client.get(url)
        ms = (time.perf_counter() - begin) * 1000
    return response, ms, len(queries)


def wizard_eenmaal(client, leerling, metingen) -> None:
    begin, eind = vandaag() - 7 * DAG, vandaag() - 5 * DAG
    start = reverse("meldingen:registreren_start", args=[leerling.pk])
    response, ms, q = verzoek(client, "get", start)
    metingen["0 Registreer nieuwe melding (GET)"].append((ms, q, response.status_code))
    for label, stap, data in stappen(begin, eind):
        url = reverse("meldingen:registreren", args=[leerling.pk, stap])
        pagina, ms, q = verzoek(client, "get", url)
        metingen[f"{label} GET"].append((ms, q, pagina.status_code))
        response, ms, q = verzoek(client, "post", url, {**beheer(pagina.content.decode()), **data})
        metingen[f"{label} POST"].append((ms, q, response.status_code))
        if response.status_code != 302:
            raise SystemExit(f"{label}: {response.status_code}\n{response.content.decode()[:4000]}")
    pagina, ms, q = verzoek(client, "get", response["Location"])
    metingen["6 Bevestiging GET"].append((ms, q, pagina.status_code))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meldingen", type=int, default=1000)
    parser.add_argument("--herhalingen", type=int, default=5)
    args = parser.parse_args()

    with contextlib.suppress(Terugdraaien), transaction.atomic():
        demo = laad_demo(vandaag())
        if args.meldingen:
            from bench.paginas import vul

            vul(demo, args.meldingen)
        client = Client()
        client.force_login(demo.gebruikers["melder"])
        sanne = demo.leerlingen["999999989"]
        # Meldingen left by earlier manual tests in the dev database must not overlap.
        sanne.meldingen.filter(melddatum__gte=vandaag() - 10 * DAG).delete()
        metingen = defaultdict(list)
        for _ in range(args.herhalingen):
            with transaction.atomic():
                wizard_eenmaal(client, sanne, metingen)
                transaction.set_rollback(True)
        print(
            f"{args.meldingen} extra meldingen, {Melding.objects.count()} in totaal; "
            f"mediaan van {args.herhalingen} volledige wizards"
        )
        print(f"{'verzoek':42} {'ms':>7} {'queries':>8} {'status':>6}")
        totaal_ms = totaal_q = 0
        for naam, rijen in metingen.items():
            ms = statistics.median(r[0] for r in rijen)
            q = max(r[1] for r in rijen)
            totaal_ms += ms
            totaal_q += q
            print(f"{naam:42} {ms:7.1f} {q:8d} {rijen[-1][2]:6d}")
        print(f"{'totaal':42} {totaal_ms:7.1f} {totaal_q:8d}")
        raise Terugdraaien


if __name__ == "__main__":
    main()
