"""Helpers for tests that run the project as real, separate processes against pytest's test
database (tests only): app servers (gunicorn), e-mail workers (`manage.py db_worker`), an HTTP
client with a cookie jar that talks to several servers, and a reader for the forms on a page.

Every process writes its output to a log file; `Processen.uitvoer()` shows the logs of all of
them, so an assertion message can say what a failing process printed. `Processen.stop_alle()`
(called by the fixture that owns them, also when a test fails) ends every process it started,
by its own Popen handle.
"""

import contextlib
import html
import http.cookiejar
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from django.db import connection

PROJECT = Path(__file__).resolve().parent.parent
# The settings the processes run with: the project's own, configured by `omgeving()`.
SETTINGS = "verzuimloket.settings"

# Variables of the test runner's environment that would change how the processes run, whatever
# this test asks for (gunicorn reads GUNICORN_CMD_ARGS and WEB_CONCURRENCY itself).
NIET_DOORGEVEN = {"GUNICORN_CMD_ARGS", "WEB_CONCURRENCY"}


def database_url() -> str:
    """The test database this process uses (pytest-django's, e.g. test_postgres)."""
    instellingen = connection.settings_dict
    gebruiker = urllib.parse.quote(instellingen["USER"] or "", safe="")
    host = instellingen["HOST"] or "127.0.0.1"
    poort = f":{instellingen['PORT']}" if instellingen["PORT"] else ""
    naam = urllib.parse.quote(instellingen["NAME"], safe="")
    return f"postgres://{gebruiker}@{host}{poort}/{naam}"


def omgeving(**extra: str) -> dict[str, str]:
    """An environment for a process of the project on the test database, in development mode,
    that does not lean on the settings' defaults: DEBUG, the secret key (the same for every
    process of one test: sessions and the messages cookie are signed with it), the hosts and
    plain-HTTP cookies are all given explicitly."""
    env = {k: v for k, v in os.environ.items() if k not in NIET_DOORGEVEN}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": SETTINGS,
            "DATABASE_URL": database_url(),
            "DEBUG": "1",
            "SECRET_KEY": "test-" + secrets.token_urlsafe(40),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": "http://127.0.0.1:8000",
            "SECURE_SSL_REDIRECT": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "LOG_LEVEL": "INFO",
            "PYTHONUNBUFFERED": "1",
        }
    )
    if connection.settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = connection.settings_dict["PASSWORD"]
    env.update(extra)
    return env


def bereikbaar(url: str) -> bool:
    """Does `url` answer 200 yet? A server that is still starting refuses the connection."""
    try:
        with urllib.request.urlopen(url, timeout=2) as antwoord:
            return antwoord.status == 200
    except OSError:
        return False


@dataclass
class Proces:
    naam: str
    popen: subprocess.Popen
    log: Path
    url: str = ""

    @property
    def leeft(self) -> bool:
        return self.popen.poll() is None

    def uitvoer(self, regels: int = 60) -> str:
        try:
            tekst = self.log.read_text(errors="replace")
        except OSError as exc:
            tekst = f"(geen log: {exc})"
        staart = "\n".join(tekst.splitlines()[-regels:])
        return f"--- {self.naam} (pid {self.popen.pid}, exit {self.popen.poll()}) ---\n{staart}"

    def stop(self, timeout: float = 10) -> None:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(timeout)


