"""Registering a melding outside the wizard (admin, shell, a future import): the service
`melding_registreren` re-checks every rule, and the database refuses what one row or the
exclusion constraint can hold (IntegrityError through objects.create / bulk_create)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from meldingen import regels, services
from meldingen.models import (
    ContactpersoonLeerling,
    Melding,
    OndernomenActie,
    Status,
    Verzuimdag,
    Verzuimsoort,
    Wet,
)
from tests.conftest import VANDAAG
from tests.factories import MeldingFactory

pytestmark = pytest.mark.django_db
DAG = datetime.timedelta(days=1)


def gegevens(**extra) -> dict:
    return {
        "begindatum": VANDAAG - 7 * DAG,
        "einddatum": VANDAAG - 5 * DAG,
        "soort": Verzuimsoort.OVERIG,
        "vermoedelijke_reden": "afwezig vanwege ziekte",
        "actie_gewenst": True,
        "aanbieder_id": "100A001",
        "locatie_id": "100X001",
        "contactpersoon_naam": "K. Smit",
        "contactpersoon_email": "k.smit@school.example.nl",
        "ondernomen_acties": [OndernomenActie.BRIEF],
        **extra,
    }


def registreer(demo, pgn="999999989", instelling="24GP", **kwargs):
    return services.melding_registreren(
        leerling=demo.leerlingen[pgn],
        instelling=demo.instellingen[instelling],
        gebruiker=demo.gebruikers["melder"],
        gegevens=kwargs.pop("gegevens", gegevens()),
        **kwargs,
    )


def fouten(exc: pytest.ExceptionInfo) -> str:
    return " ".join(exc.value.messages)


# --- The service ------------------------------------------------------------------------------


def test_registreren_legt_alles_vast(demo):
    melding = registreer(
        demo,
        contactpersonen=[{"naam": "Moeder", "relatie": "moeder", "email": "", "telefoon": ""}],
        verzuimdagen=[
            {"datum": VANDAAG - 7 * DAG, "hele_dag": False, "lesuren": [3, 1], "toelichting": ""}
        ],
        gegevens=gegevens(alle_lessen_gemist=False),
    )
    melding.refresh_from_db()
    assert melding.nummer >= 4000000
    assert melding.status == Status.GEREGISTREERD
    assert melding.melddatum == VANDAAG
    assert melding.wet == Wet.LEERPLICHTWET
    assert melding.instelling_id == "24GP"
    assert melding.uitvoerende_instantie.naam == "Gemeente Groningen"
    assert [c.naam for c in melding.contactpersonen.all()] == ["Moeder"]
    assert [(d.hele_dag, d.lesuren) for d in melding.verzuimdagen.all()] == [(False, [1, 3])]


def test_wet_en_routering_voor_18_plus(demo):
    melding = registreer(demo, pgn="999990019", gegevens=gegevens(soort=Verzuimsoort.V4))
    assert melding.wet == Wet.RMC
    assert melding.uitvoerende_instantie.naam == "RMC regio Groningen"


def test_meldingnummers_oplopend(demo):
    eerste = registreer(demo, gegevens=gegevens(begindatum=VANDAAG - 20 * DAG, einddatum=None))
    Melding.objects.filter(pk=eerste.pk).update(einddatum=VANDAAG - 19 * DAG)
    tweede = registreer(demo)
    assert tweede.nummer > eerste.nummer >= 4000000


def test_zelfde_concept_tweemaal_geeft_dezelfde_melding(demo):
    """A double click on Registreren can arrive as two requests; the draft id makes the
    second one return the first melding, with no second e-mail."""
    from django_tasks_db.models import DBTaskResult

    eerste = registreer(demo, concept="0f8fad5b-d9cb-469f-a165-70867728950e")
    taken = DBTaskResult.objects.count()
    tweede = registreer(demo, concept="0f8fad5b-d9cb-469f-a165-70867728950e")
    assert tweede.pk == eerste.pk
    assert DBTaskResult.objects.count() == taken
    assert Melding.objects.filter(leerling=demo.leerlingen["999999989"]).count() == 3


@pytest.mark.parametrize("veld", ["leerling_telefoon", "contactpersoon_telefoon"])
def test_service_weigert_ongeldig_telefoonnummer(demo, veld):
    """The form's telephone rule holds in the model too: the shell cannot store 'abc'."""
    with pytest.raises(ValidationError) as exc:
        registreer(demo, gegevens=gegevens(**{veld: "abc"}))
    assert "Vul een geldig telefoonnummer in" in str(exc.value.message_dict[veld])


