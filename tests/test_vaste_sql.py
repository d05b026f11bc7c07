"""The detail read in fixed SQL (`selectors.met_details`, `verzuimloket.vaste_sql`) brings
exactly what the ORM brings, in one query, and scopes exactly as the QuerySets it replaces."""

import datetime

import pytest
from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone

from behandeling import selectors as behandeling_selectors
from leerlingen.models import UitvoerendeInstantie
from meldingen import presenters, selectors
from meldingen.models import ContactpersoonLeerling, Melding, MeldingWijziging, Verzuimdag
from tests.factories import InstellingFactory, MeldingFactory, UitvoerendeInstantieFactory

RELATIES = (
    "leerling",
    "instelling",
    "uitvoerende_instantie",
    "aanbieder",
    "locatie",
    "terugkoppeling",
)


def velden(object_):
    """Every concrete field's value, as the ORM reads it (None: no related object)."""
    if object_ is None:
        return None
    return {f.attname: getattr(object_, f.attname) for f in object_._meta.concrete_fields}


def via_orm(melding: Melding) -> Melding:
    return (
        Melding.objects.select_related(*RELATIES, "in_behandeling_door")
        .prefetch_related(
            Prefetch(
                "contactpersonen", queryset=ContactpersoonLeerling.objects.order_by("volgnummer")
            ),
            Prefetch("verzuimdagen", queryset=Verzuimdag.objects.order_by("datum")),
        )
        .get(pk=melding.pk)
    )


def historie_via_orm(melding):
    return list(
        MeldingWijziging.objects.filter(melding=melding)
        .select_related("gebruiker")
        .order_by("-tijdstip", "-pk")[: selectors.HISTORIE_AANTAL]
    )


@pytest.fixture
def volle_melding(demo):
    """A melding with every kind of child row: two contactpersonen, verzuimdagen with lesuren,
    more changes than the page shows (by a user and by none), and a behandelaar."""
    melding = MeldingFactory(
        alle_lessen_gemist=False, in_behandeling_door=demo.gebruikers["lpa-groningen"]
    )
    for volgnummer, naam in ((2, "Piet Jansen"), (1, "Anna de Boer")):
        ContactpersoonLeerling.objects.create(
            melding=melding, volgnummer=volgnummer, naam=naam, relatie="ouder", email="a@b.nl"
        )
    Verzuimdag.objects.create(
        melding=melding, datum=datetime.date(2026, 3, 3), hele_dag=False, lesuren=[3, 1]
    )
    Verzuimdag.objects.create(melding=melding, datum=datetime.date(2026, 3, 2), toelichting="Ziek")
    for n in range(selectors.HISTORIE_AANTAL + 2):
        MeldingWijziging.objects.create(
            melding=melding,
            gebruiker=demo.gebruikers["melder"] if n % 2 else None,
            blok="Verzuim",
            velden=[{"veld": "toelichting", "oud": f"oud {n}", "nieuw": f"nieuw {n}"}],
        )
    return melding


def test_elke_melding_gelijk_aan_de_orm(demo, volle_melding, django_assert_num_queries):
    """Every field of the melding and of everything around it, for every demo melding and
    one with every kind of child row (contactpersonen, verzuimdagen, terugkoppeling,
    behandelaar, a long history)."""
    gezien = set()
    meldingen = Melding.objects.filter(geanonimiseerd_op__isnull=True).select_related("instelling")
    assert meldingen.count() >= 5
    for melding in meldingen:
        with django_assert_num_queries(1):
            gelezen = selectors.met_details(nummer=melding.nummer, instelling=melding.instelling)
        verwacht = via_orm(melding)
        assert velden(gelezen) == velden(verwacht)
        for relatie in RELATIES:
            assert velden(getattr(gelezen, relatie, None)) == velden(
                getattr(verwacht, relatie, None)
            ), relatie
        door, verwacht_door = gelezen.in_behandeling_door, verwacht.in_behandeling_door
        assert (door and (door.pk, door.get_full_name(), door.username)) == (
            verwacht_door
            and (verwacht_door.pk, verwacht_door.get_full_name(), verwacht_door.username)
        )
        for naam in ("contactpersonen", "verzuimdagen"):
            assert [velden(o) for o in getattr(gelezen, naam).all()] == [
                velden(o) for o in getattr(verwacht, naam).all()
            ], naam
        assert [velden(w) for w in selectors.historie(gelezen)] == [
            velden(w) for w in historie_via_orm(melding)
        ]
        # What the page shows of it is the same, to the letter.
        assert presenters.details(gelezen, selectors.historie(gelezen)) == presenters.details(
            verwacht, historie_via_orm(melding)
        )
        if gelezen.contactpersonen.all():
            gezien.add("contactpersonen")
        if gelezen.verzuimdagen.all():
            gezien.add("verzuimdagen")
        if getattr(gelezen, "terugkoppeling", None):
            gezien.add("terugkoppeling")
        if len(gelezen.laatste_wijzigingen) == selectors.HISTORIE_AANTAL:
            gezien.add("historie")
        if gelezen.in_behandeling_door:
            gezien.add("behandelaar")
    # The comparison covered each kind of child row.
    assert gezien == {
        "contactpersonen",
        "verzuimdagen",
        "terugkoppeling",
        "historie",
        "behandelaar",
    }