@dataclass
class Processen:
    """The processes of one test; the owner calls `stop_alle()` in a finally/fixture."""

    map: Path
    env: dict[str, str]
    alle: list[Proces] = field(default_factory=list)

    def start(self, naam: str, args: list[str], **popen_kwargs) -> Proces:
        log = self.map / f"{naam}.log"
        with log.open("wb") as uit:
            popen = subprocess.Popen(
                args,
                cwd=PROJECT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=uit,
                stderr=subprocess.STDOUT,
                **popen_kwargs,
            )
        proces = Proces(naam, popen, log)
        self.alle.append(proces)
        return proces

    def start_server(self, naam: str) -> Proces:
        """`gunicorn verzuimloket.wsgi -w 1` (this venv's) on a free port of 127.0.0.1.

        The port is free for sure: this process binds a socket to port 0 (the kernel picks a
        free port) and hands the listening socket itself to gunicorn (`-b fd://N`), so no other
        program can take the port between choosing and binding it. An empty config file keeps
        a gunicorn.conf.py in the project directory (the production setup) out of this test.
        """
        config = self.map / "gunicorn-leeg.conf.py"
        config.touch()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            sock.bind(("127.0.0.1", 0))
            sock.listen(64)
            poort = sock.getsockname()[1]
            args = [
                sys.executable,
                "-m",
                "gunicorn",
                "verzuimloket.wsgi",
                "-c",
                str(config),
                "-b",
                f"fd://{sock.fileno()}",
                "-w",
                "1",
                "--timeout",
                "60",
                "--graceful-timeout",
                "5",
                # No control socket: its default path is one per user, shared by two servers.
                "--no-control-socket",
            ]
            proces = self.start(naam, args, pass_fds=[sock.fileno()])
        finally:
            sock.close()  # gunicorn holds its own copy now
        proces.url = f"http://127.0.0.1:{poort}"
        return proces

    def start_worker(self, naam: str, *opties: str) -> Proces:
        args = [sys.executable, "manage.py", "db_worker", "--worker-id", naam, "--no-reload"]
        return self.start(naam, [*args, *opties])

    def wacht_op_servers(self, *servers: Proces, timeout: float = 30) -> None:
        """Until each server answers the login page (its first request loads the app)."""
        eind = time.monotonic() + timeout
        for server in servers:
            while True:
                assert server.leeft, f"{server.naam} stopte bij het starten\n{self.uitvoer()}"
                if bereikbaar(server.url + "/inloggen/"):
                    break
                assert time.monotonic() < eind, f"{server.naam} start niet\n{self.uitvoer()}"
                time.sleep(0.1)

    def wacht_op_log(self, proces: Proces, tekst: str, timeout: float = 30) -> None:
        eind = time.monotonic() + timeout
        while tekst not in proces.log.read_text(errors="replace"):
            assert proces.leeft, f"{proces.naam} stopte\n{self.uitvoer()}"
            assert time.monotonic() < eind, f"{proces.naam}: geen {tekst!r}\n{self.uitvoer()}"
            time.sleep(0.05)

    def uitvoer(self) -> str:
        return "\n".join(p.uitvoer() for p in self.alle)

    def stop_alle(self) -> None:
        """SIGTERM to every process still running, then wait for each (SIGKILL after 10 s)."""
        for proces in self.alle:
            if proces.leeft:
                with contextlib.suppress(ProcessLookupError):
                    proces.popen.send_signal(signal.SIGTERM)
        for proces in self.alle:
            with contextlib.suppress(Exception):
                proces.stop()


# --- HTTP: one browser, several servers ------------------------------------------------------


@dataclass
class Antwoord:
    server: str
    methode: str
    pad: str
    status: int
    headers: object
    html: str

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")

    @property
    def tekst(self) -> str:
        """The visible text, whitespace collapsed (tags, scripts and styles removed)."""
        zonder = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", self.html, flags=re.S)
        return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", zonder))).strip()

    def __str__(self) -> str:
        return f"{self.methode} {self.server}{self.pad} -> {self.status} {self.location}"


class _GeenFoutenGeenRedirects(urllib.request.HTTPErrorProcessor):
    """Every response back to the caller as it is: a redirect is not followed (the test
    decides which server gets the next request) and a 4xx/5xx is not an exception."""

    def http_response(self, request, response):
        return response

    https_response = http_response


class Browser:
    """What a browser does that matters here: one cookie jar for all servers (cookies belong
    to a host, not to a port, so 127.0.0.1:A and 127.0.0.1:B share them as two app servers
    behind one address would), GET and POST of forms, and no JavaScript. Redirects are not
    followed by themselves: `volg` sends the Location to a server of the caller's choice.
    Every request is kept in `verloop`."""

    def __init__(self):
        self.cookies = http.cookiejar.CookieJar()
        self._opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _GeenFoutenGeenRedirects()
        )
        self.verloop: list[Antwoord] = []

    def _verstuur(self, server: Proces, methode: str, pad: str, data=None) -> Antwoord:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        verzoek = urllib.request.Request(server.url + pad, data=body, method=methode)
        with self._opener.open(verzoek, timeout=30) as antwoord:
            inhoud = antwoord.read().decode("utf-8", errors="replace")
            resultaat = Antwoord(
                server.naam, methode, pad, antwoord.status, antwoord.headers, inhoud
            )
        self.verloop.append(resultaat)
        return resultaat

    def get(self, server: Proces, pad: str) -> Antwoord:
        return self._verstuur(server, "GET", pad)

    def post(self, server: Proces, pad: str, data) -> Antwoord:
        return self._verstuur(server, "POST", pad, data)

    def volg(self, server: Proces, antwoord: Antwoord) -> Antwoord:
        assert antwoord.status in (301, 302, 303), f"geen redirect: {antwoord}"
        doel = urllib.parse.urlsplit(urllib.parse.urljoin(antwoord.pad, antwoord.location))
        return self.get(server, doel.path + (f"?{doel.query}" if doel.query else ""))

    def verloop_tekst(self) -> str:
        return "\n".join(f"{i:2}. {a}" for i, a in enumerate(self.verloop, 1))


# --- Forms as the page renders them ----------------------------------------------------------


