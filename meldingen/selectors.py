"""Read queries for the Leerling overzicht, Zoek melding and Melding details (manual 2.2, 3).

Scoping, in one place:
- `meldingen_van_leerling` lists all of a pupil's meldingen, of every instelling (the view
  checks first that the pupil is visible to the user's instelling).
- `zoek_meldingen` searches only meldingen of instellingen the user holds a machtiging for
  (`request.machtigingen`); a chosen Instellingscode narrows that further, never widens it.
- `melding_van_instelling` returns a melding only to its meldende instelling (the one the user
  acts for now, `request.instelling`); anything else is a 404, so guessing numbers reveals
  nothing.
- Anonymised meldingen (`geanonimiseerd_op`) are found by neither: they belong to no pupil any
  more and are kept for statistics only.
"""

import functools
import time
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import connection
from django.http import Http404
from django.shortcuts import get_object_or_404

from leerlingen.models import (
    Instelling,
    Leerling,
    Onderwijsaanbieder,
    Onderwijslocatie,
    UitvoerendeInstantie,
)
from verzuimloket import vaste_sql

from .models import ContactpersoonLeerling, Melding, MeldingWijziging, Terugkoppeling, Verzuimdag

# The latest changes shown on the detail page ("a short history").
HISTORIE_AANTAL = 10


# A melding as a row of a list (the Leerling overzicht, Zoek melding: presenters.MeldingRegel;
# the API's Leerling overzicht): flat values in fixed SQL (verzuimloket.vaste_sql.Lijst), not
# model instances through the ORM. Building 25 Meldingen with their pupil and instantie took
# 1.6 ms of CPU per page and compiling the page's queries 1.5 ms more.
REGEL_KOLOMMEN = {
    "nummer": "m.nummer",
    "leerling_id": "m.leerling_id",
    "leerling_naam": "l.naam",
    "instelling_id": "m.instelling_id",
    "uitvoerende_instantie_id": "m.uitvoerende_instantie_id",
    "instantie_naam": "u.naam",
    "soort": "m.soort",
    "status": "m.status",
    "begindatum": "m.begindatum",
    "einddatum": "m.einddatum",
}


def _regels(voorwaarden: list[str], parameters: dict, vast_plan: bool = False) -> vaste_sql.Lijst:
    return vaste_sql.Lijst(
        kolommen=REGEL_KOLOMMEN,
        tabel=f"{Melding._meta.db_table} m",
        joins={
            "l": f"LEFT JOIN {Leerling._meta.db_table} l ON l.id = m.leerling_id",
            "u": f"LEFT JOIN {UitvoerendeInstantie._meta.db_table} u "
            "ON u.id = m.uitvoerende_instantie_id",
        },
        voorwaarden=voorwaarden,
        parameters=parameters,
        sleutel="m.nummer",
        naam="MeldingRij",
        vast_plan=vast_plan,
    )


def meldingen_van_leerling(leerling) -> list:
    """The pupil's meldingen for the Leerling overzicht, latest period first, as rows of
    REGEL_KOLOMMEN (an anonymised melding is no pupil's any more)."""
    lijst = _regels(["m.leerling_id = %(leerling)s"], {"leerling": leerling.pk})
    return lijst.alle("m.begindatum DESC, m.nummer DESC")


def zoek_meldingen(
    *,
    machtigingen: Iterable[Instelling],
    nummer: int | None = None,
    instelling: Instelling | None = None,
    instantienaam: str = "",
    statussen: Iterable[str] = (),
) -> vaste_sql.Lijst:
    """Meldingen matching every given criterion, newest first, only of `machtigingen`, as a
    list of rows of REGEL_KOLOMMEN."""
    codes = [i.pk for i in machtigingen]
    if instelling is not None:  # narrows the machtigingen, never widens them
        codes = [code for code in codes if code == instelling.pk]
    voorwaarde, parameters = vaste_sql.een_van("m.instelling_id", "instellingen", codes)
    voorwaarden = ["m.geanonimiseerd_op IS NULL", voorwaarde]
    if nummer is not None:
        voorwaarden.append("m.nummer = %(nummer)s")
        parameters["nummer"] = nummer
    gevraagd = []
    if instantienaam:
        # The ids first, in a query of their own: given a subquery, the planner joined all
        # 10,000 of a school's meldingen at "groningen" and sorted them (230 ms) instead of
        # reading the newest 25 from the index (1 ms).
        gevraagd.append(
            ("m.uitvoerende_instantie_id", "instanties", instanties_met_naam(instantienaam))
        )
    statussen = list(statussen)
    if statussen:
        gevraagd.append(("m.status", "statussen", statussen))
    for kolom, naam, waarden in gevraagd:
        voorwaarde, parameter = vaste_sql.een_van(kolom, naam, waarden)
        voorwaarden.append(voorwaarde)
        parameters.update(parameter)
    # One school (and perhaps a meldingnummer): melding_zoeken from the top, or the number's
    # own index, whatever the school (vaste_sql.lees). A status, the instanties of a name or
    # several schools are a matter of selectivity: PostgreSQL plans those per search.
    return _regels(voorwaarden, parameters, vast_plan=len(codes) == 1 and not gevraagd)