def test_een_pagina_leest_niets_meer_na(volle_melding, django_assert_num_queries):
    melding = volle_melding
    gelezen = selectors.met_details(nummer=melding.nummer, instelling=melding.instelling)
    with django_assert_num_queries(0):
        presenters.details(gelezen, selectors.historie(gelezen))
        list(gelezen.contactpersonen.all())
        assert gelezen.leerling.naam and gelezen.uitvoerende_instantie.naam
        assert gelezen.in_behandeling_door is None or gelezen.in_behandeling_door.username


def test_alleen_de_meldende_instelling(demo):
    melding = Melding.objects.select_related("instelling").first()
    ander = Melding.objects.exclude(instelling=melding.instelling).first()
    assert ander is not None
    with pytest.raises(Http404):
        selectors.met_details(nummer=melding.nummer, instelling=ander.instelling)
    assert selectors.met_details(nummer=melding.nummer, instelling=melding.instelling)


def test_alleen_de_huidige_uitvoerende_instantie(demo):
    melding = Melding.objects.select_related("uitvoerende_instantie").first()
    gelezen = behandeling_selectors.melding_van_instantie(
        melding.uitvoerende_instantie, melding.nummer
    )
    assert gelezen.pk == melding.pk
    with pytest.raises(Http404):
        behandeling_selectors.melding_van_instantie(UitvoerendeInstantieFactory(), melding.nummer)


def test_geanonimiseerd_is_van_niemand(demo):
    melding = MeldingFactory()
    Melding.objects.filter(pk=melding.pk).update(
        geanonimiseerd_op="2026-03-16T10:00+01:00", leerling=None
    )
    with pytest.raises(Http404):
        selectors.met_details(nummer=melding.nummer, instelling=melding.instelling)
    with pytest.raises(Http404):
        selectors.met_details(nummer=melding.nummer, instantie=melding.uitvoerende_instantie)


def test_een_van_beide_organisaties(demo):
    melding = Melding.objects.select_related("instelling", "uitvoerende_instantie").first()
    with pytest.raises(TypeError):
        selectors.met_details(nummer=melding.nummer)
    with pytest.raises(TypeError):
        selectors.met_details(
            nummer=melding.nummer,
            instelling=melding.instelling,
            instantie=melding.uitvoerende_instantie,
        )


def test_instantienaam_is_tekst_geen_patroon(demo):
    """% and _ in a searched name are the characters themselves, as with the ORM's icontains."""
    gewoon = UitvoerendeInstantieFactory(naam="Leerplicht Noord")
    procent = UitvoerendeInstantieFactory(naam="Bureau 100% Leerplicht")
    assert selectors.instanties_met_naam("%") == [procent.pk]
    assert selectors.instanties_met_naam("_") == []
    assert gewoon.pk in selectors.instanties_met_naam("leerplicht noord")
    assert set(selectors.instanties_met_naam("LEERPLICHT")) >= {gewoon.pk, procent.pk}


