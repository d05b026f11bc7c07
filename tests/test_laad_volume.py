"""manage.py laad_volume: a national-scale data set on top of the demo (meldingen/volume.py),
loaded with COPY past the ORM. Tested small: every row passes the model validation and the
rules the database cannot see, the same seed gives the same rows, the demo users find the
loaded pupils and meldingen, the app goes on working on top of them, and the statuses and the
retention dates spread as the real ones do."""

import datetime
import io
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from leerlingen.models import (
    Gemeente,
    Inschrijving,
    InstantieMachtiging,
    Instelling,
    Leerling,
    Machtiging,
    PostcodeGebied,
)
from meldingen import regels, services, volume
from meldingen.models import (
    ContactpersoonLeerling,
    Melding,
    MeldingWijziging,
    OndernomenActie,
    Status,
    Terugkoppeling,
    Verzuimdag,
    Verzuimsoort,
)
from meldingen.services import meldingen_anonimiseren
from tests.conftest import VANDAAG
from verzuimloket import datums, formaten

pytestmark = pytest.mark.django_db

LEERLINGEN, MELDINGEN = 300, 1200
DAG = datetime.timedelta(days=1)
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def laden(**opties) -> str:
    uitvoer = io.StringIO()
    call_command(
        "laad_volume",
        leerlingen=opties.pop("leerlingen", LEERLINGEN),
        meldingen=opties.pop("meldingen", MELDINGEN),
        stdout=uitvoer,
        **opties,
    )
    return uitvoer.getvalue()


@pytest.fixture
def geladen(demo):
    return laden()


def nieuwe_leerlingen(demo):
    return Leerling.objects.exclude(pgn__in=demo.leerlingen)


def nieuwe_meldingen(demo):
    return Melding.objects.filter(leerling__in=nieuwe_leerlingen(demo))


class Terugdraaien(Exception):
    """Raised to roll a savepoint back (`en_terug`)."""


def en_terug(functie):
    """Run `functie` in a savepoint that is rolled back; returns what it returned."""
    uitkomst = []
    try:
        with transaction.atomic():
            uitkomst.append(functie())
            raise Terugdraaien
    except Terugdraaien:
        return uitkomst[0]


# --- Sizes and validity --------------------------------------------------------------------


def test_laadt_de_gevraagde_aantallen(geladen, demo):
    assert nieuwe_leerlingen(demo).count() == LEERLINGEN
    assert nieuwe_meldingen(demo).count() == MELDINGEN
    assert Melding.objects.count() == MELDINGEN + 8  # and the demo's own
    inschrijvingen = Inschrijving.objects.filter(leerling__in=nieuwe_leerlingen(demo))
    assert inschrijvingen.count() == LEERLINGEN  # one each: the hoofdinschrijving, open-ended
    assert not inschrijvingen.filter(hoofdinschrijving=False).exists()
    assert not inschrijvingen.filter(einddatum__isnull=False).exists()
    assert f"{LEERLINGEN} leerlingen en {MELDINGEN} meldingen geladen in" in geladen
    assert "peildatum 16-03-2026" in geladen
    # Scaled down: 3 gemeenten in a regio, 3 instellingen, each with aanbieder and locatie; a
    # behandelaar per new instantie (3 leerplicht, 1 RMC), a melder per new instelling.
    assert Gemeente.objects.count() == 2 + 3
    assert Instelling.objects.count() == 2 + 3
    nieuwe_gebruikers = get_user_model().objects.filter(email__endswith=f"@{volume.DOMEIN}")
    assert nieuwe_gebruikers.count() == 3 + 3 + 1
    assert Machtiging.objects.filter(gebruiker__in=nieuwe_gebruikers).count() == 3
    assert InstantieMachtiging.objects.filter(gebruiker__in=nieuwe_gebruikers).count() == 4
    assert not any(g.has_usable_password() for g in nieuwe_gebruikers)
    # The werkvoorraad's counts (kept by the melding table's triggers) came along with COPY.
    from tests.conftest import aantallen_bijgehouden, aantallen_geteld

    assert aantallen_bijgehouden() == aantallen_geteld()


def test_elk_pgn_is_een_geldig_en_nieuw_bsn(geladen, demo):
    pgns = list(nieuwe_leerlingen(demo).values_list("pgn", flat=True))
    assert len(pgns) == len(set(pgns)) == LEERLINGEN
    assert all(formaten.is_bsn(pgn) for pgn in pgns)
    assert not set(pgns) & set(demo.leerlingen)


