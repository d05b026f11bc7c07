"""The daily anonymisation at national scale: the first run on a loaded register, then the days
after it.

    .venv/bin/python bench/anonimiseren.py                                   # 500,000 / 2,000,000
    .venv/bin/python bench/anonimiseren.py --leerlingen 20000 --meldingen 80000   # a quick look

Builds its own database `verzuimloket_bench_anon` on the PostgreSQL server of DATABASE_URL (or
the one `make run` uses), dropped at the end unless `--houden`: migrate, laad_demo,
`laad_volume --leerlingen N --meldingen M --seed S` (meldingen over the last four years, none
anonymised), an inzagelog of `--inzage` views of every melding's details (laad_volume writes no
log, and the log is the table the anonymisation must find its way in), VACUUM ANALYZE. Then, in
this process, `meldingen.services.meldingen_anonimiseren` as `manage.py dagelijks` calls it:

1. the first run, today: about half the register at once. Printed: the time, how many, the
   number of batches (each its own transaction) and the longest and median batch.
2. tomorrow's run straight after it (about M/1460 due), before VACUUM has removed what the
   first run left in the indexes: the worst case for a day.
3. VACUUM ANALYZE, as autovacuum does in the day between, and the run of the day after.
4. that day once more: nothing to do.

For the daily runs also the time of the selection (the SELECT ... FOR UPDATE SKIP LOCKED that
finds the due meldingen through the index `melding_anonimiseren`) and the number of queries.
"""

import argparse
import datetime
import logging
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import eigen_database
import psycopg

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "verzuimloket_bench_anon"


def manage(omgeving: dict, *args: str) -> None:
    print(f"manage.py {' '.join(args)}", file=sys.stderr)
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=omgeving,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def inzagelog(url: str, per_melding: int) -> None:
    """`per_melding` Melding details views of every melding by the demo's `melder`, on the days
    after it was reported, as the log would hold them."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            """
            INSERT INTO leerlingen_inzage
                (gebruiker_id, instelling_id, leerling_id, pgn, meldingnummer, tijdstip,
                 handeling, detail)
            SELECT (SELECT id FROM auth_user WHERE username = 'melder'), m.instelling_id,
                   m.leerling_id, '', m.nummer, m.melddatum + j, 'melding_details', ''
              FROM meldingen_melding AS m, generate_series(1, %s) AS j
            """,
            [per_melding],
        )


def vacuum(url: str) -> float:
    with psycopg.connect(url, autocommit=True) as conn:
        begin = time.perf_counter()
        conn.execute("VACUUM ANALYZE")
        return time.perf_counter() - begin


class Batches(logging.Handler):
    """Collects the (aantal, seconden) the service logs per batch."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.batches: list[tuple[int, float]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.batches.append((record.aantal, record.seconden))


def kop() -> None:
    print(
        f"{'run':<34} {'meldingen':>10} {'s':>8} {'batches':>8} {'langste':>8} "
        f"{'mediaan':>8} {'selectie':>9} {'queries':>8}"
    )


def meet(naam: str, op: datetime.date) -> None:
    """One run of the service on `op`, printed as one line."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from meldingen.services import meldingen_anonimiseren

    batches = Batches()
    logger = logging.getLogger("meldingen.services")
    logger.addHandler(batches)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False  # collected here, not printed by the console handler
    try:
        with CaptureQueriesContext(connection) as queries:
            begin = time.perf_counter()
            aantal = meldingen_anonimiseren(op=op)
            seconden = time.perf_counter() - begin
    finally:
        logger.removeHandler(batches)
        logger.propagate = True
    tijden = [s for _, s in batches.batches]
    selectie = sum(float(q["time"]) for q in queries.captured_queries if "SKIP LOCKED" in q["sql"])
    print(
        f"{naam:<34} {aantal:>10,} {seconden:8.2f} {len(tijden):>8} "
        f"{max(tijden, default=0):8.2f} {statistics.median(tijden) if tijden else 0:8.2f} "
        f"{selectie:9.3f} {len(queries):>8}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leerlingen", type=int, default=500_000)
    parser.add_argument("--meldingen", type=int, default=2_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--inzage", type=int, default=2, help="Melding details views per melding in the log"
    )
    parser.add_argument("--houden", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    url = eigen_database.url(DATABASE)
    omgeving = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "LOG_"))}
    omgeving |= {"DATABASE_URL": url, "DEBUG": "1"}
    print(f"database {DATABASE} maken en vullen", file=sys.stderr)
    eigen_database.opnieuw(url)
    try:
        manage(omgeving, "migrate", "--noinput")
        manage(omgeving, "laad_demo")
        manage(
            omgeving,
            "laad_volume",
            "--leerlingen",
            str(args.leerlingen),
            "--meldingen",
            str(args.meldingen),
            "--seed",
            str(args.seed),
        )
        print(f"inzagelog: {args.inzage} per melding", file=sys.stderr)
        inzagelog(url, args.inzage)
        vacuum(url)

        # Django against the bench's database, in this process (the settings read the
        # environment when they are imported).
        os.environ.update(omgeving)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "verzuimloket.settings")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.db import connection

        from meldingen.models import Melding
        from verzuimloket.datums import vandaag

        # Once: a run that crosses midnight must not shift the days after it.
        heden, dag = vandaag(), datetime.timedelta(days=1)
        print(
            f"{Melding.objects.count():,} meldingen, "
            f"{args.leerlingen:,} leerlingen (laad_volume), inzagelog {args.inzage} per melding"
        )
        kop()
        meet("eerste run (vandaag)", heden)
        meet("morgen, nog voor VACUUM", heden + dag)
        connection.close()
        print(f"{'VACUUM ANALYZE':<34} {'':>10} {vacuum(url):8.2f}", flush=True)
        meet("overmorgen", heden + 2 * dag)
        meet("overmorgen nog eens", heden + 2 * dag)
        connection.close()
    finally:
        if args.houden:
            print(f"database {DATABASE} bewaard", file=sys.stderr)
        else:
            eigen_database.weg(url)


if __name__ == "__main__":
    main()
