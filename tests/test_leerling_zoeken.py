"""Zoek leerling and Leerling overzicht (manual 2.2): PGN input,
one message for unknown and other schools' pupils, the overview of all meldingen, and the
*Registreer nieuwe melding* button or the blue bar that replaces it."""

import datetime
from html import unescape

import pytest
from django.urls import reverse

from leerlingen.forms import NIET_GEVONDEN
from leerlingen.models import Handeling, Inzage
from meldingen import regels
from meldingen.models import Status, Verzuimsoort
from tests.conftest import VANDAAG
from tests.factories import MeldingFactory
from verzuimloket.formaten import PGN_ONGELDIG

pytestmark = pytest.mark.django_db

DAG = datetime.timedelta(days=1)
KNOP = "Registreer nieuwe melding"


def zoek(client, pgn):
    return client.post(reverse("leerlingen:zoeken"), {"pgn": pgn})


def tekst(antwoord):
    return unescape(antwoord.content.decode())


def overzicht(client, leerling):
    return client.get(reverse("meldingen:leerling_overzicht", args=[leerling.pk]))


# --- Zoek leerling --------------------------------------------------------------------------


def test_zoekpagina(melder_client):
    antwoord = melder_client.get(reverse("leerlingen:zoeken"))
    html = tekst(antwoord)
    assert antwoord.status_code == 200
    assert '<label class="veld__label" for="id_pgn">Persoonsgebonden nummer</label>' in html
    assert 'aria-current="page">Zoek leerling</a>' in html
    assert "Er is een probleem" not in html


@pytest.mark.parametrize(
    "invoer", ["999999989", "999 999 989", "999.999.989", "999-999-989", " 9999-99.989 "]
)
def test_gevonden_met_spaties_punten_en_streepjes(melder_client, demo, invoer):
    antwoord = zoek(melder_client, invoer)
    assert antwoord.status_code == 302
    assert antwoord["Location"] == reverse(
        "meldingen:leerling_overzicht", args=[demo.leerlingen["999999989"].pk]
    )


def test_onderwijsnummer_gevonden(melder_client, demo):
    antwoord = zoek(melder_client, "1010.000.12")
    assert antwoord["Location"] == reverse(
        "meldingen:leerling_overzicht", args=[demo.leerlingen["101000012"].pk]
    )


def test_uitgeschreven_leerling_blijft_vindbaar(melder_client, demo):
    antwoord = zoek(melder_client, "999990068")
    assert antwoord.status_code == 302


@pytest.mark.parametrize(
    ("invoer", "fout"),
    [
        ("", "Vul een persoonsgebonden nummer in."),
        ("999999988", PGN_ONGELDIG),
        ("12345", PGN_ONGELDIG),
        ("abcdefghi", PGN_ONGELDIG),
    ],
)
def test_ongeldige_invoer_geeft_veldfout(melder_client, demo, invoer, fout):
    antwoord = zoek(melder_client, invoer)
    assert antwoord.status_code == 200
    html = tekst(antwoord)
    assert antwoord.context["form"].errors == {"pgn": [fout]}
    # In the error summary, linked to the field, and next to the field.
    assert '<a href="#id_pgn">' in html
    assert html.count(fout) == 2
    assert 'aria-invalid="true"' in html
    assert 'id="id_pgn_error"' in html
    assert "<title>Fout: Zoek leerling - Verzuimloket</title>" in html


@pytest.mark.parametrize(
    "pgn",
    [
        "999990081",  # only enrolled at 00BB
        "123456782",  # valid BSN, not in the register
        "101000024",  # valid onderwijsnummer, not in the register
    ],
)
def test_onbekend_en_andere_school_krijgen_dezelfde_melding(melder_client, demo, pgn):
    antwoord = zoek(melder_client, pgn)
    assert antwoord.status_code == 200
    assert antwoord.context["form"].errors == {"pgn": [NIET_GEVONDEN]}
    assert "Noor Hendriks" not in tekst(antwoord)


def test_00BB_vindt_eigen_leerling_maar_niet_die_van_24GP(zuid_client, demo):
    assert zoek(zuid_client, "999990081").status_code == 302
    assert zoek(zuid_client, "999990056").status_code == 302  # enrolled at both
    assert zoek(zuid_client, "999999989").context["form"].errors == {"pgn": [NIET_GEVONDEN]}


# --- Leerling overzicht ----------------------------------------------------------------------


