"""Anonymising meldingen (docs/regels.md, Bewaren): two years after the later of melddatum and
einddatum every personal field is cleared and the link to the pupil is cut; what statistics
need stays. Anonymised meldingen never show on the school's screens, and the admin copes."""

import datetime
import logging

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from leerlingen.models import Handeling, Inzage
from meldingen import services, workflow
from meldingen.models import (
    GEANONIMISEERD,
    GEANONIMISEERD_EMAIL,
    AfwijkendAdres,
    ContactpersoonLeerling,
    Melding,
    MeldingWijziging,
    OndernomenActie,
    RedenAfgesloten,
    RedenIntrekken,
    Status,
    Terugkoppeling,
    Verzuimdag,
    Verzuimsoort,
)
from meldingen.presenters import DETAIL, MeldingPresenter
from meldingen.services import meldingen_anonimiseren
from tests.conftest import AMSTERDAM, VANDAAG
from tests.factories import LeerlingFactory, MeldingFactory
from verzuimloket import datums

pytestmark = pytest.mark.django_db

DAG = datetime.timedelta(days=1)
GRENS = datetime.date(2024, 3, 16)  # two calendar years before VANDAAG (16-03-2026)


def oude_melding(demo, *, begindatum, einddatum, melddatum, **velden):
    """A melding of 24GP (the `melder`'s instelling) from long ago."""
    return MeldingFactory(
        instelling=demo.instellingen["24GP"],
        uitvoerende_instantie=demo.instanties["Gemeente Groningen"],
        begindatum=begindatum,
        einddatum=einddatum,
        melddatum=melddatum,
        **velden,
    )


@pytest.fixture
def volledig(demo):
    """A melding of demo pupil 999999989 that ended three years ago, with every personal
    field filled in and everything that hangs off it."""
    melding = oude_melding(
        demo,
        leerling=demo.leerlingen["999999989"],
        begindatum=datetime.date(2023, 1, 9),
        einddatum=datetime.date(2023, 1, 20),
        melddatum=datetime.date(2023, 1, 23),
        soort=Verzuimsoort.V3,
        status=Status.AFGESLOTEN,
        leerling_email="sanne@example.nl",
        leerling_telefoon="06 1234 5678",
        afwijkend_adres=AfwijkendAdres.REGULIER,
        straatnaam="Vismarkt",
        huisnummer=12,
        huisletter="B",
        huisnummertoevoeging="2",
        postcode="9712CB",
        toelichting="Ziet er moe uit, thuissituatie onrustig",
        actie_gewenst=False,
        toelichting_actie_gewenst="Leerling is al in beeld bij de wijkagent",
        contactpersoon_naam="K. Smit",
        contactpersoon_functie="Verzuimcoördinator",
        contactpersoon_email="k.smit@school.example.nl",
        contactpersoon_telefoon="050 123 4567",
        alle_lessen_gemist=False,
        ondernomen_acties=[OndernomenActie.BRIEF, OndernomenActie.ANDERS],
        toelichting_acties="Huisbezoek bij de oma",
    )
    ContactpersoonLeerling.objects.create(
        melding=melding,
        volgnummer=1,
        naam="P. de Vries",
        relatie="moeder",
        email="p.devries@example.nl",
        telefoon="06 9876 5432",
    )
    ContactpersoonLeerling.objects.create(melding=melding, volgnummer=2, naam="J. de Vries")
    Verzuimdag.objects.create(
        melding=melding, datum=datetime.date(2023, 1, 9), toelichting="Bij de huisarts gezien"
    )
    Verzuimdag.objects.create(
        melding=melding, datum=datetime.date(2023, 1, 10), hele_dag=False, lesuren=[1, 2]
    )
    Terugkoppeling.objects.create(
        melding=melding,
        naam="J. de Boer",
        functie="Leerplichtambtenaar",
        email="j.deboer@groningen.example.nl",
        telefoon="050 599 8888",
        datum=datetime.date(2023, 2, 1),
        instantienaam="Gemeente Groningen",
        toelichting="Gesprek met ouders gevoerd",
        reden_afgesloten=RedenAfgesloten.HERVAT,
    )
    MeldingWijziging.objects.create(
        melding=melding,
        gebruiker=demo.gebruikers["melder"],
        blok="Leerling",
        velden=[{"veld": "E-mail", "oud": "oud@example.nl", "nieuw": "sanne@example.nl"}],
    )
    Inzage.objects.create(
        gebruiker=demo.gebruikers["melder"],
        instelling=demo.instellingen["24GP"],
        leerling=melding.leerling,
        meldingnummer=melding.nummer,
        handeling=Handeling.MELDING_DETAILS,
    )
    return melding