def test_instantienamen_zoals_de_database_ze_vindt(demo, django_assert_num_queries):
    """The names kept per process find what the database's UPPER(naam) LIKE finds, and also
    an accent typed in another case."""
    for naam in ("Súdwest-Fryslân", "'s-Hertogenbosch", "Bureau 100% Leerplicht", "Ede"):
        UitvoerendeInstantieFactory(naam=naam)
    zoekwoorden = ["groningen", "Súdwest", "FRYSL", "'S-HERTOG", "100%", "ede", "e", "", "x_y"]
    for deel in zoekwoorden:
        verwacht = list(
            UitvoerendeInstantie.objects.filter(naam__icontains=deel)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        assert selectors.instanties_met_naam(deel) == verwacht, deel
    assert selectors.instanties_met_naam("SÚDWEST") == selectors.instanties_met_naam("súdwest")
    with django_assert_num_queries(0):  # kept
        selectors.instanties_met_naam("groningen")


def test_instantienamen_na_een_wijziging(demo, django_assert_num_queries, time_machine):
    instantie = UitvoerendeInstantieFactory(naam="Leerplicht Oost")
    assert selectors.instanties_met_naam("oost") == [instantie.pk]
    # A change through Django: seen at once in this process.
    instantie.naam = "Leerplicht West"
    instantie.save()
    assert selectors.instanties_met_naam("oost") == []
    assert selectors.instanties_met_naam("west") == [instantie.pk]
    # A change that sends no signal (another process, a bulk load): seen within a minute.
    UitvoerendeInstantie.objects.filter(pk=instantie.pk).update(naam="Leerplicht Zuid")
    with django_assert_num_queries(0):
        assert selectors.instanties_met_naam("zuid") == []
    time_machine.shift(selectors.INSTANTIENAMEN_SECONDEN + 1)
    assert selectors.instanties_met_naam("zuid") == [instantie.pk]
    instantie.delete()
    assert selectors.instanties_met_naam("zuid") == []


def test_lijst_telt_bladert_en_springt(demo, django_assert_num_queries):
    """A list in fixed SQL counts up to a limit, reads a page from a number on, below or above
    a number, and finds where a page starts: each in one query, in meldingnummer order."""
    instelling = demo.instellingen["24GP"]
    for _ in range(6):
        MeldingFactory(instelling=instelling)
    lijst = selectors.zoek_meldingen(machtigingen=[instelling], instelling=instelling)
    nummers = sorted(
        Melding.objects.filter(instelling=instelling, geanonimiseerd_op__isnull=True).values_list(
            "nummer", flat=True
        ),
        reverse=True,
    )
    assert len(nummers) >= 7
    with django_assert_num_queries(1):
        assert lijst.tel(3) == 3
    assert lijst.tel(1000) == len(nummers)
    assert [r.nummer for r in lijst.rijen(3)] == nummers[:3]
    assert [r.nummer for r in lijst.rijen(2, kleiner_dan=nummers[2])] == nummers[3:5]
    assert [r.nummer for r in lijst.rijen(2, tot_en_met=nummers[2])] == nummers[2:4]
    # A page backwards: the rows just above, from low to high.
    assert [r.nummer for r in lijst.rijen(2, groter_dan=nummers[4])] == nummers[2:4][::-1]
    # After the first five rows (a numbered page further on), in one statement.
    with django_assert_num_queries(1):
        assert [r.nummer for r in lijst.rijen(2, overslaan=5)] == nummers[5:7]
    assert lijst.rijen(2, overslaan=len(nummers)) == []
    # The numbers found first (sleutels_eerst), then the rows: the same rows, in every way
    # of paging, in one statement each.
    varianten = [
        {},
        {"kleiner_dan": nummers[2]},
        {"tot_en_met": nummers[2]},
        {"groter_dan": nummers[4]},
        {"overslaan": 5},
    ]
    verwacht = [lijst.rijen(2, **variant) for variant in varianten]
    lijst.sleutels_eerst = True
    for variant, rijen in zip(varianten, verwacht, strict=True):
        with django_assert_num_queries(1):
            assert lijst.rijen(2, **variant) == rijen, variant
    # With the count in the same statement: the same rows, and the count `tel` gives.
    lijst.sleutels_eerst = False
    for sleutels_eerst in (False, True):
        lijst.sleutels_eerst = sleutels_eerst
        for variant, rijen in zip(varianten, verwacht, strict=True):
            with django_assert_num_queries(1):
                samen = lijst.rijen_met_aantal(2, tellen_tot=4, **variant)
            assert samen == (rijen, 4), variant
    assert lijst.rijen_met_aantal(2, tellen_tot=1000) == (verwacht[0], len(nummers))
    # No row: no count either (the caller counts on its own).
    assert lijst.rijen_met_aantal(2, tellen_tot=1000, overslaan=len(nummers)) == ([], None)
    # Another school's machtigingen see none of them.
    ander = selectors.zoek_meldingen(
        machtigingen=[demo.instellingen["00BB"]], instelling=instelling
    )
    assert ander.tel(1000) == 0


@pytest.mark.parametrize(
    ("query", "queries", "pagina", "eerste"),
    [
        ("", 1, 1, 0),  # page 1: rows and count in one statement
        ("pagina=2", 1, 2, 3),
        ("pagina=4", 3, 3, 6),  # past the last page: counted, then the last page read
        ("pagina=99999999", 2, 3, 6),  # far past the numbered pages: counted first
        ("pagina=3&na={4}", 1, 3, 5),  # a cursor: the count comes along
    ],
)
def test_bladeren_telt_in_dezelfde_query(
    demo, django_assert_num_queries, query, queries, pagina, eerste
):
    from django.http import QueryDict

    from verzuimloket.paginering import blader

    instelling = InstellingFactory()
    for _ in range(7):
        MeldingFactory(instelling=instelling)
    lijst = selectors.zoek_meldingen(machtigingen=[instelling], instelling=instelling)
    nummers = [r.nummer for r in lijst.rijen(100)]
    with django_assert_num_queries(queries):
        bladzijde = blader(lijst, QueryDict(query.format(*nummers)), per_pagina=3, basis="b=1")
    assert (bladzijde.nummer, bladzijde.aantal) == (pagina, 7)
    assert [r.nummer for r in bladzijde.regels] == nummers[eerste : eerste + 3]
    # The same page as counting first gives (the caller knew the count).
    with django_assert_num_queries(1):
        gekend = blader(
            lijst, QueryDict(query.format(*nummers)), per_pagina=3, basis="b=1", aantal=7
        )
    assert (gekend.nummer, gekend.regels, gekend.vorige_url, gekend.volgende_url) == (
        bladzijde.nummer,
        bladzijde.regels,
        bladzijde.vorige_url,
        bladzijde.volgende_url,
    )


def test_bladeren_in_een_lege_lijst(demo, django_assert_num_queries):
    from django.http import QueryDict

    from verzuimloket.paginering import blader

    lijst = selectors.zoek_meldingen(machtigingen=[demo.instellingen["24GP"]], nummer=10**15)
    with django_assert_num_queries(2):  # no row, so the count on its own
        bladzijde = blader(lijst, QueryDict(""), per_pagina=3, basis="")
    assert (bladzijde.nummer, bladzijde.aantal, bladzijde.regels) == (1, 0, [])


def test_leerling_met_inschrijvingen_gelijk_aan_de_orm(demo, django_assert_num_queries):
    """The pupil with its enrolments at an instelling, in fixed SQL, is what the ORM reads (the
    same fields, the same order), for every pupil and instelling of the demo; a pupil never
    enrolled there is not found."""
    from leerlingen.models import Inschrijving, Instelling, Leerling
    from meldingen import regels

    leerling = Leerling.objects.filter(inschrijvingen__isnull=False).first()
    # A second, older enrolment at the same school, so the order is tested too.
    eerste = leerling.inschrijvingen.select_related("instelling").first()
    Inschrijving.objects.create(
        leerling=leerling,
        instelling=eerste.instelling,
        aanbieder=eerste.aanbieder,
        locatie=eerste.locatie,
        begindatum=eerste.begindatum - datetime.timedelta(days=400),
        einddatum=eerste.begindatum - datetime.timedelta(days=300),
        hoofdinschrijving=False,
    )
    gezien = 0
    for leerling in Leerling.objects.all():
        for instelling in Instelling.objects.all():
            verwacht = list(
                Inschrijving.objects.filter(leerling=leerling, instelling=instelling)
                .select_related("leerling", "aanbieder", "locatie")
                .order_by(*regels._INSCHRIJVING_VOLGORDE)
            )
            with django_assert_num_queries(1):
                gevonden = regels.leerling_met_inschrijvingen(leerling.pk, instelling)
            if not verwacht:
                assert gevonden is None
                continue
            gelezen, inschrijvingen = gevonden
            assert velden(gelezen) == velden(leerling)
            with django_assert_num_queries(0):
                assert [
                    (velden(i), velden(i.aanbieder), velden(i.locatie), i.leerling is gelezen)
                    for i in inschrijvingen
                ] == [(velden(i), velden(i.aanbieder), velden(i.locatie), True) for i in verwacht]
            gezien = max(gezien, len(inschrijvingen))
    assert gezien >= 2


def test_tellen_zonder_joins_die_geen_voorwaarde_nodig_heeft(demo):
    """The count and the page start read only the joins a condition names, so a covering
    index can answer them alone; the rows still get the names they show."""
    from behandeling import selectors as behandeling_selectors

    instelling = demo.instellingen["24GP"]
    zoek = selectors.zoek_meldingen(machtigingen=[instelling], statussen=["R"])
    assert "JOIN" not in zoek.van_tellen and zoek.van.count("JOIN") == 2
    instantie = (
        Melding.objects.filter(leerling__naam__icontains="sanne")
        .select_related("uitvoerende_instantie")
        .first()
        .uitvoerende_instantie
    )
    op_naam = behandeling_selectors.werkvoorraad(instantie=instantie, leerling="sanne")
    assert op_naam.van_tellen.count("JOIN") == 1 and " l ON " in op_naam.van_tellen
    verwacht = (
        behandeling_selectors.van_instantie(instantie)
        .filter(leerling__naam__icontains="sanne")
        .count()
    )
    assert op_naam.tel(1000) == verwacht > 0


def test_een_van_is_een_gelijkheid_bij_een_waarde():
    """One value is an equality (the planner's statistics); several an ANY; none nothing."""
    from verzuimloket.vaste_sql import een_van

    assert een_van("m.status", "s", ["R"]) == ("m.status = %(s)s", {"s": "R"})
    assert een_van("m.status", "s", ["R", "B"]) == ("m.status = ANY(%(s)s)", {"s": ["R", "B"]})
    assert een_van("m.status", "s", []) == ("m.status = ANY(%(s)s)", {"s": []})


def test_koppeling_van_sleutel_gelijk_aan_de_orm(demo, time_machine):
    """The API's key lookup in fixed SQL finds what `Koppeling.objects.bruikbaar()` finds,
    with the same user and organisation, and nothing once revoked or expired."""
    from koppelvlak import services as koppelvlak_services
    from koppelvlak.models import Koppeling

    school, sleutel_school = koppelvlak_services.koppeling_aanmaken(
        naam="LAS", instelling=demo.instellingen["24GP"]
    )
    instantie = Melding.objects.select_related("uitvoerende_instantie").first()
    gemeente, sleutel_gemeente = koppelvlak_services.koppeling_aanmaken(
        naam="Leerplicht",
        instantie=instantie.uitvoerende_instantie,
        verloopt_op=timezone.now() + datetime.timedelta(days=1),
    )
    for koppeling, sleutel in ((school, sleutel_school), (gemeente, sleutel_gemeente)):
        verwacht = (  # read first: a use is noted on the koppeling (laatst_gebruikt_op)
            Koppeling.objects.bruikbaar()
            .select_related("gebruiker", "instelling", "instantie")
            .get(pk=koppeling.pk)
        )
        gevonden = koppelvlak_services.koppeling_van_sleutel(sleutel)
        assert velden(gevonden) == velden(verwacht)
        for relatie in ("gebruiker", "instelling", "instantie"):
            assert velden(getattr(gevonden, relatie)) == velden(getattr(verwacht, relatie))
    assert koppelvlak_services.koppeling_van_sleutel(sleutel_school[:-1] + "x") is None
    time_machine.shift(datetime.timedelta(days=2))
    assert koppelvlak_services.koppeling_van_sleutel(sleutel_gemeente) is None
    koppelvlak_services.koppeling_intrekken(koppeling=school)
    assert koppelvlak_services.koppeling_van_sleutel(sleutel_school) is None
