"""Melding details (manual 3): heading, Intrekken, the blocks and their Wijzig links, the
Terugkoppeling behandelaar, the back link, the history, the Inzage log, and that nobody but
the meldende instelling sees anything."""

import datetime
import re

import pytest
from django.urls import reverse

from leerlingen.models import Handeling, Inzage
from meldingen import services
from meldingen.models import (
    ContactpersoonLeerling,
    Melding,
    MeldingWijziging,
    RedenIntrekken,
    Status,
    Verzuimdag,
    Verzuimsoort,
)
from meldingen.presenters import OVERZICHT, MeldingPresenter
from tests.factories import MeldingFactory, UitvoerendeInstantieFactory
from tests.test_zoek_melding import maak_meldingen


def detail_url(melding, **query):
    url = reverse("meldingen:detail", args=[melding.nummer])
    if query:
        from urllib.parse import urlencode

        url += "?" + urlencode(query)
    return url


def blokken(response):
    return {blok.sleutel: blok for blok in response.context["links"] + response.context["rechts"]}


def rijen(blok):
    return {rij.label: rij.waarde for rij in blok.rijen}


@pytest.fixture
def afgesloten(demo):
    return demo.leerlingen["999999989"].meldingen.get(status=Status.AFGESLOTEN)


@pytest.fixture
def luxe(demo):
    return demo.leerlingen["999999989"].meldingen.get(soort=Verzuimsoort.LUXE)


def test_kop_met_naam_en_bsn(melder_client, luxe):
    response = melder_client.get(detail_url(luxe))
    assert response.status_code == 200
    assert "<h1>Sanne de Vries (BSN 999999989)</h1>" in response.content.decode()


def test_kop_met_onderwijsnummer(melder_client, demo):
    leerling = demo.leerlingen["101000012"]
    melding = MeldingFactory(
        leerling=leerling,
        instelling=demo.instellingen["24GP"],
        uitvoerende_instantie=demo.instanties["Gemeente Groningen"],
    )
    html = melder_client.get(detail_url(melding)).content.decode()
    assert "<h1>Mila Jansen (Onderwijsnummer 101000012)</h1>" in html


def test_blokken_van_de_handleiding(melder_client, luxe, demo):
    ContactpersoonLeerling.objects.create(
        melding=luxe, volgnummer=1, naam="P. de Vries", relatie="vader", email="p@example.nl"
    )
    response = melder_client.get(detail_url(luxe))
    b = blokken(response)
    assert [blok.titel for blok in response.context["links"]] == [
        "Leerling",
        "Contactpersonen leerling",
        "Lesuren",
        "Acties door school",
    ]
    assert [blok.titel for blok in response.context["rechts"]] == [
        "Melding",
        "Verzuim",
        "Onderwijsinstelling",
        "Contactpersoon onderwijsinstelling",
    ]
    leerling = demo.leerlingen["999999989"]
    assert rijen(b["leerling"]) == {
        "Geboortedatum": f"{leerling.geboortedatum:%d-%m-%Y}",
        "Geslacht": "Vrouw",
        "E-mail": "",
        "Telefoon": "",
        "Adres": "Grote Markt 1 A bis\n9712HN Groningen",
    }
    assert rijen(b["contactpersonen"]) == {"Contactpersoon 1": "P. de Vries (vader)\np@example.nl"}
    assert rijen(b["lesuren"]) == {"Alle lessen gemist": "Ja"}
    assert rijen(b["acties"]) == {"Ondernomen acties": "Brief gestuurd", "Toelichting": ""}
    assert rijen(b["melding"]) == {
        "Meldingnummer": str(luxe.nummer),
        "Meldende instelling": "24GP",
        "Melddatum": f"{luxe.melddatum:%d-%m-%Y}",
        "Status": "Geregistreerd",
        "Wet": "Leerplichtwet",
    }
    verzuim = rijen(b["verzuim"])
    assert verzuim["Verzuimperiode"] == (
        f"{luxe.begindatum:%d-%m-%Y} tot en met {luxe.einddatum:%d-%m-%Y}"
    )
    assert verzuim["Soort"] == "Luxe verzuim"
    assert verzuim["Vermoedelijke reden"] == "Vakantie buiten de schoolvakanties"
    assert verzuim["Actie gewenst"] == "Ja"
    assert verzuim["Met prioriteit oppakken"] == "Nee"
    assert rijen(b["onderwijsinstelling"]) == {
        "Onderwijsaanbieder": "100A001",
        "Onderwijslocatie": "100X001, 9712HN 1",
    }
    assert rijen(b["contactpersoon_school"]) == {
        "Naam": "K. Smit",
        "Functie": "Verzuimcoördinator",
        "E-mail": "verzuim@24gp.example.nl",
        "Telefoon": "",
    }
    html = response.content.decode()
    assert "<dt>Status</dt><dd><strong>Geregistreerd</strong></dd>" in html
    assert "Terugkoppeling behandelaar" not in html