# -- the two-year boundary -------------------------------------------------------------------


def test_twee_jaar_voor_is_een_kalenderdatum():
    assert datums.twee_jaar_voor(VANDAAG) == GRENS
    assert datums.twee_jaar_voor(datetime.date(2028, 2, 29)) == datetime.date(2026, 2, 28)


@pytest.mark.parametrize(
    ("begindatum", "einddatum", "melddatum"),
    [
        # melddatum is the later one
        (GRENS - 10 * DAG, GRENS - 5 * DAG, GRENS),
        # einddatum is the later one (changed after reporting)
        (GRENS - 10 * DAG, GRENS, GRENS - 8 * DAG),
        # an open period: the melddatum counts
        (GRENS - 10 * DAG, None, GRENS),
    ],
    ids=["melddatum", "einddatum", "open"],
)
def test_precies_twee_jaar_blijft_een_dag_later_geanonimiseerd(
    demo, begindatum, einddatum, melddatum
):
    melding = oude_melding(demo, begindatum=begindatum, einddatum=einddatum, melddatum=melddatum)

    assert meldingen_anonimiseren(op=VANDAAG) == 0
    melding.refresh_from_db()
    assert melding.geanonimiseerd_op is None
    assert melding.leerling_id is not None

    assert meldingen_anonimiseren(op=VANDAAG + DAG) == 1
    melding.refresh_from_db()
    assert melding.geanonimiseerd_op is not None
    assert melding.leerling_id is None


def test_latere_einddatum_houdt_de_melding_langer(demo):
    """Later of the two: an einddatum after the melddatum postpones the anonymising."""
    melding = oude_melding(
        demo, begindatum=GRENS - 20 * DAG, einddatum=GRENS + 3 * DAG, melddatum=GRENS - 15 * DAG
    )
    assert meldingen_anonimiseren(op=VANDAAG + DAG) == 0
    assert meldingen_anonimiseren(op=VANDAAG + 3 * DAG) == 0
    assert meldingen_anonimiseren(op=VANDAAG + 4 * DAG) == 1
    melding.refresh_from_db()
    assert melding.geanonimiseerd_op is not None


def test_zonder_op_geldt_vandaag(demo, time_machine):
    melding = oude_melding(demo, begindatum=GRENS - 5 * DAG, einddatum=GRENS, melddatum=GRENS)
    assert meldingen_anonimiseren() == 0
    time_machine.move_to(datetime.datetime(2026, 3, 17, 0, 5, tzinfo=AMSTERDAM), tick=False)
    assert meldingen_anonimiseren() == 1
    melding.refresh_from_db()
    assert melding.geanonimiseerd_op is not None


def test_recente_demo_meldingen_blijven(demo):
    aantal = Melding.objects.count()
    assert meldingen_anonimiseren(op=VANDAAG) == 0
    assert Melding.objects.filter(geanonimiseerd_op__isnull=True).count() == aantal


# -- what is cleared, what stays ---------------------------------------------------------------