def test_service_weigert_overlap_en_noemt_de_melding(demo):
    bestaande = Melding.objects.get(leerling=demo.leerlingen["999999989"], soort="L")
    with pytest.raises(ValidationError) as exc:
        registreer(
            demo, gegevens=gegevens(begindatum=bestaande.begindatum, einddatum=VANDAAG - DAG)
        )
    assert exc.value.message_dict["begindatum"] == [
        f"De verzuimperiode valt (deels) samen met melding {bestaande.nummer} voor deze leerling."
    ]


def test_service_weigert_overlap_met_open_einddatum(demo):
    registreer(demo, gegevens=gegevens(begindatum=VANDAAG - 30 * DAG, einddatum=None))
    with pytest.raises(ValidationError, match="valt \\(deels\\) samen"):
        registreer(demo)


def test_overlap_met_melding_van_andere_instelling(demo):
    julia = demo.leerlingen["999990056"]
    andere = MeldingFactory(
        leerling=julia,
        instelling=demo.instellingen["00BB"],
        begindatum=VANDAAG - 6 * DAG,
        einddatum=VANDAAG - 6 * DAG,
    )
    fouten_ = regels.controleer_periode(
        leerling=julia,
        instelling=demo.instellingen["00BB"],
        begindatum=VANDAAG - 7 * DAG,
        einddatum=None,
        op=VANDAAG,
    )
    # 00BB holds Julia's hoofdinschrijving, so only the overlap refuses.
    assert fouten_ == {"begindatum": [regels.OVERLAP.format(nummer=andere.nummer)]}


@pytest.mark.parametrize(
    ("pgn", "instelling", "melding"),
    [
        ("999990020", "24GP", regels.BLOKKADE_REGISTER),  # 24 years old
        ("999990032", "24GP", regels.BLOKKADE_REGISTER),  # startkwalificatie
        ("999990044", "24GP", regels.BLOKKADE_REGISTER),  # lives in Belgium
        ("999990068", "24GP", regels.BLOKKADE_NIET_INGESCHREVEN),  # uitgeschreven
        ("999990081", "24GP", regels.BLOKKADE_NIET_INGESCHREVEN),  # only at 00BB
    ],
)
def test_service_weigert_geblokkeerde_leerling(demo, pgn, instelling, melding):
    with pytest.raises(ValidationError) as exc:
        registreer(demo, pgn=pgn, instelling=instelling)
    assert exc.value.messages == [melding]


def test_service_weigert_zonder_hoofdinschrijving(demo):
    with pytest.raises(ValidationError) as exc:
        registreer(demo, pgn="999990056")
    assert exc.value.message_dict["begindatum"] == [regels.ALLEEN_HOOFDINSCHRIJVING]


@pytest.mark.parametrize(
    ("extra", "veld", "tekst"),
    [
        ({"begindatum": VANDAAG + DAG, "einddatum": None}, "begindatum", "in de toekomst"),
        ({"begindatum": VANDAAG - 400 * DAG}, "begindatum", "meer dan één jaar"),
        ({"einddatum": VANDAAG - 8 * DAG}, "einddatum", "niet voor de begindatum"),
        ({"soort": Verzuimsoort.V3, "einddatum": None}, "einddatum", "Vul de einddatum in"),
        ({"soort": Verzuimsoort.V4}, "soort", "niet van toepassing"),
        ({"soort": Verzuimsoort.LRV}, "soort", "vanaf dag 29"),
        (
            {"aanbieder_id": "100A002", "locatie_id": "100X501"},
            "aanbieder",
            "niet bij de instelling",
        ),
        ({"locatie_id": "100X501"}, "locatie", "hoort niet bij"),
        ({"vermoedelijke_reden": "x" * 301}, "vermoedelijke_reden", "300"),
        ({"actie_gewenst": False}, None, "Licht toe waarom geen actie gewenst is."),
    ],
)
def test_service_weigert_wat_de_regels_weigeren(demo, extra, veld, tekst):
    with pytest.raises(ValidationError) as exc:
        registreer(demo, gegevens=gegevens(**extra))
    if veld:
        assert tekst in " ".join(exc.value.message_dict[veld])
    else:
        assert tekst in fouten(exc)
    assert not Melding.objects.filter(melddatum=VANDAAG).exists()