def test_de_rijen_doorstaan_de_modelvalidatie(geladen, demo):
    for leerling in nieuwe_leerlingen(demo):
        leerling.full_clean()
    for inschrijving in Inschrijving.objects.filter(leerling__in=nieuwe_leerlingen(demo)):
        inschrijving.full_clean()
    meldingen = list(nieuwe_meldingen(demo).order_by("nummer"))
    for melding in meldingen[::10]:
        melding.full_clean()
    for model in (Terugkoppeling, Verzuimdag, ContactpersoonLeerling):
        rijen = list(model.objects.filter(melding__in=meldingen).order_by("pk"))
        assert rijen, model
        for rij in rijen[::5]:
            rij.full_clean()
    for gebied in PostcodeGebied.objects.all():
        gebied.full_clean()


def test_de_meldingen_volgen_de_regels_die_de_database_niet_kent(geladen, demo):
    """What `meldingen/regels.py` and `behandeling/services.py` would have allowed: soort and
    routing by age on the begindatum, enrolled then, LRV after 28 days V3, RMC 28 days, the
    statuses with who and when, and moments in the right order before today."""
    User = get_user_model()
    behandelaars = {(m.instantie_id, m.gebruiker_id) for m in InstantieMachtiging.objects.all()}
    melders = {(m.instelling_id, m.gebruiker_id) for m in Machtiging.objects.all()}
    vandaag_begin = datetime.datetime.combine(VANDAAG, datetime.time(), tzinfo=AMSTERDAM)
    laatste_begin = {}
    for melding in nieuwe_meldingen(demo).select_related(
        "leerling", "instelling", "uitvoerende_instantie"
    ):
        leerling, begin, eind = melding.leerling, melding.begindatum, melding.einddatum
        assert leerling.woont_in_nederland and not leerling.startkwalificatie
        assert leerling.leeftijd_op(melding.melddatum) < regels.MAX_LEEFTIJD
        assert VANDAAG - 4 * 365 * DAG <= melding.melddatum < VANDAAG
        assert datums.een_jaar_voor(melding.melddatum) <= begin
        assert eind is None or eind <= melding.melddatum
        assert not regels.controleer_soort(
            leerling=leerling,
            instelling=melding.instelling,
            soort=melding.soort,
            begindatum=begin,
            einddatum=eind,
            op=melding.melddatum,
            uitgezonderd=melding,
        ), melding
        assert melding.wet == regels.wet_voor(leerling, begin)
        assert melding.uitvoerende_instantie == regels.uitvoerende_instantie_voor(leerling, begin)
        inschrijving = regels.inschrijving_op(leerling, melding.instelling, begin)
        assert inschrijving.hoofdinschrijving
        assert (inschrijving.aanbieder_id, inschrijving.locatie_id) == (
            melding.aanbieder_id,
            melding.locatie_id,
        )
        assert (melding.instelling_id, melding.geregistreerd_door_id) in melders
        assert melding.ondernomen_acties
        assert melding.versie == 1 and melding.concept is None
        assert melding.geanonimiseerd_op is None

        # Moments: registered on the melddatum, then opened and taken in behandeling; the
        # last change (opening is none) after each change; all before today.
        assert melding.geregistreerd_op.astimezone(AMSTERDAM).date() == melding.melddatum
        gewijzigd = melding.gewijzigd_op
        for eerder, later in [
            (melding.geregistreerd_op, melding.geopend_op),
            (melding.geopend_op, melding.in_behandeling_op),
            (melding.geregistreerd_op, gewijzigd),
            (melding.in_behandeling_op, gewijzigd),
            (melding.ingetrokken_op, gewijzigd),
            (melding.geopend_op or gewijzigd, vandaag_begin),
            (gewijzigd, vandaag_begin),
        ]:
            assert eerder is None or later is None or eerder <= later, melding
        if melding.status != Status.GEREGISTREERD:
            assert melding.geopend_op

        status = melding.status
        genomen = (melding.uitvoerende_instantie_id, melding.in_behandeling_door_id)
        if status in (Status.IN_BEHANDELING, Status.AFGESLOTEN):
            assert melding.in_behandeling_op and genomen in behandelaars
        if status == Status.GEREGISTREERD:
            assert melding.in_behandeling_door_id is None
        if status == Status.AFGESLOTEN:
            assert melding.terugkoppeling.reden_afgesloten
            assert melding.terugkoppeling.datum <= VANDAAG
        if status == Status.INGETROKKEN:
            assert (melding.instelling_id, melding.ingetrokken_door_id) in melders
            assert melding.ingetrokken_op <= melding.gewijzigd_op
        else:
            assert melding.ingetrokken_door_id is None
        if status != Status.GEREGISTREERD:
            stap = melding.wijzigingen.get()
            assert {"veld": "status", "oud": stap.velden[0]["oud"], "nieuw": status} == (
                stap.velden[0]
            )
            if status == Status.TER_KENNISGEVING and melding.actie_gewenst:
                assert stap.velden[1]["veld"] == "toelichting_instantie"
        laatste_begin[leerling.pk] = max(laatste_begin.get(leerling.pk, begin), begin)
        assert User.objects.filter(pk=melding.geregistreerd_door_id).exists()
    # Only a pupil's latest period may be open.
    for melding in nieuwe_meldingen(demo).filter(einddatum__isnull=True):
        assert melding.begindatum == laatste_begin[melding.leerling_id]