def test_alle_persoonsgegevens_gewist(volledig):
    assert meldingen_anonimiseren(op=VANDAAG) == 1
    m = Melding.objects.get(pk=volledig.pk)

    assert m.geanonimiseerd_op is not None
    assert m.leerling_id is None
    assert m.leerling_email == ""
    assert m.leerling_telefoon == ""
    assert m.afwijkend_adres == AfwijkendAdres.GEEN
    assert m.straatnaam == ""
    assert m.huisnummer is None
    assert m.huisletter == ""
    assert m.huisnummertoevoeging == ""
    assert m.postcode == ""
    assert m.aanduiding_locatie == ""
    assert m.plaatsnaam == ""
    assert m.vermoedelijke_reden == GEANONIMISEERD
    assert m.toelichting == ""
    # Actie gewenst Nee needs a toelichting; Anders among the acties too: placeholders.
    assert m.toelichting_actie_gewenst == GEANONIMISEERD
    assert m.toelichting_acties == GEANONIMISEERD
    assert m.contactpersoon_naam == GEANONIMISEERD
    assert m.contactpersoon_functie == ""
    assert m.contactpersoon_email == GEANONIMISEERD_EMAIL
    assert m.contactpersoon_telefoon == ""
    assert m.toelichting_intrekken == ""
    # A change someone had open is refused, not written back.
    assert m.versie == volledig.versie + 1


def test_statistiekvelden_blijven(volledig):
    meldingen_anonimiseren(op=VANDAAG)
    m = Melding.objects.get(pk=volledig.pk)
    for veld in [
        "nummer",
        "soort",
        "status",
        "wet",
        "melddatum",
        "begindatum",
        "einddatum",
        "instelling_id",
        "uitvoerende_instantie_id",
        "aanbieder_id",
        "locatie_id",
        "actie_gewenst",
        "met_prioriteit",
        "alle_lessen_gemist",
        "ondernomen_acties",
        "reden_intrekken",
        "geregistreerd_op",
    ]:
        assert getattr(m, veld) == getattr(volledig, veld), veld
    assert m.soort == Verzuimsoort.V3
    assert m.status == Status.AFGESLOTEN


def test_lege_toelichtingen_blijven_leeg_waar_geen_regel_ze_vraagt(demo):
    melding = oude_melding(
        demo,
        begindatum=datetime.date(2023, 5, 1),
        einddatum=datetime.date(2023, 5, 2),
        melddatum=datetime.date(2023, 5, 2),
        actie_gewenst=True,
        toelichting_actie_gewenst="Graag snel",
        ondernomen_acties=[OndernomenActie.BRIEF],
        toelichting_acties="Brief op 1 mei aan de ouders",
    )
    meldingen_anonimiseren(op=VANDAAG)
    melding.refresh_from_db()
    assert melding.toelichting_actie_gewenst == ""
    assert melding.toelichting_acties == ""


def test_contactpersonen_leerling_verwijderd(volledig):
    andere = MeldingFactory()  # a recent melding keeps its contactpersonen
    ContactpersoonLeerling.objects.create(melding=andere, volgnummer=1, naam="A. Jansen")
    meldingen_anonimiseren(op=VANDAAG)
    assert not ContactpersoonLeerling.objects.filter(melding=volledig).exists()
    assert ContactpersoonLeerling.objects.filter(melding=andere).count() == 1


def test_verzuimdagen_blijven_zonder_toelichting(volledig):
    meldingen_anonimiseren(op=VANDAAG)
    dagen = list(Verzuimdag.objects.filter(melding=volledig).order_by("datum"))
    assert [(d.datum, d.hele_dag, d.lesuren, d.toelichting) for d in dagen] == [
        (datetime.date(2023, 1, 9), True, [], ""),
        (datetime.date(2023, 1, 10), False, [1, 2], ""),
    ]


def test_terugkoppeling_gewist(volledig):
    meldingen_anonimiseren(op=VANDAAG)
    t = Terugkoppeling.objects.get(melding=volledig)
    assert t.naam == GEANONIMISEERD
    assert (t.functie, t.email, t.telefoon, t.toelichting) == ("", "", "", "")
    # For statistics: when, which instantie and why it was closed.
    assert t.datum == datetime.date(2023, 2, 1)
    assert t.instantienaam == "Gemeente Groningen"
    assert t.reden_afgesloten == RedenAfgesloten.HERVAT


