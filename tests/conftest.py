import datetime
from zoneinfo import ZoneInfo

import pytest

from meldingen.demo import laad_demo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# Every test runs on this day unless it travels elsewhere: ages and date rules never depend on
# the day the suite runs.
VANDAAG = datetime.date(2026, 3, 16)


def getoonde_historie(melding) -> list[tuple[str, str, str]]:
    """The change history as the Melding details page shows it: (veld, oud, nieuw) labels."""
    from meldingen import presenters, selectors

    return [
        (veld.veld, veld.oud, veld.nieuw)
        for wijziging in presenters.historie(selectors.historie(melding))
        for veld in wijziging.velden
    ]


def aantallen_geteld() -> dict:
    """What the werkvoorraad's counts must be: the live meldingen per (instantie, status)."""
    from django.db.models import Count

    from meldingen.models import Melding

    return {
        (r["uitvoerende_instantie_id"], r["status"]): r["n"]
        for r in Melding.objects.filter(geanonimiseerd_op__isnull=True)
        .values("uitvoerende_instantie_id", "status")
        .annotate(n=Count("pk"))
    }


def aantallen_bijgehouden() -> dict:
    """The counts as the melding table's triggers keep them (AantalPerStatus)."""
    from meldingen.models import AantalPerStatus

    return {(a.instantie_id, a.status): a.aantal for a in AantalPerStatus.objects.exclude(aantal=0)}


@pytest.fixture(autouse=True)
def bevroren_tijd(time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 16, 10, 0, tzinfo=AMSTERDAM), tick=True)
    return VANDAAG


@pytest.fixture(autouse=True)
def instantienamen_vergeten():
    """The names Zoek melding matches are kept per process (meldingen/selectors.py); a test's
    database is rolled back afterwards, which no signal reports."""
    from meldingen.selectors import instantienamen_vergeten

    instantienamen_vergeten()


@pytest.fixture(autouse=True)
def snel_wachtwoord_hashen(settings):
    """PBKDF2's ~0.4 s per password would cost seconds per `demo` (five users); tests that
    check the production hasher (tests/test_inloggen.py) switch it back."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo(db):
    """The demo registers, users and meldingen of `manage.py laad_demo`, built for VANDAAG."""
    return laad_demo(VANDAAG)


@pytest.fixture
def melder_client(client, demo):
    """Logged in as `melder` (role, machtiging 24GP only)."""
    client.force_login(demo.gebruikers["melder"])
    return client


@pytest.fixture
def zuid_client(client, demo):
    """Logged in as `melder-zuid` (role, machtiging 00BB only)."""
    client.force_login(demo.gebruikers["melder-zuid"])
    return client


@pytest.fixture
def taken_uitvoeren():
    """Run the queued tasks that are due, as `manage.py db_worker` does, but inside the test's
    transaction (the real worker closes the connection, which a test transaction cannot take).
    Returns how many ran."""
    from django_tasks_db.models import DBTaskResult

    def uitvoeren() -> int:
        aantal = 0
        while (
            db_result := DBTaskResult.objects.ready().order_by("enqueued_at").first()
        ) is not None:
            db_result.claim("test")
            args_kwargs = db_result.args_kwargs
            db_result.task.call(*args_kwargs["args"], **args_kwargs["kwargs"])
            db_result.set_successful(None)
            aantal += 1
        return aantal

    return uitvoeren


class Api:
    """Calls to the API (/api/v1) as a koppeling: `api.post("/meldingen", {...})`; `json()` of
    the answer is the parsed body."""

    def __init__(self, client, sleutel: str | None, koppeling=None):
        self.client = client
        self.sleutel = sleutel
        self.koppeling = koppeling

    def _headers(self, headers: dict) -> dict:
        kop = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
        if self.sleutel is not None:
            kop.setdefault("HTTP_AUTHORIZATION", f"Bearer {self.sleutel}")
        return kop

    def get(self, pad: str, params=None, **headers):
        return self.client.get(f"/api/v1{pad}", params or {}, **self._headers(headers))

    def _met_inhoud(self, methode: str, pad: str, inhoud, content_type, headers):
        import json

        data = inhoud if isinstance(inhoud, str | bytes) else json.dumps(inhoud)
        return getattr(self.client, methode)(
            f"/api/v1{pad}", data, content_type=content_type, **self._headers(headers)
        )

    def post(self, pad: str, inhoud=None, content_type="application/json", **headers):
        return self._met_inhoud("post", pad, inhoud or {}, content_type, headers)

    def put(self, pad: str, inhoud=None, content_type="application/json", **headers):
        return self._met_inhoud("put", pad, inhoud or {}, content_type, headers)

    def patch(self, pad: str, inhoud=None, content_type="application/merge-patch+json", **headers):
        return self._met_inhoud("patch", pad, inhoud or {}, content_type, headers)


def _api(client, **organisatie):
    from koppelvlak.services import koppeling_aanmaken

    naam = "Koppeling " + str(next(iter(organisatie.values())))
    koppeling, sleutel = koppeling_aanmaken(naam=naam[:100], **organisatie)
    return Api(client, sleutel, koppeling)


@pytest.fixture
def school_api(client, demo, settings):
    """The administratiepakket of 24GP (Scholengemeenschap De Grote Markt)."""
    settings.API_VERZOEKEN_PER_MINUUT = 10_000
    return _api(client, instelling=demo.instellingen["24GP"])


@pytest.fixture
def zuid_api(client, demo):
    """The administratiepakket of 00BB, another school."""
    return _api(client, instelling=demo.instellingen["00BB"])


@pytest.fixture
def lpa_api(client, demo, settings):
    """The leerplicht software of Gemeente Groningen."""
    settings.API_VERZOEKEN_PER_MINUUT = 10_000
    return _api(client, instantie=demo.instanties["Gemeente Groningen"])


@pytest.fixture
def smallingerland_api(client, demo):
    """The leerplicht software of another gemeente."""
    return _api(client, instantie=demo.instanties["Gemeente Smallingerland"])