def test_geen_contactpersonen_tekst_van_de_handleiding(melder_client, luxe):
    html = melder_client.get(detail_url(luxe)).content.decode()
    assert "Er zijn geen contactpersonen bij deze melding voor de leerling" in html


def test_open_periode_en_korte_soort(melder_client, demo):
    melding = MeldingFactory(
        leerling=demo.leerlingen["999990068"],
        instelling=demo.instellingen["24GP"],
        uitvoerende_instantie=demo.instanties["Gemeente Groningen"],
        soort=Verzuimsoort.V3,
        begindatum=datetime.date(2026, 1, 5),
        einddatum=datetime.date(2026, 1, 20),
    )
    verzuim = rijen(blokken(melder_client.get(detail_url(melding)))["verzuim"])
    assert verzuim["Verzuimperiode"] == "05-01-2026 tot en met 20-01-2026"
    assert verzuim["Soort"] == "16 uren per 4 weken"
    melding.soort, melding.einddatum = Verzuimsoort.OVERIG, None
    melding.save()
    verzuim = rijen(blokken(melder_client.get(detail_url(melding)))["verzuim"])
    assert verzuim["Verzuimperiode"] == "vanaf 05-01-2026"


def test_lesuren_met_verzuimdagen(melder_client, luxe):
    Melding.objects.filter(pk=luxe.pk).update(alle_lessen_gemist=False)
    Verzuimdag.objects.create(melding=luxe, datum=luxe.begindatum, hele_dag=True)
    Verzuimdag.objects.create(
        melding=luxe,
        datum=luxe.einddatum,
        hele_dag=False,
        lesuren=[3, 1, 2],
        toelichting="Na de pauze weg",
    )
    lesuren = rijen(blokken(melder_client.get(detail_url(luxe)))["lesuren"])
    assert lesuren == {
        "Alle lessen gemist": "Nee",
        f"{luxe.begindatum:%d-%m-%Y}": "Hele dag",
        f"{luxe.einddatum:%d-%m-%Y}": "Lesuren 1, 2, 3\nNa de pauze weg",
    }


def test_terugkoppeling_behandelaar_bij_afgesloten_demo_melding(melder_client, afgesloten, demo):
    response = melder_client.get(detail_url(afgesloten))
    b = blokken(response)
    assert [blok.sleutel for blok in response.context["rechts"]][:2] == [
        "melding",
        "terugkoppeling",
    ]
    assert rijen(b["melding"])["Status"] == "Afgesloten"
    assert rijen(b["terugkoppeling"]) == {
        "Naam": "J. de Boer",
        "Functie": "Leerplichtambtenaar",
        "E-mail": "j.deboer@groningen.example.nl",
        "Telefoon": "050 599 8888",
        "Datum terugkoppeling": f"{demo.vandaag - datetime.timedelta(days=120):%d-%m-%Y}",
        "Uitvoerende instantienaam": "Gemeente Groningen",
        "Toelichting": "Gesprek gevoerd met leerling en ouders; leerling is weer op school.",
        "Reden melding afgesloten": "Terug naar school, opleiding hervat",
    }
    assert '<h2 id="blok-terugkoppeling">Terugkoppeling behandelaar</h2>' in (
        response.content.decode()
    )


# -- Wijzig and Intrekken links follow the rules ---------------------------------------------


def wijzig_links(html):
    return re.findall(r'href="/meldingen/\d+/wijzig/(\w+)/[^"]*"', html)