def test_historie_zonder_oude_waarden(volledig):
    meldingen_anonimiseren(op=VANDAAG)
    wijziging = MeldingWijziging.objects.get(melding=volledig)
    assert wijziging.velden == []
    assert wijziging.blok == "Leerling"


def test_inzagelog_verwijst_niet_meer_naar_de_melding(volledig):
    """The log still names the pupil; it must not lead back from the pupil to the melding."""
    meldingen_anonimiseren(op=VANDAAG)
    assert not Inzage.objects.filter(meldingnummer=volledig.nummer).exists()
    assert Inzage.objects.filter(
        leerling=volledig.leerling, handeling=Handeling.MELDING_DETAILS, meldingnummer=None
    ).exists()


def test_ingetrokken_melding_met_reden_anders(demo):
    melding = oude_melding(
        demo,
        begindatum=datetime.date(2023, 3, 1),
        einddatum=datetime.date(2023, 3, 3),
        melddatum=datetime.date(2023, 3, 3),
        status=Status.INGETROKKEN,
        reden_intrekken=RedenIntrekken.ANDERS,
        toelichting_intrekken="Leerling bleek verhuisd naar tante",
        ingetrokken_op=datetime.datetime(2023, 3, 6, 9, tzinfo=AMSTERDAM),
    )
    meldingen_anonimiseren(op=VANDAAG)
    melding.refresh_from_db()
    assert melding.reden_intrekken == RedenIntrekken.ANDERS
    assert melding.toelichting_intrekken == GEANONIMISEERD
    assert melding.ingetrokken_op is not None


def test_alternatief_adres_gewist(demo):
    melding = oude_melding(
        demo,
        begindatum=datetime.date(2023, 3, 1),
        einddatum=datetime.date(2023, 3, 3),
        melddatum=datetime.date(2023, 3, 3),
        afwijkend_adres=AfwijkendAdres.ALTERNATIEF,
        aanduiding_locatie="Woonwagen achter de sporthal",
        plaatsnaam="Haren",
    )
    meldingen_anonimiseren(op=VANDAAG)
    melding.refresh_from_db()
    assert (melding.afwijkend_adres, melding.aanduiding_locatie, melding.plaatsnaam) == (
        "",
        "",
        "",
    )


def test_tweede_keer_niets_te_doen(volledig):
    assert meldingen_anonimiseren(op=VANDAAG) == 1
    eerste = Melding.objects.get(pk=volledig.pk).geanonimiseerd_op
    assert meldingen_anonimiseren(op=VANDAAG) == 0
    assert meldingen_anonimiseren(op=VANDAAG + 30 * DAG) == 0
    assert Melding.objects.get(pk=volledig.pk).geanonimiseerd_op == eerste


# -- in batches, through the index -------------------------------------------------------------


def oude_meldingen(demo, aantal: int) -> list[Melding]:
    """`aantal` due meldingen, each of its own pupil and a week after the one before, each
    opened once (an inzage row naming it)."""
    meldingen = []
    for i in range(aantal):
        begin = datetime.date(2023, 1, 2) + i * 7 * DAG
        melding = oude_melding(demo, begindatum=begin, einddatum=begin + DAG, melddatum=begin + DAG)
        Inzage.objects.create(
            gebruiker=demo.gebruikers["melder"],
            instelling=demo.instellingen["24GP"],
            leerling=melding.leerling,
            meldingnummer=melding.nummer,
            handeling=Handeling.MELDING_DETAILS,
        )
        meldingen.append(melding)
    return meldingen


