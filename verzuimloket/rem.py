"""Throttling ("een rem"): how often a user or an address did something in the last window,
counted where every process sees it: PostgreSQL (`Teller`, one atomic upsert), or Redis when
REDIS_URL is set (its atomic INCR). Never in one process's memory: with several app processes
each would count only its own share.

    PGN_ZOEKEN = Rem("pgn-zoeken", limiet=lambda: settings.PGN_ZOEKEN_PER_UUR, venster=UUR)
    if PGN_ZOEKEN.tel(request.user.pk) > PGN_ZOEKEN.limiet():
        ...  # 429

Windows are fixed (the hour from :00 to :59 for a window of an hour): simple and cheap; at a
window's edge a client gets at most twice the limit in one window's length.
"""

import datetime
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from .models import Teller

UUR = datetime.timedelta(hours=1)


class Rem:
    def __init__(self, naam: str, *, limiet: Callable[[], int], venster: datetime.timedelta):
        self.naam = naam
        self.limiet = limiet
        self.venster = venster

    def _venster_begin(self) -> datetime.datetime:
        seconden = int(self.venster.total_seconds())
        nu = int(timezone.now().timestamp())
        return datetime.datetime.fromtimestamp(nu - nu % seconden, tz=datetime.UTC)

    def _sleutel(self, wie) -> str:
        return f"{self.naam}:{wie}"[:200]

    def tel(self, wie) -> int:
        """Count one more for `wie` in the current window; returns the count so far."""
        sleutel, begin = self._sleutel(wie), self._venster_begin()
        if settings.REDIS_URL:
            cache_sleutel = f"rem:{sleutel}:{int(begin.timestamp())}"
            cache.add(cache_sleutel, 0, timeout=int(self.venster.total_seconds()) + 60)
            return cache.incr(cache_sleutel)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {Teller._meta.db_table} (sleutel, venster, aantal) "
                "VALUES (%s, %s, 1) ON CONFLICT (sleutel, venster) "
                f"DO UPDATE SET aantal = {Teller._meta.db_table}.aantal + 1 RETURNING aantal",
                [sleutel, begin],
            )
            return cursor.fetchone()[0]

    def geteld(self, wie) -> int:
        """The count of `wie` in the current window, without counting."""
        sleutel, begin = self._sleutel(wie), self._venster_begin()
        if settings.REDIS_URL:
            return cache.get(f"rem:{sleutel}:{int(begin.timestamp())}", 0)
        teller = Teller.objects.filter(sleutel=sleutel, venster=begin).only("aantal").first()
        return teller.aantal if teller else 0

    def bereikt(self, wie) -> bool:
        return self.geteld(wie) >= self.limiet()

    def resterend(self) -> datetime.timedelta:
        """Until the current window ends (and the count starts again)."""
        return self._venster_begin() + self.venster - timezone.now()


def oude_tellers_verwijderen(*, ouder_dan: datetime.timedelta = datetime.timedelta(days=1)):
    """For the daily job: windows that ended long ago count for nothing any more."""
    return Teller.objects.filter(venster__lt=timezone.now() - ouder_dan).delete()[0]
