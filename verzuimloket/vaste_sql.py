"""Fixed SQL for the few reads every busy page makes, with rows turned into model instances.

Why: on the Melding details page the ORM spent 0.9 ms of CPU compiling its seven-table
select_related query on every request, where PostgreSQL ran it in 0.2 ms; with its two
prefetches and the change history the page's four reads took 3.3 ms. The same read written
once in SQL (with the child rows as JSON) is one query and about a fifth of that CPU.

What stays the ORM's:
- The column lists come from the models (`Tabel`), so a new field is read without touching
  the SQL, and a removed one cannot linger in it.
- Rows become instances the way the ORM makes them: `Model.from_db` with each field's database
  converters, so a JSONField or an ArrayField reads as it does through a QuerySet.
- Related objects are cached on the instance the way select_related and prefetch_related
  cache them (`koppel`, `als_prefetch`), so `melding.leerling` or
  `melding.contactpersonen.all()` run no query and code that reads a melding need not know how
  it was read.

Use it only where a profile shows the ORM's own cost matters, and keep the SQL next to an
equivalence test against the QuerySet it replaces.
"""

from __future__ import annotations

import collections
import functools
import re
from collections.abc import Iterable, Sequence

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model
from django.utils.functional import cached_property

from . import onderweg


class Tabel:
    """One table of a hand-written query: `alias` as the SQL names it, and the fields read
    (all concrete fields, or the attnames in `velden`; the others are deferred, as with
    QuerySet.only)."""

    def __init__(self, model: type[Model], alias: str, velden: Sequence[str] | None = None):
        self.model = model
        self.alias = alias
        alle = model._meta.concrete_fields
        self.velden = [f for f in alle if velden is None or f.attname in velden]
        if velden is not None and len(self.velden) != len(velden):
            onbekend = set(velden) - {f.attname for f in self.velden}
            raise ValueError(f"{model.__name__} heeft geen velden {sorted(onbekend)}")
        self.namen = [f.attname for f in self.velden]
        self._pk = self.velden.index(model._meta.pk)

    @property
    def kolommen(self) -> str:
        """The SELECT list of this table's fields, in `velden` order."""
        return ", ".join(f'{self.alias}."{f.column}"' for f in self.velden)

    @property
    def aantal(self) -> int:
        return len(self.velden)

    @property
    def json(self) -> str:
        """One row of this table as a JSON object keyed by column (for json_agg)."""
        paren = ", ".join(f"'{f.column}', {self.alias}.\"{f.column}\"" for f in self.velden)
        return f"json_build_object({paren})"

    def volgorde(self, velden: Sequence[str]) -> str:
        """An ORM ordering ("-begindatum", "pk") as this table's ORDER BY, so the SQL keeps
        the order the ORM's reads of the same rows use."""
        delen = []
        for veld in velden:
            naam = veld.removeprefix("-")
            kolom = (
                self.model._meta.pk if naam == "pk" else self.model._meta.get_field(naam)
            ).column
            delen.append(f'{self.alias}."{kolom}"{" DESC" if veld.startswith("-") else ""}')
        return ", ".join(delen)

    @cached_property
    def _omzetters(self) -> list[tuple[int, list, object]]:
        """(index, converters, expression) of the fields whose database value the ORM converts
        (JSONField, an ArrayField of such): the same converters a QuerySet applies."""
        connection = connections[DEFAULT_DB_ALIAS]
        omzetters = []
        for index, veld in enumerate(self.velden):
            expressie = veld.get_col(self.alias)
            lijst = connection.ops.get_db_converters(expressie) + expressie.get_db_converters(
                connection
            )
            if lijst:
                omzetters.append((index, lijst, expressie))
        return omzetters

    def instantie(self, rij: Sequence, begin: int = 0) -> Model | None:
        """The instance of this table's columns in `rij` from `begin`; None when the row has
        no primary key (a LEFT JOIN that found nothing)."""
        waarden = list(rij[begin : begin + self.aantal])
        if waarden[self._pk] is None:
            return None
        if self._omzetters:
            connection = connections[DEFAULT_DB_ALIAS]
            for index, lijst, expressie in self._omzetters:
                for omzetter in lijst:
                    waarden[index] = omzetter(waarden[index], expressie, connection)
        return self.model.from_db(DEFAULT_DB_ALIAS, self.namen, waarden)

    def uit_json(self, rijen: Iterable[dict] | None) -> list[Model]:
        """Instances of rows aggregated as `json`: JSON has no dates, so each value goes
        through its field's to_python (a date from '2026-03-16', and so on)."""
        return [
            self.model.from_db(
                DEFAULT_DB_ALIAS,
                self.namen,
                [veld.to_python(rij[veld.column]) for veld in self.velden],
            )
            for rij in rijen or ()
        ]