# --- Reproducible --------------------------------------------------------------------------


def momentopname(demo) -> dict:
    """What was loaded, without the ids and meldingnummers the sequences hand out."""
    meldingen = nieuwe_meldingen(demo)
    gewoon = [
        f.name
        for f in Melding._meta.concrete_fields
        if not f.is_relation and f.name not in ("id", "nummer")
    ]
    return {
        "leerlingen": sorted(
            nieuwe_leerlingen(demo).values_list(*volume.LEERLING_VELDEN[1:]),
        ),
        "inschrijvingen": sorted(
            Inschrijving.objects.filter(leerling__in=nieuwe_leerlingen(demo)).values_list(
                "leerling__pgn", "instelling", "aanbieder", "locatie", "begindatum"
            )
        ),
        "meldingen": sorted(
            meldingen.values_list(
                "leerling__pgn",
                "instelling",
                "aanbieder",
                "locatie",
                "uitvoerende_instantie__naam",
                "geregistreerd_door__username",
                "in_behandeling_door__username",
                "ingetrokken_door__username",
                *gewoon,
            ),
            key=repr,
        ),
        "kinderen": [
            sorted(model.objects.filter(melding__in=meldingen).values_list(*velden), key=repr)
            for model, velden in [
                (Terugkoppeling, ("melding__geregistreerd_op", "naam", "datum", "toelichting")),
                (Verzuimdag, ("melding__geregistreerd_op", "datum", "lesuren")),
                (ContactpersoonLeerling, ("melding__geregistreerd_op", "volgnummer", "naam")),
                (MeldingWijziging, ("melding__geregistreerd_op", "tijdstip", "blok", "velden")),
            ]
        ],
        "gemeenten": sorted(PostcodeGebied.objects.values_list("gemeente__naam", "van", "tot")),
        "instellingen": sorted(Instelling.objects.values_list("pk", "naam", "plaats")),
    }


def test_zelfde_seed_geeft_dezelfde_gegevens(demo):
    bestaand = volume.lees_bestaand()

    def plan(seed):
        return volume.maak_plan(
            leerlingen=LEERLINGEN,
            meldingen=MELDINGEN,
            seed=seed,
            vandaag=VANDAAG,
            bestaand=bestaand,
        )

    assert volume.vingerafdruk(plan(1)) == volume.vingerafdruk(plan(1))
    assert volume.vingerafdruk(plan(1)) != volume.vingerafdruk(plan(2))

    def geladen(**opties):
        laden(**opties)
        return momentopname(demo), list(Melding.objects.values_list("nummer", flat=True))

    eerste, nummers = en_terug(geladen)
    # The same again, now with the indexes built afterwards: the same rows, new numbers.
    tweede, andere_nummers = en_terug(lambda: volume_met_indexen_later(demo))
    assert eerste == tweede
    assert set(andere_nummers) - set(nummers)
    assert en_terug(lambda: geladen(seed=2))[0] != eerste
    # What was loaded is what the pure plan says.
    assert eerste["leerlingen"] == sorted(
        rij[1:] for rij in volume.leerling_rijen(plan(1), volume.Sleutels())
    )


def volume_met_indexen_later(demo):
    resultaat = volume.laad_volume(
        leerlingen=LEERLINGEN, meldingen=MELDINGEN, seed=1, indexen_later=True
    )
    assert resultaat.indexen_later
    return momentopname(demo), list(Melding.objects.values_list("nummer", flat=True))


