"""Read queries of the API. The feed (GET /meldingen): a koppeling's meldingen in the order they
changed, scoped as the pages are: a school's own (`Melding.objects.van_instelling`), an
instantie's routed to it now (`behandeling.selectors.van_instantie`); anonymised ones are
nobody's. Fixed SQL (verzuimloket.vaste_sql): every call of the feed runs it, and the ORM spent
more CPU compiling it and building 50 Meldingen than PostgreSQL spent running it."""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone

from leerlingen.models import Instelling, Leerling, UitvoerendeInstantie
from meldingen.models import Melding
from verzuimloket import vaste_sql

# A row of the feed (serializers.MeldingKern.to_representation): the 15 columns a row shows.
FEED_KOLOMMEN = {
    "nummer": "m.nummer",
    "versie": "m.versie",
    "status": "m.status",
    "soort": "m.soort",
    "begindatum": "m.begindatum",
    "einddatum": "m.einddatum",
    "melddatum": "m.melddatum",
    "leerling_id": "m.leerling_id",
    "pgn": "l.pgn",
    "leerling_naam": "l.naam",
    "instelling_id": "m.instelling_id",
    "uitvoerende_instantie_id": "m.uitvoerende_instantie_id",
    "instantie_naam": "u.naam",
    "actie_gewenst": "m.actie_gewenst",
    "met_prioriteit": "m.met_prioriteit",
    "geregistreerd_op": "m.geregistreerd_op",
    "gewijzigd_op": "m.gewijzigd_op",
}


def meldingen_feed(
    *,
    instelling: Instelling | None,
    instantie: UitvoerendeInstantie | None,
    aantal: int,
    statussen: Iterable[str] = (),
    soort: str = "",
    sinds: datetime.datetime | None = None,
    na: tuple[datetime.datetime, int] | None = None,
) -> list:
    """Up to `aantal` rows of FEED_KOLOMMEN of the organisation (`instelling` or `instantie`)
    in the order they changed (gewijzigd_op, nummer): changed at or after `sinds`, after the
    position `na` ((gewijzigd_op, nummer) of the last row a caller saw). What changed in the
    last API_FEED_MARGE_SECONDEN may still have a transaction before it that has not
    committed: it comes on a later call, so a cursor never passes over it."""
    if (instelling is None) == (instantie is None):
        raise TypeError("Geef een instelling of een uitvoerende instantie.")
    grens = timezone.now() - datetime.timedelta(seconds=settings.API_FEED_MARGE_SECONDEN)
    voorwaarden = [
        "m.instelling_id = %(organisatie)s"
        if instelling is not None
        else "m.uitvoerende_instantie_id = %(organisatie)s",
        "m.geanonimiseerd_op IS NULL",
        "m.gewijzigd_op < %(grens)s",
    ]
    parameters = {"organisatie": (instelling or instantie).pk, "grens": grens}
    statussen = list(statussen)
    if statussen:
        voorwaarde, parameter = vaste_sql.een_van("m.status", "statussen", statussen)
        voorwaarden.append(voorwaarde)
        parameters.update(parameter)
    if soort:
        voorwaarden.append("m.soort = %(soort)s")
        parameters["soort"] = soort
    if sinds is not None:
        voorwaarden.append("m.gewijzigd_op >= %(sinds)s")
        parameters["sinds"] = sinds
    if na is not None:
        # The >= gives the index its starting point: without it PostgreSQL reads the
        # organisation's index from the start and throws away every row before the cursor.
        voorwaarden.append(
            "m.gewijzigd_op >= %(na_tijdstip)s AND (m.gewijzigd_op > %(na_tijdstip)s"
            " OR (m.gewijzigd_op = %(na_tijdstip)s AND m.nummer > %(na_nummer)s))"
        )
        parameters["na_tijdstip"], parameters["na_nummer"] = na
    # Only the organisation and the order's upper bound: the index on (organisation,
    # gewijzigd_op, nummer) from its start, whatever the organisation (vaste_sql.lees). A
    # status or a soort is a matter of selectivity, and of a range between two parameters
    # (sinds, na) PostgreSQL's generic plan guesses a handful of rows.
    vast_plan = not (statussen or soort or sinds or na)
    sql = f"""
        SELECT {vaste_sql.select(FEED_KOLOMMEN)}
          FROM {Melding._meta.db_table} m
          LEFT JOIN {Leerling._meta.db_table} l ON l.id = m.leerling_id
          LEFT JOIN {UitvoerendeInstantie._meta.db_table} u ON u.id = m.uitvoerende_instantie_id
         WHERE {" AND ".join(voorwaarden)}
         ORDER BY m.gewijzigd_op, m.nummer
         {vaste_sql.limiet(aantal, "aantal", parameters, vast_plan=vast_plan)}
    """
    rij = vaste_sql.rijvorm("FeedRij", tuple(FEED_KOLOMMEN))
    return [rij._make(waarden) for waarden in vaste_sql.lees(sql, parameters, vast_plan=vast_plan)]