@pytest.mark.parametrize(
    ("status", "wijzigbaar"),
    [
        (Status.GEREGISTREERD, True),
        (Status.IN_BEHANDELING, True),
        (Status.AFGESLOTEN, False),
        (Status.TER_KENNISGEVING, False),
    ],
)
def test_wijzig_links_alleen_bij_geregistreerd_en_in_behandeling(
    melder_client, luxe, status, wijzigbaar
):
    Melding.objects.filter(pk=luxe.pk).update(status=status)
    response = melder_client.get(detail_url(luxe))
    html = response.content.decode()
    if wijzigbaar:
        assert wijzig_links(html) == ["leerling", "lesuren", "acties", "verzuim"]
        assert html.count('class="blok__actie"') == 4
        assert 'Wijzig<span class="visueel-verborgen"> verzuim</span>' in html
    else:
        assert wijzig_links(html) == []
        assert "blok__actie" not in html
    # Intrekken is offered in every status but Ingetrokken.
    assert f'href="/meldingen/{luxe.nummer}/intrekken/"' in html


def test_ingetrokken_melding_geen_wijzig_en_geen_intrekken(melder_client, luxe, demo):
    services.melding_intrekken(
        melding=luxe, gebruiker=demo.gebruikers["melder"], reden=RedenIntrekken.TEN_ONRECHTE
    )
    response = melder_client.get(detail_url(luxe))
    html = response.content.decode()
    assert wijzig_links(html) == []
    assert "/intrekken/" not in html
    melding = rijen(blokken(response)["melding"])
    assert melding["Status"] == "Ingetrokken"
    assert melding["Reden melding intrekken"] == "Ten onrechte gemeld"


def test_intrekken_link_afwezig_na_een_jaar(melder_client, demo):
    oud = demo.leerlingen["999990093"].meldingen.get()  # begindatum 425 days ago
    html = melder_client.get(detail_url(oud)).content.decode()
    assert "/intrekken/" not in html
    assert wijzig_links(html) == ["leerling", "lesuren", "acties", "verzuim"]


# -- Terug naar meldingenoverzicht -----------------------------------------------------------


def test_terug_naar_zoekresultaten(melder_client, luxe):
    terug = "/meldingen/zoeken/?instellingscode=24GP&pagina=2"
    response = melder_client.get(detail_url(luxe, terug=terug))
    html = response.content.decode()
    assert (
        '<a class="terug-link" href="/meldingen/zoeken/?instellingscode=24GP&amp;pagina=2">'
        '<span aria-hidden="true">←</span> Terug naar meldingenoverzicht</a>'
    ) in html
    # The Wijzig and Intrekken pages carry it on.
    assert "wijzig/verzuim/?terug=%2Fmeldingen%2Fzoeken%2F%3Finstellingscode%3D24GP" in html
    assert "intrekken/?terug=%2Fmeldingen%2Fzoeken%2F" in html


@pytest.mark.parametrize(
    "terug",
    [
        "https://evil.example.com/",
        "//evil.example.com/meldingen/",
        "http://testserver/meldingen/zoeken/",
        "javascript:alert(1)",
        "meldingen/zoeken/",
        "",
    ],
)
def test_terug_alleen_lokale_paden(melder_client, luxe, terug):
    response = melder_client.get(detail_url(luxe, terug=terug))
    overzicht = reverse("meldingen:leerling_overzicht", args=[luxe.leerling_id])
    assert response.context["terug_url"] == overzicht
    assert "evil" not in response.content.decode()


# -- history ---------------------------------------------------------------------------------


def test_korte_wijzigingshistorie(melder_client, luxe, demo):
    melder = demo.gebruikers["melder"]
    services.melding_wijzigen(
        melding=luxe,
        gebruiker=melder,
        versie=luxe.versie,
        blok="acties",
        gegevens={"ondernomen_acties": ["brief", "gesprek_ouder"], "toelichting_acties": ""},
    )
    luxe.refresh_from_db()
    services.melding_wijzigen(
        melding=luxe,
        gebruiker=melder,
        versie=luxe.versie,
        blok="verzuim",
        gegevens={"vermoedelijke_reden": "Familiebezoek"},
    )
    response = melder_client.get(detail_url(luxe))
    historie = response.context["historie"]
    assert [w.blok for w in historie] == ["Verzuim", "Acties door school"]
    html = response.content.decode()
    assert "door melder" in html
    assert "Vermoedelijke reden: Vakantie buiten de schoolvakanties → Familiebezoek" in html
    assert (
        "Ondernomen actie door school: Brief gestuurd → Brief gestuurd, Gesprek met "
        "ouder/verzorger" in html
    )
    assert "16-03-2026" in html