def test_overzicht_toont_de_gegevens_met_bsn_label(melder_client, demo):
    sanne = demo.leerlingen["999999989"]
    html = tekst(overzicht(melder_client, sanne))
    assert "<dt>Burgerservicenummer</dt><dd>999999989</dd>" in html
    assert "<dt>Naam</dt><dd>Sanne de Vries</dd>" in html
    assert f"<dd>{sanne.geboortedatum:%d-%m-%Y}</dd>" in html
    assert "<dt>Geslacht</dt><dd>Vrouw</dd>" in html
    assert "Grote Markt 1 A bis<br>9712HN Groningen" in html
    assert "Onderwijsnummer" not in html


def test_overzicht_onderwijsnummer_label(melder_client, demo):
    html = tekst(overzicht(melder_client, demo.leerlingen["101000012"]))
    assert "<dt>Onderwijsnummer</dt><dd>101000012</dd>" in html
    assert "Burgerservicenummer" not in html


def test_overzicht_van_andere_school_bestaat_niet(zuid_client, client, demo):
    sanne = demo.leerlingen["999999989"]
    antwoord = overzicht(zuid_client, sanne)
    assert antwoord.status_code == 404
    assert "Sanne" not in tekst(antwoord)
    assert not Inzage.objects.filter(leerling=sanne).exists()


def test_overzicht_logt_de_inzage(melder_client, demo):
    sanne = demo.leerlingen["999999989"]
    overzicht(melder_client, sanne)
    inzage = Inzage.objects.get(leerling=sanne)
    assert (inzage.gebruiker, inzage.instelling_id, inzage.handeling) == (
        demo.gebruikers["melder"],
        "24GP",
        Handeling.LEERLING_OVERZICHT,
    )


def test_het_inzagelog_houdt_zijn_verwijsregels_zonder_database_constraints(melder_client, demo):
    """The log has no foreign key constraints in the database (a check would lock the pupil's
    row on every look); what a delete does stays as declared: a user or an instelling with
    entries cannot be deleted, and a deleted pupil takes its entries along."""
    from django.db import connection
    from django.db.models import ProtectedError

    sanne = demo.leerlingen["999999989"]
    overzicht(melder_client, sanne)
    assert Inzage.objects.filter(leerling=sanne).exists()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f'",
            [Inzage._meta.db_table],
        )
        assert cursor.fetchone()[0] == 0
    for beschermd in (demo.gebruikers["melder"], demo.instellingen["24GP"]):
        with pytest.raises(ProtectedError) as fout:
            beschermd.delete()
        assert any(isinstance(o, Inzage) for o in fout.value.protected_objects), beschermd
    sanne.meldingen.all().delete()
    sanne.delete()
    assert not Inzage.objects.filter(leerling_id=sanne.pk).exists()


@pytest.fixture
def julia_meldingen(demo):
    """Meldingen of 999990056 (24GP neven, 00BB hoofd) from both instellingen."""
    julia = demo.leerlingen["999990056"]

    def melding(code, begin, eind, **velden):
        inschrijving = julia.inschrijvingen.get(instelling=code)
        return MeldingFactory(
            leerling=julia,
            instelling=demo.instellingen[code],
            aanbieder=inschrijving.aanbieder,
            locatie=inschrijving.locatie,
            uitvoerende_instantie=demo.instanties["Gemeente Smallingerland"],
            begindatum=begin,
            einddatum=eind,
            **velden,
        )

    return [
        melding("00BB", VANDAAG - 100 * DAG, VANDAAG - 98 * DAG),
        melding("24GP", VANDAAG - 40 * DAG, VANDAAG - 39 * DAG, soort=Verzuimsoort.LUXE),
        melding("00BB", VANDAAG - 10 * DAG, None, status=Status.IN_BEHANDELING),
        melding(
            "24GP",
            VANDAAG - 10 * DAG,
            VANDAAG - 9 * DAG,
            status=Status.INGETROKKEN,
            reden_intrekken="ten_onrechte",
            ingetrokken_op=datetime.datetime(2026, 3, 10, 12, tzinfo=datetime.UTC),
        ),
    ]


