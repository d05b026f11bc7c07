"""Requests per second and latency of the API (koppelvlak/), with N extra meldingen in the database.

    DEBUG=1 .venv/bin/python bench/koppelvlak.py --meldingen 1000 100000 --aantal 200

In-process, like the other bench scripts: Django's test Client calls the views directly (no
server, no network; a request's time is the server's). Unlike them it runs in a database of its
own, `verzuimloket_bench_koppelvlak` on the PostgreSQL server of DATABASE_URL (default: the one
`make run` uses), made and migrated the way the tests make theirs and dropped at the end: a run
of minutes locks no demo rows of the database a `make run` may be using, and leaves no dead rows
in it. The demo (laad_demo) is loaded once; each size runs in a transaction that is rolled back,
followed by a VACUUM ANALYZE. DEBUG is on (as in gedeeld.py), so Django also keeps the queries in
memory; the request log lines (verzuimloket.verzoek, INFO) are silenced.

Per size in --meldingen: N extra meldingen of 24GP at Gemeente Groningen, each for its own pupil,
in turn Geregistreerd, In behandeling and Afgesloten, changed (gewijzigd_op) in the past, three
at a time at the same moment (so the feed's cursor must break ties on the nummer), 3 s apart;
the tables are ANALYZEd inside the transaction. Two koppelingen
(koppelvlak.services.koppeling_aanmaken), one of 24GP and one of Gemeente Groningen, call with
`Authorization: Bearer <sleutel>`; API_VERZOEKEN_PER_MINUUT is raised so the rate limit (still
counted) never refuses, and API_FEED_MARGE_SECONDEN is 0 so the demo's meldingen, changed a
moment ago, are in the feed too. The scenarios, one request at a time, each after one untimed:

- POST /api/v1/meldingen (school): --aantal registrations, each for a fresh pupil enrolled at
  24GP beforehand (so the timed loop only POSTs), a V3 period from 14 to 3 days ago; inside a
  savepoint that is rolled back, so the feeds after it see only the N meldingen and the demo's.
- GET /api/v1/meldingen?aantal=P (the instantie's feed): the first page, --aantal times.
- The same feed followed with `volgende` from the first page to the last (about N / P pages,
  or at most --paginas), checked: every melding of the instantie exactly once, in the order of
  (gewijzigd_op, nummer), `meer` false only on the last page.

Every request must answer 201 or 200; a wrong answer stops the script. Prints per scenario the
meldingen in the database, the requests timed, requests per second (the requests over the
loop's wall time), the 50th and 95th percentile and the maximum of their times in ms, and the
most SQL queries one request ran; with --explain also the plan of the feed's query on its
first, second, middle and last page.
"""

import argparse
import contextlib
import datetime
import logging
import statistics
import time
import urllib.parse

from django.db import connection, reset_queries
from django.db.models import NOT_PROVIDED
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone
from gedeeld import (  # sets Django up
    INSTANTIE,
    INSTELLING,
    leerlingen_aanmaken,
    nieuwe_melding,
    terugdraaien,
)

from behandeling import selectors
from koppelvlak.services import koppeling_aanmaken
from koppelvlak.views import maak_cursor
from meldingen.demo import laad_demo
from meldingen.models import Melding, Status
from verzuimloket.datums import vandaag

DATABASE = "verzuimloket_bench_koppelvlak"
BEHANDELAAR = "lpa-groningen"
DAG = datetime.timedelta(days=1)
URL = reverse("koppelvlak:meldingen")
# The extra pupils' BSNs start here (gedeeld.vul takes 31000000, behandeling.py 32000000).
EERSTE_BSN_VULLING = 33000000
EERSTE_BSN_POST = 34000000


def kopieer(model, objecten) -> None:
    """bulk_create through COPY, for speed (a third of the time, mostly Django's and psycopg's
    work on one huge INSERT): the objects get no pk; a field with a db_default takes it."""
    velden = [
        veld
        for veld in model._meta.concrete_fields
        if not veld.primary_key and veld.db_default is NOT_PROVIDED
    ]
    kolommen = ", ".join(connection.ops.quote_name(veld.column) for veld in velden)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {model._meta.db_table} ({kolommen}) FROM STDIN") as copy,
    ):
        for obj in objecten:
            copy.write_row(
                [veld.get_db_prep_save(veld.pre_save(obj, True), connection) for veld in velden]
            )


