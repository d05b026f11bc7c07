"""The registration wizard (manual 2.3-2.7): what the user sees and can do per step,
the step-to-step behaviour (Vorige, Wijzig, direct URLs, two tabs, no double registration) and
who may use it. The rules themselves are proven at service and database level in
test_registreren.py; here they are proven as the message the user gets in the wizard."""

import datetime
import re
from html import unescape

import pytest
from django.urls import reverse

from meldingen.blokken import BLOKKEN
from meldingen.forms import LeerlingForm, LesurenStapForm, VerzuimForm
from meldingen.models import Melding, Status, Verzuimsoort
from tests.conftest import AMSTERDAM, VANDAAG
from tests.factories import InschrijvingFactory, LeerlingFactory, MeldingFactory
from tests.wizard_hulp import (
    DAG,
    STANDAARD_BEGIN,
    STANDAARD_EIND,
    acties_data,
    beheer,
    datum,
    leerling_data,
    lesuren_data,
    periode_data,
    post_stap,
    registreer,
    stap_url,
    start_url,
    tot_overzicht,
    tot_verzuim,
    verzuim_data,
)
from verzuimloket import datums

pytestmark = pytest.mark.django_db


def tekst(response) -> str:
    """The page's visible text, whitespace collapsed (tags removed)."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


@pytest.fixture
def sanne(demo):
    return demo.leerlingen["999999989"]


def naar_volledig_verzuim(client, leerling, begindatum=STANDAARD_BEGIN, einddatum=STANDAARD_EIND):
    tot_verzuim(client, leerling)
    r = post_stap(client, leerling, "verzuim", periode_data(begindatum, einddatum))
    assert r.status_code == 302, tekst(r)
    return r


# --- Who may use it -------------------------------------------------------------------------


def wizard_urls(leerling, nummer=4000000):
    return [
        start_url(leerling),
        stap_url(leerling, "leerling"),
        stap_url(leerling, "overzicht"),
        reverse("meldingen:registreren_bevestiging", args=[leerling.pk, nummer]),
    ]


def test_anoniem_wordt_naar_inloggen_gestuurd(client, demo, sanne):
    for url in wizard_urls(sanne):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert client.post(stap_url(sanne, "leerling"), leerling_data()).status_code == 302
    assert not Melding.objects.filter(leerling=sanne, melddatum=VANDAAG).exists()


def test_zonder_rol_geen_toegang(client, demo, sanne):
    client.force_login(demo.gebruikers["zonderrol"])
    for url in wizard_urls(sanne):
        assert client.get(url).status_code == 403


def test_andere_instelling_ziet_de_leerling_en_melding_niet(melder_client, client, demo, sanne):
    response = registreer(melder_client, sanne)
    nummer = int(response["Location"].rstrip("/").rsplit("/", 1)[1])
    client.force_login(demo.gebruikers["melder-zuid"])
    for url in wizard_urls(sanne, nummer):
        assert client.get(url).status_code == 404
    response = client.post(stap_url(sanne, "leerling"), leerling_data())
    assert response.status_code == 404


@pytest.mark.parametrize("pgn", ["999990020", "999990032", "999990044", "999990068"])
def test_geblokkeerde_leerling_gaat_terug_naar_overzicht(melder_client, demo, pgn):
    leerling = demo.leerlingen[pgn]
    for url in [start_url(leerling), stap_url(leerling, "verzuim")]:
        response = melder_client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("meldingen:leerling_overzicht", args=[leerling.pk])


# --- Stap 1: Leerling -------------------------------------------------------------------------


def test_stap_1_toont_ter_informatie_en_leerling(melder_client, sanne):
    response = melder_client.get(start_url(sanne), follow=True)
    t = tekst(response)
    assert "Stap 1 van 6 - Verzuimmelding registreren" in t
    assert "<h1>Leerling</h1>" in response.content.decode()
    assert "Ter informatie" in t
    assert "kan hij of zij zien wat u hebt ingevuld" in t
    assert "Burgerservicenummer 999999989" in t
    assert "Sanne de Vries" in t
    assert "Grote Markt 1 A bis" in t
    assert "Deze verzuimmelding heeft geen contactpersonen bij de leerling." in t
    assert "Heeft deze leerling een afwijkend adres?" in t
    assert 'name="actie" value="contactpersoon_toevoegen"' in response.content.decode()
    # Step 1 has no Vorige.
    assert "Vorige" not in t


@pytest.mark.parametrize(
    ("veld", "waarde", "melding"),
    [
        ("leerling-leerling_telefoon", "abc", "Vul een geldig telefoonnummer in"),
        ("leerling-leerling_telefoon", "050 599", "Vul een geldig telefoonnummer in"),
        ("leerling-leerling_telefoon", "+3150599900012345", "Vul een geldig telefoonnummer in"),
        (
            "leerling-leerling_telefoon",
            "050 599 90 00 12 34 56",
            "Vul een geldig telefoonnummer in",
        ),
        ("leerling-leerling_telefoon", "050/5999000", "Vul een geldig telefoonnummer in"),
        ("leerling-leerling_email", "geen-adres", "Vul een geldig e-mailadres in"),
    ],
)
def test_stap_1_telefoon_en_email_gecontroleerd(melder_client, sanne, veld, waarde, melding):
    melder_client.get(start_url(sanne))
    response = post_stap(melder_client, sanne, "leerling", leerling_data(**{veld: waarde}))
    assert response.status_code == 200
    assert melding in tekst(response)
    assert "Er is een probleem" in tekst(response)


def test_stap_1_geldig_telefoonnummer(melder_client, sanne):
    melder_client.get(start_url(sanne))
    response = post_stap(
        melder_client,
        sanne,
        "leerling",
        leerling_data(**{"leerling-leerling_telefoon": "+31 50-599 90 00"}),
    )
    assert response.status_code == 302
    assert response["Location"] == stap_url(sanne, "verzuim")


def test_stap_1_afwijkend_adres_regulier_verplichte_velden(melder_client, sanne):
    melder_client.get(start_url(sanne))
    response = post_stap(
        melder_client,
        sanne,
        "leerling",
        leerling_data(
            **{
                "leerling-afwijkend_adres": "ja",
                "leerling-adres_soort": "regulier",
                "leerling-postcode": "12",
                # typed in the variant not chosen: ignored
                "leerling-aanduiding_locatie": "x" * 60,
            }
        ),
    )
    t = tekst(response)
    assert "Vul de straatnaam in." in t
    assert "Vul het huisnummer in." in t
    assert "Vul een geldige postcode in" in t
    assert "Maximaal 40 karakters" not in t.split("Er is een probleem")[1].split("Stap 1")[0]


@pytest.mark.parametrize(
    ("veld", "waarde", "melding"),
    [
        ("leerling-huisnummer", "12a", "Vul een huisnummer in met alleen cijfers."),
        ("leerling-huisnummer", "0", "Vul een huisnummer in met alleen cijfers."),
        ("leerling-huisletter", "AB", "Een huisletter is één letter."),
        ("leerling-huisnummertoevoeging", "x" * 11, "Maximaal 10 karakters."),
        ("leerling-postcode", "0712 HN", "Vul een geldige postcode in, zoals 9712 HN."),
        ("leerling-straatnaam", "s" * 101, "Maximaal 100 karakters (nu 101)."),
    ],
)
def test_stap_1_regulier_adres_veldregels(melder_client, sanne, veld, waarde, melding):
    melder_client.get(start_url(sanne))
    data = leerling_data(
        **{
            "leerling-afwijkend_adres": "ja",
            "leerling-adres_soort": "regulier",
            "leerling-straatnaam": "Vismarkt",
            "leerling-huisnummer": "5",
            "leerling-postcode": "9712CB",
            veld: waarde,
        }
    )
    response = post_stap(melder_client, sanne, "leerling", data)
    assert response.status_code == 200
    assert melding in tekst(response)


@pytest.mark.parametrize(
    ("veld", "waarde", "melding"),
    [
        ("email", "geen-adres", "Vul een geldig e-mailadres in"),
        ("telefoon", "12345", "Vul een geldig telefoonnummer in"),
        ("naam", "n" * 101, "Maximaal 100 karakters (nu 101)."),
    ],
)
def test_contactpersoon_veldregels(melder_client, sanne, veld, waarde, melding):
    melder_client.get(start_url(sanne))
    data = leerling_data(
        **{
            "leerling-contactpersonen-TOTAL_FORMS": "1",
            "leerling-contactpersonen-0-naam": "Moeder",
            f"leerling-contactpersonen-0-{veld}": waarde,
        }
    )
    response = post_stap(melder_client, sanne, "leerling", data)
    assert response.status_code == 200
    assert melding in tekst(response)


def test_stap_1_afwijkend_adres_alternatief(melder_client, sanne):
    melder_client.get(start_url(sanne))
    response = post_stap(
        melder_client,
        sanne,
        "leerling",
        leerling_data(
            **{
                "leerling-afwijkend_adres": "ja",
                "leerling-adres_soort": "alternatief",
                "leerling-aanduiding_locatie": "x" * 41,
            }
        ),
    )
    t = tekst(response)
    assert "Maximaal 40 karakters (nu 41)." in t
    assert "Vul de plaatsnaam in." in t
    assert "Vul de straatnaam in." not in t


def test_stap_1_afwijkend_adres_ja_zonder_keuze(melder_client, sanne):
    melder_client.get(start_url(sanne))
    response = post_stap(
        melder_client, sanne, "leerling", leerling_data(**{"leerling-afwijkend_adres": "ja"})
    )
    assert "Kies Regulier of Alternatief." in tekst(response)


def test_contactpersoon_toevoegen_zonder_javascript(melder_client, sanne):
    melder_client.get(start_url(sanne))
    response = post_stap(
        melder_client,
        sanne,
        "leerling",
        leerling_data(**{"actie": "contactpersoon_toevoegen", "leerling-leerling_email": "x@y.nl"}),
    )
    assert response.status_code == 302
    assert response["Location"] == stap_url(sanne, "leerling")
    pagina = melder_client.get(response["Location"])
    t = tekst(pagina)
    assert "Contactpersoon toevoegen" in t
    assert "Relatie tot leerling" in t
    # The new empty contactpersoon shows no error yet; what was typed stays.
    assert "Er is een probleem" not in t
    assert 'value="x@y.nl"' in pagina.content.decode()

    # Verder with the empty contactpersoon: Naam is required.
    response = melder_client.post(
        stap_url(sanne, "leerling"),
        {
            **beheer(pagina),
            **leerling_data(
                **{
                    "leerling-contactpersonen-TOTAL_FORMS": "1",
                    "leerling-contactpersonen-0-naam": "",
                    "leerling-contactpersonen-0-relatie": "y" * 51,
                }
            ),
        },
    )
    t = tekst(response)
    assert "Vul de naam in." in t
    assert "Maximaal 50 karakters" in t


def test_contactpersoon_verwijderen(melder_client, sanne):
    melder_client.get(start_url(sanne))
    data = leerling_data(
        **{
            "leerling-contactpersonen-TOTAL_FORMS": "2",
            "leerling-contactpersonen-0-naam": "Moeder",
            "leerling-contactpersonen-1-naam": "Vader",
            "actie": "contactpersoon_verwijderen_0",
        }
    )
    response = post_stap(melder_client, sanne, "leerling", data)
    pagina = melder_client.get(response["Location"])
    html = pagina.content.decode()
    assert 'value="Vader"' in html
    assert 'value="Moeder"' not in html
    assert "Contactpersoon 2" not in tekst(pagina)


def test_maximaal_vijf_contactpersonen(melder_client, sanne):
    melder_client.get(start_url(sanne))
    data = leerling_data(**{"leerling-contactpersonen-TOTAL_FORMS": "6"})
    for i in range(6):
        data[f"leerling-contactpersonen-{i}-naam"] = f"Persoon {i}"
    response = post_stap(melder_client, sanne, "leerling", data)
    assert response.status_code == 200
    assert "Er is ruimte voor maximaal vijf contactpersonen." in tekst(response)
    # With five, the add button is gone.
    data["leerling-contactpersonen-TOTAL_FORMS"] = "5"
    response = post_stap(melder_client, sanne, "leerling", {**data, "actie": "x"})
    assert response.status_code == 404  # unknown actie
    del data["leerling-contactpersonen-5-naam"]
    response = post_stap(
        melder_client, sanne, "leerling", {**data, "leerling-leerling_email": "fout"}
    )
    assert "Contactpersoon toevoegen</button>" not in response.content.decode()


# --- Stap 2: Verzuim --------------------------------------------------------------------------


def test_stap_2_eerst_alleen_de_periode(melder_client, sanne):
    tot_verzuim(melder_client, sanne)
    pagina = melder_client.get(stap_url(sanne, "verzuim"))
    t = tekst(pagina)
    assert "Stap 2 van 6 - Verzuimmelding registreren" in t
    assert "Verzuimgegevens" in t
    assert "Instellingscode" in t and 'value="24GP" readonly' in pagina.content.decode()
    assert "Begindatum" in t and "OPTIONEEL Einddatum" in t
    assert "Soort" not in t and "Vermoedelijke reden" not in t
    # The first Verder: same step, same URL, now the whole form, the period kept.
    response = post_stap(
        melder_client, sanne, "verzuim", periode_data(STANDAARD_BEGIN, STANDAARD_EIND)
    )
    assert response["Location"] == stap_url(sanne, "verzuim")
    pagina = melder_client.get(response["Location"])
    t = tekst(pagina)
    for label in [
        "Soort",
        "Vermoedelijke reden",
        "Actie gewenst",
        "Toelichting actie gewenst",
        "Met prioriteit oppakken",
        "Gegevens onderwijsinstelling",
        "Onderwijsaanbiedercode",
        "Onderwijslocatiecode",
        "Contactpersoon onderwijsinstelling",
        "Functie",
    ]:
        assert label in t
    html = pagina.content.decode()
    assert f'name="verzuim-begindatum_0" value="{STANDAARD_BEGIN.day:02d}"' in html
    # Prefilled from the enrolment; the aanbieder's name shows; the locatie's address shows.
    assert '<option value="100A001" selected>100A001 - Stichting De Grote Markt</option>' in html
    assert 'name="verzuim-locatie" value="100X001"' in html
    assert "Postcode 9712HN Huisnummer 1" in t
    # The three standard phrases are offered.
    for zin in [
        "afwezig vanwege een geloofsverplichting",
        "afwezig vanwege ziekte",
        "afwezig vanwege contact met politie of justitie",
    ]:
        assert f'<option value="{zin}">' in html


@pytest.mark.parametrize(
    ("begindatum", "einddatum", "melding"),
    [
        (VANDAAG + DAG, None, "De begindatum mag niet in de toekomst liggen."),
        (VANDAAG - 5 * DAG, VANDAAG - 6 * DAG, "De einddatum mag niet voor de begindatum liggen."),
        (VANDAAG - 5 * DAG, VANDAAG + DAG, "De einddatum mag niet in de toekomst liggen."),
        (
            VANDAAG - 367 * DAG,
            VANDAAG - 366 * DAG,
            "De begindatum mag niet meer dan één jaar geleden liggen.",
        ),
    ],
)
def test_stap_2_datumregels(melder_client, sanne, begindatum, einddatum, melding):
    tot_verzuim(melder_client, sanne)
    response = post_stap(melder_client, sanne, "verzuim", periode_data(begindatum, einddatum))
    assert response.status_code == 200
    assert melding in tekst(response)


def test_stap_2_geen_bestaande_datum(melder_client, sanne):
    tot_verzuim(melder_client, sanne)
    data = {**datum("verzuim-begindatum", None), **datum("verzuim-einddatum", None)}
    data.update({"verzuim-begindatum_0": "31", "verzuim-begindatum_1": "2"})
    data["verzuim-begindatum_2"] = "2026"
    response = post_stap(melder_client, sanne, "verzuim", data)
    assert "Vul een bestaande datum in (dag, maand, jaar)." in tekst(response)
    response = post_stap(melder_client, sanne, "verzuim", periode_data(None))
    assert "Begindatum: Vul een datum in." in tekst(response)


def test_stap_2_overlap_noemt_de_melding(melder_client, sanne):
    bestaande = Melding.objects.get(leerling=sanne, soort=Verzuimsoort.LUXE)
    tot_verzuim(melder_client, sanne)
    response = post_stap(
        melder_client, sanne, "verzuim", periode_data(bestaande.einddatum, VANDAAG - DAG)
    )
    assert (
        f"De verzuimperiode valt (deels) samen met melding {bestaande.nummer} voor deze leerling."
        in tekst(response)
    )
    # A withdrawn melding does not block the period.
    bestaande.status = Status.INGETROKKEN
    bestaande.reden_intrekken = "ten_onrechte"
    bestaande.ingetrokken_op = datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)
    bestaande.save()
    response = post_stap(
        melder_client, sanne, "verzuim", periode_data(bestaande.einddatum, VANDAAG - DAG)
    )
    assert response.status_code == 302


def test_stap_2_hoofdinschrijving(melder_client, demo):
    julia = demo.leerlingen["999990056"]
    tot_verzuim(melder_client, julia)
    response = post_stap(melder_client, julia, "verzuim", periode_data(STANDAARD_BEGIN))
    assert "Begindatum: Alleen de instelling met de hoofdinschrijving mag verzuim melden" in (
        tekst(response)
    )


def soorten_op_pagina(response) -> set[str]:
    return set(re.findall(r'name="verzuim-soort" value="([A-Z0-9]+)"', response.content.decode()))


def test_soorten_voor_een_leerling_van_15(melder_client, sanne):
    naar_volledig_verzuim(melder_client, sanne)
    pagina = melder_client.get(stap_url(sanne, "verzuim"))
    assert soorten_op_pagina(pagina) == {"V3", "LRV", "L", "O"}
    assert "16 uren per 4 weken 18-" in tekst(pagina)


def test_soorten_voor_een_leerling_van_19(melder_client, demo):
    lotte = demo.leerlingen["999990019"]
    naar_volledig_verzuim(melder_client, lotte)
    pagina = melder_client.get(stap_url(lotte, "verzuim"))
    assert soorten_op_pagina(pagina) == {"V4", "RMC", "L", "O"}


def test_soorten_rond_de_18e_verjaardag(melder_client, demo, time_machine):
    daan = demo.leerlingen["999990007"]
    verjaardag = VANDAAG + 20 * DAG
    naar_volledig_verzuim(melder_client, daan, VANDAAG - 3 * DAG, VANDAAG - DAG)
    assert soorten_op_pagina(melder_client.get(stap_url(daan, "verzuim"))) == {
        "V3",
        "LRV",
        "L",
        "O",
    }
    time_machine.move_to(datetime.datetime(2026, 4, 5, 10, 0, tzinfo=AMSTERDAM), tick=True)
    assert datums.vandaag() == verjaardag
    melder_client.force_login(demo.gebruikers["melder"])  # the session of 20 days ago expired
    naar_volledig_verzuim(melder_client, daan, verjaardag, verjaardag)
    assert soorten_op_pagina(melder_client.get(stap_url(daan, "verzuim"))) == {
        "V4",
        "RMC",
        "L",
        "O",
    }
    # The day before the birthday: still under 18.
    naar_volledig_verzuim(melder_client, daan, verjaardag - DAG, verjaardag - DAG)
    assert soorten_op_pagina(melder_client.get(stap_url(daan, "verzuim"))) == {
        "V3",
        "LRV",
        "L",
        "O",
    }


def test_soort_die_niet_van_toepassing_is_wordt_geweigerd(melder_client, sanne):
    naar_volledig_verzuim(melder_client, sanne)
    response = post_stap(
        melder_client,
        sanne,
        "verzuim",
        verzuim_data(STANDAARD_BEGIN, STANDAARD_EIND, **{"verzuim-soort": "RMC"}),
    )
    assert "Deze verzuimsoort is niet van toepassing op deze leerling." in tekst(response)


def test_einddatum_verplicht_bij_16_uren(melder_client, sanne):
    naar_volledig_verzuim(melder_client, sanne, STANDAARD_BEGIN, None)
    response = post_stap(
        melder_client,
        sanne,
        "verzuim",
        verzuim_data(STANDAARD_BEGIN, None, **{"verzuim-soort": "V3"}),
    )
    assert "Einddatum: Vul de einddatum in. Bij 16 uren per 4 weken is dat de dag" in tekst(
        response
    )


def test_einddatum_verplicht_bij_16_uren_18_plus(melder_client, demo):
    lotte = demo.leerlingen["999990019"]
    naar_volledig_verzuim(melder_client, lotte, STANDAARD_BEGIN, None)
    response = post_stap(
        melder_client,
        lotte,
        "verzuim",
        verzuim_data(STANDAARD_BEGIN, None, **{"verzuim-soort": "V4"}),
    )
    assert "Einddatum: Vul de einddatum in." in tekst(response)
    response = post_stap(
        melder_client,
        lotte,
        "verzuim",
        verzuim_data(STANDAARD_BEGIN, STANDAARD_EIND, **{"verzuim-soort": "V4"}),
    )
    assert response.status_code == 302


def test_lrv_alleen_na_een_16_uren_melding(melder_client, sanne, demo):
    begin = VANDAAG - 10 * DAG
    naar_volledig_verzuim(melder_client, sanne, begin, None)
    data = verzuim_data(begin, None, **{"verzuim-soort": "LRV"})
    response = post_stap(melder_client, sanne, "verzuim", data)
    assert "Langdurig relatief verzuim kunt u pas melden vanaf dag 29" in tekst(response)

    # A V3 melding that began 28 days before the LRV begindatum and ended before it.
    MeldingFactory(
        leerling=sanne,
        instelling=demo.instellingen["24GP"],
        soort=Verzuimsoort.V3,
        begindatum=begin - 28 * DAG,
        einddatum=begin - DAG,
    )
    response = post_stap(melder_client, sanne, "verzuim", data)
    assert response.status_code == 302, tekst(response)


def test_rmc_na_28_dagen(melder_client, demo):
    lotte = demo.leerlingen["999990019"]
    begin = VANDAAG - 10 * DAG
    naar_volledig_verzuim(melder_client, lotte, begin, None)
    response = post_stap(
        melder_client, lotte, "verzuim", verzuim_data(begin, None, **{"verzuim-soort": "RMC"})
    )
    assert "RMC verzuim kunt u pas melden na 28 kalenderdagen aaneengesloten verzuim" in tekst(
        response
    )
    response = post_stap(
        melder_client,
        lotte,
        "verzuim",
        verzuim_data(begin, VANDAAG - DAG, **{"verzuim-soort": "RMC"}),
    )
    assert "Bij RMC verzuim beslaat de verzuimperiode minstens 28 kalenderdagen." in tekst(response)
    begin = VANDAAG - 40 * DAG
    response = post_stap(
        melder_client, lotte, "verzuim", verzuim_data(begin, None, **{"verzuim-soort": "RMC"})
    )
    assert response.status_code == 302, tekst(response)


@pytest.mark.parametrize(
    ("veld", "waarde", "melding"),
    [
        ("verzuim-locatie", "100X999", "Onderwijslocatiecode: Deze onderwijslocatie bestaat niet"),
        ("verzuim-locatie", "onzin", "Onderwijslocatiecode: Deze onderwijslocatie bestaat niet"),
        # Another school's locatie is not looked up for this one: it "bestaat niet" here.
        ("verzuim-locatie", "100X501", "Onderwijslocatiecode: Deze onderwijslocatie bestaat niet"),
        ("verzuim-aanbieder", "100A002", "Kies een onderwijsaanbieder van uw instelling."),
        ("verzuim-vermoedelijke_reden", "", "Vul de vermoedelijke reden in."),
        ("verzuim-vermoedelijke_reden", "x" * 301, "Maximaal 300 karakters (nu 301)."),
        ("verzuim-toelichting", "x" * 1501, "Maximaal 1500 karakters (nu 1501)."),
        ("verzuim-soort", "", "Kies de soort verzuim."),
        ("verzuim-actie_gewenst", "", "Actie gewenst: Kies Ja of Nee."),
        ("verzuim-contactpersoon_naam", "", "Naam: Vul de naam in."),
        ("verzuim-contactpersoon_functie", "f" * 101, "Maximaal 100 karakters (nu 101)."),
        ("verzuim-contactpersoon_email", "", "E-mail: Vul het e-mailadres in."),
        ("verzuim-contactpersoon_telefoon", "bel me", "Vul een geldig telefoonnummer in"),
    ],
)
def test_stap_2_veldregels(melder_client, sanne, veld, waarde, melding):
    naar_volledig_verzuim(melder_client, sanne)
    response = post_stap(
        melder_client,
        sanne,
        "verzuim",
        verzuim_data(STANDAARD_BEGIN, STANDAARD_EIND, **{veld: waarde}),
    )
    assert response.status_code == 200
    assert melding in tekst(response)


def test_toelichting_verplicht_als_geen_actie_gewenst(melder_client, sanne):
    naar_volledig_verzuim(melder_client, sanne)
    data = verzuim_data(STANDAARD_BEGIN, STANDAARD_EIND, **{"verzuim-actie_gewenst": "nee"})
    response = post_stap(melder_client, sanne, "verzuim", data)
    assert "Toelichting actie gewenst: Licht toe waarom geen actie gewenst is." in tekst(response)
    data["verzuim-toelichting_actie_gewenst"] = "Ouders hebben contact opgenomen."
    data["verzuim-met_prioriteit"] = "ja"  # does not apply without actie: stored as Nee
    response = post_stap(melder_client, sanne, "verzuim", data)
    assert response.status_code == 302
    post_stap(melder_client, sanne, "lesuren", lesuren_data())
    post_stap(melder_client, sanne, "acties", acties_data())
    response = post_stap(melder_client, sanne, "overzicht", {})
    melding = Melding.objects.get(leerling=sanne, melddatum=VANDAAG)
    assert melding.actie_gewenst is False
    assert melding.met_prioriteit is False


def test_waarschuwing_bij_16_uren_langer_dan_28_dagen(melder_client, sanne):
    begin, eind = VANDAAG - 40 * DAG, VANDAAG - 5 * DAG
    naar_volledig_verzuim(melder_client, sanne, begin, eind)
    response = post_stap(
        melder_client, sanne, "verzuim", verzuim_data(begin, eind, **{"verzuim-soort": "V3"})
    )
    assert response.status_code == 302  # a warning, not a refusal
    pagina = melder_client.get(response["Location"])
    assert "Let op" in tekst(pagina)
    assert "de verzuimperiode is langer dan 28 dagen" in tekst(pagina)


# --- Stap 3: Lesuren --------------------------------------------------------------------------


def naar_lesuren(client, leerling, begindatum=STANDAARD_BEGIN, einddatum=STANDAARD_EIND):
    naar_volledig_verzuim(client, leerling, begindatum, einddatum)
    r = post_stap(client, leerling, "verzuim", verzuim_data(begindatum, einddatum))
    assert r.status_code == 302, tekst(r)


def dag(i, d, hele_dag="ja", lesuren=(), toelichting=""):
    data = {
        **datum(f"lesuren-verzuimdagen-{i}-datum", d),
        f"lesuren-verzuimdagen-{i}-hele_dag": hele_dag,
        f"lesuren-verzuimdagen-{i}-toelichting": toelichting,
    }
    if lesuren:
        data[f"lesuren-verzuimdagen-{i}-lesuren"] = [str(u) for u in lesuren]
    return data


def met_dagen(*dagen, **extra):
    data = lesuren_data(
        **{
            "lesuren-alle_lessen_gemist": "nee",
            "lesuren-verzuimdagen-TOTAL_FORMS": str(len(dagen)),
        }
    )
    for d in dagen:
        data.update(d)
    data.update(extra)
    return data


def test_stap_3_toont_periode_en_standaard_alle_lessen(melder_client, sanne):
    naar_lesuren(melder_client, sanne)
    pagina = melder_client.get(stap_url(sanne, "lesuren"))
    t = tekst(pagina)
    assert "Stap 3 van 6 - Verzuimmelding registreren" in t
    assert "Gekozen verzuimperiode: van 09-03-2026 tot en met 11-03-2026" in t
    assert 'value="ja" class="keuzes--inline" id="id_lesuren-alle_lessen_gemist_0" checked' in (
        pagina.content.decode()
    )
    assert "Er zijn geen verzuimdagen gespecificeerd." in t


def test_stap_3_zonder_einddatum(melder_client, sanne):
    naar_lesuren(melder_client, sanne, STANDAARD_BEGIN, None)
    pagina = melder_client.get(stap_url(sanne, "lesuren"))
    assert "Gekozen verzuimperiode: van 09-03-2026" in tekst(pagina)
    response = post_stap(melder_client, sanne, "lesuren", met_dagen(dag(0, VANDAAG + DAG)))
    assert "De verzuimdag 17-03-2026 ligt niet in de verzuimperiode" in tekst(response)
    response = post_stap(melder_client, sanne, "lesuren", met_dagen(dag(0, VANDAAG)))
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("data", "melding"),
    [
        (met_dagen(), "Voeg minimaal één verzuimdag toe."),
        (
            met_dagen(dag(0, STANDAARD_BEGIN - DAG)),
            "De verzuimdag 08-03-2026 ligt niet in de verzuimperiode (09-03-2026 tot en met "
            "11-03-2026).",
        ),
        (
            met_dagen(dag(0, STANDAARD_BEGIN), dag(1, STANDAARD_BEGIN)),
            "De verzuimdag 09-03-2026 staat er al in.",
        ),
        (met_dagen(dag(0, STANDAARD_BEGIN, hele_dag="nee")), "Kies minimaal één lesuur."),
        (
            met_dagen(dag(0, STANDAARD_BEGIN, toelichting="x" * 1501)),
            "Maximaal 1500 karakters (nu 1501).",
        ),
        (met_dagen(dag(0, None)), "Datum: Vul een datum in."),
        (
            met_dagen(dag(0, STANDAARD_BEGIN, hele_dag="nee", lesuren=[13])),
            "Kies lesuren van 1 tot en met 12.",
        ),
    ],
)
def test_stap_3_regels(melder_client, sanne, data, melding):
    naar_lesuren(melder_client, sanne)
    response = post_stap(melder_client, sanne, "lesuren", data)
    assert response.status_code == 200
    assert melding in tekst(response)


def test_stap_3_dag_toevoegen_voeg_toe_en_verwijderen(melder_client, sanne):
    naar_lesuren(melder_client, sanne)
    response = post_stap(
        melder_client, sanne, "lesuren", lesuren_data(**{"actie": "dag_toevoegen"})
    )
    assert response["Location"] == stap_url(sanne, "lesuren")
    pagina = melder_client.get(response["Location"])
    t = tekst(pagina)
    assert "Verzuimdag 1" in t and "Hele dag" in t and "Lesuren" in t
    assert "Er is een probleem" not in t
    html = pagina.content.decode()
    assert 'id="id_lesuren-alle_lessen_gemist_1" checked' in html
    assert 'name="actie" value="dag_opslaan">Voeg toe</button>' in html

    # Voeg toe with lesuren 1 and 2: the day becomes a table row.
    data = met_dagen(
        dag(0, STANDAARD_BEGIN, hele_dag="nee", lesuren=[1, 2], toelichting="Eerste uren"),
        **{"lesuren-verzuimdagen-open": "0", "actie": "dag_opslaan"},
    )
    response = melder_client.post(stap_url(sanne, "lesuren"), {**beheer(pagina), **data})
    pagina = melder_client.get(response["Location"])
    t = tekst(pagina)
    assert "09-03-2026 1, 2 Eerste uren" in t
    assert "Verzuimdag 1 " not in t  # no open fieldset any more
    assert "Voeg dag toe" in t

    # Voeg toe with an error keeps the day open, with the message.
    data = met_dagen(
        dag(0, STANDAARD_BEGIN, hele_dag="nee", lesuren=[1, 2]),
        dag(1, STANDAARD_BEGIN),
        **{"lesuren-verzuimdagen-open": "1", "actie": "dag_opslaan"},
    )
    response = melder_client.post(stap_url(sanne, "lesuren"), {**beheer(pagina), **data})
    pagina = melder_client.get(response["Location"])
    assert "De verzuimdag 09-03-2026 staat er al in." in tekst(pagina)

    # Remove the second day, then Verder.
    data["actie"] = "dag_verwijderen_1"
    response = melder_client.post(stap_url(sanne, "lesuren"), {**beheer(pagina), **data})
    pagina = melder_client.get(response["Location"])
    assert "Verzuimdag 2" not in tekst(pagina)
    assert "staat er al in" not in tekst(pagina)
    data = met_dagen(dag(0, STANDAARD_BEGIN, hele_dag="nee", lesuren=[1, 2]))
    response = melder_client.post(stap_url(sanne, "lesuren"), {**beheer(pagina), **data})
    assert response["Location"] == stap_url(sanne, "acties")
    post_stap(melder_client, sanne, "acties", acties_data())
    post_stap(melder_client, sanne, "overzicht", {})
    melding = Melding.objects.get(leerling=sanne, melddatum=VANDAAG)
    assert melding.alle_lessen_gemist is False
    assert [(d.datum, d.hele_dag, d.lesuren) for d in melding.verzuimdagen.all()] == [
        (STANDAARD_BEGIN, False, [1, 2])
    ]


def test_stap_3_alle_lessen_ja_negeert_dagen(melder_client, sanne):
    naar_lesuren(melder_client, sanne)
    data = met_dagen(dag(0, STANDAARD_BEGIN - 30 * DAG), **{"lesuren-alle_lessen_gemist": "ja"})
    response = post_stap(melder_client, sanne, "lesuren", data)
    assert response.status_code == 302


# --- Stap 4: Acties school --------------------------------------------------------------------


def naar_acties(client, leerling):
    naar_lesuren(client, leerling)
    assert post_stap(client, leerling, "lesuren", lesuren_data()).status_code == 302


def test_stap_4_minstens_een_actie(melder_client, sanne):
    naar_acties(melder_client, sanne)
    pagina = melder_client.get(stap_url(sanne, "acties"))
    t = tekst(pagina)
    assert "Stap 4 van 6 - Verzuimmelding registreren" in t
    assert "<h1>Acties school</h1>" in pagina.content.decode()
    for actie in ["Gesprek met leerling", "Doorverwezen naar jeugdarts/GGD", "Anders"]:
        assert actie in t
    response = post_stap(melder_client, sanne, "acties", {"acties-toelichting_acties": ""})
    assert "Kies minimaal één ondernomen actie." in tekst(response)


def test_stap_4_anders_vraagt_toelichting(melder_client, sanne):
    naar_acties(melder_client, sanne)
    response = post_stap(
        melder_client, sanne, "acties", acties_data(**{"acties-ondernomen_acties": ["anders"]})
    )
    assert "Licht de ondernomen actie 'Anders' toe." in unescape(response.content.decode())
    response = post_stap(
        melder_client,
        sanne,
        "acties",
        acties_data(**{"acties-toelichting_acties": "x" * 1501}),
    )
    assert "Maximaal 1500 karakters (nu 1501)." in tekst(response)


# --- Stap 5 en 6: Overzicht, Registreren, Bevestiging -----------------------------------------


def test_overzicht_toont_alles_met_wijzig(melder_client, sanne):
    tot_overzicht(
        melder_client,
        sanne,
        leerling_stap=leerling_data(
            **{
                "leerling-leerling_email": "sanne@example.nl",
                "leerling-leerling_telefoon": "06 12345678",
                "leerling-afwijkend_adres": "ja",
                "leerling-adres_soort": "regulier",
                "leerling-straatnaam": "Vismarkt",
                "leerling-huisnummer": "5",
                "leerling-postcode": "9712 cb",
                "leerling-contactpersonen-TOTAL_FORMS": "1",
                "leerling-contactpersonen-0-naam": "Ineke de Vries",
                "leerling-contactpersonen-0-relatie": "Moeder",
            }
        ),
        acties=acties_data(**{"acties-ondernomen_acties": ["brief", "gesprek_ouder"]}),
    )
    pagina = melder_client.get(stap_url(sanne, "overzicht"))
    t = tekst(pagina)
    html = pagina.content.decode()
    assert "Stap 5 van 6 - Verzuimmelding registreren" in t
    for kop in [
        "Leerling",
        "Contactpersonen leerling",
        "Verzuim",
        "Gegevens onderwijsinstelling",
        "Contactpersoon onderwijsinstelling",
        "Lesuren",
        "Acties door school",
    ]:
        assert f">{kop}</h2>" in html
    for waarde in [
        "Burgerservicenummer 999999989",
        "Telefoon 06 12345678",
        "E-mail sanne@example.nl",
        "Afwijkend adres Vismarkt 5 9712CB",
        "Contactpersoon 1 Ineke de Vries (Moeder)",
        "Begindatum 09-03-2026",
        "Einddatum 11-03-2026",
        "Soort Overig verzuim",
        "Vermoedelijke reden afwezig vanwege ziekte",
        "Actie gewenst Ja",
        "Met prioriteit oppakken Nee",
        "Meldende instelling 24GP",
        "Onderwijsaanbiedercode 100A001",
        "Onderwijslocatiecode 100X001",
        "Naam K. Smit",
        "E-mail k.smit@school.example.nl",
        "Alle lessen gemist Ja",
        "Ondernomen actie Brief gestuurd Gesprek met ouder/verzorger",
    ]:
        assert waarde in t, waarde
    for stap in ["leerling", "verzuim", "lesuren", "acties"]:
        assert f'href="{stap_url(sanne, stap)}?terug=overzicht"' in html
    assert "Stuur e-mail naar melder" in t
    assert ">Registreren</button>" in html
    assert 'name="wizard_goto_step" value="acties">Vorige</button>' in html


def test_registreren_en_bevestiging(melder_client, sanne, demo):
    response = registreer(melder_client, sanne)
    melding = Melding.objects.get(leerling=sanne, melddatum=VANDAAG)
    assert response["Location"] == reverse(
        "meldingen:registreren_bevestiging", args=[sanne.pk, melding.nummer]
    )
    pagina = melder_client.get(response["Location"])
    t = tekst(pagina)
    assert "Stap 6 van 6 - Verzuimmelding registreren" in t
    assert "Bevestiging" in t
    assert "Gelukt De verzuimmelding is succesvol geregistreerd." in t
    assert (
        f'href="{reverse("meldingen:leerling_overzicht", args=[sanne.pk])}"'
        in pagina.content.decode()
    )
    assert "Naar leerling overzicht" in t
    assert melding.status == Status.GEREGISTREERD
    assert melding.instelling == demo.instellingen["24GP"]
    assert melding.geregistreerd_door == demo.gebruikers["melder"]
    assert melding.begindatum == STANDAARD_BEGIN and melding.einddatum == STANDAARD_EIND
    # The leerling overzicht lists it.
    overzicht = melder_client.get(reverse("meldingen:leerling_overzicht", args=[sanne.pk]))
    assert str(melding.nummer) in tekst(overzicht)


def test_registratie_slaat_alle_stappen_op(melder_client, sanne):
    registreer(
        melder_client,
        sanne,
        stuur_email=True,
        begindatum=STANDAARD_BEGIN,
        einddatum=None,
        leerling_stap=leerling_data(
            **{
                "leerling-afwijkend_adres": "ja",
                "leerling-adres_soort": "alternatief",
                "leerling-aanduiding_locatie": "Woonwagenkamp",
                "leerling-plaatsnaam": "Groningen",
                "leerling-straatnaam": "wordt genegeerd",
                "leerling-contactpersonen-TOTAL_FORMS": "2",
                "leerling-contactpersonen-0-naam": "Moeder",
                "leerling-contactpersonen-1-naam": "Vader",
                "leerling-contactpersonen-1-telefoon": "0612345678",
            }
        ),
        verzuim=verzuim_data(
            STANDAARD_BEGIN,
            None,
            **{"verzuim-met_prioriteit": "ja", "verzuim-soort": "L", "verzuim-toelichting": "t"},
        ),
        acties=acties_data(
            **{"acties-ondernomen_acties": ["anders"], "acties-toelichting_acties": "Huisbezoek"}
        ),
    )
    melding = Melding.objects.get(leerling=sanne, melddatum=VANDAAG)
    assert melding.afwijkend_adres == "alternatief"
    assert (melding.aanduiding_locatie, melding.plaatsnaam, melding.straatnaam) == (
        "Woonwagenkamp",
        "Groningen",
        "",
    )
    assert [(c.volgnummer, c.naam, c.telefoon) for c in melding.contactpersonen.all()] == [
        (1, "Moeder", ""),
        (2, "Vader", "0612345678"),
    ]
    assert melding.einddatum is None
    assert melding.soort == Verzuimsoort.LUXE
    assert melding.met_prioriteit is True
    assert melding.ondernomen_acties == ["anders"]
    assert melding.toelichting_acties == "Huisbezoek"
    assert melding.stuur_email_naar_melder is True
    assert melding.aanbieder_id == "100A001" and melding.locatie_id == "100X001"


def test_postcode_afwijkend_adres_compact_opgeslagen(melder_client, sanne):
    registreer(
        melder_client,
        sanne,
        leerling_stap=leerling_data(
            **{
                "leerling-afwijkend_adres": "ja",
                "leerling-adres_soort": "regulier",
                "leerling-straatnaam": "Vismarkt",
                "leerling-huisnummer": "5",
                "leerling-huisletter": "b",
                "leerling-postcode": "9712 cb",
                "leerling-plaatsnaam": "wordt genegeerd",
            }
        ),
    )
    melding = Melding.objects.get(leerling=sanne, melddatum=VANDAAG)
    assert (melding.straatnaam, melding.huisnummer, melding.postcode, melding.plaatsnaam) == (
        "Vismarkt",
        5,
        "9712CB",
        "",
    )


def test_geen_dubbele_registratie(melder_client, sanne):
    tot_overzicht(melder_client, sanne)
    pagina = melder_client.get(stap_url(sanne, "overzicht"))
    velden = beheer(pagina)
    eerste = melder_client.post(stap_url(sanne, "overzicht"), velden)
    assert Melding.objects.filter(leerling=sanne, melddatum=VANDAAG).count() == 1
    # Reload / double click / back and resubmit: the same Bevestiging, no second melding.
    for _ in range(2):
        opnieuw = melder_client.post(stap_url(sanne, "overzicht"), velden)
        assert opnieuw.status_code == 302
        assert opnieuw["Location"] == eerste["Location"]
    assert Melding.objects.filter(leerling=sanne, melddatum=VANDAAG).count() == 1
    # Back to the Overzicht page: the draft is gone, the wizard starts at step 1.
    terug = melder_client.get(stap_url(sanne, "overzicht"))
    assert terug["Location"] == stap_url(sanne, "leerling")
    # formtools' own "done" URL does not register anything either.
    assert melder_client.get(stap_url(sanne, "klaar")).status_code == 302
    assert melder_client.get(stap_url(sanne, "done")).status_code == 302
    assert Melding.objects.filter(leerling=sanne, melddatum=VANDAAG).count() == 1


def test_weigering_bij_registreren_houdt_alle_gegevens(melder_client, sanne, demo):
    tot_overzicht(
        melder_client,
        sanne,
        leerling_stap=leerling_data(**{"leerling-leerling_email": "sanne@example.nl"}),
    )
    pagina = melder_client.get(stap_url(sanne, "overzicht"))
    # Meanwhile another school registers an overlapping melding.
    andere = MeldingFactory(
        leerling=sanne, begindatum=STANDAARD_EIND, einddatum=STANDAARD_EIND, melddatum=VANDAAG
    )
    response = melder_client.post(stap_url(sanne, "overzicht"), beheer(pagina))
    assert response["Location"] == stap_url(sanne, "verzuim")
    assert not Melding.objects.filter(leerling=sanne, melddatum=VANDAAG).exclude(pk=andere.pk)
    pagina = melder_client.get(response["Location"])
    t = tekst(pagina)
    overlap = (
        f"De verzuimperiode valt (deels) samen met melding {andere.nummer} voor deze leerling."
    )
    assert overlap in t
    html = pagina.content.decode()
    assert 'name="verzuim-vermoedelijke_reden" value="afwezig vanwege ziekte"' in html
    # Earlier steps kept their data too.
    stap1 = melder_client.get(stap_url(sanne, "leerling"))
    assert 'value="sanne@example.nl"' in stap1.content.decode()
    # After withdrawing the other melding the same draft registers.
    Melding.objects.filter(pk=andere.pk).update(
        status=Status.INGETROKKEN,
        reden_intrekken="ten_onrechte",
        ingetrokken_op=datetime.datetime(2026, 3, 16, 9, tzinfo=datetime.UTC),
    )
    response = post_stap(
        melder_client, sanne, "verzuim", verzuim_data(STANDAARD_BEGIN, STANDAARD_EIND)
    )
    assert response.status_code == 302
    post_stap(melder_client, sanne, "lesuren", lesuren_data())
    post_stap(melder_client, sanne, "acties", acties_data())
    response = post_stap(melder_client, sanne, "overzicht", {})
    melding = Melding.objects.get(leerling=sanne, melddatum=VANDAAG, status=Status.GEREGISTREERD)
    assert melding.leerling_email == "sanne@example.nl"


# --- Navigation -------------------------------------------------------------------------------


def test_wijzig_vanuit_overzicht_komt_terug(melder_client, sanne):
    tot_overzicht(melder_client, sanne)
    pagina = melder_client.get(stap_url(sanne, "verzuim") + "?terug=overzicht")
    assert 'name="verzuim-vermoedelijke_reden" value="afwezig vanwege ziekte"' in (
        pagina.content.decode()
    )
    data = verzuim_data(
        STANDAARD_BEGIN, STANDAARD_EIND, **{"verzuim-toelichting": "Nieuwe toelichting"}
    )
    response = melder_client.post(stap_url(sanne, "verzuim"), {**beheer(pagina), **data})
    assert response["Location"] == stap_url(sanne, "overzicht")
    assert "Toelichting Nieuwe toelichting" in tekst(melder_client.get(response["Location"]))


def test_wijzig_periode_maakt_lesuren_ongeldig(melder_client, sanne):
    tot_overzicht(
        melder_client,
        sanne,
        lesuren=met_dagen(dag(0, STANDAARD_EIND)),
    )
    pagina = melder_client.get(stap_url(sanne, "verzuim") + "?terug=overzicht")
    data = verzuim_data(STANDAARD_BEGIN, STANDAARD_BEGIN)
    response = melder_client.post(stap_url(sanne, "verzuim"), {**beheer(pagina), **data})
    # The day 11-03 is no longer inside the period: the user goes to Lesuren, not Overzicht.
    assert response["Location"] == stap_url(sanne, "lesuren")
    pagina = melder_client.get(response["Location"])
    t = tekst(pagina)
    assert "Gekozen verzuimperiode: van 09-03-2026 tot en met 09-03-2026" in t
    assert "De verzuimdag 11-03-2026 ligt niet in de verzuimperiode" in t
    response = melder_client.post(
        stap_url(sanne, "lesuren"), {**beheer(pagina), **met_dagen(dag(0, STANDAARD_BEGIN))}
    )
    assert response["Location"] == stap_url(sanne, "overzicht")


def test_vorige_bewaart_wat_getypt_is(melder_client, sanne):
    naar_acties(melder_client, sanne)
    pagina = melder_client.get(stap_url(sanne, "acties"))
    response = melder_client.post(
        stap_url(sanne, "acties"),
        {
            **beheer(pagina),
            "acties-ondernomen_acties": ["anders"],
            "acties-toelichting_acties": "Nog niet af",
            "wizard_goto_step": "lesuren",
        },
    )
    assert response["Location"] == stap_url(sanne, "lesuren")
    pagina = melder_client.get(response["Location"])
    response = melder_client.post(stap_url(sanne, "lesuren"), {**beheer(pagina), **lesuren_data()})
    assert response["Location"] == stap_url(sanne, "acties")
    pagina = melder_client.get(response["Location"])
    html = pagina.content.decode()
    assert "Nog niet af</textarea>" in html
    assert 'value="anders" id="id_acties-ondernomen_acties_7" checked' in html
    # Invalid data kept by Vorige is not a finished step: the Overzicht is not reachable yet.
    melder_client.post(
        stap_url(sanne, "acties"),
        {**beheer(pagina), "acties-toelichting_acties": "x", "wizard_goto_step": "lesuren"},
    )
    assert melder_client.get(stap_url(sanne, "overzicht"))["Location"] == stap_url(sanne, "acties")


def test_vorige_vanaf_verzuim_bewaart_de_periode(melder_client, sanne):
    tot_verzuim(melder_client, sanne)
    pagina = melder_client.get(stap_url(sanne, "verzuim"))
    melder_client.post(
        stap_url(sanne, "verzuim"),
        {**beheer(pagina), **periode_data(STANDAARD_BEGIN), "wizard_goto_step": "leerling"},
    )
    html = melder_client.get(stap_url(sanne, "verzuim")).content.decode()
    assert f'name="verzuim-begindatum_0" value="{STANDAARD_BEGIN.day:02d}"' in html


def test_een_periode_na_vorige_wint_van_wat_vorige_bewaarde(melder_client, sanne):
    """Vorige from step 2 while it asks only the period (empty), step 1 again, then the period:
    the whole step 2 shows with that period and no error, not the empty answers of Vorige."""
    tot_verzuim(melder_client, sanne)
    pagina = melder_client.get(stap_url(sanne, "verzuim"))
    melder_client.post(
        stap_url(sanne, "verzuim"),
        {**beheer(pagina), **periode_data(None), "wizard_goto_step": "leerling"},
    )
    assert post_stap(melder_client, sanne, "leerling", leerling_data()).status_code == 302
    antwoord = post_stap(melder_client, sanne, "verzuim", periode_data(STANDAARD_BEGIN))
    assert antwoord["Location"] == stap_url(sanne, "verzuim")
    html = melder_client.get(stap_url(sanne, "verzuim")).content.decode()
    assert f'name="verzuim-begindatum_0" value="{STANDAARD_BEGIN.day:02d}"' in html
    assert "veld__fout" not in html and "Er is een probleem" not in html


def test_latere_stap_direct_openen_gaat_naar_eerste_open_stap(melder_client, sanne):
    melder_client.get(start_url(sanne))
    for stap in ["verzuim", "lesuren", "acties", "overzicht", "onbekend"]:
        response = melder_client.get(stap_url(sanne, stap))
        assert response["Location"] == stap_url(sanne, "leerling"), stap
    tot_verzuim(melder_client, sanne)
    assert melder_client.get(stap_url(sanne, "acties"))["Location"] == stap_url(sanne, "verzuim")
    # A POST for a later step is not accepted either.
    pagina = melder_client.get(stap_url(sanne, "verzuim"))
    velden = beheer(pagina)
    velden = {k: ("acties" if k.endswith("current_step") else v) for k, v in velden.items()}
    response = melder_client.post(stap_url(sanne, "acties"), {**velden, **acties_data()})
    assert response["Location"] == stap_url(sanne, "verzuim")


def test_terug_naar_leerling_overzicht_gooit_concept_weg(melder_client, sanne):
    tot_verzuim(melder_client, sanne, leerling_data(**{"leerling-leerling_email": "a@b.nl"}))
    pagina = melder_client.get(stap_url(sanne, "verzuim"))
    link = re.search(r'class="terug-link" href="([^"]+)"', pagina.content.decode()).group(1)
    assert "Terug naar leerling overzicht" in tekst(pagina)
    response = melder_client.get(link.replace("&amp;", "&"))
    assert response["Location"] == reverse("meldingen:leerling_overzicht", args=[sanne.pk])
    assert melder_client.get(stap_url(sanne, "verzuim"))["Location"] == stap_url(sanne, "leerling")
    assert 'value="a@b.nl"' not in melder_client.get(stap_url(sanne, "leerling")).content.decode()


def test_twee_tabbladen_twee_leerlingen(melder_client, demo, sanne):
    mila = demo.leerlingen["101000012"]
    c = melder_client
    c.get(start_url(sanne))
    c.get(start_url(mila))
    post_stap(c, sanne, "leerling", leerling_data(**{"leerling-leerling_email": "sanne@x.nl"}))
    post_stap(c, mila, "leerling", leerling_data(**{"leerling-leerling_email": "mila@x.nl"}))
    post_stap(c, sanne, "verzuim", periode_data(VANDAAG - 3 * DAG, VANDAAG - 3 * DAG))
    post_stap(c, mila, "verzuim", periode_data(VANDAAG - 9 * DAG, VANDAAG - 8 * DAG))
    r = post_stap(c, mila, "verzuim", verzuim_data(VANDAAG - 9 * DAG, VANDAAG - 8 * DAG))
    assert r.status_code == 302
    r = post_stap(
        c,
        sanne,
        "verzuim",
        verzuim_data(VANDAAG - 3 * DAG, VANDAAG - 3 * DAG, **{"verzuim-soort": "L"}),
    )
    assert r.status_code == 302
    for leerling in (sanne, mila):
        post_stap(c, leerling, "lesuren", lesuren_data())
    for leerling in (mila, sanne):
        post_stap(c, leerling, "acties", acties_data())
    assert post_stap(c, sanne, "overzicht", {}).status_code == 302
    assert post_stap(c, mila, "overzicht", {}).status_code == 302
    s = Melding.objects.get(leerling=sanne, melddatum=VANDAAG)
    m = Melding.objects.get(leerling=mila, melddatum=VANDAAG)
    assert (s.leerling_email, s.begindatum, s.soort) == ("sanne@x.nl", VANDAAG - 3 * DAG, "L")
    assert (m.leerling_email, m.begindatum, m.soort) == ("mila@x.nl", VANDAAG - 9 * DAG, "O")


# --- Bounded SQL per step ---------------------------------------------------------------------


@pytest.fixture
def veel_meldingen(demo, sanne):
    """Many meldingen in the database: of this pupil (non-overlapping) and of others."""
    from tests.factories import LeerlingFactory

    instelling = demo.instellingen["24GP"]
    aanbieder = sanne.inschrijvingen.first().aanbieder
    locatie = sanne.inschrijvingen.first().locatie
    instantie = demo.instanties["Gemeente Groningen"]
    rijen = []
    for i in range(40):  # older, short meldingen of Sanne, one every 5 days
        begin = VANDAAG - (300 - 5 * i) * DAG
        rijen.append((sanne, begin))
    for _ in range(60):
        rijen.append((LeerlingFactory(), VANDAAG - 20 * DAG))
    Melding.objects.bulk_create(
        Melding(
            leerling=leerling,
            instelling=instelling,
            melddatum=begin + DAG,
            wet="LPW",
            uitvoerende_instantie=instantie,
            begindatum=begin,
            einddatum=begin + DAG,
            soort=Verzuimsoort.OVERIG,
            vermoedelijke_reden="r",
            actie_gewenst=True,
            aanbieder=aanbieder,
            locatie=locatie,
            contactpersoon_naam="n",
            contactpersoon_email="n@example.nl",
            ondernomen_acties=["brief"],
        )
        for leerling, begin in rijen
        if not (VANDAAG - 60 * DAG <= begin <= VANDAAG - 55 * DAG)
        and not (VANDAAG - 151 * DAG <= begin <= VANDAAG - 146 * DAG)
    )


MAX_QUERIES_PER_STAP = 20
# Registering: the wizard re-validates every step, then the service checks every rule again
# inside its transaction, inserts the melding, its rows and the e-mail tasks.
MAX_QUERIES_REGISTREREN = 25


def queries_per_verzoek(client, leerling, begin, eind, max_queries) -> list[tuple[str, int]]:
    """Run the whole wizard, each request inside `django_assert_max_num_queries` (the
    registering POST with its own maximum); returns the number of queries per request."""

    def tel(naam, verzoek):
        maximum = MAX_QUERIES_REGISTREREN if naam == "POST overzicht" else MAX_QUERIES_PER_STAP
        with max_queries(maximum) as queries:
            response = verzoek()
        aantallen.append((naam, len(queries)))
        return response

    aantallen = []
    tel("start", lambda: client.get(start_url(leerling)))
    stappen = [
        ("leerling", leerling_data()),
        ("verzuim", periode_data(begin, eind)),
        ("verzuim", verzuim_data(begin, eind)),
        ("lesuren", met_dagen(dag(0, begin), dag(1, eind))),
        ("acties", acties_data()),
        ("overzicht", {}),
    ]
    for stap, data in stappen:
        pagina = tel(f"GET {stap}", lambda s=stap: client.get(stap_url(leerling, s)))
        assert pagina.status_code == 200
        response = tel(
            f"POST {stap}",
            lambda s=stap, d=data, p=pagina: client.post(stap_url(leerling, s), {**beheer(p), **d}),
        )
        assert response.status_code == 302, tekst(response)
    tel("bevestiging", lambda: client.get(response["Location"]))
    return aantallen


def test_begrensd_aantal_queries_per_stap(
    melder_client, sanne, veel_meldingen, django_assert_max_num_queries
):
    queries_per_verzoek(
        melder_client, sanne, STANDAARD_BEGIN, STANDAARD_EIND, django_assert_max_num_queries
    )
    assert Melding.objects.filter(leerling=sanne, melddatum=VANDAAG).count() == 1


def test_aantal_queries_hangt_niet_af_van_aantal_meldingen(
    melder_client, demo, sanne, request, django_assert_max_num_queries
):
    weinig = queries_per_verzoek(
        melder_client, sanne, VANDAAG - 20 * DAG, VANDAAG - 18 * DAG, django_assert_max_num_queries
    )
    request.getfixturevalue("veel_meldingen")
    assert Melding.objects.count() > 100
    veel = queries_per_verzoek(
        melder_client, sanne, STANDAARD_BEGIN, STANDAARD_EIND, django_assert_max_num_queries
    )
    assert veel == weinig


def registreren_queries(client, leerling, begin, eind, aantal_rijen, max_queries) -> int:
    """The Overzicht's Registreren POST with `aantal_rijen` contactpersonen and verzuimdagen
    and an e-mail to the instantie and to the melder, inside `max_queries(25)`; returns how
    many queries it ran, after checking what it stored and queued."""
    from django_tasks_db.models import DBTaskResult

    contactpersonen = {"leerling-contactpersonen-TOTAL_FORMS": str(aantal_rijen)}
    for i in range(aantal_rijen):
        contactpersonen[f"leerling-contactpersonen-{i}-naam"] = f"Contactpersoon {i}"
        contactpersonen[f"leerling-contactpersonen-{i}-relatie"] = "Ouder"
    dagen = [dag(i, begin + i * DAG, "nee", [1, 2]) for i in range(aantal_rijen)]
    tot_overzicht(
        client,
        leerling,
        begin,
        eind,
        leerling_stap=leerling_data(**contactpersonen),
        lesuren=met_dagen(*dagen),
    )
    pagina = client.get(stap_url(leerling, "overzicht"))
    data = {**beheer(pagina), "overzicht-stuur_email_naar_melder": "on"}
    with max_queries(MAX_QUERIES_REGISTREREN) as queries:
        response = client.post(stap_url(leerling, "overzicht"), data)
    assert "/bevestiging/" in response["Location"], tekst(response)
    melding = Melding.objects.get(nummer=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))
    assert melding.contactpersonen.count() == aantal_rijen
    assert melding.verzuimdagen.count() == aantal_rijen
    mails = DBTaskResult.objects.filter(args_kwargs__kwargs__melding_id=melding.pk)
    assert sorted(m.args_kwargs["kwargs"]["ontvanger"] for m in mails) == [
        "k.smit@school.example.nl",
        melding.uitvoerende_instantie.email,
    ]
    return len(queries)


def test_registreren_hoogstens_25_queries_ongeacht_aantal_meldingen_en_rijen(
    melder_client, demo, sanne, request, django_assert_max_num_queries
):
    """Each thing is looked up once (the enrolment, the routing), the rows and both e-mails
    go in with one INSERT each: more meldingen, pupils, contactpersonen or verzuimdagen cost
    no extra query."""
    weinig = registreren_queries(
        melder_client,
        sanne,
        VANDAAG - 20 * DAG,
        VANDAAG - 18 * DAG,
        1,
        django_assert_max_num_queries,
    )
    request.getfixturevalue("veel_meldingen")
    for leerling in LeerlingFactory.create_batch(20):
        InschrijvingFactory(leerling=leerling, instelling=demo.instellingen["24GP"])
    assert Melding.objects.count() > 100
    veel = registreren_queries(
        melder_client, sanne, VANDAAG - 7 * DAG, VANDAAG - 3 * DAG, 5, django_assert_max_num_queries
    )
    assert veel == weinig


# --- The block forms as the Wijzig pages use them ----------------------------------------------


def test_leerlingform_spreekt_in_meldingvelden():
    form = LeerlingForm(
        initial={"afwijkend_adres": "alternatief", "aanduiding_locatie": "Woonboot"}
    )
    html = str(form)
    assert 'value="ja" class="keuzes--inline" id="id_afwijkend_adres_0" checked' in html
    assert 'value="alternatief" class="keuzes--inline" id="id_adres_soort_1" checked' in html
    form = LeerlingForm(
        {
            "afwijkend_adres": "ja",
            "adres_soort": "alternatief",
            "aanduiding_locatie": "Woonboot",
            "plaatsnaam": "Groningen",
            "straatnaam": "Vismarkt",
            "postcode": "onzin",
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["afwijkend_adres"] == "alternatief"
    assert form.cleaned_data["straatnaam"] == "" and form.cleaned_data["postcode"] == ""
    assert form.cleaned_data["huisnummer"] is None
    assert "adres_soort" not in form.cleaned_data


def test_verzuimform_bij_wijzigen_overlapt_niet_met_zichzelf(demo, sanne):
    melding = Melding.objects.get(leerling=sanne, soort=Verzuimsoort.LUXE)
    data = {
        k.removeprefix("verzuim-"): v
        for k, v in verzuim_data(melding.begindatum, melding.einddatum).items()
    }
    kwargs = {"leerling": sanne, "instelling": demo.instellingen["24GP"], "op": VANDAAG}
    zonder = VerzuimForm(data, **kwargs)
    assert not zonder.is_valid()
    assert str(melding.nummer) in zonder.errors["begindatum"][0]
    met = VerzuimForm(data, melding=melding, **kwargs)
    assert met.is_valid(), met.errors
    assert set(met.cleaned_data) == set(BLOKKEN["verzuim"].velden)
    assert met.cleaned_data["locatie"].code == "100X001"


def test_lesurenstapform_zonder_wizard():
    data = {
        "alle_lessen_gemist": "nee",
        "verzuimdagen-TOTAL_FORMS": "1",
        "verzuimdagen-INITIAL_FORMS": "0",
        "verzuimdagen-0-datum_0": "10",
        "verzuimdagen-0-datum_1": "3",
        "verzuimdagen-0-datum_2": "2026",
        "verzuimdagen-0-hele_dag": "ja",
    }
    periode = {"begindatum": STANDAARD_BEGIN, "einddatum": STANDAARD_EIND, "op": VANDAAG}
    stap = LesurenStapForm(data, **periode)
    assert stap.is_valid()
    assert stap.cleaned_data == {
        "alle_lessen_gemist": False,
        "verzuimdagen": [
            {
                "datum": datetime.date(2026, 3, 10),
                "hele_dag": True,
                "lesuren": [],
                "toelichting": "",
            }
        ],
    }
    stap = LesurenStapForm({**data, "verzuimdagen-0-datum_0": "12"}, **periode)
    assert not stap.is_valid()
    assert "ligt niet in de verzuimperiode" in stap.formset.non_form_errors()[0]


def test_vorige_op_overzicht_onthoudt_het_vinkje(melder_client, sanne):
    tot_overzicht(melder_client, sanne)
    pagina = melder_client.get(stap_url(sanne, "overzicht"))
    response = melder_client.post(
        stap_url(sanne, "overzicht"),
        {
            **beheer(pagina),
            "overzicht-stuur_email_naar_melder": "on",
            "wizard_goto_step": "acties",
        },
    )
    assert response["Location"] == stap_url(sanne, "acties")
    assert not Melding.objects.filter(leerling=sanne, melddatum=VANDAAG).exists()
    post_stap(melder_client, sanne, "acties", acties_data())
    html = melder_client.get(stap_url(sanne, "overzicht")).content.decode()
    assert (
        'name="overzicht-stuur_email_naar_melder" id="id_overzicht-stuur_email_naar_melder" checked'
        in html
    )


def test_terug_naar_stap_na_vorige_zonder_foutmeldingen(melder_client, sanne):
    naar_lesuren(melder_client, sanne)
    pagina = melder_client.get(stap_url(sanne, "lesuren"))
    melder_client.post(
        stap_url(sanne, "lesuren"),
        {**beheer(pagina), **met_dagen(), "wizard_goto_step": "verzuim"},
    )
    post_stap(melder_client, sanne, "verzuim", verzuim_data(STANDAARD_BEGIN, STANDAARD_EIND))
    # What was chosen (Nee) is back, without a message the user has not asked for yet...
    pagina = melder_client.get(stap_url(sanne, "lesuren"))
    assert 'id="id_lesuren-alle_lessen_gemist_1" checked' in pagina.content.decode()
    assert "Er is een probleem" not in tekst(pagina)
    # ...which Verder then gives.
    response = melder_client.post(stap_url(sanne, "lesuren"), {**beheer(pagina), **met_dagen()})
    assert "Voeg minimaal één verzuimdag toe." in tekst(response)


# -- tampered posts ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "extra",
    [
        {"actie": "contactpersoon_verwijderen_x"},
        {"actie": "contactpersoon_toevoegen", "leerling-contactpersonen-TOTAL_FORMS": "abc"},
        {"actie": "contactpersoon_toevoegen", "leerling-contactpersonen-TOTAL_FORMS": "99999"},
        {"actie": "iets_anders"},
    ],
)
def test_vervalste_knop_geeft_geen_serverfout(melder_client, demo, extra):
    response = post_stap(
        melder_client, demo.leerlingen["999999989"], "leerling", leerling_data(**extra)
    )
    assert response.status_code in (400, 404)
