"""Langdurig relatief verzuim (manual 2.4): only when the 28 calendar days right before the LRV
begindatum are covered without a gap by not-withdrawn "16 uren per 4 weken" meldingen of the
pupil from the same instelling; otherwise the message at Soort names the first day not covered."""

import datetime

import pytest

from meldingen import regels
from meldingen.models import Status, Verzuimsoort
from tests.conftest import VANDAAG
from tests.factories import MeldingFactory

pytestmark = pytest.mark.django_db
DAG = datetime.timedelta(days=1)
BEGIN = VANDAAG - 3 * DAG  # the LRV begindatum; days 1-28 are BEGIN - 28 .. BEGIN - 1


def v3(demo, van: int, tot: int, instelling="24GP", **extra):
    """A V3 melding of Sanne from day `van` to day `tot` before BEGIN (day 28 = BEGIN - 28)."""
    return MeldingFactory(
        leerling=demo.leerlingen["999999989"],
        instelling=demo.instellingen[instelling],
        soort=Verzuimsoort.V3,
        begindatum=BEGIN - van * DAG,
        einddatum=BEGIN - tot * DAG,
        **extra,
    )


def open_dag(demo):
    return regels.lrv_niet_gedekt(
        leerling=demo.leerlingen["999999989"],
        instelling=demo.instellingen["24GP"],
        begindatum=BEGIN,
    )


def fouten(demo):
    return regels.controleer_soort(
        leerling=demo.leerlingen["999999989"],
        instelling=demo.instellingen["24GP"],
        soort=Verzuimsoort.LRV,
        begindatum=BEGIN,
        einddatum=None,
        op=VANDAAG,
    )


def test_zonder_16_uren_meldingen_is_de_eerste_dag_open(demo):
    assert open_dag(demo) == BEGIN - 28 * DAG
    assert fouten(demo) == {
        "soort": [regels.LRV_NIET_GEDEKT.format(dag=BEGIN - 28 * DAG)],
    }
    assert f"Voor {BEGIN - 28 * DAG:%d-%m-%Y} is geen melding" in fouten(demo)["soort"][0]


def test_een_melding_van_tien_dagen_is_niet_genoeg(demo):
    v3(demo, 28, 19)
    assert open_dag(demo) == BEGIN - 18 * DAG


def test_aaneengesloten_meldingen_dekken_de_28_dagen(demo):
    v3(demo, 28, 15)
    v3(demo, 14, 1)
    assert open_dag(demo) is None
    assert fouten(demo) == {}


def test_een_gat_van_een_dag_wordt_genoemd(demo):
    v3(demo, 28, 15)
    v3(demo, 13, 1)
    assert open_dag(demo) == BEGIN - 14 * DAG


def test_de_laatste_dag_voor_de_begindatum_telt_mee(demo):
    v3(demo, 30, 2)
    assert open_dag(demo) == BEGIN - DAG


def test_een_melding_die_eerder_begint_en_later_eindigt_dekt_ook(demo):
    v3(demo, 40, 1)
    assert open_dag(demo) is None


def test_alleen_meldingen_van_dezelfde_instelling(demo):
    v3(demo, 28, 1, instelling="00BB")
    assert open_dag(demo) == BEGIN - 28 * DAG


def test_een_ingetrokken_melding_telt_niet(demo):
    v3(
        demo,
        28,
        1,
        status=Status.INGETROKKEN,
        reden_intrekken="ten_onrechte",
        ingetrokken_op=datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC),
    )
    assert open_dag(demo) == BEGIN - 28 * DAG


def test_andere_soorten_tellen_niet(demo):
    MeldingFactory(
        leerling=demo.leerlingen["999999989"],
        instelling=demo.instellingen["24GP"],
        soort=Verzuimsoort.OVERIG,
        begindatum=BEGIN - 28 * DAG,
        einddatum=BEGIN - DAG,
    )
    assert open_dag(demo) == BEGIN - 28 * DAG
