"""The OpenAPI document as the API Design Rules want it, generated from the code: every
response has the API-Version header, every error is application/problem+json (`Probleem`), and
the responses every endpoint can give (401, 403, 429, and 400/404 where it takes input or a
number) are declared once here instead of on each view. A header every such answer has is
`required` (API-Version; ETag and Location where a melding is returned or made; Retry-After
with 429; WWW-Authenticate with 401): tests/test_koppelvlak_contract.py holds the API to it."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension

PROBLEEM_REF = {"$ref": "#/components/schemas/Probleem"}
PROBLEEM = {
    "type": "object",
    "description": "Problem details (RFC 9457).",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "invalidParams": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "code", "reason"],
                "properties": {
                    "name": {"type": "string", "description": "Het veld of de parameter."},
                    "pointer": {
                        "type": "string",
                        "description": "JSON Pointer (RFC 6901) naar het veld in de inhoud.",
                    },
                    "code": {"type": "string"},
                    "reason": {"type": "string", "description": "De melding, in het Nederlands."},
                },
            },
        },
    },
}
API_VERSION_HEADER = {
    "description": "De volledige versie van de API (semver).",
    "required": True,
    "schema": {"type": "string", "example": "1.0.0"},
}
ETAG_HEADER = {
    "description": 'De versie van de melding: "<versie>".',
    "required": True,
    "schema": {"type": "string", "pattern": '^"[0-9]+"$'},
}
LOCATION_HEADER = {
    "description": "Het adres van de nieuwe melding.",
    "required": True,
    "schema": {"type": "string"},
}
IDEMPOTENT_REPLAYED_HEADER = {
    "description": "true als dit het eerdere antwoord op dezelfde Idempotency-Key is.",
    "schema": {"type": "string", "enum": ["true"]},
}
RETRY_AFTER_HEADER = {
    "description": "Over hoeveel seconden het weer kan.",
    "required": True,
    "schema": {"type": "integer", "minimum": 1},
}
WWW_AUTHENTICATE_HEADER = {
    "description": "Hoe te authenticeren: Bearer.",
    "required": True,
    "schema": {"type": "string", "example": 'Bearer realm="verzuimloket"'},
}
OMSCHRIJVINGEN = {
    "400": "Ongeldige aanvraag: invalidParams noemt per veld de melding.",
    "401": "Geen, een onbekende, ingetrokken of verlopen sleutel.",
    "403": "Deze koppeling is van een andere soort organisatie.",
    "404": "Bestaat niet, of is niet van de organisatie van deze koppeling.",
    "409": "Kan niet in de huidige status van de melding, of de Idempotency-Key is al voor "
    "een andere aanvraag gebruikt.",
    "412": "De melding is gewijzigd sinds de versie in If-Match.",
    "428": "If-Match ontbreekt.",
    "429": "Te veel verzoeken van deze koppeling; zie Retry-After.",
}


class KoppelingSchema(OpenApiAuthenticationExtension):
    target_class = "koppelvlak.authenticatie.KoppelingAuthenticatie"
    name = "koppeling"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "De sleutel van een koppeling, die de beheerder aanmaakt.",
        }


def _fout(code: str) -> dict:
    antwoord = {
        "description": OMSCHRIJVINGEN[code],
        "content": {"application/problem+json": {"schema": PROBLEEM_REF}},
    }
    if code == "429":
        antwoord["headers"] = {"Retry-After": RETRY_AFTER_HEADER}
    if code == "401":
        antwoord["headers"] = {"WWW-Authenticate": WWW_AUTHENTICATE_HEADER}
    return antwoord


def na_bewerking(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Probleem"] = PROBLEEM
    for pad, operaties in result.get("paths", {}).items():
        for methode, operatie in operaties.items():
            if methode not in ("get", "post", "put", "patch", "delete"):
                continue
            inhoud = operatie.get("requestBody", {}).get("content", {})
            if methode != "patch":
                # The merge patch parser is there for PATCH; elsewhere a body is plain JSON.
                inhoud.pop("application/merge-patch+json", None)
            antwoorden = operatie.setdefault("responses", {})
            beveiligd = any(operatie.get("security") or [])
            codes = []
            if beveiligd:
                codes += ["401", "403", "429"]
            if "{" in pad:
                codes.append("404")
            if methode != "get" or operatie.get("parameters"):
                codes.append("400")
            for parameter in operatie.get("parameters", []):
                if parameter.get("name") == "If-Match":
                    codes += ["409", "412"] + (["428"] if parameter.get("required") else [])
                if parameter.get("name") == "Idempotency-Key":
                    codes.append("409")
            for code in codes:
                antwoorden.setdefault(code, _fout(code))
            for code, antwoord in antwoorden.items():
                if int(code) >= 400:
                    antwoord["content"] = {"application/problem+json": {"schema": PROBLEEM_REF}}
                antwoord.setdefault("headers", {})["API-Version"] = API_VERSION_HEADER
                if code in ("200", "201") and "{nummer}" in pad or code == "201":
                    antwoord["headers"]["ETag"] = ETAG_HEADER
                if code == "201":
                    antwoord["headers"]["Location"] = LOCATION_HEADER
                    antwoord["headers"]["Idempotent-Replayed"] = IDEMPOTENT_REPLAYED_HEADER
    return result