def instanties_met_naam(deel: str) -> list[int]:
    """The ids of the uitvoerende instanties whose name contains `deel`, in any case (also of
    letters with accents); % and _ are characters like any other."""
    gezocht = deel.upper()
    return [pk for pk, naam in _instantienamen() if gezocht in naam]


# The uitvoerende instanties' names, kept per process: a few hundred, changed a few times a
# year, and a search by instantienaam matched them in a query of its own, a round trip on
# every such search. A save or delete through Django clears them in its own process
# (`instantienamen_vergeten`, connected in apps.py); other processes, and loads that bypass
# the ORM's signals, are seen within INSTANTIENAMEN_SECONDEN.
INSTANTIENAMEN_SECONDEN = 60
_namen: tuple[float, tuple[tuple[int, str], ...]] | None = None


def _instantienamen() -> tuple[tuple[int, str], ...]:
    global _namen
    nu = time.time()  # (a clock set back refreshes them too)
    if _namen is None or abs(nu - _namen[0]) > INSTANTIENAMEN_SECONDEN:
        rijen = UitvoerendeInstantie.objects.order_by("pk").values_list("pk", "naam")
        _namen = (nu, tuple((pk, naam.upper()) for pk, naam in rijen))
    return _namen[1]


def instantienamen_vergeten(**kwargs) -> None:
    """The next search reads the names again (a signal receiver, and for the tests, whose
    database is rolled back without one)."""
    global _namen
    _namen = None


def melding_van_instelling(instelling: Instelling, nummer: int, *, voor_detail=False) -> Melding:
    """The melding with this number made by `instelling`, or Http404.

    `voor_detail=True` also brings everything the detail page shows (`met_details`)."""
    if voor_detail:
        return met_details(nummer=nummer, instelling=instelling)
    qs = Melding.objects.van_instelling(instelling).select_related(
        "leerling", "instelling", "uitvoerende_instantie"
    )
    return get_object_or_404(qs, nummer=nummer)


# The child rows of the detail read, aggregated as JSON under these aliases.
_CONTACT = vaste_sql.Tabel(ContactpersoonLeerling, "c")
_DAG = vaste_sql.Tabel(Verzuimdag, "v")
_WIJZIGING = vaste_sql.Tabel(MeldingWijziging, "w")


@functools.cache
def _details_sql() -> tuple[str, tuple[vaste_sql.Tabel, ...]]:
    """The detail read (`met_details`), written once. Built on first use, from the models'
    fields, when every app is loaded."""
    gebruiker = get_user_model()
    tabellen = (
        vaste_sql.Tabel(Melding, "m"),
        vaste_sql.Tabel(Leerling, "l"),
        vaste_sql.Tabel(Instelling, "i"),
        vaste_sql.Tabel(UitvoerendeInstantie, "u"),
        vaste_sql.Tabel(Onderwijsaanbieder, "a"),
        vaste_sql.Tabel(Onderwijslocatie, "o"),
        vaste_sql.Tabel(Terugkoppeling, "t"),
        # Who took it in behandeling: only what a page shows of a user (never the password).
        vaste_sql.Tabel(gebruiker, "b", ("id", "username", "first_name", "last_name")),
    )
    contact, dag, wijziging = _CONTACT, _DAG, _WIJZIGING
    sql = f"""
        SELECT {", ".join(t.kolommen for t in tabellen)},
            (SELECT json_agg({contact.json} ORDER BY c.volgnummer)
               FROM {ContactpersoonLeerling._meta.db_table} c WHERE c.melding_id = m.id),
            (SELECT json_agg({dag.json} ORDER BY v.datum)
               FROM {Verzuimdag._meta.db_table} v WHERE v.melding_id = m.id),
            (SELECT json_agg(json_build_object('wijziging', {wijziging.json},
                                               'username', g.{gebruiker.USERNAME_FIELD})
                             ORDER BY w.tijdstip DESC, w.id DESC)
               FROM (SELECT * FROM {MeldingWijziging._meta.db_table}
                      WHERE melding_id = m.id ORDER BY tijdstip DESC, id DESC LIMIT %(historie)s) w
               LEFT JOIN {gebruiker._meta.db_table} g ON g.id = w.gebruiker_id)
          FROM {Melding._meta.db_table} m
          LEFT JOIN {Leerling._meta.db_table} l ON l.id = m.leerling_id
          LEFT JOIN {Instelling._meta.db_table} i ON i.instellingscode = m.instelling_id
          LEFT JOIN {UitvoerendeInstantie._meta.db_table} u ON u.id = m.uitvoerende_instantie_id
          LEFT JOIN {Onderwijsaanbieder._meta.db_table} a ON a.code = m.aanbieder_id
          LEFT JOIN {Onderwijslocatie._meta.db_table} o ON o.code = m.locatie_id
          LEFT JOIN {Terugkoppeling._meta.db_table} t ON t.melding_id = m.id
          LEFT JOIN {gebruiker._meta.db_table} b ON b.id = m.in_behandeling_door_id
         WHERE m.nummer = %(nummer)s AND m.geanonimiseerd_op IS NULL
           AND (m.instelling_id = %(instelling)s OR m.uitvoerende_instantie_id = %(instantie)s)
    """
    return sql, tabellen