def instanties(tabellen: Sequence[Tabel], rij: Sequence) -> tuple[list[Model | None], int]:
    """The instances of a row that holds `tabellen`' columns one after the other (their
    `kolommen` joined in that order), and where the columns after them begin."""
    begin, objecten = 0, []
    for tabel in tabellen:
        objecten.append(tabel.instantie(rij, begin))
        begin += tabel.aantal
    return objecten, begin


# The statement that makes the next one in the same round trip use its generic plan (`lees`).
_GENERIEK_PLAN = "SELECT set_config('plan_cache_mode', 'force_generic_plan', true)"


def lees(sql: str, parameters: dict, *, vast_plan: bool = False) -> list[tuple]:
    """The rows of `sql`. With `vast_plan`, PostgreSQL runs it on the plan it made once for
    this connection (the generic plan of the prepared statement), instead of planning it anew
    for the values of each request.

    Why: PostgreSQL plans a prepared statement again on every execution as long as a plan for
    the given values looks cheaper than its generic plan (plan_cache_mode auto). For a large
    school or instantie it always does, so Zoek melding's first page spent 0.3-0.5 ms on
    planning for 0.25 ms of running, on every request. Where the conditions leave the plan no
    choice, the generic plan is the plan any value would get, and planning it once is enough.

    Only for a statement whose conditions are equalities on the leading columns of one index
    whose next column is the statement's order (and bounds on that order): its best plan reads
    that index from the right place, whatever the values. Where the selectivity of a value
    matters (a status within a school, several instellingen at once, the instanties matching
    a name) PostgreSQL must keep planning per value: forced to its generic plan, Zoek melding
    by instantienaam took 27 ms instead of 4. Such a statement also gives its LIMIT as a
    number (`limiet`): of a LIMIT parameter the generic plan assumes a tenth of the rows.

    How: `set_config(..., true)` and the statement go out together in psycopg's pipeline
    mode, one round trip. Without a Sync between them they share one implicit transaction, and
    the setting ends with it, also when the statement fails. Inside a transaction (`atomic`,
    every test that runs in one) it would last until that transaction ends, so there, and
    without prepared statements, the statement is planned the ordinary way."""
    connection = connections[DEFAULT_DB_ALIAS]
    with connection.cursor() as cursor:
        if (
            vast_plan
            and onderweg.buiten_transactie(connection)
            and onderweg.voorbereide_opdrachten(connection)
        ):
            # A write still under way on this connection (onderweg.blok) is read first:
            # a connection waiting for an answer cannot enter pipeline mode.
            onderweg.afwachten()
            with connection.wrap_database_errors, connection.connection.pipeline():
                cursor.execute(_GENERIEK_PLAN)
                cursor.execute(sql, parameters)
            # Read after the pipeline: its end sends the one Sync and reads every answer.
            # Reading inside it cost a second Sync and round trip on the way out.
        else:
            cursor.execute(sql, parameters)
        return cursor.fetchall()


def limiet(aantal: int, naam: str, parameters: dict, *, vast_plan: bool) -> str:
    """`LIMIT aantal` for `lees`: a number in the SQL for a statement with a fixed plan, else
    a parameter (added to `parameters`), so that PostgreSQL keeps choosing per value and the
    statement's text stays one for every page size."""
    if vast_plan:
        return f"LIMIT {int(aantal)}"
    parameters[naam] = aantal
    return f"LIMIT %({naam})s"


def select(kolommen: dict[str, str]) -> str:
    """A SELECT list naming each column ({"naam": "l.naam"} gives "l.naam AS naam")."""
    return ", ".join(f"{sql} AS {naam}" for naam, sql in kolommen.items())


def bevat(deel: str) -> str:
    """The LIKE pattern for "contains `deel`", its % and _ taken literally (as the ORM's
    icontains; pair it with UPPER() on both sides)."""
    return f"%{connections[DEFAULT_DB_ALIAS].ops.prep_for_like_query(deel)}%"


def koppel(instantie: Model, veld: str, gerelateerd: Model | None) -> None:
    """Cache a related object (or its absence) on `instantie`, as select_related does:
    `instantie.<veld>` then runs no query. `veld` is a foreign key or a reverse one-to-one."""
    relatie = instantie._meta.get_field(veld)
    # For a foreign key the field itself holds the cache; for a reverse one-to-one the relation
    # object does. Both are Django's FieldCacheMixin, which select_related uses the same way.
    relatie.set_cached_value(instantie, gerelateerd)