def catalogus() -> list[tuple]:
    """Every constraint and index of the tables COPY fills, as PostgreSQL defines them."""
    tabellen = [m._meta.db_table for m in volume.GROTE_TABELLEN]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
            FROM pg_constraint WHERE conrelid = ANY(%s::regclass[])
            UNION ALL
            SELECT indrelid::regclass::text, indexrelid::regclass::text,
                   pg_get_indexdef(indexrelid)
            FROM pg_index WHERE indrelid = ANY(%s::regclass[])
            ORDER BY 1, 2, 3
            """,
            [tabellen, tabellen],
        )
        return cursor.fetchall()


def test_indexen_later_zet_elke_index_en_constraint_terug(demo):
    voor = catalogus()
    assert any(naam == "melding_geen_overlap" for _, naam, _ in voor)
    volume.laad_volume(leerlingen=LEERLINGEN, meldingen=MELDINGEN, indexen_later=True)
    assert catalogus() == voor
    # And they hold again: an overlapping copy of a loaded melding is refused.
    melding = nieuwe_meldingen(demo).exclude(status=Status.INGETROKKEN).first()
    melding.pk = None
    melding.nummer = melding.nummer + 10_000_000
    with pytest.raises(IntegrityError, match="melding_geen_overlap"), transaction.atomic():
        Melding.objects.bulk_create([melding])


# --- On top of the demo --------------------------------------------------------------------


def test_melder_vindt_geladen_leerlingen_en_meldingen_van_24GP(client, geladen, demo):
    bij_24gp = nieuwe_leerlingen(demo).filter(inschrijvingen__instelling_id="24GP")
    # 1% of the pupils, at least 1,000, but at most half of a small load.
    assert bij_24gp.count() == LEERLINGEN // 2
    client.force_login(demo.gebruikers["melder"])
    leerling = bij_24gp.order_by("pgn").first()
    antwoord = client.post(reverse("leerlingen:zoeken"), {"pgn": leerling.pgn})
    assert antwoord.status_code == 302
    overzicht = client.get(antwoord["Location"])
    assert overzicht.status_code == 200
    assert leerling.naam in overzicht.content.decode()

    geladen_24gp = set(
        nieuwe_meldingen(demo)
        .filter(instelling_id="24GP", geanonimiseerd_op__isnull=True)
        .values_list("nummer", flat=True)
    )
    # About as many meldingen per pupil at 24GP as elsewhere.
    assert 0.2 * MELDINGEN < len(geladen_24gp) < 0.8 * MELDINGEN
    antwoord = client.get(reverse("meldingen:zoeken"), {"instellingscode": "24GP"})
    gevonden = [rij.nummer for rij in antwoord.context["rijen"]]
    assert gevonden and set(gevonden) <= geladen_24gp


def vrije_leerling_van_24gp(demo, begin, eind):
    """A loaded pupil of 24GP for whom a melding can be registered today over begin..eind."""
    for leerling in nieuwe_leerlingen(demo).filter(inschrijvingen__instelling_id="24GP"):
        if regels.registreren_blokkade(
            leerling, demo.instellingen["24GP"], VANDAAG
        ) is None and not regels.overlappende_melding(leerling, begin, eind):
            return leerling
    raise AssertionError("geen vrije leerling")


def gegevens(leerling, begin, eind) -> dict:
    inschrijving = leerling.inschrijvingen.get()
    return {
        "begindatum": begin,
        "einddatum": eind,
        "soort": Verzuimsoort.OVERIG,
        "vermoedelijke_reden": "Spijbelt",
        "actie_gewenst": True,
        "aanbieder_id": inschrijving.aanbieder_id,
        "locatie_id": inschrijving.locatie_id,
        "contactpersoon_naam": "K. Smit",
        "contactpersoon_email": "k.smit@school.example.nl",
        "ondernomen_acties": [OndernomenActie.BRIEF],
    }


def test_registreren_werkt_na_het_laden(geladen, demo):
    begin, eind = VANDAAG - 10 * DAG, VANDAAG - 8 * DAG
    leerling = vrije_leerling_van_24gp(demo, begin, eind)
    hoogste = max(nieuwe_meldingen(demo).values_list("nummer", flat=True))
    melding = services.melding_registreren(
        leerling=leerling,
        instelling=demo.instellingen["24GP"],
        gebruiker=demo.gebruikers["melder"],
        gegevens=gegevens(leerling, begin, eind),
    )
    assert melding.nummer > hoogste  # the sequence moved past the loaded numbers

    # A loaded period blocks an overlapping one, named by its number.
    bestaand = (
        nieuwe_meldingen(demo)
        .filter(instelling_id="24GP", begindatum__gte=VANDAAG - 300 * DAG)
        .exclude(status=Status.INGETROKKEN)
        .select_related("leerling")
    )
    bestaand = next(
        m
        for m in bestaand
        if regels.registreren_blokkade(m.leerling, demo.instellingen["24GP"], VANDAAG) is None
    )
    with pytest.raises(ValidationError, match=str(bestaand.nummer)):
        services.melding_registreren(
            leerling=bestaand.leerling,
            instelling=demo.instellingen["24GP"],
            gebruiker=demo.gebruikers["melder"],
            gegevens=gegevens(bestaand.leerling, bestaand.begindatum, bestaand.begindatum),
        )

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*) FROM meldingen_melding a JOIN meldingen_melding b
              ON a.leerling_id = b.leerling_id AND a.id < b.id
             AND daterange(a.begindatum, a.einddatum, '[]')
                 && daterange(b.begindatum, b.einddatum, '[]')
            WHERE a.status <> 'I' AND b.status <> 'I'
            """
        )
        assert cursor.fetchone()[0] == 0


