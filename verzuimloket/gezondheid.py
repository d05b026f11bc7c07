"""Health endpoints for a load balancer (docs/deploy.md, "Health endpoints").

- `/gezond/leeft` (liveness): the process answers. 200 "ok" without touching the database, so a
  database outage does not make an orchestrator restart every app process.
- `/gezond/klaar` (readiness): this process can serve: the database answers and no migration is
  pending. 200 "ok", else 503 with a short reason in plain text, never a traceback.

Both are public (urls.py marks them `openbaar`), set no cookie and read no pupil data. The
load balancer must send a Host header that is in ALLOWED_HOSTS.
"""

import logging

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse
from django.views.decorators.http import require_safe

from .logboek import stil

logger = logging.getLogger(__name__)

# Once every migration is applied it stays so for this process's code: checking the migration
# graph (reading every migration file) only until then keeps the check cheap.
_migraties_bijgewerkt = False


def open_migraties(connection) -> list:
    executor = MigrationExecutor(connection)
    return executor.migration_plan(executor.loader.graph.leaf_nodes())


def _antwoord(tekst: str, status: int = 200) -> HttpResponse:
    return HttpResponse(tekst, status=status, content_type="text/plain; charset=utf-8")


@require_safe
@stil
def leeft(request):
    return _antwoord("ok")


@require_safe
@stil
def klaar(request):
    global _migraties_bijgewerkt
    connection = connections[DEFAULT_DB_ALIAS]
    # Only the kind of an error is logged, never its message: that can name hosts and users.
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as fout:
        logger.warning("Niet klaar: database antwoordt niet (%s).", type(fout).__name__)
        return _antwoord("niet klaar: database antwoordt niet", 503)
    if not _migraties_bijgewerkt:
        try:
            plan = open_migraties(connection)
        except Exception as fout:
            # Whatever stops the check (an unreadable migration file, a conflict), this
            # process cannot tell whether its code fits the database: not ready.
            logger.warning("Niet klaar: migraties niet te controleren (%s).", type(fout).__name__)
            return _antwoord("niet klaar: migraties niet te controleren", 503)
        if plan:
            logger.warning("Niet klaar: %s migratie(s) staan open.", len(plan))
            return _antwoord(f"niet klaar: {len(plan)} migratie(s) staan open", 503)
        _migraties_bijgewerkt = True
    return _antwoord("ok")
