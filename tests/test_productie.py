"""Production readiness: the health endpoints a load balancer polls, the request id and the
JSON log line of every request (never pupil data), and the real production server (gunicorn,
DEBUG off) as `make serve` and docs/deploy.md run it."""

import http.client
import io
import json
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock

import pytest
from django.db import OperationalError, connection, connections
from django.db.migrations.recorder import MigrationRecorder
from django.urls import reverse

from tests.processen import bereikbaar
from tests.test_instellingen import PRODUCTIE
from verzuimloket import gezondheid
from verzuimloket.logboek import JsonFormatter, VerzoekFilter

PROJECT = Path(__file__).resolve().parent.parent
PGN = "999999989"


@pytest.fixture(autouse=True)
def migraties_opnieuw_bekijken(monkeypatch):
    """Readiness remembers per process that no migration is pending; each test starts afresh."""
    monkeypatch.setattr(gezondheid, "_migraties_bijgewerkt", False)


@pytest.fixture
def logregels():
    """The JSON lines the production log handler writes (its filter and formatter), for every
    level; returns a function giving the lines so far as dicts."""
    stroom = io.StringIO()
    handler = logging.StreamHandler(stroom)
    handler.addFilter(VerzoekFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    oud_niveau = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    logging.getLogger("verzuimloket").setLevel(logging.DEBUG)
    try:
        yield lambda: [json.loads(regel) for regel in stroom.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)
        root.setLevel(oud_niveau)
        logging.getLogger("verzuimloket").setLevel(logging.NOTSET)


def verzoekregels(regels) -> list[dict]:
    return [regel for regel in regels if regel["logger"] == "verzuimloket.verzoek"]


# --- Health endpoints ------------------------------------------------------------------------


def test_de_adressen():
    assert reverse("gezond_leeft") == "/gezond/leeft"
    assert reverse("gezond_klaar") == "/gezond/klaar"


@pytest.mark.django_db
def test_leeft_zonder_database_en_zonder_cookie(client, logregels, django_assert_num_queries):
    with django_assert_num_queries(0):
        antwoord = client.get("/gezond/leeft")
    assert antwoord.status_code == 200
    assert antwoord.content == b"ok"
    assert antwoord["Content-Type"].startswith("text/plain")
    assert not antwoord.cookies
    # Logged at DEBUG only (polled every few seconds), with no user: none was loaded.
    [regel] = verzoekregels(logregels())
    assert regel["level"] == "DEBUG"
    assert "user_id" not in regel


@pytest.mark.django_db
def test_klaar_met_database_en_alle_migraties(client, django_assert_num_queries):
    antwoord = client.get("/gezond/klaar")
    assert antwoord.status_code == 200
    assert antwoord.content == b"ok"
    assert not antwoord.cookies
    # Once all migrations were seen applied, only the database is asked.
    with django_assert_num_queries(1):
        assert client.get("/gezond/klaar").status_code == 200


@pytest.mark.django_db
def test_klaar_is_503_zolang_een_migratie_openstaat(client):
    # The database forgets that one migration ran (undone with the test's transaction).
    recorder = MigrationRecorder(connection)
    laatste = recorder.migration_qs.filter(app="verzuimloket").order_by("-id").first()
    recorder.record_unapplied(laatste.app, laatste.name)

    antwoord = client.get("/gezond/klaar")
    assert antwoord.status_code == 503
    assert antwoord.content.decode() == "niet klaar: 1 migratie(s) staan open"

    recorder.record_applied(laatste.app, laatste.name)
    assert client.get("/gezond/klaar").status_code == 200


@pytest.mark.django_db
def test_klaar_is_503_zonder_database_en_toont_geen_fout(client, logregels):
    fout = OperationalError('connection to server at "db.intern" failed: password for "geheim"')
    with mock.patch.object(connections["default"], "cursor", side_effect=fout):
        antwoord = client.get("/gezond/klaar")
    assert antwoord.status_code == 503
    assert antwoord.content.decode() == "niet klaar: database antwoordt niet"
    assert not antwoord.cookies
    logboek = json.dumps(logregels())
    assert "OperationalError" in logboek
    assert "db.intern" not in logboek
    assert "geheim" not in logboek


def test_gezondheid_zonder_https_omleiding(client, settings):
    """A load balancer checks an app process directly over HTTP: no redirect to HTTPS."""
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/gezond/leeft").status_code == 200
    assert client.head("/gezond/leeft").status_code == 200
    assert client.post("/gezond/leeft").status_code == 405
    assert client.get(reverse("login")).status_code == 301


# --- Request id and the log line of a request ------------------------------------------------


def test_request_id_van_de_client_komt_terug(client):
    antwoord = client.get("/gezond/leeft", headers={"X-Request-ID": "lb-1.2_3-X"})
    assert antwoord["X-Request-ID"] == "lb-1.2_3-X"


@pytest.mark.parametrize(
    "waarde", [None, "", "a" * 65, "met spatie", "regel\neinde", '{"nep": 1}', "ünïcode"]
)
def test_request_id_anders_nieuw(client, waarde):
    headers = {} if waarde is None else {"X-Request-ID": waarde}
    gegeven = client.get("/gezond/leeft", headers=headers)["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", gegeven)
    assert gegeven != client.get("/gezond/leeft", headers=headers)["X-Request-ID"]


def test_een_nieuwe_request_id_wordt_in_de_log_niet_gemaskeerd():
    """A new id never holds nine digits in a row, which the log would mask as a possible BSN
    (one in 17 random ids did): its log lines carry the id the response gave."""
    import uuid

    from verzuimloket import logboek

    met_negen = uuid.UUID("f123456789c1461ebc25bfb1b2c7ad4e")
    zonder = uuid.UUID("0a1b2c3d4e5f60718293a4b5c6d7e8f9")
    with mock.patch.object(logboek.uuid, "uuid4", side_effect=[met_negen, zonder]):
        gegeven = logboek.request_id(None)
    assert gegeven == zonder.hex
    assert logboek.maskeren(gegeven) == gegeven


@pytest.mark.django_db
def test_logregel_van_een_verzoek_zonder_leerlinggegevens(melder_client, demo, logregels):
    antwoord = melder_client.get(
        f"{reverse('meldingen:zoeken')}?pgn={PGN}&status=geregistreerd",
        headers={"X-Request-ID": "verzoek-42"},
    )
    assert antwoord.status_code == 200

    [regel] = verzoekregels(logregels())
    assert regel.pop("timestamp").endswith("Z")
    assert regel.pop("duration_ms") >= 0
    assert regel.pop("message").startswith("GET /meldingen/zoeken/ 200 (")
    assert regel == {
        "level": "INFO",
        "logger": "verzuimloket.verzoek",
        "request_id": "verzoek-42",
        "user_id": demo.gebruikers["melder"].pk,
        "instellingscode": "24GP",
        "method": "GET",
        "path": "/meldingen/zoeken/",
        "status": 200,
    }
    alles = json.dumps(logregels())
    assert PGN not in alles
    assert "status=" not in alles


@pytest.mark.django_db
def test_elke_logregel_binnen_een_verzoek_draagt_de_context(melder_client, demo, logregels):
    """Not only the request line: whatever is logged during a request carries its request id
    (here the readiness check's warning)."""
    with mock.patch.object(gezondheid, "open_migraties", return_value=["een"]):
        melder_client.get("/gezond/klaar", headers={"X-Request-ID": "r-7"})
    [waarschuwing] = [r for r in logregels() if r["logger"] == "verzuimloket.gezondheid"]
    assert waarschuwing["level"] == "WARNING"
    assert waarschuwing["request_id"] == "r-7"
    # Readiness never loads the user itself (no session query per poll).
    assert "user_id" not in waarschuwing


def test_json_regel_maskeert_negen_cijfers():
    """A safety net under the rule not to log pupil data: a BSN in a message or a traceback
    (a database error can quote a row) is masked; shorter numbers (meldingnummers) stay."""
    try:
        raise ValueError(f"sleutel (pgn)=({PGN}) bestaat al")
    except ValueError:
        record = logging.getLogger("test").makeRecord(
            "test",
            logging.ERROR,
            __file__,
            1,
            "melding %s, leerling %s",
            (4000001, PGN),
            sys.exc_info(),
        )
    regel = JsonFormatter().format(record)
    assert PGN not in regel
    geparst = json.loads(regel)
    assert geparst["message"] == "melding 4000001, leerling *********"
    assert "(pgn)=(*********)" in geparst["exception"]
    assert set(geparst) == {"timestamp", "level", "logger", "message", "exception"}


# --- The production server -------------------------------------------------------------------


def vrije_poort() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def vraag(poort: int, pad: str) -> http.client.HTTPResponse:
    verbinding = http.client.HTTPConnection("127.0.0.1", poort, timeout=5)
    verbinding.request("GET", pad)
    antwoord = verbinding.getresponse()
    antwoord.tekst = antwoord.read().decode()
    verbinding.close()
    return antwoord


@pytest.mark.django_db(transaction=True)
def test_productieserver(tmp_path):
    """gunicorn with two workers, DEBUG off and the production settings, against the test
    database: ready, the login page with its CSS from WhiteNoise, CSP, JSON logs without the
    query string, and a graceful stop on SIGTERM."""
    instellingen = connection.settings_dict
    poort = vrije_poort()
    omgeving = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "LOG_"))}
    omgeving.update({k: v for k, v in PRODUCTIE.items() if v is not None})
    omgeving.pop("DEBUG", None)
    omgeving.update(
        DATABASE_URL=(
            f"postgres://{instellingen['USER']}@{instellingen['HOST']}:{instellingen['PORT']}"
            f"/{instellingen['NAME']}"
        ),
        ALLOWED_HOSTS="127.0.0.1",
        # Plain HTTP here, as with `make serve`; behind the TLS proxy these stay on.
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        STATIC_ROOT=str(tmp_path / "static"),
        WEB_CONCURRENCY="2",
        BIND=f"127.0.0.1:{poort}",
    )
    if instellingen.get("PASSWORD"):
        omgeving["PGPASSWORD"] = instellingen["PASSWORD"]
    verzamel = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=PROJECT,
        env=omgeving,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert verzamel.returncode == 0, verzamel.stderr

    uitvoer, fouten = tmp_path / "stdout", tmp_path / "stderr"
    with uitvoer.open("w") as stdout, fouten.open("w") as stderr:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
            cwd=PROJECT,
            env=omgeving,
            stdout=stdout,
            stderr=stderr,
        )

    def log() -> str:
        return f"gunicorn schreef:\n{uitvoer.read_text()}{fouten.read_text()}"

    try:
        tot = time.monotonic() + 15
        while True:
            if bereikbaar(f"http://127.0.0.1:{poort}/gezond/leeft"):
                break
            assert server.poll() is None, log()
            assert time.monotonic() < tot, log()
            time.sleep(0.1)

        klaar = vraag(poort, "/gezond/klaar")
        assert (klaar.status, klaar.tekst) == (200, "ok"), log()

        inloggen = vraag(poort, f"/inloggen/?pgn={PGN}")
        assert inloggen.status == 200
        assert "<h1>Inloggen</h1>" in inloggen.tekst
        assert "default-src 'self'" in inloggen.getheader("Content-Security-Policy")
        css = re.search(r'<link rel="stylesheet" href="([^"]+)"', inloggen.tekst).group(1)
        assert re.fullmatch(r"/static/css/verzuimloket\.[0-9a-f]{12}\.css", css)  # hashed
        stijl = vraag(poort, css)
        assert stijl.status == 200
        assert "max-age=315360000" in stijl.getheader("Cache-Control")
        assert "immutable" in stijl.getheader("Cache-Control")

        begin = time.monotonic()
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=10) == 0, log()
        assert time.monotonic() - begin < 5
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()

    regels = [json.loads(regel) for regel in uitvoer.read_text().splitlines()]  # all JSON
    assert fouten.read_text() == ""
    [login] = [r for r in regels if r.get("path") == "/inloggen/"]
    assert login["logger"] == "verzuimloket.verzoek"
    assert (login["method"], login["status"]) == ("GET", 200)
    assert re.fullmatch(r"[0-9a-f]{32}", login["request_id"])
    assert PGN not in uitvoer.read_text()
    assert any(r["message"] == "Shutting down: Master" for r in regels)
