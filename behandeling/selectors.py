"""Read queries of the instantie side. Scoping, in one place: a behandelaar sees only the
meldingen whose *current* uitvoerende instantie is the one they act for (`request.instantie`);
anything else is a 404, so guessing numbers reveals nothing. Anonymised meldingen are nobody's.
"""

import datetime
from collections.abc import Iterable

from django.db import connection
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from leerlingen.models import Instelling, Leerling, UitvoerendeInstantie
from meldingen.models import AantalPerStatus, Melding
from meldingen.selectors import met_details
from verzuimloket import formaten, vaste_sql


def van_instantie(instantie: UitvoerendeInstantie) -> QuerySet[Melding]:
    return van_instanties([instantie])


def van_instanties(instanties: Iterable[UitvoerendeInstantie]) -> QuerySet[Melding]:
    return Melding.objects.filter(uitvoerende_instantie__in=list(instanties)).niet_geanonimiseerd()


# A row of the werkvoorraad (presenters.werkvoorraad_regels): flat values in fixed SQL
# (verzuimloket.vaste_sql.Lijst), not model instances through the ORM, which cost twice the CPU
# to build and compiled three queries on every request.
WERKVOORRAAD_KOLOMMEN = {
    "nummer": "m.nummer",
    "geopend_op": "m.geopend_op",
    "met_prioriteit": "m.met_prioriteit",
    "leerling_id": "m.leerling_id",
    "leerling_naam": "l.naam",
    "instelling_id": "m.instelling_id",
    "instelling_naam": "i.naam",
    "soort": "m.soort",
    "status": "m.status",
    "begindatum": "m.begindatum",
    "einddatum": "m.einddatum",
    "melddatum": "m.melddatum",
}


def werkvoorraad(
    *,
    instantie: UitvoerendeInstantie,
    statussen: Iterable[str] = (),
    instelling: str = "",
    soort: str = "",
    van: datetime.date | None = None,
    tot: datetime.date | None = None,
    leerling: str = "",
) -> vaste_sql.Lijst:
    """The instantie's meldingen matching every filter given, newest first, as a list of rows
    of WERKVOORRAAD_KOLOMMEN. Scoped as `van_instantie`."""
    voorwaarden = ["m.uitvoerende_instantie_id = %(instantie)s", "m.geanonimiseerd_op IS NULL"]
    parameters = {"instantie": instantie.pk}
    statussen = list(statussen)
    if statussen:
        voorwaarde, parameter = vaste_sql.een_van("m.status", "statussen", statussen)
        voorwaarden.append(voorwaarde)
        parameters.update(parameter)
    for voorwaarde, naam, waarde in (
        ("m.instelling_id = %(instelling)s", "instelling", instelling),
        ("m.soort = %(soort)s", "soort", soort),
        ("m.begindatum >= %(van)s", "van", van),
        ("m.begindatum <= %(tot)s", "tot", tot),
    ):
        if waarde:
            voorwaarden.append(voorwaarde)
            parameters[naam] = waarde
    if leerling:
        pgn = formaten.compact_pgn(leerling)
        if pgn.isdigit():
            voorwaarden.append("l.pgn = %(pgn)s")
            parameters["pgn"] = pgn
        else:  # a part of the name, in any case (as the ORM's icontains)
            voorwaarden.append("UPPER(l.naam) LIKE UPPER(%(naam)s)")
            parameters["naam"] = vaste_sql.bevat(leerling)
    return vaste_sql.Lijst(
        kolommen=WERKVOORRAAD_KOLOMMEN,
        tabel=f"{Melding._meta.db_table} m",
        joins={
            "l": f"LEFT JOIN {Leerling._meta.db_table} l ON l.id = m.leerling_id",
            "i": f"LEFT JOIN {Instelling._meta.db_table} i ON i.instellingscode = m.instelling_id",
        },
        voorwaarden=voorwaarden,
        parameters=parameters,
        sleutel="m.nummer",
        naam="WerkvoorraadRij",
        # Soort and begindatum are in melding_werkvoorraad_filters as included columns.
        sleutels_eerst=bool(soort or van or tot),
        # The instantie with at most one status or one school: one index from the top
        # (melding_werkvoorraad_status, _school or _filters), whatever the values
        # (vaste_sql.lees). Other filters are a matter of selectivity, planned per request.
        vast_plan=not (soort or van or tot or leerling or len(statussen) > 1)
        and not (statussen and instelling),
    )


def aantallen_per_status(instantie: UitvoerendeInstantie) -> dict[str, int]:
    """How many of the instantie's meldingen there are in each status (scoped as
    `van_instantie`: not anonymised), as the melding table's triggers keep them
    (AantalPerStatus): a read of at most five rows, whatever the instantie's size. Fixed SQL:
    the werkvoorraad runs it on every request."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT status, aantal FROM {AantalPerStatus._meta.db_table} "
            "WHERE instantie_id = %s AND aantal <> 0",
            [instantie.pk],
        )
        return dict(cursor.fetchall())


def aantal_uit_tellingen(aantallen: dict[str, int], filters: dict) -> int | None:
    """How many meldingen `werkvoorraad` finds with `filters` (the werkvoorraad form's cleaned
    data), read from the instantie's counts per status (`aantallen_per_status`) when they say
    it: filtered on one status, or on nothing. Otherwise None: the list counts itself. The
    werkvoorraad as it opens (Geregistreerd) and paging through it are the common case, and
    the count was the page's second query."""
    if any(waarde for naam, waarde in filters.items() if naam != "status"):
        return None
    if filters.get("status"):
        return aantallen.get(filters["status"], 0)
    return sum(aantallen.values())


def melding_van_instantie(
    instantie: UitvoerendeInstantie, nummer: int, *, details: bool = True
) -> Melding:
    """The melding with this number whose current uitvoerende instantie is `instantie`, with
    everything its page shows (`details`; an action's page needs only the melding and its
    terugkoppeling); else Http404."""
    if details:
        return met_details(nummer=nummer, instantie=instantie)
    qs = van_instantie(instantie).select_related(
        "uitvoerende_instantie", "in_behandeling_door", "terugkoppeling"
    )
    return get_object_or_404(qs, nummer=nummer)