def als_prefetch(instantie: Model, naam: str, objecten: list[Model]) -> None:
    """Let `instantie.<naam>.all()` return `objecten` without a query, as prefetch_related
    leaves it (Django keeps a prefetched relation as a QuerySet with its result filled in)."""
    queryset = getattr(instantie, naam).all()
    queryset._result_cache = objecten
    queryset._prefetch_done = True
    if not hasattr(instantie, "_prefetched_objects_cache"):
        instantie._prefetched_objects_cache = {}
    instantie._prefetched_objects_cache[naam] = queryset


def een_van(kolom: str, naam: str, waarden: Sequence) -> tuple[str, dict]:
    """The condition "`kolom` is one of `waarden`" and its parameter: `= %(naam)s` for one
    value, `= ANY(%(naam)s)` for several (none: nothing matches). PostgreSQL treats the
    first as an equality, with per-value statistics and two equal conditions counted once;
    `= ANY` of one school next to `= <that school>` made it estimate 7 of its 10,803 rows
    and sort them all instead of reading the newest 25 from the index (20 ms instead of 1)."""
    waarden = list(waarden)
    if len(waarden) == 1:
        return f"{kolom} = %({naam})s", {naam: waarden[0]}
    return f"{kolom} = ANY(%({naam})s)", {naam: waarden}