def test_service_rmc_regels(demo):
    begin = VANDAAG - 10 * DAG
    with pytest.raises(ValidationError, match="RMC verzuim kunt u pas melden"):
        registreer(
            demo, pgn="999990019", gegevens=gegevens(soort="RMC", begindatum=begin, einddatum=None)
        )
    with pytest.raises(ValidationError, match="minstens 28 kalenderdagen"):
        registreer(demo, pgn="999990019", gegevens=gegevens(soort="RMC", begindatum=begin))
    melding = registreer(
        demo,
        pgn="999990019",
        gegevens=gegevens(soort="RMC", begindatum=VANDAAG - 28 * DAG, einddatum=None),
    )
    assert melding.soort == Verzuimsoort.RMC


def test_service_lrv_na_16_uren(demo):
    sanne = demo.leerlingen["999999989"]
    begin = VANDAAG - 3 * DAG
    v3 = MeldingFactory(
        leerling=sanne,
        instelling=demo.instellingen["24GP"],
        soort=Verzuimsoort.V3,
        begindatum=begin - 28 * DAG,
        einddatum=begin - DAG,
    )
    melding = registreer(demo, gegevens=gegevens(soort="LRV", begindatum=begin, einddatum=None))
    assert melding.soort == Verzuimsoort.LRV
    # A withdrawn V3 melding does not count.
    Melding.objects.filter(pk=melding.pk).delete()
    Melding.objects.filter(pk=v3.pk).update(
        status=Status.INGETROKKEN,
        reden_intrekken="ten_onrechte",
        ingetrokken_op=datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC),
    )
    with pytest.raises(ValidationError, match="vanaf dag 29"):
        registreer(demo, gegevens=gegevens(soort="LRV", begindatum=begin, einddatum=None))


def test_service_weigert_te_veel_contactpersonen(demo):
    with pytest.raises(ValidationError) as exc:
        registreer(demo, contactpersonen=[{"naam": f"P{i}"} for i in range(6)])
    assert exc.value.message_dict["contactpersonen"] == [
        "Er is ruimte voor maximaal vijf contactpersonen."
    ]


@pytest.mark.parametrize(
    ("dagen", "tekst"),
    [
        ([], "Voeg minimaal één verzuimdag toe."),
        ([{"datum": VANDAAG - 8 * DAG}], "ligt niet in de verzuimperiode"),
        ([{"datum": VANDAAG - 7 * DAG}, {"datum": VANDAAG - 7 * DAG}], "staat er al in"),
        ([{"datum": VANDAAG - 7 * DAG, "hele_dag": False, "lesuren": []}], "minimaal één lesuur"),
        ([{"datum": VANDAAG - 7 * DAG, "hele_dag": False, "lesuren": [13]}], "minimaal één lesuur"),
    ],
)
def test_service_weigert_foute_verzuimdagen(demo, dagen, tekst):
    with pytest.raises(ValidationError) as exc:
        registreer(demo, gegevens=gegevens(alle_lessen_gemist=False), verzuimdagen=dagen)
    assert tekst in " ".join(exc.value.message_dict["verzuimdagen"])


def test_mislukte_registratie_laat_niets_achter(demo):
    aantal = Melding.objects.count()
    with pytest.raises(ValidationError):
        registreer(
            demo,
            gegevens=gegevens(alle_lessen_gemist=False),
            contactpersonen=[{"naam": "Moeder"}],
            verzuimdagen=[{"datum": VANDAAG}],
        )
    assert Melding.objects.count() == aantal
    assert not ContactpersoonLeerling.objects.filter(naam="Moeder").exists()


# --- The database -----------------------------------------------------------------------------


def rij(demo, **extra) -> dict:
    sanne = demo.leerlingen["999999989"]
    return {
        "leerling": sanne,
        "instelling": demo.instellingen["24GP"],
        "melddatum": VANDAAG,
        "wet": Wet.LEERPLICHTWET,
        "uitvoerende_instantie": demo.instanties["Gemeente Groningen"],
        **{k: v for k, v in gegevens().items()},
        **extra,
    }


def weigert(constraint: str, maak):
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        maak()