def met_details(
    *,
    nummer: int,
    instelling: Instelling | None = None,
    instantie: UitvoerendeInstantie | None = None,
) -> Melding:
    """The melding with this number, with everything a page that shows all of it needs, in
    one query (`verzuimloket.vaste_sql`): its foreign keys, terugkoppeling and who took it in
    behandeling cached on it, `contactpersonen.all()` and `verzuimdagen.all()` filled in, and
    `laatste_wijzigingen` (the latest changes, for `historie`). Http404 when there is none.

    Scoping, as `Melding.objects.van_instelling` and the instantie side's `van_instantie`:
    a melding of `instelling` (the school that made it) or whose current uitvoerende instantie
    is `instantie` (give one of the two); never an anonymised one."""
    if (instelling is None) == (instantie is None):
        raise TypeError("Geef een instelling of een uitvoerende instantie.")
    sql, tabellen = _details_sql()
    parameters = {
        "nummer": nummer,
        "instelling": instelling.pk if instelling else None,
        "instantie": instantie.pk if instantie else None,
        "historie": HISTORIE_AANTAL,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, parameters)
        rij = cursor.fetchone()
    if rij is None:
        raise Http404("Geen melding met dit nummer.")
    objecten, begin = vaste_sql.instanties(tabellen, rij)
    melding, leerling, instelling_, instantie_, aanbieder, locatie, terug, door = objecten
    for veld, object_ in (
        ("leerling", leerling),
        ("instelling", instelling_),
        ("uitvoerende_instantie", instantie_),
        ("aanbieder", aanbieder),
        ("locatie", locatie),
        ("terugkoppeling", terug),
        ("in_behandeling_door", door),
    ):
        vaste_sql.koppel(melding, veld, object_)
    contactpersonen, verzuimdagen, wijzigingen = rij[begin:]
    vaste_sql.als_prefetch(melding, "contactpersonen", _CONTACT.uit_json(contactpersonen))
    vaste_sql.als_prefetch(melding, "verzuimdagen", _DAG.uit_json(verzuimdagen))
    melding.laatste_wijzigingen = _met_gebruikers(wijzigingen or [])
    return melding


def _met_gebruikers(rijen: list[dict]) -> list[MeldingWijziging]:
    """The changes of the detail read, each with its user's name cached (`gebruiker`)."""
    gebruiker_model = get_user_model()
    wijzigingen = _WIJZIGING.uit_json(rij["wijziging"] for rij in rijen)
    for wijziging, rij in zip(wijzigingen, rijen, strict=True):
        gebruiker = None
        if wijziging.gebruiker_id is not None:
            gebruiker = gebruiker_model(pk=wijziging.gebruiker_id)
            setattr(gebruiker, gebruiker_model.USERNAME_FIELD, rij["username"])
        vaste_sql.koppel(wijziging, "gebruiker", gebruiker)
    return wijzigingen


def historie(melding: Melding, aantal: int = HISTORIE_AANTAL) -> list[MeldingWijziging]:
    """The latest changes of a melding, newest first, with the user who made them (from the
    detail read when it brought them: `met_details`)."""
    if aantal == HISTORIE_AANTAL and hasattr(melding, "laatste_wijzigingen"):
        return melding.laatste_wijzigingen
    return list(
        MeldingWijziging.objects.filter(melding=melding)
        .select_related("gebruiker")
        .order_by("-tijdstip", "-pk")[:aantal]
    )