def vul(demo, aantal: int) -> None:
    """`aantal` extra meldingen of 24GP at Gemeente Groningen, each for its own pupil, changed
    before now: three at a time at the same moment, 3 s apart."""
    groningen = demo.instanties[INSTANTIE]
    behandelaar = demo.gebruikers[BEHANDELAAR]
    leerlingen, inschrijving = leerlingen_aanmaken(
        demo, aantal, EERSTE_BSN_VULLING, batch_size=5000
    )
    nu = timezone.now()
    statussen = [Status.GEREGISTREERD, Status.IN_BEHANDELING, Status.AFGESLOTEN]

    def melding(i: int, leerling) -> Melding:
        status = statussen[i % 3]
        geopend = status != Status.GEREGISTREERD
        return nieuwe_melding(
            leerling,
            inschrijving,
            i,
            vandaag=demo.vandaag,
            status=status,
            instantie=groningen,
            gewijzigd_op=nu - datetime.timedelta(seconds=aantal - i // 3 * 3 + 60),
            geopend_op=nu if geopend else None,
            in_behandeling_door=behandelaar if geopend else None,
            in_behandeling_op=nu if geopend else None,
        )

    kopieer(Melding, (melding(i, leerling) for i, leerling in enumerate(leerlingen)))
    with connection.cursor() as cursor:  # inside the transaction: rolled back with the rest
        for tabel in ("leerlingen_leerling", "leerlingen_inschrijving", "meldingen_melding"):
            cursor.execute(f"ANALYZE {tabel}")


def aanvraag(pgn: str, op: datetime.date) -> dict:
    """The body of POST /api/v1/meldingen for this pupil (enrolled at 24GP like 999999989)."""
    return {
        "pgn": pgn,
        "leerling": {"leerlingEmail": "leerling@example.nl"},
        "verzuim": {
            "begindatum": (op - 14 * DAG).isoformat(),
            "einddatum": (op - 3 * DAG).isoformat(),
            "soort": "V3",
            "vermoedelijkeReden": "spijbelen",
            "actieGewenst": True,
            "aanbieder": "100A001",
            "locatie": "100X001",
            "contactpersoonNaam": "P. Mentor",
            "contactpersoonEmail": "mentor@school.nl",
        },
        "lesuren": {"alleLessenGemist": True},
        "acties": {"ondernomenActies": ["gesprek_leerling"]},
    }


class Fout(SystemExit):
    """A wrong answer: the script stops with it."""


def verzoek(client: Client, methode: str, url: str, verwacht: int, **kwargs):
    """One request: its response, the time the server took (in-process) in ms and its SQL
    queries. Stops the script when the status is not `verwacht`."""
    # DEBUG keeps the last 9000 queries; once full, CaptureQueriesContext would see none.
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        begin = time.perf_counter()
        response = getattr(client, methode)(url, **kwargs)
        ms = (time.perf_counter() - begin) * 1000
    if response.status_code != verwacht:
        raise Fout(
            f"{methode.upper()} {url}: {response.status_code}, niet {verwacht}\n"
            f"{response.content.decode()[:4000]}"
        )
    return response, ms, len(queries)


class Meting:
    """The times and queries of one scenario's requests, and the loop's wall time."""

    def __init__(self, naam: str):
        self.naam = naam
        self.tijden: list[float] = []
        self.queries = 0
        self._begin = time.perf_counter()
        self.duur = 0.0

    def voeg_toe(self, ms: float, queries: int) -> None:
        self.tijden.append(ms)
        self.queries = max(self.queries, queries)
        self.duur = time.perf_counter() - self._begin

    def regel(self, meldingen: int) -> str:
        tijden = self.tijden
        p95 = statistics.quantiles(tijden, n=20, method="inclusive")[18]
        return (
            f"{self.naam:{BREEDTE}} {meldingen:>9d} {len(tijden):>9d} "
            f"{len(tijden) / self.duur:>7.1f} {statistics.median(tijden):>7.1f} {p95:>7.1f} "
            f"{max(tijden):>7.1f} {self.queries:>7d}"
        )


BREEDTE = 38


def kop() -> None:
    print(
        f"{'scenario':{BREEDTE}} {'meldingen':>9} {'verzoeken':>9} {'req/s':>7} "
        f"{'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} {'queries':>7}"
    )


def registreren(client: Client, pgns: list[str], op: datetime.date) -> Meting:
    """POST one melding per pupil in `pgns`; the first one as a warm-up, not timed."""
    eerste, *rest = pgns
    verzoek(client, "post", URL, 201, data=aanvraag(eerste, op), content_type="application/json")
    meting = Meting("POST meldingen (registreren)")
    for pgn in rest:
        response, ms, queries = verzoek(
            client, "post", URL, 201, data=aanvraag(pgn, op), content_type="application/json"
        )
        meting.voeg_toe(ms, queries)
    nieuw = Melding.objects.filter(leerling__pgn__in=pgns).count()
    if nieuw != len(pgns):
        raise Fout(f"{len(pgns)} keer 201, maar {nieuw} meldingen geregistreerd")
    return meting


def eerste_pagina(client: Client, per_pagina: int, aantal: int) -> Meting:
    """GET the feed's first page `aantal` times (after one untimed)."""
    url = f"{URL}?aantal={per_pagina}"
    verzoek(client, "get", url, 200)
    meting = Meting(f"GET meldingen?aantal={per_pagina} (pagina 1)")
    for _ in range(aantal):
        response, ms, queries = verzoek(client, "get", url, 200)
        meting.voeg_toe(ms, queries)
    if len(response.json()["meldingen"]) != per_pagina:
        raise Fout(f"De eerste pagina heeft {len(response.json()['meldingen'])} meldingen")
    return meting


def feed_volgen(client: Client, per_pagina: int, paginas: int, verwacht: list[int]) -> Meting:
    """Follow `volgende` from the first page until `meer` is false (or `paginas` pages), and
    check the meldingen seen against `verwacht`: the instantie's nummers in feed order."""
    meting = Meting(f"GET meldingen?aantal={per_pagina} (volgen)")
    gezien: list[int] = []
    url = f"{URL}?aantal={per_pagina}"
    while True:
        response, ms, queries = verzoek(client, "get", url, 200)
        meting.voeg_toe(ms, queries)
        pagina = response.json()
        gezien += [m["nummer"] for m in pagina["meldingen"]]
        if not pagina["meer"] or len(meting.tijden) == paginas:
            break
        if len(pagina["meldingen"]) != per_pagina:
            raise Fout(f"Pagina {len(meting.tijden)}: {len(pagina['meldingen'])} meldingen, meer")
        url = f"{URL}?aantal={per_pagina}&cursor={urllib.parse.quote(pagina['volgende'])}"
    if not pagina["meer"] and gezien != verwacht:
        dubbel = len(gezien) - len(set(gezien))
        raise Fout(
            f"De feed gaf {len(gezien)} meldingen ({dubbel} dubbel), de instantie heeft er "
            f"{len(verwacht)}; {len(set(verwacht) - set(gezien))} ontbreken"
        )
    if pagina["meer"] and gezien != verwacht[: len(gezien)]:
        raise Fout(f"De feed week af van (gewijzigd_op, nummer) binnen {len(gezien)} meldingen")
    return meting


def plan(client: Client, naam: str, url: str) -> None:
    """EXPLAIN ANALYZE of the query that reads the feed's page at `url`."""
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    for query in queries.captured_queries:
        if "ORDER BY" in query["sql"] and "gewijzigd_op" in query["sql"]:
            print(f"\n-- {naam}: {url}\n-- {query['sql'][:400]}")
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {query['sql']}")
                print("\n".join(regel for (regel,) in cursor.fetchall()))


def plannen(client: Client, per: int, verwacht: list[int]) -> None:
    """The plans of the feed's query on its first, second, middle and last page."""
    paginas = -(-len(verwacht) // per)
    for pagina in sorted({1, 2, paginas // 2, paginas} - {0}):
        cursor = ""
        if pagina > 1:  # after the last melding of the page before, as the API writes it
            vorige = Melding.objects.get(nummer=verwacht[(pagina - 1) * per - 1])
            cursor = f"&cursor={maak_cursor(vorige.gewijzigd_op, vorige.nummer)}"
        plan(client, f"pagina {pagina}", f"{URL}?aantal={per}{cursor}")


def meet(args, demo, meldingen: int) -> None:
    """One size, in a transaction that is rolled back: fill, make the koppelingen and pupils,
    run the scenarios, print their lines."""
    with terugdraaien():
        begin = time.perf_counter()
        vul(demo, meldingen)
        gevuld = time.perf_counter() - begin
        instantie = demo.instanties[INSTANTIE]
        _, school_sleutel = koppeling_aanmaken(
            naam="Bench school", instelling=demo.instellingen[INSTELLING]
        )
        _, instantie_sleutel = koppeling_aanmaken(naam="Bench instantie", instantie=instantie)
        school = Client(headers={"Authorization": f"Bearer {school_sleutel}"})
        lpa = Client(headers={"Authorization": f"Bearer {instantie_sleutel}"})
        totaal = Melding.objects.count()
        print(
            f"\n{meldingen} extra meldingen (gevuld in {gevuld:.1f} s), {totaal} in totaal, "
            f"{selectors.van_instantie(instantie).count()} bij {INSTANTIE}"
        )
        kop()

        with terugdraaien():  # the registrations are rolled back before the feeds
            leerlingen, _ = leerlingen_aanmaken(demo, args.aantal + 1, EERSTE_BSN_POST)
            pgns = [leerling.pgn for leerling in leerlingen]
            print(registreren(school, pgns, demo.vandaag).regel(totaal))

        print(eerste_pagina(lpa, args.per_pagina, args.aantal).regel(totaal))
        verwacht = list(
            selectors.van_instantie(instantie)
            .order_by("gewijzigd_op", "nummer")
            .values_list("nummer", flat=True)
        )
        print(feed_volgen(lpa, args.per_pagina, args.paginas, verwacht).regel(totaal))
        if args.explain:
            plannen(lpa, args.per_pagina, verwacht)


@contextlib.contextmanager
def eigen_database():
    """The bench's own database on the server of DATABASE_URL, made and migrated the way the
    tests make theirs, dropped at the end: a long run locks no rows of the database `make run`
    uses, and leaves no dead rows behind in it."""
    oud = connection.settings_dict["NAME"]
    connection.settings_dict["TEST"]["NAME"] = DATABASE
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield
    finally:
        connection.creation.destroy_test_db(oud, verbosity=0)


def opruimen() -> None:
    """VACUUM ANALYZE after a size: its rolled-back rows are dead weight to the next one."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--meldingen", type=int, nargs="+", default=[1000], help="extra meldingen, per size"
    )
    parser.add_argument(
        "--aantal", type=int, default=200, help="timed requests per scenario (POST, pagina 1)"
    )
    parser.add_argument("--per-pagina", type=int, default=50, help="the feed's aantal (1-100)")
    parser.add_argument(
        "--paginas", type=int, default=0, help="follow the feed at most this many pages (0: all)"
    )
    parser.add_argument("--explain", action="store_true", help="print the feed query's plans")
    args = parser.parse_args()
    if args.aantal < 2:
        parser.error("--aantal: at least 2")

    logging.getLogger("verzuimloket.verzoek").setLevel(logging.WARNING)
    with (
        eigen_database(),
        override_settings(API_VERZOEKEN_PER_MINUUT=10**9, API_FEED_MARGE_SECONDEN=0),
    ):
        demo = laad_demo(vandaag())
        for meldingen in args.meldingen:
            meet(args, demo, meldingen)
            opruimen()


if __name__ == "__main__":
    main()