def test_historie_toont_opgeslagen_waarden_zoals_de_pagina_ze_schrijft(melder_client, luxe, demo):
    """The history stores codes, ISO dates and rows; the page shows labels, DD-MM-JJJJ, Ja/Nee.
    An entry whose field is no field name (written as display text) is shown as stored."""
    MeldingWijziging.objects.create(
        melding=luxe,
        gebruiker=demo.gebruikers["melder"],
        blok="Verzuim",
        velden=[
            {"veld": "einddatum", "oud": None, "nieuw": "2026-03-02"},
            {"veld": "soort", "oud": "L", "nieuw": "O"},
            {"veld": "actie_gewenst", "oud": True, "nieuw": False},
            {"veld": "afwijkend_adres", "oud": "", "nieuw": "regulier"},
            {"veld": "Toelichting", "oud": "oud", "nieuw": "nieuw"},
        ],
    )
    html = melder_client.get(detail_url(luxe)).content.decode()
    assert "Einddatum: (leeg) → 02-03-2026" in html
    assert "Soort: Luxe verzuim → Overig verzuim" in html
    assert "Actie gewenst: Ja → Nee" in html
    assert "Afwijkend adres: Nee → Regulier" in html
    assert "Toelichting: oud → nieuw" in html


def test_historie_is_kort(melder_client, luxe, demo):
    MeldingWijziging.objects.bulk_create(
        MeldingWijziging(melding=luxe, gebruiker=demo.gebruikers["melder"], blok=f"Blok {i}")
        for i in range(25)
    )
    assert len(melder_client.get(detail_url(luxe)).context["historie"]) == 10


def test_zonder_wijzigingen(melder_client, luxe):
    assert "Deze melding is niet gewijzigd." in melder_client.get(detail_url(luxe)).content.decode()


# -- AVG log ---------------------------------------------------------------------------------


def test_inzage_wordt_gelogd(melder_client, luxe, demo):
    melder_client.get(detail_url(luxe))
    inzage = Inzage.objects.get(meldingnummer=luxe.nummer)
    assert inzage.gebruiker == demo.gebruikers["melder"]
    assert inzage.instelling_id == "24GP"
    assert inzage.leerling == luxe.leerling
    assert inzage.handeling == Handeling.MELDING_DETAILS


# -- who may see it --------------------------------------------------------------------------


def test_andere_instelling_krijgt_404_ook_bij_raden(zuid_client, luxe, afgesloten):
    for melding in (luxe, afgesloten):
        response = zuid_client.get(detail_url(melding))
        assert response.status_code == 404
        assert melding.leerling.naam not in response.content.decode()
    assert zuid_client.get(reverse("meldingen:detail", args=[3999999])).status_code == 404
    assert not Inzage.objects.filter(meldingnummer=luxe.nummer).exists()


def test_eigen_instelling_van_zuid_opent_wel(zuid_client, demo):
    melding = demo.leerlingen["999990081"].meldingen.get()
    assert zuid_client.get(detail_url(melding)).status_code == 200


def test_melder_ziet_melding_van_00bb_niet_via_leerling(melder_client, demo):
    # 999990056 is enrolled at 24GP too, but a 00BB melding only opens for 00BB.
    melding = MeldingFactory(
        leerling=demo.leerlingen["999990056"],
        instelling=demo.instellingen["00BB"],
        uitvoerende_instantie=demo.instanties["Gemeente Smallingerland"],
    )
    assert melder_client.get(detail_url(melding)).status_code == 404


def test_zonder_rol_403(client, demo, luxe):
    client.force_login(demo.gebruikers["zonderrol"])
    response = client.get(detail_url(luxe))
    assert response.status_code == 403
    assert luxe.leerling.naam not in response.content.decode()


def test_anoniem_naar_inloggen(client, luxe):
    response = client.get(detail_url(luxe))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# -- bounded queries -------------------------------------------------------------------------