@pytest.mark.parametrize(
    ("constraint", "extra"),
    [
        ("melding_einddatum_na_begindatum", {"einddatum": VANDAAG - 8 * DAG}),
        ("melding_begindatum_niet_na_melddatum", {"melddatum": VANDAAG - 8 * DAG}),
        ("melding_einddatum_bij_16_uren", {"soort": Verzuimsoort.V3, "einddatum": None}),
        ("melding_einddatum_bij_16_uren", {"soort": Verzuimsoort.V4, "einddatum": None}),
        ("melding_vermoedelijke_reden", {"vermoedelijke_reden": ""}),
        ("melding_toelichting_bij_geen_actie", {"actie_gewenst": False}),
        (
            "melding_prioriteit_alleen_bij_actie",
            {"actie_gewenst": False, "toelichting_actie_gewenst": "x", "met_prioriteit": True},
        ),
        ("melding_contactpersoon_school", {"contactpersoon_naam": ""}),
        ("melding_contactpersoon_school", {"contactpersoon_email": ""}),
        ("melding_minstens_een_actie", {"ondernomen_acties": []}),
        ("melding_toelichting_bij_actie_anders", {"ondernomen_acties": ["anders"]}),
        ("melding_afwijkend_adres_volledig", {"afwijkend_adres": "regulier"}),
        (
            "melding_afwijkend_adres_volledig",
            {"afwijkend_adres": "regulier", "straatnaam": "A", "huisnummer": 1, "postcode": "12"},
        ),
        ("melding_afwijkend_adres_volledig", {"afwijkend_adres": "alternatief"}),
        ("melding_afwijkend_adres_volledig", {"straatnaam": "Zonder afwijkend adres"}),
        ("melding_intrekken_met_reden", {"status": Status.INGETROKKEN}),
        ("melding_intrekken_met_reden", {"reden_intrekken": "anders"}),
        ("melding_nummer_vanaf_4000000", {"nummer": 3999999}),
    ],
)
def test_database_weigert_melding(demo, constraint, extra):
    weigert(constraint, lambda: Melding.objects.create(**rij(demo, **extra)))
    weigert(constraint, lambda: Melding.objects.bulk_create([Melding(**rij(demo, **extra))]))


def test_database_weigert_overlap(demo):
    sanne = demo.leerlingen["999999989"]
    Melding.objects.create(**rij(demo, einddatum=None))
    # Open einddatum runs on: a later period overlaps too, whatever the soort or instelling.
    weigert(
        "melding_geen_overlap",
        lambda: Melding.objects.create(
            **rij(demo, begindatum=VANDAAG - DAG, einddatum=VANDAAG - DAG, soort="L")
        ),
    )
    weigert(
        "melding_geen_overlap",
        lambda: Melding.objects.bulk_create(
            [Melding(**rij(demo, begindatum=VANDAAG - 7 * DAG, einddatum=VANDAAG - 7 * DAG))]
        ),
    )
    # An Ingetrokken melding does not block; the period before does not overlap.
    Melding.objects.create(
        **rij(
            demo,
            status=Status.INGETROKKEN,
            reden_intrekken="ten_onrechte",
            ingetrokken_op=datetime.datetime(2026, 3, 16, tzinfo=datetime.UTC),
        )
    )
    Melding.objects.create(**rij(demo, begindatum=VANDAAG - 9 * DAG, einddatum=VANDAAG - 8 * DAG))
    assert Melding.objects.filter(leerling=sanne, melddatum=VANDAAG).count() == 3


def test_database_contactpersonen_en_verzuimdagen(demo):
    melding = Melding.objects.create(**rij(demo))
    weigert(
        "contactpersoon_maximaal_vijf",
        lambda: ContactpersoonLeerling.objects.create(melding=melding, volgnummer=6, naam="Zes"),
    )
    weigert(
        "contactpersoon_naam",
        lambda: ContactpersoonLeerling.objects.bulk_create(
            [ContactpersoonLeerling(melding=melding, volgnummer=1, naam="")]
        ),
    )
    ContactpersoonLeerling.objects.create(melding=melding, volgnummer=1, naam="Een")
    weigert(
        "contactpersoon_volgnummer_uniek",
        lambda: ContactpersoonLeerling.objects.create(melding=melding, volgnummer=1, naam="Twee"),
    )
    Verzuimdag.objects.create(melding=melding, datum=VANDAAG - 7 * DAG)
    weigert(
        "verzuimdag_eenmaal_per_datum",
        lambda: Verzuimdag.objects.create(melding=melding, datum=VANDAAG - 7 * DAG),
    )
    for hele_dag, lesuren in [(False, []), (False, [0]), (False, [13]), (True, [1])]:
        weigert(
            "verzuimdag_lesuren",
            lambda h=hele_dag, uren=lesuren: Verzuimdag.objects.bulk_create(
                [Verzuimdag(melding=melding, datum=VANDAAG - 6 * DAG, hele_dag=h, lesuren=uren)]
            ),
        )
