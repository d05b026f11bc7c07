"""Persoonsgebonden nummer (PGN): BSN or onderwijsnummer, checked with python-stdnum, typed
with spaces, dots or dashes, stored compact and unique (docs/regels.md)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from leerlingen.models import Leerling
from tests.factories import LeerlingFactory
from verzuimloket import formaten

GELDIGE_BSN = ["999999989", "999990007", "123456782", "100000009"]
GELDIGE_ONDERWIJSNUMMERS = ["101000012", "101000024"]


@pytest.mark.parametrize("pgn", GELDIGE_BSN)
def test_geldig_bsn(pgn):
    assert formaten.valideer_pgn(pgn) == pgn
    assert formaten.is_bsn(pgn)


@pytest.mark.parametrize("pgn", GELDIGE_ONDERWIJSNUMMERS)
def test_geldig_onderwijsnummer_is_geen_bsn(pgn):
    assert formaten.valideer_pgn(pgn) == pgn
    assert not formaten.is_bsn(pgn)


@pytest.mark.parametrize(
    ("invoer", "compact"),
    [
        ("999 999 989", "999999989"),
        ("999.999.989", "999999989"),
        ("999-999-989", "999999989"),
        (" 9999.99-989 ", "999999989"),
        ("101.000.012", "101000012"),
        ("1010 000 12", "101000012"),
        ("\t101-000-012\n", "101000012"),
    ],
)
def test_spaties_punten_en_streepjes_worden_verdragen(invoer, compact):
    assert formaten.valideer_pgn(invoer) == compact


@pytest.mark.parametrize(
    "invoer",
    [
        "999999988",  # BSN 11-proef klopt niet
        "101000013",  # onderwijsnummer-proef klopt niet
        "9999999890",  # 10 cijfers
        "99999998a",
        "999/999/989",
        "000000000",
        "",
        "   ",
    ],
)
def test_ongeldig_nummer_geeft_nederlandse_fout(invoer):
    with pytest.raises(ValidationError) as fout:
        formaten.valideer_pgn(invoer)
    assert fout.value.messages == [formaten.PGN_ONGELDIG]


@pytest.mark.django_db
def test_model_bewaart_het_nummer_compact(db):
    leerling = LeerlingFactory.build(pgn="999.999-989")
    leerling.full_clean()
    leerling.save()
    leerling.refresh_from_db()
    assert leerling.pgn == "999999989"
    assert leerling.pgn_soort == "Burgerservicenummer"
    assert leerling.pgn_afkorting == "BSN"


@pytest.mark.django_db
def test_onderwijsnummer_heeft_het_label_onderwijsnummer(db):
    leerling = LeerlingFactory(pgn="101000012")
    assert leerling.pgn_soort == "Onderwijsnummer"
    assert leerling.pgn_afkorting == "Onderwijsnummer"


@pytest.mark.django_db
def test_model_weigert_ongeldig_nummer(db):
    leerling = LeerlingFactory.build(pgn="999999988")
    with pytest.raises(ValidationError) as fout:
        leerling.full_clean()
    assert fout.value.message_dict["pgn"] == [formaten.PGN_ONGELDIG]


@pytest.mark.django_db
def test_pgn_is_uniek_ook_als_het_anders_getypt_is(db):
    LeerlingFactory(pgn="999999989")
    dubbel = LeerlingFactory.build(pgn="999 999 989")
    with pytest.raises(ValidationError) as fout:
        dubbel.full_clean()
    assert "pgn" in fout.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        LeerlingFactory(pgn="999999989")


@pytest.mark.django_db
def test_database_weigert_een_niet_compact_nummer(db):
    """The check constraint holds even when a path skips full_clean (shell, import)."""
    with pytest.raises(IntegrityError), transaction.atomic():
        LeerlingFactory(pgn="999.999.9")
    assert not Leerling.objects.filter(pgn="999.999.9").exists()
