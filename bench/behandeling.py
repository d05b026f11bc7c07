"""Server time and SQL queries per page of the uitvoerende instantie, with N extra meldingen.

    .venv/bin/python bench/behandeling.py --meldingen 1000

Runs against the database of DATABASE_URL (default: the one `make run` uses), inside one
transaction that is rolled back at the end, so it leaves nothing behind. The N extra meldingen
are at Gemeente Groningen (the instantie of demo user lpa-groningen), or with --instanties K
one in K of them there and the rest spread over K - 1 other instanties (so the werkvoorraad's
index has something to select); each for its own pupil, in turn Geregistreerd, In behandeling
and Afgesloten. The tables are ANALYZEd inside the transaction, so the planner sees them as
production would. Prints one line per page: median
server time over --herhalingen requests and the number of SQL queries. --explain also prints
the plans of the werkvoorraad's queries.
"""

import time

from django.db import connection
from django.http import QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from gedeeld import (  # sets Django up
    INSTANTIE,
    argumenten,
    leerlingen_aanmaken,
    meet_paginas,
    nieuwe_melding,
    terugdraaien,
)

from behandeling import selectors
from leerlingen.models import UitvoerendeInstantie
from meldingen import workflow
from meldingen.demo import laad_demo
from meldingen.models import Melding, Status
from verzuimloket.datums import vandaag
from verzuimloket.paginering import blader

BEHANDELAAR = "lpa-groningen"
NAAMDEEL = "leerling 12"  # matches Leerling 12, 120..129, 1200..1299, ...


def vul(demo, aantal: int, instanties: int = 1) -> None:
    """`aantal` extra meldingen of 24GP, each for its own pupil; one in `instanties` at
    Gemeente Groningen."""
    groningen = demo.instanties[INSTANTIE]
    andere = [
        UitvoerendeInstantie.objects.create(naam=f"Bench-instantie {k}", email="b@example.nl")
        for k in range(1, instanties)
    ]
    behandelaar = demo.gebruikers[BEHANDELAAR]
    leerlingen, inschrijving = leerlingen_aanmaken(demo, aantal, 32000000, batch_size=5000)
    nu = timezone.now()
    statussen = [Status.GEREGISTREERD, Status.IN_BEHANDELING, Status.AFGESLOTEN]

    def melding(i: int, leerling) -> Melding:
        status = statussen[(i // instanties) % 3]
        geopend = status != Status.GEREGISTREERD
        return nieuwe_melding(
            leerling,
            inschrijving,
            i,
            vandaag=demo.vandaag,
            status=status,
            instantie=andere[i % instanties - 1] if i % instanties else groningen,
            geopend_op=nu if geopend else None,
            in_behandeling_door=behandelaar if geopend else None,
            in_behandeling_op=nu if geopend else None,
        )

    Melding.objects.bulk_create(
        (melding(i, leerling) for i, leerling in enumerate(leerlingen)), batch_size=5000
    )
    with connection.cursor() as cursor:  # inside the transaction: rolled back with the rest
        for tabel in ("leerlingen_leerling", "leerlingen_inschrijving", "meldingen_melding"):
            cursor.execute(f"ANALYZE {tabel}")


def plannen(instantie) -> None:
    """EXPLAIN ANALYZE of the queries the werkvoorraad runs (count, first page, the counts
    per status), as captured from the selectors."""
    with CaptureQueriesContext(connection) as queries:
        for filters in [
            {"statussen": [Status.GEREGISTREERD]},
            {},
            {"leerling": NAAMDEEL},
        ]:
            # The count and page 2, as the page reads them (verzuimloket.paginering).
            blader(
                selectors.werkvoorraad(instantie=instantie, **filters),
                QueryDict("pagina=2"),
                per_pagina=25,
                basis="",
            )
        selectors.aantallen_per_status(instantie)
    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            print(f"\n-- {query['sql'][:300]}")
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {query['sql']}")
            print("\n".join(regel for (regel,) in cursor.fetchall()))


def main() -> None:
    parser = argumenten(__doc__)
    parser.add_argument(
        "--instanties", type=int, default=1, help="spread the meldingen over this many instanties"
    )
    parser.add_argument("--explain", action="store_true", help="print the werkvoorraad's plans")
    args = parser.parse_args()

    with terugdraaien():
        demo = laad_demo(vandaag())
        begin = time.perf_counter()
        vul(demo, args.meldingen, args.instanties)
        gevuld = time.perf_counter() - begin
        instantie = demo.instanties[INSTANTIE]
        client = Client()
        client.force_login(demo.gebruikers[BEHANDELAAR])
        client.get(reverse("behandeling:werkvoorraad"))  # stores the instantie in the session
        melding = (
            Melding.objects.filter(uitvoerende_instantie=instantie, status=Status.IN_BEHANDELING)
            .order_by("-nummer")
            .first()
        )
        werkvoorraad = reverse("behandeling:werkvoorraad")
        paginas = [
            ("Werkvoorraad (standaard: Geregistreerd)", werkvoorraad),
            ("Werkvoorraad (alle statussen)", f"{werkvoorraad}?status="),
            (
                f"Werkvoorraad (alle statussen, leerling '{NAAMDEEL}')",
                f"{werkvoorraad}?status=&leerling={NAAMDEEL.replace(' ', '+')}",
            ),
            ("Werkvoorraad (alle statussen, pagina 2)", f"{werkvoorraad}?status=&pagina=2"),
            ("Melding (behandelaar)", reverse("behandeling:melding", args=[melding.nummer])),
            (
                "Terugkoppeling geven (formulier)",
                reverse("behandeling:actie", args=[melding.nummer, workflow.TERUGKOPPELING_GEVEN]),
            ),
        ]
        totaal = Melding.objects.count()
        bij_instantie = selectors.van_instantie(instantie).count()
        print(
            f"{args.meldingen} extra meldingen (gevuld in {gevuld:.1f} s), {totaal} in totaal, "
            f"{bij_instantie} bij {INSTANTIE}; mediaan van {args.herhalingen} verzoeken"
        )
        meet_paginas(client, paginas, args.herhalingen)
        if args.explain:
            plannen(instantie)


if __name__ == "__main__":
    main()