@dataclass
class Veld:
    naam: str
    soort: str  # text, hidden, radio, checkbox, select, textarea, submit, ...
    waarde: str = ""
    aan: bool = False  # checked (radio/checkbox) or selected (option)
    opties: list[str] = field(default_factory=list)  # select: the option values
    gekozen: list[str] = field(default_factory=list)  # select: the selected values


@dataclass
class Formulier:
    methode: str
    actie: str
    velden: list[Veld] = field(default_factory=list)

    @property
    def namen(self) -> set[str]:
        return {v.naam for v in self.velden if v.soort not in ("submit", "button", "reset")}

    def keuzes(self, naam: str) -> list[str]:
        """The values a radio group, checkbox group or select offers."""
        waarden = []
        for veld in self.velden:
            if veld.naam == naam:
                waarden += veld.opties if veld.soort == "select" else [veld.waarde]
        return waarden

    def waarden(self) -> dict[str, list[str]]:
        """What a browser would submit without any typing (no button clicked)."""
        data: dict[str, list[str]] = {}
        for veld in self.velden:
            if veld.soort in ("submit", "button", "reset", "image", "file"):
                continue
            if veld.soort in ("radio", "checkbox"):
                if veld.aan:
                    data.setdefault(veld.naam, []).append(veld.waarde or "on")
                else:
                    data.setdefault(veld.naam, [])
            elif veld.soort == "select":
                gekozen = veld.gekozen or veld.opties[:1]
                data.setdefault(veld.naam, []).extend(gekozen)
            else:
                data.setdefault(veld.naam, []).append(veld.waarde)
        return data

    def invullen(self, **ingevuld) -> dict[str, list[str]]:
        """The submitted data after typing `ingevuld` (field name -> value or list of values).
        Only fields the page shows can be filled, and a choice must be one the page offers."""
        data = self.waarden()
        for naam, waarde in ingevuld.items():
            assert naam in self.namen, f"{naam!r} staat niet op de pagina: {sorted(self.namen)}"
            waarden = [str(w) for w in (waarde if isinstance(waarde, list) else [waarde])]
            keuzes = [v for v in self.velden if v.naam == naam and v.soort in ("radio", "checkbox")]
            if keuzes or any(v.naam == naam and v.soort == "select" for v in self.velden):
                for w in waarden:
                    assert w in self.keuzes(naam), f"{naam}={w!r} niet in {self.keuzes(naam)}"
            data[naam] = waarden
        return data


class _FormulierLezer(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.formulieren: list[Formulier] = []
        self._form: Formulier | None = None
        self._select: Veld | None = None
        self._optie: dict | None = None
        self._textarea: Veld | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = Formulier((a.get("method") or "get").lower(), a.get("action") or "")
            self.formulieren.append(self._form)
            return
        if self._form is None or "disabled" in a:
            return
        naam = a.get("name")
        if tag == "input" and naam:
            self._form.velden.append(
                Veld(naam, (a.get("type") or "text").lower(), a.get("value") or "", "checked" in a)
            )
        elif tag == "button" and naam:
            self._form.velden.append(
                Veld(naam, (a.get("type") or "submit").lower(), a.get("value") or "")
            )
        elif tag == "select" and naam:
            self._select = Veld(naam, "select")
            self._form.velden.append(self._select)
        elif tag == "option" and self._select is not None:
            self._optie = {"waarde": a.get("value"), "tekst": "", "aan": "selected" in a}
        elif tag == "textarea" and naam:
            self._textarea = Veld(naam, "textarea")
            self._form.velden.append(self._textarea)

    def handle_data(self, data):
        if self._optie is not None:
            self._optie["tekst"] += data
        elif self._textarea is not None:
            self._textarea.waarde += data

    def _sluit_optie(self):
        if self._optie is not None and self._select is not None:
            waarde = self._optie["waarde"]
            if waarde is None:
                waarde = self._optie["tekst"].strip()
            self._select.opties.append(waarde)
            if self._optie["aan"]:
                self._select.gekozen.append(waarde)
        self._optie = None

    def handle_endtag(self, tag):
        if tag == "option":
            self._sluit_optie()
        elif tag == "select":
            self._sluit_optie()
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # A browser drops the one newline right after <textarea>.
            self._textarea.waarde = self._textarea.waarde.removeprefix("\n")
            self._textarea = None
        elif tag == "form":
            self._form = None


def formulieren(pagina_html: str) -> list[Formulier]:
    lezer = _FormulierLezer()
    lezer.feed(pagina_html)
    lezer.close()
    return lezer.formulieren


def formulier_met(antwoord: Antwoord, veld: str) -> Formulier:
    """The (one) form on the page that has a field `veld`."""
    gevonden = [f for f in formulieren(antwoord.html) if veld in f.namen]
    assert len(gevonden) == 1, f"{len(gevonden)} formulieren met {veld!r} op {antwoord}"
    return gevonden[0]