@pytest.fixture
def per_batch(monkeypatch):
    """Sets how many meldingen one batch (one transaction) anonymises."""

    def zet(aantal: int) -> None:
        monkeypatch.setattr(services, "ANONIMISEREN_PER_BATCH", aantal)

    return zet


def test_in_batches_elke_melding_precies_eenmaal(demo, per_batch, caplog):
    per_batch(2)
    meldingen = oude_meldingen(demo, 5)
    recent = MeldingFactory()
    caplog.set_level(logging.DEBUG, logger="meldingen.services")

    assert meldingen_anonimiseren(op=VANDAAG) == 5

    assert [record.aantal for record in caplog.records] == [2, 2, 1]
    for melding in meldingen:
        na = Melding.objects.get(pk=melding.pk)
        assert na.geanonimiseerd_op is not None
        assert na.leerling_id is None
        assert na.versie == melding.versie + 1  # exactly once
    assert not Inzage.objects.filter(meldingnummer__in=[m.nummer for m in meldingen]).exists()
    assert Melding.objects.get(pk=recent.pk).geanonimiseerd_op is None


@pytest.mark.parametrize(("aantal", "per_batch_van", "batches"), [(1, 4, 1), (4, 4, 1), (5, 2, 3)])
def test_queries_per_batch_niet_per_melding(
    demo, per_batch, django_assert_num_queries, aantal, per_batch_van, batches
):
    """Set-based per batch: savepoint, the selection, six statements, release; then the
    selection that finds nothing left."""
    per_batch(per_batch_van)
    oude_meldingen(demo, aantal)
    with django_assert_num_queries(9 * batches + 3):
        assert meldingen_anonimiseren(op=VANDAAG) == aantal


def test_tweede_run_dezelfde_dag_is_een_query(volledig, django_assert_num_queries):
    assert meldingen_anonimiseren(op=VANDAAG) == 1
    with django_assert_num_queries(3):  # savepoint, the selection, release
        assert meldingen_anonimiseren(op=VANDAAG) == 0


def test_de_indexen_vinden_de_rijen(demo):
    """The selection matches the partial index `melding_anonimiseren` (same expression, same
    condition) and the inzagelog is reached through `inzage_meldingnummer`: with sequential
    scans made prohibitively expensive, a query the index cannot serve would still plan one."""
    oude_meldingen(demo, 2)
    with CaptureQueriesContext(connection) as queries:
        assert meldingen_anonimiseren(op=VANDAAG) == 2
    selectie = next(q["sql"] for q in queries if "FOR UPDATE SKIP LOCKED" in q["sql"])
    inzage = next(q["sql"] for q in queries if q["sql"].startswith('UPDATE "leerlingen_inzage"'))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for sql, index in [(selectie, "melding_anonimiseren"), (inzage, "inzage_meldingnummer")]:
            cursor.execute(f"EXPLAIN {sql}")
            plan = "\n".join(rij[0] for rij in cursor.fetchall())
            assert index in plan, plan
            assert "Seq Scan" not in plan, plan


def test_onderbroken_run_houdt_de_klaar_batches(demo, per_batch, monkeypatch):
    """A run that dies in its second batch keeps the first batch (its own transaction) and
    leaves nothing half done of the second; the next run does the rest."""
    per_batch(2)
    meldingen = oude_meldingen(demo, 5)
    echte_filter = Inzage.objects.filter
    aanroepen = []

    def stroomstoring_in_tweede_batch(*args, **kwargs):
        aanroepen.append(kwargs)
        if len(aanroepen) == 2:
            raise RuntimeError("stroomstoring")
        return echte_filter(*args, **kwargs)

    monkeypatch.setattr(Inzage.objects, "filter", stroomstoring_in_tweede_batch)

    with pytest.raises(RuntimeError, match="stroomstoring"):
        meldingen_anonimiseren(op=VANDAAG)

    def anoniem(melding) -> bool:
        return Melding.objects.get(pk=melding.pk).geanonimiseerd_op is not None

    # Oldest first: the first batch is the two oldest, with their inzage rows.
    assert [anoniem(m) for m in meldingen] == [True, True, False, False, False]
    assert list(
        Inzage.objects.filter(meldingnummer__in=[m.nummer for m in meldingen])
        .order_by("meldingnummer")
        .values_list("meldingnummer", flat=True)
    ) == sorted(m.nummer for m in meldingen[2:])
    assert Melding.objects.get(pk=meldingen[2].pk).versie == meldingen[2].versie

    assert meldingen_anonimiseren(op=VANDAAG) == 3
    assert all(anoniem(m) for m in meldingen)
    assert [Melding.objects.get(pk=m.pk).versie for m in meldingen] == [
        m.versie + 1 for m in meldingen
    ]


