"""Routing of a melding: postcode → woongemeente → uitvoerende instantie, by the pupil's
category on the begindatum (docs/regels.md), including DUO's alternatieve routering."""

import datetime

import pytest

from leerlingen.models import AlternatieveRoutering, Categorie
from meldingen.models import Wet
from meldingen.regels import gemeente_voor_postcode, uitvoerende_instantie_voor, wet_voor
from tests.conftest import VANDAAG
from tests.factories import (
    GemeenteFactory,
    LeerlingFactory,
    PostcodeGebiedFactory,
    UitvoerendeInstantieFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date
DAG = datetime.timedelta(days=1)


@pytest.fixture
def gemeente():
    """Postcodes 9711-9747; leerplicht team and RMC regio as separate instanties."""
    gebied = PostcodeGebiedFactory(
        van=9711,
        tot=9747,
        gemeente__leerplicht_instantie__naam="Leerplicht Stad",
        gemeente__rmc_instantie__naam="RMC Stad",
    )
    return gebied.gemeente


def leerling(geboortedatum, postcode="9712HN"):
    return LeerlingFactory(geboortedatum=geboortedatum, postcode=postcode)


# Born 10-06-2010: 16 on 10-06-2026, 18 on 10-06-2028.
GEBOREN = D(2010, 6, 10)


@pytest.mark.parametrize(
    ("begindatum", "categorie", "instantie", "wet"),
    [
        (D(2026, 6, 9), Categorie.LEERPLICHTIG, "Leerplicht Stad", Wet.LEERPLICHTWET),
        (D(2026, 6, 10), Categorie.KWALIFICATIEPLICHTIG, "Leerplicht Stad", Wet.LEERPLICHTWET),
        (D(2028, 6, 9), Categorie.KWALIFICATIEPLICHTIG, "Leerplicht Stad", Wet.LEERPLICHTWET),
        (D(2028, 6, 10), Categorie.ACHTTIEN_PLUS, "RMC Stad", Wet.RMC),
        (D(2033, 6, 9), Categorie.ACHTTIEN_PLUS, "RMC Stad", Wet.RMC),
    ],
)
def test_categorie_op_de_begindatum_bepaalt_de_instantie(
    gemeente, begindatum, categorie, instantie, wet
):
    kind = leerling(GEBOREN)
    assert kind.categorie_op(begindatum) == categorie
    assert uitvoerende_instantie_voor(kind, begindatum).naam == instantie
    assert wet_voor(kind, begindatum) == wet


def test_geboren_op_29_februari_wordt_18_op_1_maart(gemeente):
    kind = leerling(D(2008, 2, 29))
    assert kind.leeftijd_op(D(2026, 2, 28)) == 17
    assert uitvoerende_instantie_voor(kind, D(2026, 2, 28)).naam == "Leerplicht Stad"
    assert kind.leeftijd_op(D(2026, 3, 1)) == 18
    assert uitvoerende_instantie_voor(kind, D(2026, 3, 1)).naam == "RMC Stad"


@pytest.mark.parametrize(
    ("categorie", "begindatum"),
    [
        (Categorie.LEERPLICHTIG, D(2026, 1, 1)),
        (Categorie.KWALIFICATIEPLICHTIG, D(2027, 1, 1)),
        (Categorie.ACHTTIEN_PLUS, D(2029, 1, 1)),
    ],
)
def test_alternatieve_routering_wint_alleen_voor_haar_categorie(gemeente, categorie, begindatum):
    elders = UitvoerendeInstantieFactory(naam="Regionaal Bureau Leerlingzaken")
    AlternatieveRoutering.objects.create(gemeente=gemeente, categorie=categorie, instantie=elders)
    kind = leerling(GEBOREN)
    for datum, cat in [
        (D(2026, 1, 1), Categorie.LEERPLICHTIG),
        (D(2027, 1, 1), Categorie.KWALIFICATIEPLICHTIG),
        (D(2029, 1, 1), Categorie.ACHTTIEN_PLUS),
    ]:
        verwacht = (
            "Regionaal Bureau Leerlingzaken"
            if cat == categorie
            else ("RMC Stad" if cat == Categorie.ACHTTIEN_PLUS else "Leerplicht Stad")
        )
        assert uitvoerende_instantie_voor(kind, datum).naam == verwacht, cat


@pytest.mark.parametrize(
    ("postcode", "binnen"),
    [("9711AA", True), ("9747ZZ", True), ("9712HN", True), ("9710ZZ", False), ("9748AA", False)],
)
def test_postcodegrenzen_zijn_inclusief(gemeente, postcode, binnen):
    assert (gemeente_voor_postcode(postcode) == gemeente) is binnen


def test_elke_gemeente_haar_eigen_gebied(gemeente):
    andere = PostcodeGebiedFactory(van=9200, tot=9209, gemeente=GemeenteFactory()).gemeente
    assert gemeente_voor_postcode("9203AB") == andere
    assert gemeente_voor_postcode("9712HN") == gemeente


def test_onbekende_of_geen_postcode_geeft_geen_instantie(gemeente):
    assert uitvoerende_instantie_voor(leerling(GEBOREN, postcode="1011AB"), VANDAAG) is None
    buitenland = LeerlingFactory(postcode="", huisnummer=None, woonland="België")
    assert uitvoerende_instantie_voor(buitenland, VANDAAG) is None


def test_routering_kost_een_vast_aantal_queries(gemeente, django_assert_max_num_queries):
    AlternatieveRoutering.objects.create(
        gemeente=gemeente,
        categorie=Categorie.KWALIFICATIEPLICHTIG,
        instantie=UitvoerendeInstantieFactory(),
    )
    kind = leerling(GEBOREN)
    # The gemeente with its instanties, its routeringen, their instanties.
    with django_assert_max_num_queries(3):
        uitvoerende_instantie_voor(kind, D(2027, 1, 1)).naam  # noqa: B018


# --- The demo story ----------------------------------------------------------------------------


def test_demo_groningen_leerplicht_en_rmc(demo):
    groningen, rmc = demo.instanties["Gemeente Groningen"], demo.instanties["RMC regio Groningen"]
    assert uitvoerende_instantie_voor(demo.leerlingen["999999989"], VANDAAG) == groningen
    assert uitvoerende_instantie_voor(demo.leerlingen["999990019"], VANDAAG) == rmc
    assert uitvoerende_instantie_voor(demo.leerlingen["101000012"], VANDAAG) == groningen


def test_demo_18_grens_van_999990007(demo):
    daan = demo.leerlingen["999990007"]
    achttien = VANDAAG + 20 * DAG
    assert uitvoerende_instantie_voor(daan, achttien - DAG).naam == "Gemeente Groningen"
    assert uitvoerende_instantie_voor(daan, achttien).naam == "RMC regio Groningen"
    assert wet_voor(daan, achttien - DAG) == Wet.LEERPLICHTWET
    assert wet_voor(daan, achttien) == Wet.RMC


def test_demo_drachten_naar_smallingerland_voor_elke_categorie(demo):
    smallingerland = demo.instanties["Gemeente Smallingerland"]
    julia = demo.leerlingen["999990056"]  # 16, Drachten
    assert uitvoerende_instantie_voor(julia, VANDAAG) == smallingerland
    assert uitvoerende_instantie_voor(julia, VANDAAG.replace(year=VANDAAG.year + 3)) == (
        smallingerland
    )
    assert not smallingerland.wil_email
    assert demo.instanties["Gemeente Groningen"].wil_email
