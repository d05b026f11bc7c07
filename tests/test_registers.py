"""The registers hold their invariants in PostgreSQL: a path that skips
the forms (shell, import, a bug) cannot break them, and `full_clean` (admin, forms) reports
them as Dutch validation errors instead of an error page."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from leerlingen.models import Inschrijving, PostcodeGebied
from tests.factories import (
    GemeenteFactory,
    InschrijvingFactory,
    InstellingFactory,
    LeerlingFactory,
    OnderwijsaanbiederFactory,
    OnderwijslocatieFactory,
    PostcodeGebiedFactory,
    UitvoerendeInstantieFactory,
)
from verzuimloket import formaten

pytestmark = pytest.mark.django_db

D = datetime.date
HOOFD_AL = "Deze leerling heeft in deze periode al een hoofdinschrijving."


def database_weigert(maak):
    with pytest.raises(IntegrityError), transaction.atomic():
        maak()


# --- Hoofdinschrijving: at most one per leerling at any time ---------------------------------


@pytest.fixture
def eerste():
    """A hoofdinschrijving from 01-08-2022 to 31-07-2025."""
    return InschrijvingFactory(begindatum=D(2022, 8, 1), einddatum=D(2025, 7, 31))


def tweede(eerste, **velden):
    """Another enrolment of the same pupil at another instelling (unsaved)."""
    andere = InschrijvingFactory.build(leerling=eerste.leerling, **velden)
    andere.instelling.save()
    andere.aanbieder.save()
    andere.locatie.save()
    return andere


@pytest.mark.parametrize(
    ("begin", "eind"),
    [
        (D(2024, 1, 1), None),  # open-ended, starting inside
        (D(2021, 1, 1), D(2022, 8, 1)),  # ends on the first day (periods are inclusive)
        (D(2025, 7, 31), D(2025, 8, 31)),  # starts on the last day
        (D(2023, 1, 1), D(2023, 2, 1)),  # inside
        (D(2020, 1, 1), None),  # around
    ],
)
def test_twee_overlappende_hoofdinschrijvingen_weigert_de_database(eerste, begin, eind):
    andere = tweede(eerste, begindatum=begin, einddatum=eind, hoofdinschrijving=True)
    database_weigert(andere.save)
    database_weigert(
        lambda: Inschrijving.objects.create(
            leerling=eerste.leerling,
            instelling=andere.instelling,
            aanbieder=andere.aanbieder,
            locatie=andere.locatie,
            begindatum=begin,
            einddatum=eind,
            hoofdinschrijving=True,
        )
    )
    assert Inschrijving.objects.filter(leerling=eerste.leerling).count() == 1


def test_full_clean_meldt_de_overlappende_hoofdinschrijving(eerste):
    andere = tweede(eerste, begindatum=D(2024, 1, 1), einddatum=None, hoofdinschrijving=True)
    with pytest.raises(ValidationError) as fout:
        andere.full_clean()
    assert HOOFD_AL in fout.value.messages


def test_ook_twee_open_hoofdinschrijvingen_bij_dezelfde_instelling_niet():
    eerste = InschrijvingFactory(einddatum=None)
    database_weigert(
        lambda: InschrijvingFactory(
            leerling=eerste.leerling,
            instelling=eerste.instelling,
            aanbieder=eerste.aanbieder,
            locatie=eerste.locatie,
            begindatum=D(2025, 1, 1),
        )
    )


@pytest.mark.parametrize(
    ("begin", "eind", "hoofd"),
    [
        (D(2025, 8, 1), None, True),  # the day after: a new school year elsewhere
        (D(2020, 1, 1), D(2022, 7, 31), True),  # until the day before
        (D(2024, 1, 1), None, False),  # doorlopende leerroute: overlapping, not hoofd
    ],
)
def test_aansluitende_of_nevenschrijving_mag(eerste, begin, eind, hoofd):
    andere = tweede(eerste, begindatum=begin, einddatum=eind, hoofdinschrijving=hoofd)
    andere.full_clean()
    andere.save()
    assert Inschrijving.objects.filter(leerling=eerste.leerling).count() == 2


def test_hoofdinschrijvingen_van_verschillende_leerlingen_raken_elkaar_niet(eerste):
    andere = InschrijvingFactory(
        instelling=eerste.instelling,
        aanbieder=eerste.aanbieder,
        locatie=eerste.locatie,
        begindatum=eerste.begindatum,
        einddatum=None,
    )
    assert andere.pk


def test_einddatum_niet_voor_begindatum():
    inschrijving = InschrijvingFactory.build(begindatum=D(2024, 8, 1), einddatum=D(2024, 7, 31))
    for model in (inschrijving.instelling, inschrijving.aanbieder, inschrijving.locatie):
        model.save()
    inschrijving.leerling.save()
    with pytest.raises(ValidationError) as fout:
        inschrijving.full_clean()
    assert "De einddatum ligt voor de begindatum." in fout.value.messages
    database_weigert(inschrijving.save)


def test_demo_hoofdinschrijving_bij_00BB_en_nevenschrijving_bij_24GP(demo):
    leerling = demo.leerlingen["999990056"]
    inschrijvingen = {i.instelling_id: i.hoofdinschrijving for i in leerling.inschrijvingen.all()}
    assert inschrijvingen == {"00BB": True, "24GP": False}
    # Making 24GP the hoofdinschrijving as well is refused by the database.
    database_weigert(
        lambda: leerling.inschrijvingen.filter(instelling="24GP").update(hoofdinschrijving=True)
    )


# --- Postcodegebieden do not overlap ---------------------------------------------------------


def test_overlappende_postcodegebieden_weigert_de_database():
    PostcodeGebiedFactory(van=9711, tot=9747)
    for van, tot in [(9747, 9750), (9700, 9711), (9720, 9730), (9700, 9800)]:
        database_weigert(lambda van=van, tot=tot: PostcodeGebiedFactory(van=van, tot=tot))
    assert PostcodeGebied.objects.count() == 1


def test_full_clean_meldt_overlappend_postcodegebied():
    PostcodeGebiedFactory(van=9711, tot=9747)
    gebied = PostcodeGebied(gemeente=GemeenteFactory(), van=9740, tot=9760)
    with pytest.raises(ValidationError) as fout:
        gebied.full_clean()
    assert "Dit postcodegebied overlapt met een ander gebied." in fout.value.messages


def test_aansluitende_postcodegebieden_mogen():
    PostcodeGebiedFactory(van=9711, tot=9747)
    gebied = PostcodeGebied(gemeente=GemeenteFactory(), van=9748, tot=9760)
    gebied.full_clean()
    gebied.save()
    assert PostcodeGebied.objects.count() == 2


@pytest.mark.parametrize(("van", "tot"), [(999, 1200), (9711, 9700), (9000, 10000)])
def test_postcodegebied_van_tot_binnen_1000_9999(van, tot):
    database_weigert(lambda: PostcodeGebiedFactory(van=van, tot=tot))


# --- Formats ---------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["24GP", "00BB", "30RN"])
def test_geldige_instellingscode(code):
    instelling = InstellingFactory.build(instellingscode=code)
    instelling.full_clean()


def test_instellingscode_in_kleine_letters_wordt_hoofdletters():
    instelling = InstellingFactory.build(instellingscode=" 24gp")
    instelling.full_clean()
    assert instelling.instellingscode == "24GP"


@pytest.mark.parametrize("code", ["24G", "2GP4", "ABCD", "12345", "24G1"])
def test_ongeldige_instellingscode(code):
    instelling = InstellingFactory.build(instellingscode=code)
    with pytest.raises(ValidationError) as fout:
        instelling.full_clean()
    assert any("2 cijfers en 2 letters" in bericht for bericht in fout.value.messages)
    if len(code) <= 4:
        database_weigert(instelling.save)


def test_database_weigert_instellingscode_in_kleine_letters(db):
    database_weigert(InstellingFactory.build(instellingscode="24gp").save)


@pytest.mark.parametrize(
    ("code", "geldig"),
    [("100A001", True), ("100X001", False), ("10A0001", False), ("100a001", False)],
)
def test_onderwijsaanbiedercode(code, geldig):
    aanbieder = OnderwijsaanbiederFactory.build(code=code, instelling=InstellingFactory())
    if geldig:
        aanbieder.full_clean()
        aanbieder.save()
    else:
        with pytest.raises(ValidationError) as fout:
            aanbieder.full_clean()
        assert fout.value.message_dict["code"] == [
            "Een onderwijsaanbiedercode ziet eruit als 100A001."
        ]
        database_weigert(aanbieder.save)


@pytest.mark.parametrize(
    ("code", "geldig"),
    [("100X001", True), ("100A001", False), ("100X01", False), ("100x001", False)],
)
def test_onderwijslocatiecode(code, geldig):
    locatie = OnderwijslocatieFactory.build(code=code, aanbieder=OnderwijsaanbiederFactory())
    if geldig:
        locatie.full_clean()
        locatie.save()
    else:
        with pytest.raises(ValidationError) as fout:
            locatie.full_clean()
        assert fout.value.message_dict["code"] == [
            "Een onderwijslocatiecode ziet eruit als 100X001."
        ]
        database_weigert(locatie.save)


@pytest.mark.parametrize(
    ("invoer", "compact"), [("9712HN", "9712HN"), ("9712 HN", "9712HN"), ("9712 hn", "9712HN")]
)
def test_postcode_wordt_compact_bewaard(invoer, compact):
    leerling = LeerlingFactory.build(postcode=invoer)
    leerling.full_clean()
    leerling.save()
    leerling.refresh_from_db()
    assert leerling.postcode == compact
    assert leerling.adresregels[1] == f"{compact} Groningen"


@pytest.mark.parametrize("postcode", ["0712HN", "9712", "9712H", "97122HN", "ABCD12"])
def test_ongeldige_postcode(postcode):
    with pytest.raises(ValidationError) as fout:
        formaten.valideer_postcode(postcode)
    assert fout.value.messages == ["Vul een geldige postcode in, zoals 9712 HN."]


def test_leerling_in_nederland_heeft_postcode_en_huisnummer():
    database_weigert(lambda: LeerlingFactory(postcode="", huisnummer=None))
    buitenland = LeerlingFactory(postcode="", huisnummer=None, straatnaam="", woonland="België")
    assert buitenland.adresregels == ["België"]
    assert not buitenland.woont_in_nederland


def test_instantie_die_email_wil_heeft_een_emailadres():
    database_weigert(lambda: UitvoerendeInstantieFactory(email="", wil_email=True))
    assert UitvoerendeInstantieFactory(email="", wil_email=False).pk


def test_adresregels_zoals_de_handleiding(demo):
    assert demo.leerlingen["999999989"].adresregels == ["Grote Markt 1 A bis", "9712HN Groningen"]