# -- the database constraints ----------------------------------------------------------------


def test_database_weigert_melding_zonder_leerling_die_niet_geanonimiseerd_is(demo):
    melding = MeldingFactory()
    with (
        pytest.raises(IntegrityError, match="melding_leerling_tenzij_geanonimiseerd"),
        transaction.atomic(),
    ):
        Melding.objects.filter(pk=melding.pk).update(leerling=None)


def test_database_weigert_geanonimiseerde_melding_met_leerling(demo):
    melding = MeldingFactory()
    with (
        pytest.raises(IntegrityError, match="melding_leerling_tenzij_geanonimiseerd"),
        transaction.atomic(),
    ):
        Melding.objects.filter(pk=melding.pk).update(
            geanonimiseerd_op=datetime.datetime(2026, 3, 16, 10, tzinfo=AMSTERDAM)
        )


def test_overlapregel_ziet_geen_gelijke_lege_leerlingen(demo):
    """Two pupils' meldingen over the same period both lose their pupil: NULL equals nothing,
    so the exclusion constraint still lets both stand, and the pupils can be reported again."""
    periode = {
        "begindatum": datetime.date(2023, 4, 3),
        "einddatum": datetime.date(2023, 4, 7),
        "melddatum": datetime.date(2023, 4, 7),
    }
    een = oude_melding(demo, leerling=LeerlingFactory(), **periode)
    twee = oude_melding(demo, leerling=LeerlingFactory(), **periode)
    assert meldingen_anonimiseren(op=VANDAAG) == 2
    assert Melding.objects.filter(pk__in=[een.pk, twee.pk], leerling=None).count() == 2
    # The overlap rule still holds for pupils: a third one over the same period twice fails.
    leerling = LeerlingFactory()
    oude_melding(demo, leerling=leerling, **periode)
    with pytest.raises(IntegrityError, match="melding_geen_overlap"), transaction.atomic():
        oude_melding(demo, leerling=leerling, **periode)


def test_wijzigen_met_de_oude_versie_wordt_geweigerd(volledig, demo):
    """Someone opened the Wijzig page before the night's run: the save is refused."""
    Melding.objects.filter(pk=volledig.pk).update(status=Status.GEREGISTREERD)
    volledig.refresh_from_db()
    meldingen_anonimiseren(op=VANDAAG)
    with pytest.raises(ValidationError):
        services.melding_wijzigen(
            melding=volledig,
            gebruiker=demo.gebruikers["melder"],
            versie=volledig.versie,
            blok="leerling",
            gegevens={"leerling_email": "terug@example.nl"},
        )
    assert Melding.objects.get(pk=volledig.pk).leerling_email == ""
    assert not workflow.mag_wijzigen(Melding.objects.get(pk=volledig.pk))


# -- the school's screens --------------------------------------------------------------------


def test_niet_in_zoek_melding(melder_client, volledig):
    meldingen_anonimiseren(op=VANDAAG)
    zoeken = reverse("meldingen:zoeken")
    response = melder_client.get(zoeken, {"instellingscode": "24GP"})
    assert response.status_code == 200
    nummers = [rij.nummer for rij in response.context["rijen"]]
    assert nummers  # the demo meldingen of 24GP
    assert volledig.nummer not in nummers

    response = melder_client.get(zoeken, {"meldingnummer": str(volledig.nummer)})
    assert response.status_code == 200
    assert response.context["rijen"] == []
    assert "Er zijn geen meldingen gevonden" in response.content.decode()


