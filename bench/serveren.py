"""Requests per second and median latency of the Leerling overzicht, served the way `make serve`
does (gunicorn, N worker processes, DEBUG off) and by the development server
(`manage.py runserver --noreload`, DEBUG on), with the same load on both.

    .venv/bin/python bench/serveren.py --duur 10 --verbindingen 8 --rondes 3

Builds its own database `verzuimloket_bench` (dropped at the end) on the PostgreSQL server of
DATABASE_URL, or the one `make run` uses, with the demo data (`laad_demo`). Logs in as `melder`
through the login page, finds pupil 999999989 through Zoek leerling, and then loads
`/leerling/<pk>/` with that session. The load comes from wrk when it is installed (Debian:
apt-get install wrk), else from a small Python load generator (threads, keep-alive). The two
servers take turns, round after round, so whatever else the machine does hits both alike; the
last lines give the median over the rounds.
"""

import argparse
import contextlib
import http.client
import http.cookiejar
import os
import re
import runpy
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import eigen_database

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "verzuimloket_bench"
PGN = "999999989"
WACHTWOORD = "verzuimloket-demo"


def vrije_poort() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(omgeving: dict, *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=omgeving,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def wacht_tot_hij_antwoordt(poort: int, proces: subprocess.Popen) -> None:
    tot = time.monotonic() + 30
    while time.monotonic() < tot:
        if proces.poll() is not None:
            sys.exit(f"De server op poort {poort} stopte (code {proces.returncode}).")
        with contextlib.suppress(OSError):
            verbinding = http.client.HTTPConnection("127.0.0.1", poort, timeout=2)
            verbinding.request("GET", "/gezond/leeft")
            if verbinding.getresponse().status == 200:
                return
        time.sleep(0.2)
    sys.exit(f"De server op poort {poort} antwoordde niet binnen 30 s.")


def csrf_token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def inloggen(basis: str) -> tuple[str, str]:
    """Log in as `melder` and search the pupil, as a browser would; returns the path of the
    Leerling overzicht and the Cookie header of the session."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    token = csrf_token(opener.open(f"{basis}/inloggen/").read().decode())
    gegevens = {"username": "melder", "password": WACHTWOORD, "csrfmiddlewaretoken": token}
    zoeken = opener.open(f"{basis}/inloggen/", urllib.parse.urlencode(gegevens).encode())
    gegevens = {"pgn": PGN, "csrfmiddlewaretoken": csrf_token(zoeken.read().decode())}
    overzicht = opener.open(f"{basis}/", urllib.parse.urlencode(gegevens).encode())
    pad = urllib.parse.urlsplit(overzicht.geturl()).path
    if not re.fullmatch(r"/leerling/\d+/", pad):
        sys.exit(f"Inloggen en zoeken kwamen uit op {pad}, niet op een Leerling overzicht.")
    return pad, "; ".join(f"{c.name}={c.value}" for c in jar)


def wrk(url: str, cookie: str, verbindingen: int, duur: int) -> tuple[float, float]:
    """(requests/s, p50 latency in ms) measured by wrk."""
    uitvoer = subprocess.run(
        ["wrk", "-t", str(min(verbindingen, 4)), "-c", str(verbindingen), "-d", f"{duur}s"]
        + ["--latency", "-H", f"Cookie: {cookie}", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if "Non-2xx or 3xx responses" in uitvoer:
        sys.exit(f"wrk kreeg foutantwoorden:\n{uitvoer}")
    per_seconde = float(re.search(r"Requests/sec:\s+([\d.]+)", uitvoer).group(1))
    waarde, eenheid = re.search(r"50%\s+([\d.]+)(us|ms|s)", uitvoer).groups()
    return per_seconde, float(waarde) * {"us": 0.001, "ms": 1, "s": 1000}[eenheid]


def python_last(url: str, cookie: str, verbindingen: int, duur: int) -> tuple[float, float]:
    """The same measurement without wrk: one thread per connection, keep-alive where the server
    allows it (gunicorn's sync workers close after every response)."""
    doel = urllib.parse.urlsplit(url)
    tijden: list[float] = []
    fouten: list[int] = []
    einde = time.monotonic() + duur

    def belasten():
        verbinding = None
        while time.monotonic() < einde:
            if verbinding is None:
                verbinding = http.client.HTTPConnection(doel.hostname, doel.port, timeout=30)
            begin = time.perf_counter()
            verbinding.request("GET", doel.path, headers={"Cookie": cookie})
            antwoord = verbinding.getresponse()
            antwoord.read()
            tijden.append(time.perf_counter() - begin)  # list.append is thread-safe
            if antwoord.status != 200:
                fouten.append(antwoord.status)
            if antwoord.will_close:
                verbinding.close()
                verbinding = None

    draden = [threading.Thread(target=belasten) for _ in range(verbindingen)]
    begin = time.monotonic()
    for draad in draden:
        draad.start()
    for draad in draden:
        draad.join()
    if fouten:
        sys.exit(f"Foutantwoorden: {sorted(set(fouten))}")
    return len(tijden) / (time.monotonic() - begin), statistics.median(tijden) * 1000


def stoppen(proces: subprocess.Popen) -> None:
    if proces.poll() is None:
        proces.send_signal(signal.SIGTERM)
        try:
            proces.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proces.kill()
            proces.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duur", type=int, default=10, help="seconds per measurement")
    parser.add_argument("--verbindingen", type=int, default=8, help="concurrent connections")
    parser.add_argument("--rondes", type=int, default=3)
    parser.add_argument("--workers", type=int, help="gunicorn processes (gunicorn.conf.py)")
    args = parser.parse_args()
    last = wrk if shutil.which("wrk") else python_last

    url = eigen_database.url(DATABASE)
    basis = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "LOG_"))}
    basis["DATABASE_URL"] = url
    ontwikkeling = {**basis, "DEBUG": "1"}
    for naam in ("SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL"):
        ontwikkeling.pop(naam, None)
    dev_poort, prod_poort = vrije_poort(), vrije_poort()
    tijdelijk = Path(tempfile.mkdtemp(prefix="verzuimloket-bench-"))
    # As `make serve` on 127.0.0.1: production settings, plain HTTP.
    productie = {
        **basis,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{prod_poort}",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "STATIC_ROOT": str(tijdelijk / "static"),
        "BIND": f"127.0.0.1:{prod_poort}",
    }
    if args.workers:
        productie["WEB_CONCURRENCY"] = str(args.workers)

    servers: dict[str, subprocess.Popen] = {}
    print(f"database {DATABASE} maken en vullen (demo)", file=sys.stderr)
    eigen_database.opnieuw(url)
    try:
        manage(ontwikkeling, "migrate", "--noinput")
        manage(ontwikkeling, "createcachetable")
        manage(ontwikkeling, "laad_demo")
        manage(productie, "collectstatic", "--noinput")
        with (
            open(tijdelijk / "gunicorn.log", "w") as log_prod,
            open(tijdelijk / "runserver.log", "w") as log_dev,
        ):
            servers["gunicorn"] = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
                cwd=ROOT,
                env=productie,
                stdout=log_prod,
                stderr=subprocess.STDOUT,
            )
            servers["runserver"] = subprocess.Popen(
                [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{dev_poort}"],
                cwd=ROOT,
                env=ontwikkeling,
                stdout=log_dev,
                stderr=subprocess.STDOUT,
            )
        poorten = {"gunicorn": prod_poort, "runserver": dev_poort}
        doelen = {}
        for naam, poort in poorten.items():
            wacht_tot_hij_antwoordt(poort, servers[naam])
            pad, cookie = inloggen(f"http://127.0.0.1:{poort}")
            doelen[naam] = (f"http://127.0.0.1:{poort}{pad}", cookie)
            last(*doelen[naam], args.verbindingen, 2)  # warm up

        workers = args.workers or runpy.run_path(str(ROOT / "gunicorn.conf.py"))["workers"]
        print(
            f"Leerling overzicht, {args.verbindingen} verbindingen, {args.duur} s per meting, "
            f"last: {last.__name__}; gunicorn {workers} workers DEBUG=0, "
            f"runserver --noreload DEBUG=1"
        )
        uitslagen: dict[str, list[tuple[float, float]]] = {naam: [] for naam in poorten}
        for ronde in range(1, args.rondes + 1):
            volgorde = list(poorten) if ronde % 2 else list(reversed(poorten))
            for naam in volgorde:
                per_seconde, p50 = last(*doelen[naam], args.verbindingen, args.duur)
                uitslagen[naam].append((per_seconde, p50))
                print(f"ronde {ronde}  {naam:<9}  {per_seconde:8.1f} req/s  p50 {p50:7.1f} ms")
        for naam, metingen in uitslagen.items():
            print(
                f"mediaan   {naam:<9}  {statistics.median(m[0] for m in metingen):8.1f} req/s  "
                f"p50 {statistics.median(m[1] for m in metingen):7.1f} ms"
            )
    finally:
        for proces in servers.values():
            stoppen(proces)
        eigen_database.weg(url)
        shutil.rmtree(tijdelijk, ignore_errors=True)


if __name__ == "__main__":
    main()
