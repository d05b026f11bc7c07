import datetime
from zoneinfo import ZoneInfo

import pytest

from leerlingen.demo import laad_demo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# Every test runs on this day unless it travels elsewhere: ages and date rules never depend on
# the day the suite runs.
VANDAAG = datetime.date(2026, 3, 16)


@pytest.fixture(autouse=True)
def bevroren_tijd(time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 16, 10, 0, tzinfo=AMSTERDAM), tick=True)
    return VANDAAG


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
