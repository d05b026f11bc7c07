"""Every error of the API as RFC 9457 problem details (`application/problem+json`), in Dutch:
`type`, `title`, `status`, `detail`, `instance` and, for a refused request body or parameter,
`invalidParams`: per property its `name`, JSON Pointer (`pointer`), `code` and the `reason` a
user reads (the same text the browser's form shows).

DRF's own exceptions (authentication, throttling, parsing, method, 404) are reshaped by
`probleem_handler`; the views raise `Ongeldig`, `VersieVerouderd`, `VersieVereist` and
`Conflict` for the rest. Django's 404 and 500 under /api/ answer the same way
(`probleem_response`, used by the project's handler404/handler500).
"""

import math

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.views import exception_handler

from .parsers import ONGELDIGE_JSON
from .vertaling import Fout

PROBLEEM = "application/problem+json"

TITELS = {
    400: "Ongeldige aanvraag",
    401: "Niet geauthenticeerd",
    403: "Geen toegang",
    404: "Niet gevonden",
    405: "Methode niet toegestaan",
    406: "Niet aanvaardbaar",
    409: "Conflict",
    412: "Versie verouderd",
    415: "Mediatype niet ondersteund",
    422: "Niet verwerkbaar",
    428: "Versie vereist",
    429: "Te veel verzoeken",
    500: "Interne fout",
    503: "Niet beschikbaar",
}
DETAILS = {
    401: "Geef een geldige sleutel van een koppeling mee: Authorization: Bearer <sleutel>. "
    "Een ingetrokken of verlopen sleutel wordt geweigerd.",
    403: "Deze koppeling mag dit niet.",
    404: "Deze bron bestaat niet, of deze koppeling mag haar niet zien.",
    405: "Deze methode kan hier niet worden gebruikt.",
    406: "Deze API antwoordt alleen met application/json.",
    415: "Stuur de inhoud als application/json.",
    429: "Deze koppeling heeft te veel verzoeken gedaan. Probeer het na Retry-After seconden "
    "opnieuw.",
    500: "Er is iets misgegaan. Probeer het later opnieuw.",
}

ONGELDIGE_INHOUD = "De aanvraag bevat ongeldige gegevens."


def _type(status_code: int) -> str:
    return f"urn:verzuimloket:probleem:{status_code}"


def probleem(
    status_code: int,
    *,
    detail: str = "",
    instance: str = "",
    fouten: list[Fout] = (),
) -> dict:
    inhoud = {
        "type": _type(status_code),
        "title": TITELS.get(status_code, "Fout"),
        "status": status_code,
        "detail": detail or DETAILS.get(status_code, TITELS.get(status_code, "Fout")),
    }
    if instance:
        inhoud["instance"] = instance
    if fouten:
        inhoud["invalidParams"] = [
            {
                "name": fout.naam or _naam(fout.pointer),
                **({} if fout.naam else {"pointer": fout.pointer}),
                "code": fout.code,
                "reason": fout.reden,
            }
            for fout in fouten
        ]
    return inhoud


def _naam(pointer: str) -> str:
    """`/lesuren/verzuimdagen/0/datum` -> `lesuren.verzuimdagen[0].datum`."""
    naam = ""
    for deel in pointer.strip("/").split("/"):
        naam += f"[{deel}]" if deel.isdigit() else (f".{deel}" if naam else deel)
    return naam


class Ongeldig(exceptions.APIException):
    """400 with `invalidParams`."""

    status_code = status.HTTP_400_BAD_REQUEST

    def __init__(self, fouten: list[Fout], detail: str = ""):
        self.fouten = [f for f in fouten if f.pointer or f.naam]
        algemeen = [f.reden for f in fouten if not (f.pointer or f.naam)]
        super().__init__(detail or " ".join(algemeen) or ONGELDIGE_INHOUD)


class VersieVerouderd(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED


class VersieVereist(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT


class NietVerwerkbaar(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY


_EIGEN = (Ongeldig, VersieVerouderd, VersieVereist, Conflict, NietVerwerkbaar)


def _detail(exc) -> str:
    """Our own message, or '' for the standard text of the status (DRF's are English)."""
    if isinstance(exc, _EIGEN) or getattr(exc, "eigen", False):
        return str(exc.detail)
    if isinstance(exc, exceptions.ParseError):
        return ONGELDIGE_JSON
    if isinstance(exc, exceptions.Throttled) and exc.wait:
        return (
            "Deze koppeling heeft te veel verzoeken gedaan. Probeer het over "
            f"{math.ceil(exc.wait)} seconden opnieuw."
        )
    return ""


def probleem_handler(exc, context):
    """DRF's EXCEPTION_HANDLER: DRF keeps its headers (WWW-Authenticate, Retry-After, Allow);
    the body becomes problem details."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    request = context.get("request")
    response.data = probleem(
        response.status_code,
        detail=_detail(exc),
        instance=request.path if request is not None else "",
        fouten=getattr(exc, "fouten", ()),
    )
    response.content_type = PROBLEEM
    return response


def probleem_response(request, status_code: int, detail: str = "") -> JsonResponse:
    """A problem outside DRF (Django's 404 and 500 handlers under /api/)."""
    response = JsonResponse(
        probleem(status_code, detail=detail, instance=request.path),
        status=status_code,
        content_type=PROBLEEM,
        json_dumps_params={"ensure_ascii": False},
    )
    response["API-Version"] = settings.API_VERSIE
    return response


def geen_toegang(detail: str) -> exceptions.PermissionDenied:
    exc = exceptions.PermissionDenied(detail)
    exc.eigen = True
    return exc
