"""The inzagelog (AVG): every look at a pupil's data is written here, by every page that shows
it (docs/regels.md, "Wie ziet wat"), and removed after INZAGE_BEWAARDAGEN days by the daily job."""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone

from verzuimloket import onderweg

from .models import Handeling, Instelling, Inzage, UitvoerendeInstantie


def inzage_vastleggen(
    *,
    gebruiker,
    instelling: Instelling | None,
    handeling: Handeling,
    instantie: UitvoerendeInstantie | None = None,
    leerling_id: int | None = None,
    pgn: str = "",
    meldingnummer: int | None = None,
    detail: str = "",
) -> None:
    _schrijven(
        gebruiker_id=gebruiker.pk,
        instelling_id=instelling.pk if instelling is not None else None,
        instantie_id=instantie.pk if instantie is not None else None,
        handeling=handeling,
        regels=[(leerling_id, pgn, meldingnummer, detail)],
    )


def inzagen_vastleggen(
    *,
    gebruiker,
    instelling: Instelling | None,
    handeling: Handeling,
    getoond: Iterable[tuple[int, int | None]],
    instantie: UitvoerendeInstantie | None = None,
) -> None:
    """A list that shows several pupils (search results): one entry per (leerling_id,
    meldingnummer) shown, in one statement."""
    _schrijven(
        gebruiker_id=gebruiker.pk,
        instelling_id=instelling.pk if instelling is not None else None,
        instantie_id=instantie.pk if instantie is not None else None,
        handeling=handeling,
        regels=[(leerling_id, "", nummer, "") for leerling_id, nummer in getoond if leerling_id],
    )


def koppelvlak_inzagen_vastleggen(*, koppeling, detail: str, aangeraakt: Iterable[dict]) -> None:
    """An API call that touched pupils' data (`aangeraakt`: dicts with leerling_id,
    meldingnummer and pgn): one entry each, for the koppeling and its organisation."""
    _schrijven(
        gebruiker_id=koppeling.gebruiker_id,
        instelling_id=koppeling.instelling_id,
        instantie_id=koppeling.instantie_id,
        koppeling_id=koppeling.pk,
        handeling=Handeling.KOPPELVLAK,
        regels=[
            (rij["leerling_id"], rij["pgn"], rij["meldingnummer"], detail[:200])
            for rij in aangeraakt
            if rij["leerling_id"] is not None or rij["pgn"]
        ],
    )


def _schrijven(
    *, gebruiker_id, instelling_id, instantie_id, handeling, regels, koppeling_id=None
) -> None:
    """One INSERT statement for the entries (leerling_id, pgn, meldingnummer, detail). Plain
    SQL: every page that shows a pupil writes here, and Model.save() and bulk_create (which
    wraps its INSERT in a transaction of its own: BEGIN and COMMIT are two more round trips)
    cost more than the page's own reads. The table's constraints still hold every row.

    Inside `onderweg.blok()` (the pages that show pupils, around their rendering) the statement
    is sent without waiting and confirmed before the page leaves: the page renders while
    PostgreSQL commits the entry (verzuimloket/onderweg.py)."""
    if not regels:
        return
    # Each column of the entries as an array for unnest(), or, when it is the same for all of
    # them (a list's pgn and detail), as one value: psycopg converts every element of an
    # array, and a list of 50 entries spent more CPU on that than on the rest of the call.
    # Every value has its type written out: the blok sends them as text.
    kolommen = [
        "%s::bigint",
        "%s::varchar",
        "%s::bigint",
        "%s::bigint",
        "%s::varchar",
        "%s::timestamptz",
    ]
    waarden = [
        gebruiker_id,
        instelling_id,
        instantie_id,
        koppeling_id,
        Handeling(handeling).value,
        timezone.now(),
    ]
    rijen = []
    for naam, type_, kolom in zip(
        ("leerling_id", "pgn", "meldingnummer", "detail"),
        ("bigint", "varchar", "bigint", "varchar"),
        zip(*regels, strict=True),
        strict=True,
    ):
        # (The leerling stays an array for several entries: one row per entry, always.)
        if len(set(kolom)) == 1 and (len(regels) == 1 or naam != "leerling_id"):
            kolommen.append(f"%s::{type_}")
            waarden.append(kolom[0])
        else:
            kolommen.append(f"t.{naam}")
            rijen.append((naam, type_, list(kolom)))
    bron = ""
    if rijen:
        arrays = ", ".join(f"%s::{type_}[]" for _, type_, _ in rijen)
        namen = ", ".join(naam for naam, _, _ in rijen)
        bron = f" FROM unnest({arrays}) AS t({namen})"
        waarden += [kolom for _, _, kolom in rijen]
    onderweg.uitvoeren(
        f"""INSERT INTO {Inzage._meta.db_table}
                (gebruiker_id, instelling_id, instantie_id, koppeling_id, handeling,
                 tijdstip, leerling_id, pgn, meldingnummer, detail)
            SELECT {", ".join(kolommen)}{bron}""",
        waarden,
    )


def oude_inzage_verwijderen(*, nu: datetime.datetime | None = None) -> int:
    """The daily job: entries older than INZAGE_BEWAARDAGEN go."""
    grens = (nu or timezone.now()) - datetime.timedelta(days=settings.INZAGE_BEWAARDAGEN)
    return Inzage.objects.filter(tijdstip__lt=grens).delete()[0]
