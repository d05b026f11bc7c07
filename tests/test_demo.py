"""The demo story of `manage.py laad_demo` idempotent, computed from
the day it runs, and telling the story the other tests and the manual rely on."""

import datetime

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command

from leerlingen.demo import DEMO_WACHTWOORD
from meldingen import regels
from meldingen.demo import laad_demo
from meldingen.models import Melding, Status, Verzuimsoort
from tests.conftest import VANDAAG
from tests.factories import MeldingFactory

pytestmark = pytest.mark.django_db

DAG = datetime.timedelta(days=1)
MODELLEN = [
    *apps.get_app_config("leerlingen").get_models(),
    *apps.get_app_config("meldingen").get_models(),
    get_user_model(),
    apps.get_model("auth", "Group"),
    get_user_model().groups.through,
    apps.get_model("auth", "Group").permissions.through,
]


def momentopname():
    """Every row of every demo table, as values: counts and contents."""
    return {model._meta.label: list(model.objects.order_by("pk").values()) for model in MODELLEN}


def test_twee_keer_laden_verandert_niets(demo):
    voor = momentopname()
    assert len(voor["leerlingen.Leerling"]) == 11
    assert len(voor["meldingen.Melding"]) == 8
    laad_demo(VANDAAG)
    assert momentopname() == voor


def test_laad_demo_commando(db, capsys):
    call_command("laad_demo")
    uitvoer = capsys.readouterr().out
    assert "Demo geladen: 11 leerlingen" in uitvoer
    assert "melder, melder2, melder-zuid, zonderrol, beheerder" in uitvoer
    voor = momentopname()
    call_command("laad_demo")
    assert momentopname() == voor


def test_laden_na_eigen_meldingen_faalt_niet(demo):
    """`make run` again after someone registered a melding for a demo pupil of the same soort
    at the same instelling: the demo melding is found, the own one stays as it is."""
    sanne = demo.leerlingen["999999989"]
    eigen = MeldingFactory(
        leerling=sanne,
        instelling=demo.instellingen["24GP"],
        aanbieder=sanne.inschrijvingen.get().aanbieder,
        locatie=sanne.inschrijvingen.get().locatie,
        uitvoerende_instantie=demo.instanties["Gemeente Groningen"],
        soort=Verzuimsoort.LUXE,
        begindatum=VANDAAG - 10 * DAG,
        einddatum=VANDAAG - 8 * DAG,
    )
    voor = momentopname()
    laad_demo(VANDAAG)
    assert momentopname() == voor
    eigen.refresh_from_db()
    assert eigen.begindatum == VANDAAG - 10 * DAG


def test_wachtwoord_en_rollen(demo):
    g = demo.gebruikers
    for naam in g:
        assert g[naam].check_password(DEMO_WACHTWOORD), naam
    rol = "leerlingen.verzuimloketmelder"
    assert [naam for naam in g if g[naam].has_perm(rol) and not g[naam].is_superuser] == [
        "melder",
        "melder2",
        "melder-zuid",
        "lpa-en-melder",
    ]
    behandelaar = "leerlingen.behandelaar"
    assert [naam for naam in g if g[naam].has_perm(behandelaar) and not g[naam].is_superuser] == [
        "lpa-groningen",
        "rmc-groningen",
        "lpa-smallingerland",
        "lpa-en-melder",
    ]

    def instanties(naam):
        return sorted(g[naam].instantie_machtigingen.values_list("instantie__naam", flat=True))

    assert instanties("lpa-groningen") == ["Gemeente Groningen"]
    assert instanties("rmc-groningen") == ["RMC regio Groningen"]
    assert instanties("lpa-smallingerland") == ["Gemeente Smallingerland"]
    assert instanties("lpa-en-melder") == ["Gemeente Groningen"]
    assert g["beheerder"].is_superuser and g["beheerder"].is_staff
    assert not g["melder"].is_staff

    def codes(naam):
        return sorted(g[naam].machtigingen.values_list("instelling", flat=True))

    assert codes("melder") == ["24GP"]
    assert codes("melder2") == ["00BB", "24GP"]
    assert codes("melder-zuid") == ["00BB"]
    assert codes("beheerder") == []


def test_registers(demo):
    assert str(demo.instellingen["24GP"]) == "24GP – Scholengemeenschap De Grote Markt"
    assert demo.instellingen["00BB"].plaats == "Drachten"
    locatie_24gp = demo.leerlingen["999999989"].inschrijvingen.get().locatie
    assert (locatie_24gp.code, locatie_24gp.postcode, locatie_24gp.aanbieder_id) == (
        "100X001",
        "9712HN",
        "100A001",
    )


def leeftijd(demo, pgn):
    return demo.leerlingen[pgn].leeftijd_op(VANDAAG)


def test_leeftijden_op_de_dag_van_laden(demo):
    assert {pgn: leeftijd(demo, pgn) for pgn in demo.leerlingen} == {
        "999999989": 15,
        "999990007": 17,
        "999990019": 19,
        "999990020": 24,
        "999990032": 17,
        "999990044": 15,
        "999990056": 16,
        "999990068": 16,
        "999990081": 15,
        "999990093": 16,
        "101000012": 14,
    }