# --- Spread ----------------------------------------------------------------------------------


def test_statussen_en_bewaartermijn_spreiden_zoals_echt(geladen, demo):
    meldingen = list(nieuwe_meldingen(demo).values_list("status", "melddatum", "einddatum"))
    assert set(Counter(s for s, _, _ in meldingen)) == set(Status.values)
    oud = [s for s, melddatum, _ in meldingen if melddatum < VANDAAG - 240 * DAG]
    recent = [s for s, melddatum, _ in meldingen if melddatum >= VANDAAG - 60 * DAG]
    assert sum(
        s in (Status.AFGESLOTEN, Status.TER_KENNISGEVING, Status.INGETROKKEN) for s in oud
    ) > (0.75 * len(oud))
    assert sum(s in (Status.GEREGISTREERD, Status.IN_BEHANDELING) for s in recent) > (
        0.45 * len(recent)
    )

    # The day each becomes due (two years after the later of melddatum and einddatum), over
    # the coming two years in blocks of 146 days: about M * 146 / 1460 each.
    vervaldagen = [
        datums.jaren_voor(max(melddatum, einddatum or melddatum), -2)
        for _, melddatum, einddatum in meldingen
    ]
    per_blok = Counter((dag - VANDAAG).days // 146 for dag in vervaldagen if dag >= VANDAAG)
    verwacht = MELDINGEN * 146 / 1460
    assert all(0.5 * verwacht < per_blok[blok] < 1.5 * verwacht for blok in range(5)), per_blok

    eerste = meldingen_anonimiseren(op=VANDAAG)
    assert 0.35 * MELDINGEN < eerste < 0.65 * MELDINGEN
    maand_later = meldingen_anonimiseren(op=VANDAAG + 30 * DAG)
    assert 5 <= maand_later <= 60  # about 1200 * 30 / 1460 = 25
    assert meldingen_anonimiseren(op=VANDAAG + 30 * DAG) == 0


def test_leerlingen_zonder_meldingen(demo):
    assert "5 leerlingen en 0 meldingen geladen" in laden(leerlingen=5, meldingen=0)
    assert nieuwe_leerlingen(demo).count() == 5
    assert not nieuwe_meldingen(demo).exists()


# --- Refusals --------------------------------------------------------------------------------


def test_weigert_zonder_demo(db):
    with pytest.raises(CommandError, match="De demo is niet geladen"):
        laden()
    assert not Leerling.objects.exists()


def test_weigert_een_tweede_keer(geladen, demo):
    with pytest.raises(CommandError, match="Er is al een volumeset geladen"):
        laden(seed=2)
    assert nieuwe_leerlingen(demo).count() == LEERLINGEN


def test_weigert_meer_meldingen_dan_er_passen(demo):
    instellingen = Instelling.objects.count()
    with pytest.raises(CommandError, match="meldingen passen niet bij 10 leerlingen"):
        laden(leerlingen=10, meldingen=100_000)
    assert Instelling.objects.count() == instellingen
    assert not nieuwe_leerlingen(demo).exists()
