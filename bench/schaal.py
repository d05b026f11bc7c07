"""Every page at national scale, served the production way and measured against a floor.

    .venv/bin/python bench/schaal.py --leerlingen 500000 --meldingen 2000000
    .venv/bin/python bench/schaal.py --hergebruik --alleen zoek      # again, same database

Builds its own database `verzuimloket_schaal` on the PostgreSQL server of DATABASE_URL (or the
one `make run` uses): migrate, laad_demo, `laad_volume --leerlingen N --meldingen M`, the
anonymisation as the daily job leaves it, VACUUM ANALYZE.
`--hergebruik` keeps a database an earlier run left (`--houden`) and only migrates it, so new
indexes are built on the data that is already there.

Then serves the project as `make serve` does (gunicorn.conf.py, DEBUG off, WEB_CONCURRENCY
workers, default 5) with one extra page: the floor (bench/vloer.py, through the settings module
bench/vloer_instellingen.py; the app never routes to it), a logged-in page doing one indexed
lookup. For every page, round after round, wrk loads the floor and the page in turn with the
same connections, so whatever else the machine does hits both alike. Printed per page:
- ratio: the page's requests per second divided by the floor's (median over the rounds);
- p50 1 verb.: the median latency with one connection (no queueing: the time one request takes;
  the heading gives the floor's, what this machine needs for the least logged-in page);
- queries: SQL queries of one request (counted in this process, Django's test client, same
  database; the second request, after what a process keeps has been read).
Logs in as the demo users `melder` (school 24GP) and `lpa-groningen` (Gemeente Groningen), and
makes a koppeling for each for the API.
"""

import argparse
import contextlib
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
DATABASE = "verzuimloket_schaal"
GRONINGEN = "Gemeente Groningen"
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(BENCH))

import eigen_database  # noqa: E402
from serveren import (  # noqa: E402  (bench/serveren.py: the shared server plumbing)
    stoppen,
    vrije_poort,
    wacht_tot_hij_antwoordt,
)


def manage(omgeving: dict, *args: str) -> None:
    print(f"manage.py {' '.join(args)}", file=sys.stderr)
    begin = time.monotonic()
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=omgeving, check=True)
    print(f"  {time.monotonic() - begin:.0f} s", file=sys.stderr)


def wrk(url: str, headers: dict, verbindingen: int, duur: float) -> tuple[float, float]:
    """(requests/s, p50 latency in ms)."""
    args = [
        "wrk",
        "-t",
        str(min(verbindingen, 2)),
        "-c",
        str(verbindingen),
        "-d",
        f"{max(1, round(duur))}s",
    ]
    for naam, waarde in headers.items():
        args += ["-H", f"{naam}: {waarde}"]
    uitvoer = subprocess.run([*args, "--latency", url], capture_output=True, text=True).stdout
    if "Non-2xx or 3xx responses" in uitvoer or "Requests/sec" not in uitvoer:
        sys.exit(f"wrk kreeg foutantwoorden op {url}:\n{uitvoer}")
    per_seconde = float(re.search(r"Requests/sec:\s+([\d.]+)", uitvoer).group(1))
    waarde, eenheid = re.search(r"50%\s+([\d.]+)(us|ms|s)\b", uitvoer).groups()
    return per_seconde, float(waarde) * {"us": 0.001, "ms": 1, "s": 1000}[eenheid]


