"""Number formats of the registers, checked with python-stdnum (docs/regels.md)."""

import re

from django.core.exceptions import ValidationError
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import brin, bsn, onderwijsnummer
from stdnum.nl import postcode as nl_postcode

AANBIEDERCODE = re.compile(r"^[0-9]{3}A[0-9]{3}$")
LOCATIECODE = re.compile(r"^[0-9]{3}X[0-9]{3}$")
TELEFOON_TEKENS = re.compile(r"^\+?[0-9 \-]+$")
TELEFOON_ONGELDIG = "Vul een geldig telefoonnummer in, bijvoorbeeld 050 599 90 00."

PGN_ONGELDIG = "Vul een geldig burgerservicenummer of onderwijsnummer in (9 cijfers)."


def compact_pgn(waarde: str) -> str:
    """Strip spaces, dots and dashes; both number types share stdnum's compact rules."""
    return bsn.compact(re.sub(r"[\s.\-]", "", waarde or ""))


def is_bsn(pgn: str) -> bool:
    return bsn.is_valid(pgn)


def valideer_pgn(waarde: str) -> str:
    """Return the compact PGN, or raise ValidationError. No number is both a BSN and an
    onderwijsnummer, so the type follows from the number."""
    pgn = compact_pgn(waarde)
    if not (bsn.is_valid(pgn) or onderwijsnummer.is_valid(pgn)):
        raise ValidationError(PGN_ONGELDIG, code="ongeldig_pgn")
    return pgn


def compact_postcode(waarde: str) -> str:
    return re.sub(r"\s", "", waarde or "").upper()


def valideer_postcode(waarde: str) -> str:
    try:
        return compact_postcode(nl_postcode.validate(waarde))
    except StdnumError as exc:
        raise ValidationError(
            "Vul een geldige postcode in, zoals 9712 HN.", code="ongeldige_postcode"
        ) from exc


def toon_postcode(waarde: str) -> str:
    """The manual shows postcodes compact: 9712HN."""
    return compact_postcode(waarde)


def straatregel(straatnaam: str, huisnummer, huisletter: str, toevoeging: str) -> str:
    """'Grote Markt 1 A bis', as the manual writes an address's first line."""
    return " ".join(
        deel for deel in [straatnaam, str(huisnummer or ""), huisletter, toevoeging] if deel
    )


def valideer_instellingscode(waarde: str) -> str:
    try:
        code = brin.validate(waarde)
        if len(code) != 4 or code != code.upper():
            raise StdnumError
        return code
    except StdnumError as exc:
        raise ValidationError(
            "Een instellingscode bestaat uit 2 cijfers en 2 letters, zoals 24GP.",
            code="ongeldige_instellingscode",
        ) from exc


def valideer_aanbiedercode(waarde: str) -> str:
    if not AANBIEDERCODE.match(waarde or ""):
        raise ValidationError(
            "Een onderwijsaanbiedercode ziet eruit als 100A001.", code="ongeldige_aanbiedercode"
        )
    return waarde


def valideer_locatiecode(waarde: str) -> str:
    if not LOCATIECODE.match(waarde or ""):
        raise ValidationError(
            "Een onderwijslocatiecode ziet eruit als 100X001.", code="ongeldige_locatiecode"
        )
    return waarde


def valideer_telefoon(waarde: str) -> None:
    """Digits, spaces, '-' and a leading '+'; 10 to 15 digits."""
    cijfers = re.sub(r"\D", "", waarde)
    if not TELEFOON_TEKENS.match(waarde) or not 10 <= len(cijfers) <= 15:
        raise ValidationError(TELEFOON_ONGELDIG, code="telefoon")