def test_alle_meldingen_nieuwste_eerst_alleen_eigen_gelinkt(client, demo, julia_meldingen):
    client.force_login(demo.gebruikers["melder"])
    antwoord = overzicht(client, demo.leerlingen["999990056"])
    getoond = antwoord.context["meldingen"]
    begindata = [tuple(reversed(m.begindatum.split("-"))) for m in getoond]  # JJJJ, MM, DD
    assert begindata == sorted(begindata, reverse=True)
    assert {m.nummer for m in getoond} == {m.nummer for m in julia_meldingen}
    html = tekst(antwoord)
    for m in julia_meldingen:
        link = f'<a href="{reverse("meldingen:detail", args=[m.nummer])}">{m.nummer}</a>'
        if m.instelling_id == "24GP":
            assert link in html
        else:
            assert link not in html
            assert f"<td>{m.nummer}</td>" in html
    assert "<td>Ingetrokken</td>" in html
    assert "<td>In behandeling</td>" in html
    assert "<td>Luxe verzuim</td>" in html
    assert "<td>Gemeente Smallingerland</td>" in html


def test_meldingen_van_00BB_gelinkt_voor_00BB(client, demo, julia_meldingen):
    client.force_login(demo.gebruikers["melder2"])
    client.post(reverse("kies_instelling"), {"organisatie": "instelling:00BB"})
    html = tekst(overzicht(client, demo.leerlingen["999990056"]))
    for m in julia_meldingen:
        link = f'<a href="{reverse("meldingen:detail", args=[m.nummer])}">'
        assert (link in html) is (m.instelling_id == "00BB")


def test_leerling_zonder_meldingen(melder_client, demo):
    html = tekst(overzicht(melder_client, demo.leerlingen["101000012"]))
    assert "Er zijn voor deze leerling geen verzuimmeldingen." in html


# --- The button or the blue bar --------------------------------------------------------------


@pytest.mark.parametrize(
    "pgn",
    [
        "999990020",  # 24: too old
        "999990032",  # startkwalificatie
        "999990044",  # lives in Belgium
    ],
)
def test_blauwe_balk_in_plaats_van_de_knop(melder_client, demo, pgn):
    html = tekst(overzicht(melder_client, demo.leerlingen[pgn]))
    assert KNOP not in html
    assert '<div class="infobalk" role="status">' in html
    assert regels.BLOKKADE_TITEL in html
    assert regels.BLOKKADE_REGISTER in html


def test_niet_ingeschreven_balk_voor_uitgeschreven_leerling(melder_client, demo):
    html = tekst(overzicht(melder_client, demo.leerlingen["999990068"]))
    assert KNOP not in html
    assert regels.BLOKKADE_NIET_INGESCHREVEN in html


@pytest.mark.parametrize(
    "pgn",
    [
        "999999989",
        "999990056",  # no hoofdinschrijving at 24GP: checked on the begindatum in step 2
        "999990007",  # 17, turns 18 in 20 days
        "999990019",  # 19: 18+ soorten
        "101000012",
    ],
)
def test_knop_registreer_nieuwe_melding(melder_client, demo, pgn):
    leerling = demo.leerlingen[pgn]
    html = tekst(overzicht(melder_client, leerling))
    url = reverse("meldingen:registreren_start", args=[leerling.pk])
    assert f'<a class="knop" href="{url}">{KNOP}</a>' in html
    assert regels.BLOKKADE_TITEL not in html


def test_23_jaar_is_de_grens(melder_client, demo):
    """Registering is blocked from the 23rd birthday on (docs/regels.md)."""
    leerling = demo.leerlingen["999990019"]
    leerling.geboortedatum = VANDAAG.replace(year=VANDAAG.year - 23)
    leerling.save()
    assert KNOP not in tekst(overzicht(melder_client, leerling))
    leerling.geboortedatum += DAG
    leerling.save()
    assert KNOP in tekst(overzicht(melder_client, leerling))


# --- Bounded queries -------------------------------------------------------------------------


def test_aantal_queries_hangt_niet_af_van_het_aantal_meldingen(
    melder_client, demo, django_assert_max_num_queries
):
    leerling = demo.leerlingen["101000012"]
    inschrijving = leerling.inschrijvingen.get()
    with django_assert_max_num_queries(12) as weinig:
        overzicht(melder_client, leerling)
    for i in range(40):
        MeldingFactory(
            leerling=leerling,
            instelling=demo.instellingen["24GP"],
            aanbieder=inschrijving.aanbieder,
            locatie=inschrijving.locatie,
            uitvoerende_instantie=demo.instanties["Gemeente Groningen"],
            begindatum=VANDAAG - (300 - 3 * i) * DAG,
            einddatum=VANDAAG - (299 - 3 * i) * DAG,
        )
    with django_assert_max_num_queries(len(weinig)):
        antwoord = overzicht(melder_client, leerling)
    assert len(antwoord.context["meldingen"]) == 40