@dataclass
class Pagina:
    naam: str
    pad: str
    wie: str  # key of the headers to send: a session cookie or an API key
    queries: int = 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leerlingen", type=int, default=500_000)
    parser.add_argument("--meldingen", type=int, default=2_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--duur", type=int, default=4, help="seconds per wrk measurement")
    parser.add_argument("--rondes", type=int, default=2)
    parser.add_argument("--verbindingen", type=int, default=16)
    parser.add_argument("--workers", type=int, default=5, help="gunicorn processes")
    parser.add_argument("--hergebruik", action="store_true", help="reuse the bench database")
    parser.add_argument("--houden", action="store_true", help="keep the database afterwards")
    parser.add_argument("--alleen", default="", help="only pages whose name contains this")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk ontbreekt: apt-get install wrk")

    url = eigen_database.url(DATABASE)
    geheim = secrets.token_urlsafe(50)
    tijdelijk = Path(tempfile.mkdtemp(prefix="verzuimloket-schaal-"))
    poort = vrije_poort()
    basis = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "LOG_"))}
    ontwikkeling = {**basis, "DATABASE_URL": url, "DEBUG": "1"}
    for naam in ("SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL"):
        ontwikkeling.pop(naam, None)
    # As `make serve` on 127.0.0.1: production settings, plain HTTP.
    productie = {
        **basis,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECRET_KEY": geheim,
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "SITE_URL": f"http://127.0.0.1:{poort}",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "STATIC_ROOT": str(tijdelijk / "static"),
        "BIND": f"127.0.0.1:{poort}",
        "WEB_CONCURRENCY": str(args.workers),
        "DJANGO_SETTINGS_MODULE": "vloer_instellingen",
        "PYTHONPATH": str(BENCH),
        # The request log line per request is production behaviour and stays on; the API's
        # limit per koppeling (600 a minute) would answer the load with 429s.
        "API_VERZOEKEN_PER_MINUUT": "1000000",
    }

    if args.hergebruik and eigen_database.bestaat(url):
        manage(ontwikkeling, "migrate", "--noinput")
    else:
        eigen_database.opnieuw(url)
        manage(ontwikkeling, "migrate", "--noinput")
        manage(ontwikkeling, "createcachetable")
        manage(ontwikkeling, "laad_demo")
        manage(
            ontwikkeling,
            "laad_volume",
            f"--leerlingen={args.leerlingen}",
            f"--meldingen={args.meldingen}",
            f"--seed={args.seed}",
        )
        # The steady state: what is older than the retention has been anonymised, as the daily
        # job keeps it (laad_volume leaves that to the real job).
        manage(ontwikkeling, "anonimiseer_meldingen")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    manage(productie, "collectstatic", "--noinput")

    # This process: the same settings and database as the server, for the sessions, the
    # koppelingen and the query counts.
    os.environ.update(productie)
    import django

    django.setup()
    pagina_s, headers, totalen = opzetten()
    if args.alleen:
        pagina_s = [p for p in pagina_s if args.alleen.lower() in p.naam.lower()]

    server = None
    try:
        with open(tijdelijk / "gunicorn.log", "w") as log:
            server = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
                cwd=ROOT,
                env=productie,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wacht_tot_hij_antwoordt(poort, server)
        adres = f"http://127.0.0.1:{poort}"
        vloer = f"{adres}/_vloer/?pgn={totalen['pgn']}"
        wrk(vloer, headers["melder"], args.verbindingen, 2)  # warm up every worker
        # What one request costs this machine at the least: the p50s below are read against it.
        _, vloer_p50 = wrk(vloer, headers["melder"], 1, 2)
        print(
            f"{totalen['leerlingen']:,} leerlingen, {totalen['meldingen']:,} meldingen "
            f"(24GP: {totalen['leerlingen_24gp']:,} leerlingen, {totalen['meldingen_24gp']:,} "
            f"meldingen); gunicorn {args.workers} sync workers, wrk -t2 -c{args.verbindingen}, "
            f"{args.duur} s per meting, {args.rondes} rondes; vloer p50 1 verb. {vloer_p50:.2f} ms"
        )
        print(f"{'pagina':<58} {'ratio':>6} {'req/s':>8} {'vloer':>8} {'p50 1 verb.':>12} {'q':>3}")
        for pagina in pagina_s:
            doel = f"{adres}{pagina.pad}"
            kop = headers[pagina.wie]
            wrk(doel, kop, args.verbindingen, 1)  # warm up
            metingen, vloeren = [], []
            for ronde in range(args.rondes):
                # The floor always as the logged-in melder (an API key opens no session).
                paar = [(doel, kop, metingen), (vloer, headers["melder"], vloeren)]
                for adres_, kop_, lijst in paar if ronde % 2 == 0 else reversed(paar):
                    lijst.append(wrk(adres_, kop_, args.verbindingen, args.duur)[0])
            _, p50 = wrk(doel, kop, 1, max(2, args.duur // 2))
            per_s, vloer_s = statistics.median(metingen), statistics.median(vloeren)
            print(
                f"{pagina.naam:<58} {per_s / vloer_s:6.3f} {per_s:8.0f} {vloer_s:8.0f} "
                f"{p50:9.2f} ms {pagina.queries:3d}",
                flush=True,
            )
    finally:
        if server is not None:
            stoppen(server)
        if not args.houden:
            with contextlib.suppress(Exception):
                from django.db import connections

                connections.close_all()
            eigen_database.weg(url)
        shutil.rmtree(tijdelijk, ignore_errors=True)


def opzetten():
    """The pages to measure, the headers that log in, and the totals for the heading."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from koppelvlak.services import koppeling_aanmaken
    from leerlingen.models import Inschrijving, Instelling, Leerling, UitvoerendeInstantie
    from meldingen.models import Melding

    gebruikers = get_user_model().objects
    melder = gebruikers.get(username="melder")
    lpa = gebruikers.get(username="lpa-groningen")
    clients, headers = {}, {}
    for naam, gebruiker in (("melder", melder), ("lpa", lpa)):
        client = Client()
        client.force_login(gebruiker)
        client.get("/")  # one machtiging: the organisation is chosen and stored in the session
        clients[naam] = client
        headers[naam] = {"Cookie": f"sessionid={client.cookies['sessionid'].value}"}
    for naam, organisatie in (
        ("api-school", {"instelling": Instelling.objects.get(pk="24GP")}),
        ("api-instantie", {"instantie": UitvoerendeInstantie.objects.get(naam=GRONINGEN)}),
    ):
        _, sleutel = koppeling_aanmaken(naam=f"bench {naam}", **organisatie)
        headers[naam] = {"Authorization": f"Bearer {sleutel}", "Accept": "application/json"}
        clients[naam] = Client(headers={"authorization": f"Bearer {sleutel}"})

    school = Melding.objects.filter(instelling_id="24GP", geanonimiseerd_op__isnull=True)
    # A pupil of 24GP with about eight meldingen, as the measurement had.
    leerling_id = (
        school.values("leerling_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=6, n__lte=8)
        .order_by("-n", "leerling_id")
        .values_list("leerling_id", flat=True)
        .first()
    ) or school.values_list("leerling_id", flat=True).first()
    melding = school.filter(leerling_id=leerling_id).order_by("-nummer").first()
    # Where page 800 of 24GP starts: the keyset cursor the "Volgende" links carry.
    diep = school.order_by("-nummer").values_list("nummer", flat=True)[800 * 25 - 1 : 800 * 25]
    diep = diep[0] if diep else melding.nummer
    groningen = UitvoerendeInstantie.objects.get(naam=GRONINGEN)
    instantie_melding = (
        Melding.objects.filter(uitvoerende_instantie=groningen, geanonimiseerd_op__isnull=True)
        .order_by("-nummer")
        .first()
    )
    feed = (
        Melding.objects.filter(uitvoerende_instantie=groningen, geanonimiseerd_op__isnull=True)
        .order_by("gewijzigd_op", "nummer")
        .values_list("gewijzigd_op", "nummer")[10_000:10_001]
    )

    z = "/meldingen/zoeken/?"
    pagina_s = [
        Pagina("Zoek leerling (startpagina)", "/", "melder"),
        Pagina("Leerling overzicht", f"/leerling/{leerling_id}/", "melder"),
        Pagina("Melding details", f"/meldingen/{melding.nummer}/", "melder"),
        Pagina(
            "Zoek melding: instellingscode=24GP, pagina 1", f"{z}instellingscode=24GP", "melder"
        ),
        Pagina(
            "Zoek melding: instantienaam=groningen, pagina 1",
            f"{z}instantienaam=groningen",
            "melder",
        ),
        Pagina(
            "Zoek melding: 24GP, status Geregistreerd",
            f"{z}instellingscode=24GP&status=R",
            "melder",
        ),
        Pagina(
            "Zoek melding: 24GP, status Ingetrokken + In behandeling",
            f"{z}instellingscode=24GP&status=I&status=B",
            "melder",
        ),
        Pagina(
            "Zoek melding: meldingnummer (als lijst)",
            f"{z}meldingnummer={melding.nummer}&toon=lijst",
            "melder",
        ),
        Pagina(
            "Zoek melding: instellingscode=24GP, pagina 40",
            f"{z}instellingscode=24GP&pagina=40",
            "melder",
        ),
        Pagina(
            "Zoek melding: instellingscode=24GP, pagina 800 (Volgende)",
            f"{z}instellingscode=24GP&na={diep}&pagina=800",
            "melder",
        ),
        Pagina("Werkvoorraad (Geregistreerd)", "/behandeling/", "lpa"),
        Pagina("Werkvoorraad: alle statussen, pagina 2", "/behandeling/?status=&pagina=2", "lpa"),
        Pagina("Werkvoorraad: instelling 24GP", "/behandeling/?status=&instelling=24GP", "lpa"),
        Pagina(
            "Behandeling: melding", f"/behandeling/meldingen/{instantie_melding.nummer}/", "lpa"
        ),
        Pagina("API school: GET /meldingen", "/api/v1/meldingen", "api-school"),
        Pagina("API instantie: feed, eerste pagina", "/api/v1/meldingen", "api-instantie"),
    ]
    if feed:
        from koppelvlak.views import maak_cursor

        pagina_s.append(
            Pagina(
                "API instantie: feed, na 10.000 meldingen",
                f"/api/v1/meldingen?cursor={maak_cursor(*feed[0])}",
                "api-instantie",
            )
        )
    for pagina in pagina_s:
        # Counted on the second request, as a running server serves it: what a process keeps
        # (the instanties' names for Zoek melding) is read on its first.
        clients[pagina.wie].get(pagina.pad)
        with CaptureQueriesContext(connection) as queries:
            antwoord = clients[pagina.wie].get(pagina.pad)
        if antwoord.status_code != 200:
            sys.exit(f"{pagina.naam}: {pagina.pad} gaf {antwoord.status_code}")
        pagina.queries = len(queries)
    totalen = {
        "leerlingen": Leerling.objects.count(),
        "meldingen": Melding.objects.count(),
        "leerlingen_24gp": Inschrijving.objects.filter(instelling_id="24GP").count(),
        "meldingen_24gp": school.count(),
        "pgn": Leerling.objects.values_list("pgn", flat=True).first(),
    }
    return pagina_s, headers, totalen


if __name__ == "__main__":
    main()
