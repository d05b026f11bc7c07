"""Structured logs: one JSON object per line, and the request each line belongs to.

- `VerzoekMiddleware` gives every request an id (a sane incoming `X-Request-ID`, else a new
  one), echoes it in the response header `X-Request-ID`, keeps the request in a contextvar while
  it runs, and logs one line per request on "verzuimloket.verzoek": method, path, status,
  duration. The path only: a query string can hold a PGN.
- `VerzoekFilter` (on the log handler) adds the request id, user id, chosen instellingscode and,
  for an API call, the koppeling's id to every record logged while a request runs, whichever
  logger wrote it.
- `JsonFormatter` writes a record as one JSON line with a fixed set of fields.

Logs never hold pupil data (PGN, name, address): only ids and codes are added, and as a safety
net every run of nine digits (the length of a BSN or onderwijsnummer) in a message or traceback
is masked. This module knows neither app; it reads `request.instelling` by duck typing.
"""

import datetime
import json
import logging
import re
import time
import uuid
from contextvars import ContextVar

from django.utils.functional import empty

logger = logging.getLogger("verzuimloket.verzoek")

_verzoek: ContextVar = ContextVar("verzuimloket_verzoek", default=None)

# A client's id is kept only when it cannot smuggle anything into a log line.
GELDIG_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
NEGEN_CIJFERS = re.compile(r"(?<!\d)\d{9}(?!\d)")

# Only these `extra` fields reach the JSON line, so no caller can log pupil data by accident.
EXTRA_VELDEN = ("method", "path", "status", "duration_ms")


def request_id(header: str | None) -> str:
    if header and GELDIG_ID.fullmatch(header):
        return header
    # One in 17 hex uuids holds nine digits in a row, which the log masks as a possible BSN:
    # its lines would then carry another id than the X-Request-ID answer. Draw again.
    nieuw = uuid.uuid4().hex
    while NEGEN_CIJFERS.search(nieuw):
        nieuw = uuid.uuid4().hex
    return nieuw


def stil(view):
    """Log this view's successful requests at DEBUG only: a load balancer polls the health
    endpoints every few seconds per process, which would drown the real requests."""
    view.verzuimloket_stil = True
    return view


def _gebruiker_id(request):
    # Only a user the request already loaded: evaluating the lazy `request.user` here would
    # query the database from inside a logging call (and for every static file).
    gebruiker = request.__dict__.get("user")
    gebruiker = getattr(gebruiker, "_wrapped", gebruiker)
    if gebruiker is None or gebruiker is empty:
        return None
    return gebruiker.pk


def _instellingscode(request):
    instelling = getattr(request, "instelling", None)
    return getattr(instelling, "instellingscode", None)


class VerzoekMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_id(request.META.get("HTTP_X_REQUEST_ID"))
        token = _verzoek.set(request)
        begin = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request.request_id
            duur = round((time.perf_counter() - begin) * 1000, 1)
            match = getattr(request, "resolver_match", None)
            rustig = getattr(getattr(match, "func", None), "verzuimloket_stil", False)
            logger.log(
                logging.DEBUG if rustig and response.status_code < 400 else logging.INFO,
                "%s %s %s (%s ms)",
                request.method,
                request.path,
                response.status_code,
                duur,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": duur,
                },
            )
            return response
        finally:
            _verzoek.reset(token)


class VerzoekFilter(logging.Filter):
    """Adds request_id, user_id and instellingscode (None outside a request) to each record."""

    def filter(self, record):
        request = _verzoek.get()
        record.request_id = getattr(request, "request_id", None)
        record.user_id = _gebruiker_id(request) if request is not None else None
        record.instellingscode = _instellingscode(request)
        # An API call: the koppeling that made it (set by its authentication).
        record.koppeling_id = getattr(request, "koppeling_id", None)
        return True


def maskeren(tekst: str) -> str:
    return NEGEN_CIJFERS.sub("*********", tekst)


class JsonFormatter(logging.Formatter):
    def format(self, record):
        regel = {
            "timestamp": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": maskeren(record.getMessage()),
        }
        for veld in ("request_id", "user_id", "instellingscode", "koppeling_id", *EXTRA_VELDEN):
            waarde = getattr(record, veld, None)
            if waarde is not None:
                regel[veld] = maskeren(waarde) if isinstance(waarde, str) else waarde
        if record.exc_info:
            regel["exception"] = maskeren(self.formatException(record.exc_info))
        return json.dumps(regel, ensure_ascii=False, default=str)