class Lijst:
    """A long list in fixed SQL, for `verzuimloket.paginering.blader`: the rows of `van` that
    meet every one of `voorwaarden` (SQL with named parameters, joined with AND), ordered by
    `sleutel` (a unique number) from high to low.

    `kolommen` maps each name of a row to its SQL; a row is a named tuple of them. A list page
    built through the ORM compiled three queries on every request (the capped count, where a
    page starts, the rows), about 1.5 ms of CPU where PostgreSQL needed 0.3 ms. Here each
    query is a few string joins, and PostgreSQL still plans it once per connection (prepared
    statements) for each combination of criteria.

    `sleutels_eerst`: for conditions an index holds only as included columns (not as its
    key), the rows' numbers are found first in a subquery that reads the index alone, and
    only those rows are read: otherwise PostgreSQL read every row the index scan passed to
    test the condition (the werkvoorraad of the largest instantie filtered on an old
    begindatum: 33,736 rows read from disk, 108 ms, for none found).

    `vast_plan`: its conditions leave PostgreSQL no choice of plan, so it is planned once per
    connection (`lees`).

    `tabel` is the listed table with its alias ("meldingen_melding m"); `joins` maps the alias
    of each table the rows also show to its LEFT JOIN. The count and the page-start query read
    only the joins a condition needs: with the others there, PostgreSQL still left them out,
    but no longer answered from a covering index alone (the join's key is not in it), and
    counting a school's 10,803 meldingen read the table (17 ms instead of 2)."""

    def __init__(
        self,
        *,
        kolommen: dict[str, str],
        tabel: str,
        joins: dict[str, str],
        voorwaarden: Sequence[str],
        parameters: dict,
        sleutel: str,
        naam: str = "Regel",
        sleutels_eerst: bool = False,
        vast_plan: bool = False,
    ):
        self.select = select(kolommen)
        self.voorwaarden = list(voorwaarden)
        self.van = " ".join([tabel, *joins.values()])
        waar = " ".join(self.voorwaarden)
        # FROM for the count and the page start: the joins whose alias a condition names.
        self.van_tellen = " ".join(
            [tabel, *(sql for alias, sql in joins.items() if re.search(rf"\b{alias}\.", waar))]
        )
        self.parameters = dict(parameters)
        self.sleutel = sleutel
        self.sleutels_eerst = sleutels_eerst
        self.vast_plan = vast_plan
        self.rij = rijvorm(naam, tuple(kolommen))

    def _waar(self, *extra: str) -> str:
        return " AND ".join([*self.voorwaarden, *extra]) or "true"

    def _uitvoeren(self, sql: str, parameters: dict) -> list[tuple]:
        return lees(sql, parameters, vast_plan=self.vast_plan)

    def _limiet(self, aantal: int, naam: str, parameters: dict) -> str:
        return limiet(aantal, naam, parameters, vast_plan=self.vast_plan)

    def tel(self, tot: int) -> int:
        """How many rows there are, counting no further than `tot`."""
        parameters = dict(self.parameters)
        return self._uitvoeren(self._tel_sql(tot, parameters), parameters)[0][0]

    def _tel_sql(self, tot: int, parameters: dict) -> str:
        # Uncorrelated (its conditions name only its own tables), so also inside the rows'
        # statement PostgreSQL runs it once, with the plan it has on its own.
        return (
            f"SELECT count(*) FROM (SELECT 1 FROM {self.van_tellen} WHERE {self._waar()} "
            f"{self._limiet(tot, '_tot', parameters)}) t"
        )

    def alle(self, volgorde: str) -> list:
        """Every row, in `volgorde` (SQL): for a list that is short by nature (one pupil's)."""
        sql = f"SELECT {self.select} FROM {self.van} WHERE {self._waar()} ORDER BY {volgorde}"
        return [self.rij._make(rij) for rij in self._uitvoeren(sql, self.parameters)]

    def rijen(self, aantal: int, **grenzen) -> list:
        """Up to `aantal` rows from high to low: from `tot_en_met` or below `kleiner_dan` on,
        or after the first `overslaan` rows; with `groter_dan` the ones just above it, from
        low to high (a page backwards).

        `overslaan` finds where the page starts in a subquery that reads only the `sleutel`
        (from the index, joining only what a condition needs), in the same statement: OFFSET
        on the full query joined every skipped row first (page 40: 1,000 joins, 30 ms), and a
        query of its own for the start cost a round trip more.

        `grenzen`: tot_en_met, kleiner_dan, groter_dan or overslaan (`_rijen_sql`)."""
        sql, parameters = self._rijen_sql(aantal, **grenzen)
        return [self.rij._make(rij) for rij in self._uitvoeren(sql, parameters)]

    def rijen_met_aantal(
        self, aantal: int, *, tellen_tot: int, **grenzen
    ) -> tuple[list, int | None]:
        """`rijen(aantal, **grenzen)` and `tel(tellen_tot)` in one statement: the count is a
        column of every row (PostgreSQL runs it once, as for `tel`), so a page that must count
        costs one round trip, not two. The count is None when no row came back: then it needs
        `tel` of its own."""
        sql, parameters = self._rijen_sql(aantal, tellen_tot=tellen_tot, **grenzen)
        rijen = self._uitvoeren(sql, parameters)
        return [self.rij._make(rij[:-1]) for rij in rijen], (rijen[0][-1] if rijen else None)

    def _rijen_sql(
        self,
        aantal: int,
        *,
        tot_en_met: int | None = None,
        kleiner_dan: int | None = None,
        groter_dan: int | None = None,
        overslaan: int = 0,
        tellen_tot: int | None = None,
    ) -> tuple[str, dict]:
        extra, parameters = [], dict(self.parameters)
        for teken, waarde in (("<=", tot_en_met), ("<", kleiner_dan), (">", groter_dan)):
            if waarde is not None:
                naam = f"_grens{len(extra)}"
                extra.append(f"{self.sleutel} {teken} %({naam})s")
                parameters[naam] = waarde
        if overslaan:
            extra.append(
                f"{self.sleutel} <= (SELECT {self.sleutel} FROM {self.van_tellen} "
                f"WHERE {self._waar()} ORDER BY {self.sleutel} DESC "
                "OFFSET %(_overslaan)s LIMIT 1)"
            )
            parameters["_overslaan"] = overslaan
        kolommen = self.select
        if tellen_tot is not None:
            kolommen += f", ({self._tel_sql(tellen_tot, parameters)})"
        limiet_ = self._limiet(aantal, "_aantal", parameters)
        richting = "ASC" if groter_dan is not None else "DESC"
        if self.sleutels_eerst:
            sql = (
                f"SELECT {kolommen} FROM {self.van} WHERE {self.sleutel} IN "
                f"(SELECT {self.sleutel} FROM {self.van_tellen} WHERE {self._waar(*extra)} "
                f"ORDER BY {self.sleutel} {richting} {limiet_}) "
                f"ORDER BY {self.sleutel} {richting}"
            )
        else:
            sql = (
                f"SELECT {kolommen} FROM {self.van} WHERE {self._waar(*extra)} "
                f"ORDER BY {self.sleutel} {richting} {limiet_}"
            )
        return sql, parameters


@functools.cache
def rijvorm(naam: str, velden: tuple[str, ...]):
    """The named tuple of a query's rows (made once per name and columns)."""
    return collections.namedtuple(naam, velden)