def test_details_wijzig_en_intrekken_geven_404(melder_client, volledig):
    assert melder_client.get(reverse("meldingen:detail", args=[volledig.nummer])).status_code == 200
    meldingen_anonimiseren(op=VANDAAG)
    for url in [
        reverse("meldingen:detail", args=[volledig.nummer]),
        reverse("meldingen:wijzig", args=[volledig.nummer, "leerling"]),
        reverse("meldingen:intrekken", args=[volledig.nummer]),
    ]:
        assert melder_client.get(url).status_code == 404, url
    assert (
        melder_client.post(
            reverse("meldingen:wijzig", args=[volledig.nummer, "leerling"]), {}
        ).status_code
        == 404
    )


def test_niet_meer_in_het_leerling_overzicht(melder_client, volledig):
    url = reverse("meldingen:leerling_overzicht", args=[volledig.leerling_id])
    assert volledig.nummer in [m.nummer for m in melder_client.get(url).context["meldingen"]]
    meldingen_anonimiseren(op=VANDAAG)
    response = melder_client.get(url)
    assert response.status_code == 200
    nummers = [m.nummer for m in response.context["meldingen"]]
    assert volledig.nummer not in nummers
    assert nummers  # the pupil's recent demo meldingen are still there


def test_presenter_breekt_niet(volledig):
    meldingen_anonimiseren(op=VANDAAG)
    melding = Melding.objects.select_related(
        "leerling", "instelling", "aanbieder", "locatie", "terugkoppeling"
    ).get(pk=volledig.pk)
    presenter = MeldingPresenter(
        melding,
        contactpersonen=melding.contactpersonen.all(),
        verzuimdagen=melding.verzuimdagen.all(),
        weergave=DETAIL,
    )
    assert presenter.kop == GEANONIMISEERD
    leerling = presenter.blokken["leerling"]
    assert [(r.label, r.waarde) for r in leerling.rijen] == [("Leerling", GEANONIMISEERD)]
    assert presenter.blokken["contactpersonen"].rijen == []
    assert presenter.blokken["melding"].rijen[0].waarde == str(volledig.nummer)


# -- admin and command ---------------------------------------------------------------------


def test_beheer_toont_geanonimiseerde_melding(client, volledig, demo):
    client.force_login(demo.gebruikers["beheerder"])
    wijzig = reverse("admin:meldingen_melding_change", args=[volledig.pk])
    assert volledig.nummer in [
        m.nummer
        for m in client.get(reverse("admin:meldingen_melding_changelist"), {"q": "999999989"})
        .context["cl"]
        .result_list
    ]
    meldingen_anonimiseren(op=VANDAAG)
    response = client.get(reverse("admin:meldingen_melding_changelist"))
    assert response.status_code == 200
    assert GEANONIMISEERD in response.content.decode()
    # Searching by PGN no longer finds it.
    response = client.get(reverse("admin:meldingen_melding_changelist"), {"q": "999999989"})
    assert volledig.nummer not in [m.nummer for m in response.context["cl"].result_list]

    response = client.get(wijzig)
    assert response.status_code == 200
    # Read-only, as every melding in the admin: no status choice, no editable terugkoppeling.
    assert 'name="status"' not in response.content.decode()
    assert 'name="terugkoppeling-0-naam"' not in response.content.decode()


def test_commando(demo, volledig, capsys):
    call_command("anonimiseer_meldingen")
    assert "1 melding geanonimiseerd." in capsys.readouterr().out
    call_command("anonimiseer_meldingen")
    assert "0 meldingen geanonimiseerd." in capsys.readouterr().out
    assert Melding.objects.get(pk=volledig.pk).geanonimiseerd_op is not None
