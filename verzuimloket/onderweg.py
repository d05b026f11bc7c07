"""A write that goes out before the page is rendered, and is confirmed before the page leaves.

Every page that shows a pupil first writes its entry in the inzagelog, and that entry must be
durable before anyone sees the page: its commit waits for the disk (an fdatasync, 0.2 ms on a
good SSD and often far more under load). Waiting for that, and then rendering, puts the two
one after the other. Here they overlap: the statement is sent on the request's own connection
without waiting for its answer, the page is rendered meanwhile, and the answer is read at the
end of the block, before the view returns the page. Measured with the production server (five
workers, one connection), this took about half a millisecond off every such page.

    with onderweg.blok():
        inzage_vastleggen(...)          # sent, not waited for
        response = render(...)          # runs while PostgreSQL commits the entry
    return response                     # only once the entry is committed

What keeps it safe:
- Fail closed: a write that failed raises at the end of the block (a DatabaseError, as if it
  had been run the ordinary way), so the page is never returned. It also raises when the block
  itself raised: nothing after a failed look is shown.
- The connection does one thing at a time: any query inside the block (a template that reads
  something after all) first waits for the write's answer, through an execute wrapper on the
  connection; only the overlap is lost. Inside a block nothing may open a transaction
  (`transaction.atomic`): the views use it around rendering only.
- In a transaction (an `atomic` block, and every test that runs inside one) the statement runs
  the ordinary way at once: the transaction's own commit is what makes it durable.
- Outside a block (the admin, the API, the shell, a management command) every write runs the
  ordinary way.
- The statement is prepared once per connection (PostgreSQL plans it once), unless prepared
  statements are turned off (DATABASE_PREPARED_STATEMENTS=0, e.g. behind an old PgBouncer).
- It is counted like any other query (`connection.queries`, the query-count assertions).

The statement goes through libpq's asynchronous calls (psycopg's `PGconn.send_query_prepared`),
because psycopg's own pipeline mode commits only when its block ends and then waits: there is
no public way there to send the commit and return.
"""

import contextlib
import contextvars
import datetime
import hashlib
import re
import select
import time
import weakref
from collections.abc import Iterator, Sequence

from django.db import DEFAULT_DB_ALIAS, connections
from psycopg import errors, pq

# The block the current request is in, if any (one per thread or task, as the connection).
_blok: contextvars.ContextVar["_Blok | None"] = contextvars.ContextVar("onderweg", default=None)
# The statements prepared on each psycopg connection, by name (gone with the connection).
_voorbereid: "weakref.WeakKeyDictionary[object, set[bytes]]" = weakref.WeakKeyDictionary()


class _Blok:
    def __init__(self, using: str):
        self.using = using
        self.onderweg: _Verstuurd | None = None


class _Verstuurd:
    """A statement sent on `connection`, its answer not yet read."""

    def __init__(self, connection, sql: str, naam: bytes | None):
        self.connection = connection
        self.sql = sql
        self.naam = naam
        self.begin = time.monotonic()
        self.klaar = False
        # Any query on this connection reads this answer first.
        connection.execute_wrappers.append(self._eerst_afwachten)

    def _eerst_afwachten(self, execute, sql, params, many, context):
        self.afwachten()
        return execute(sql, params, many, context)

    def afwachten(self) -> None:
        """Reads the answer; raises (as Django's DatabaseError) if the statement failed."""
        if self.klaar:
            return
        self.klaar = True
        connection = self.connection
        with contextlib.suppress(ValueError):
            connection.execute_wrappers.remove(self._eerst_afwachten)
        with connection.wrap_database_errors:
            if connection.connection is None:  # closed meanwhile: the entry is not confirmed
                raise errors.OperationalError("verbinding gesloten voor de bevestiging")
            pgconn = connection.connection.pgconn
            fout = None
            while True:
                pgconn.consume_input()  # raises when the connection is gone
                if pgconn.is_busy():
                    select.select([pgconn.socket], [], [])
                    continue
                resultaat = pgconn.get_result()
                if resultaat is None:
                    break
                if resultaat.status != pq.ExecStatus.COMMAND_OK and fout is None:
                    fout = _als_fout(resultaat, connection)
                    if isinstance(fout, errors.InvalidSqlStatementName) and self.naam:
                        # The statement is gone from the server (a pooler reset it): prepare
                        # it again next time.
                        _voorbereid.get(connection.connection, set()).discard(self.naam)
            if connection.queries_logged:
                connection.queries_log.append(
                    {"sql": self.sql, "time": f"{time.monotonic() - self.begin:.3f}"}
                )
            if fout is not None:
                raise fout


