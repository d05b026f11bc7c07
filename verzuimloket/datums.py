"""Dates as the Verzuimloket counts them: today is the server's date in Europe/Amsterdam, and a
year back from 29 February lands on 28 February (see docs/regels.md, "Datums")."""

import datetime

from django.utils import timezone


def vandaag() -> datetime.date:
    """Today in Europe/Amsterdam (settings.TIME_ZONE)."""
    return timezone.localdate()


def jaren_voor(datum: datetime.date, jaren: int) -> datetime.date:
    """The same calendar day `jaren` years earlier (29 February: the 28th)."""
    try:
        return datum.replace(year=datum.year - jaren)
    except ValueError:  # 29 February
        return datum.replace(year=datum.year - jaren, day=28)


def een_jaar_voor(datum: datetime.date) -> datetime.date:
    return jaren_voor(datum, 1)


def twee_jaar_voor(datum: datetime.date) -> datetime.date:
    return jaren_voor(datum, 2)
