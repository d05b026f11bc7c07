"""The inzagelog (AVG): every look at a pupil's data is written here, by every page that shows
it (docs/regels.md, "Wie ziet wat"), and removed after INZAGE_BEWAARDAGEN days by the daily job."""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.db import connection
from django.utils import timezone

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
) -> Inzage:
    return Inzage.objects.create(
        gebruiker=gebruiker,
        instelling=instelling,
        instantie=instantie,
        handeling=handeling,
        leerling_id=leerling_id,
        pgn=pgn,
        meldingnummer=meldingnummer,
        detail=detail,
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
    meldingnummer) shown, in one statement. Plain SQL, as bulk_create wraps its INSERT in a
    transaction of its own: BEGIN and COMMIT would be two more round trips on every list page."""
    rijen = [(leerling_id, nummer) for leerling_id, nummer in getoond if leerling_id is not None]
    if not rijen:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {Inzage._meta.db_table}
                    (gebruiker_id, instelling_id, instantie_id, leerling_id, pgn, meldingnummer,
                     tijdstip, handeling, detail)
                SELECT %s, %s, %s, t.leerling_id, '', t.meldingnummer, %s, %s, ''
                FROM unnest(%s::bigint[], %s::bigint[]) AS t(leerling_id, meldingnummer)""",
            [
                gebruiker.pk,
                instelling.pk if instelling is not None else None,
                instantie.pk if instantie is not None else None,
                timezone.now(),
                Handeling(handeling).value,
                [leerling_id for leerling_id, _ in rijen],
                [nummer for _, nummer in rijen],
            ],
        )


def oude_inzage_verwijderen(*, nu: datetime.datetime | None = None) -> int:
    """The daily job: entries older than INZAGE_BEWAARDAGEN go."""
    grens = (nu or timezone.now()) - datetime.timedelta(days=settings.INZAGE_BEWAARDAGEN)
    return Inzage.objects.filter(tijdstip__lt=grens).delete()[0]