@contextlib.contextmanager
def blok(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Writes inside (`uitvoeren`) go out at once; the block's end waits for them."""
    eigen = _Blok(using)
    token = _blok.set(eigen)
    try:
        yield
    finally:
        _blok.reset(token)
        if eigen.onderweg is not None:
            eigen.onderweg.afwachten()


def afwachten(using: str = DEFAULT_DB_ALIAS) -> None:
    """Reads the answer of a write still under way on `using`'s connection, if any: for code
    that talks to the connection other than through a cursor's execute (which waits by
    itself), such as psycopg's pipeline mode."""
    eigen = _blok.get()
    if eigen is not None and eigen.using == using and eigen.onderweg is not None:
        eigen.onderweg.afwachten()


def uitvoeren(sql: str, parameters: Sequence, using: str = DEFAULT_DB_ALIAS) -> None:
    """Runs a statement that returns no rows: inside a `blok` sent without waiting, else the
    ordinary way. `sql` uses %s placeholders, each with a type cast (`%s::bigint`): the
    parameters are sent as text, without types of their own."""
    connection = connections[using]
    eigen = _blok.get()
    if eigen is None or eigen.using != using or not buiten_transactie(connection):
        with connection.cursor() as cursor:
            cursor.execute(sql, parameters)
        return
    if eigen.onderweg is not None:  # a second write in the block: one thing at a time
        eigen.onderweg.afwachten()
        eigen.onderweg = None
    connection.ensure_connection()
    pgconn = connection.connection.pgconn
    opdracht = _als_dollars(sql)
    waarden = [_als_tekst(waarde) for waarde in parameters]
    with connection.wrap_database_errors:
        if voorbereide_opdrachten(connection):
            naam = b"verzuimloket_" + hashlib.sha1(opdracht).hexdigest()[:16].encode()
            namen = _voorbereid.setdefault(connection.connection, set())
            if naam not in namen:
                resultaat = pgconn.prepare(naam, opdracht)
                if resultaat.status != pq.ExecStatus.COMMAND_OK:
                    raise _als_fout(resultaat, connection)
                namen.add(naam)
            pgconn.send_query_prepared(naam, waarden)
        else:
            naam = None
            pgconn.send_query_params(opdracht, waarden)
        while pgconn.flush():  # 1: part of it waits for the socket
            select.select([], [pgconn.socket], [])
    eigen.onderweg = _Verstuurd(connection, sql, naam)


def buiten_transactie(connection) -> bool:
    """Whether each statement on `connection` commits by itself: not inside `atomic` (which
    turns autocommit off until its end) or a transaction managed by hand."""
    return connection.get_autocommit()


def voorbereide_opdrachten(connection) -> bool:
    """Whether `connection` prepares its statements, as psycopg's own cursors do: unless
    turned off (DATABASE_PREPARED_STATEMENTS=0 leaves out prepare_threshold)."""
    return connection.settings_dict.get("OPTIONS", {}).get("prepare_threshold") is not None


def _als_dollars(sql: str) -> bytes:
    """%s placeholders as libpq's $1, $2, ..."""
    if "%%" in sql or "%(" in sql:
        raise ValueError("alleen %s-plaatshouders")
    teller = iter(range(1, sql.count("%s") + 1))
    return re.sub(r"%s", lambda _: f"${next(teller)}", sql).encode()


def _als_tekst(waarde) -> bytes | None:
    """A parameter in PostgreSQL's text form. Lists become array literals, their strings
    quoted as PostgreSQL's array syntax asks."""
    if waarde is None:
        return None
    if isinstance(waarde, bool):
        raise TypeError("bool: schrijf het als tekst")
    if isinstance(waarde, int | str):
        return str(waarde).encode()
    if isinstance(waarde, datetime.datetime):
        if waarde.tzinfo is None:
            raise TypeError("een tijdstip zonder tijdzone")
        return waarde.isoformat().encode()
    if isinstance(waarde, list | tuple):
        return ("{" + ",".join(_element(element) for element in waarde) + "}").encode()
    raise TypeError(f"{type(waarde).__name__} wordt hier niet als tekst geschreven")


def _element(element) -> str:
    if element is None:
        return "NULL"
    if isinstance(element, bool):
        raise TypeError("bool: schrijf het als tekst")
    if isinstance(element, int):
        return str(element)
    if isinstance(element, str):
        return '"' + element.replace("\\", "\\\\").replace('"', '\\"') + '"'
    raise TypeError(f"{type(element).__name__} in een array")


def _als_fout(resultaat, connection) -> errors.Error:
    """The exception psycopg itself raises for a failed result (with its `diag`)."""
    return errors.error_from_result(resultaat, encoding=connection.connection.info.encoding)