@pytest.mark.parametrize("aantal", [1, 1000])
def test_detail_begrensd_aantal_queries(melder_client, demo, django_assert_max_num_queries, aantal):
    instantie = UitvoerendeInstantieFactory(naam="Leerplicht Delfzijl")
    voorbeeld = maak_meldingen(aantal, instelling=demo.instellingen["24GP"], instantie=instantie)
    Melding.objects.filter(pk=voorbeeld.pk).update(alle_lessen_gemist=False)
    for i in range(3):
        ContactpersoonLeerling.objects.create(melding=voorbeeld, volgnummer=i + 1, naam=f"C{i}")
    for dag in (voorbeeld.begindatum, voorbeeld.einddatum):
        Verzuimdag.objects.create(melding=voorbeeld, datum=dag)
    MeldingWijziging.objects.bulk_create(
        MeldingWijziging(melding=voorbeeld, gebruiker=demo.gebruikers["melder"], blok="Verzuim")
        for _ in range(12)
    )
    melder_client.get(reverse("meldingen:zoeken"))  # stores the chosen instelling
    # session, user (with roles and machtigingen), the melding with everything on the page
    # (selectors.met_details), inzage
    with django_assert_max_num_queries(4):
        response = melder_client.get(detail_url(voorbeeld))
    assert response.status_code == 200
    assert len(response.context["historie"]) == 10


# -- the presenter for the wizard's Overzicht ------------------------------------------------


def test_presenter_voor_onopgeslagen_melding_uit_wizardgegevens(demo):
    leerling = demo.leerlingen["999999989"]
    instelling = demo.instellingen["24GP"]
    aanbieder = instelling.onderwijsaanbieders.get()
    melding = Melding(
        leerling=leerling,
        instelling=instelling,
        begindatum=datetime.date(2026, 3, 2),
        einddatum=None,
        soort=Verzuimsoort.V3,
        vermoedelijke_reden="Spijbelen",
        actie_gewenst=False,
        toelichting_actie_gewenst="Al in gesprek",
        aanbieder=aanbieder,
        locatie=aanbieder.onderwijslocaties.get(),
        contactpersoon_naam="K. Smit",
        contactpersoon_email="k@school.nl",
        alle_lessen_gemist=False,
        ondernomen_acties=["brief", "anders"],
        toelichting_acties="Huisbezoek",
        afwijkend_adres="alternatief",
        aanduiding_locatie="Woonboot De Hoop",
        plaatsnaam="Groningen",
    )
    presenter = MeldingPresenter(
        melding,
        contactpersonen=[{"naam": "Oma", "relatie": "", "email": "", "telefoon": "0612345678"}],
        verzuimdagen=[
            {"datum": datetime.date(2026, 3, 3), "hele_dag": False, "lesuren": [5]},
            {"datum": datetime.date(2026, 3, 2), "hele_dag": True, "lesuren": []},
        ],
        wijzig_url=lambda blok: f"/stap/{blok}/",
        weergave=OVERZICHT,
    )
    b = presenter.blokken
    assert list(b) == [
        "leerling",
        "contactpersonen",
        "lesuren",
        "acties",
        "verzuim",
        "onderwijsinstelling",
        "contactpersoon_school",
    ]  # no Melding and no Terugkoppeling before registering
    assert {k: v.wijzig_url for k, v in b.items() if v.wijzig_url} == {
        "leerling": "/stap/leerling/",
        "lesuren": "/stap/lesuren/",
        "acties": "/stap/acties/",
        "verzuim": "/stap/verzuim/",
    }
    assert rijen(b["leerling"])["Burgerservicenummer"] == "999999989"
    assert rijen(b["leerling"])["Naam"] == "Sanne de Vries"
    assert rijen(b["leerling"])["Afwijkend adres"] == "Woonboot De Hoop\nGroningen"
    assert rijen(b["contactpersonen"]) == {"Contactpersoon 1": "Oma\n0612345678"}
    assert rijen(b["lesuren"]) == {
        "Alle lessen gemist": "Nee",
        "02-03-2026": "Hele dag",
        "03-03-2026": "Lesuur 5",
    }
    verzuim = rijen(b["verzuim"])
    assert verzuim["Begindatum"] == "02-03-2026"
    assert verzuim["Einddatum"] == ""
    assert verzuim["Soort"] == "16 uren per 4 weken 18-"
    assert verzuim["Actie gewenst"] == "Nee"
    assert rijen(b["acties"])["Ondernomen actie"] == "Brief gestuurd\nAnders"
    assert b["onderwijsinstelling"].titel == "Gegevens onderwijsinstelling"
    assert rijen(b["onderwijsinstelling"]) == {
        "Meldende instelling": "24GP",
        "Onderwijsaanbiedercode": "100A001",
        "Onderwijslocatiecode": "100X001",
    }
    assert presenter.kop == "Sanne de Vries (BSN 999999989)"