def test_de_18_grens(demo):
    daan = demo.leerlingen["999990007"]
    assert daan.leeftijd_op(VANDAAG + 19 * DAG) == 17
    assert daan.leeftijd_op(VANDAAG + 20 * DAG) == 18


def test_bijzondere_leerlingen(demo):
    ll = demo.leerlingen
    assert ll["999990019"].startkwalificatie is False
    assert ll["999990032"].startkwalificatie is True
    assert ll["999990044"].woonland == "België" and not ll["999990044"].woont_in_nederland
    assert ll["101000012"].pgn_soort == "Onderwijsnummer"
    assert ll["999999989"].pgn_soort == "Burgerservicenummer"
    assert ll["999999989"].adresregels == ["Grote Markt 1 A bis", "9712HN Groningen"]

    def inschrijvingen(pgn):
        return {
            (i.instelling_id, i.hoofdinschrijving, i.einddatum)
            for i in ll[pgn].inschrijvingen.all()
        }

    assert inschrijvingen("999990056") == {("24GP", False, None), ("00BB", True, None)}
    assert inschrijvingen("999990068") == {("24GP", True, VANDAAG - 61 * DAG)}
    assert inschrijvingen("999990081") == {("00BB", True, None)}
    for pgn in ["999999989", "999990007", "999990093", "101000012"]:
        assert inschrijvingen(pgn) == {("24GP", True, None)}


def test_meldingen_van_het_verhaal(demo):
    meldingen = {
        (m.leerling.pgn, m.instelling_id, m.soort): m
        for m in Melding.objects.select_related("leerling")
    }
    luxe = meldingen["999999989", "24GP", Verzuimsoort.LUXE]
    assert (luxe.begindatum, luxe.einddatum, luxe.status) == (
        VANDAAG - 60 * DAG,
        VANDAAG - 58 * DAG,
        Status.GEREGISTREERD,
    )
    afgesloten = meldingen["999999989", "24GP", Verzuimsoort.OVERIG]
    assert afgesloten.status == Status.AFGESLOTEN
    assert afgesloten.terugkoppeling.reden_afgesloten == "hervat"
    assert meldingen["999990081", "00BB", Verzuimsoort.OVERIG].status == Status.GEREGISTREERD

    oud = meldingen["999990093", "24GP", Verzuimsoort.V3]
    assert oud.begindatum == VANDAAG - 425 * DAG  # about 14 months ago
    assert not regels.mag_intrekken(oud, VANDAAG)
    assert regels.mag_intrekken(luxe, VANDAAG)

    for melding in meldingen.values():
        assert melding.nummer >= 4000000
        assert melding.uitvoerende_instantie == regels.uitvoerende_instantie_voor(
            melding.leerling, melding.begindatum
        )
        melding.full_clean()


def test_het_verhaal_geldt_op_elke_dag(db):
    """Ages are computed from the day of loading: on 29 February too."""
    schrikkeldag = datetime.date(2028, 2, 29)
    demo = laad_demo(schrikkeldag)
    assert demo.leerlingen["999999989"].leeftijd_op(schrikkeldag) == 15
    assert demo.leerlingen["999990007"].leeftijd_op(schrikkeldag + 20 * DAG) == 18
    assert demo.leerlingen["999990007"].leeftijd_op(schrikkeldag + 19 * DAG) == 17


def test_laden_na_intrekken_van_een_demomelding_faalt_niet(demo):
    """Someone tried out intrekken on the demo melding; `make run` again keeps that."""
    from meldingen import services
    from meldingen.models import RedenIntrekken

    luxe = Melding.objects.get(leerling__pgn="999999989", soort=Verzuimsoort.LUXE)
    services.melding_intrekken(
        melding=luxe, gebruiker=demo.gebruikers["melder"], reden=RedenIntrekken.TEN_ONRECHTE
    )
    voor = momentopname()
    laad_demo(VANDAAG)
    assert momentopname() == voor
    luxe.refresh_from_db()
    assert luxe.status == Status.INGETROKKEN


def test_laden_op_een_latere_dag_faalt_niet_op_eigen_meldingen(demo):
    """50 days later the demo Luxe melding (60..58 days ago) would move onto a melding
    registered in between; the load goes on and leaves that demo melding where it was."""
    sanne = demo.leerlingen["999999989"]
    inschrijving = sanne.inschrijvingen.get()
    eigen = MeldingFactory(
        leerling=sanne,
        instelling=demo.instellingen["24GP"],
        aanbieder=inschrijving.aanbieder,
        locatie=inschrijving.locatie,
        uitvoerende_instantie=demo.instanties["Gemeente Groningen"],
        soort=Verzuimsoort.OVERIG,
        begindatum=VANDAAG - 10 * DAG,
        einddatum=VANDAAG - 5 * DAG,
    )
    later = VANDAAG + 50 * DAG
    nieuw = laad_demo(later)
    assert nieuw.leerlingen["999999989"].leeftijd_op(later) == 15
    luxe = Melding.objects.get(leerling=sanne, soort=Verzuimsoort.LUXE)
    assert luxe.begindatum == VANDAAG - 60 * DAG  # not moved onto the own melding
    oud = Melding.objects.get(leerling__pgn="999990093")
    assert oud.begindatum == later - 425 * DAG  # the others moved with the day
    eigen.refresh_from_db()
    assert eigen.begindatum == VANDAAG - 10 * DAG
