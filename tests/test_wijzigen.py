"""Melding wijzigen (manual 4): one page per block (Leerling, Verzuim, Lesuren, Acties door
school), filled in, with *Wijzigen*; the wizard's rules (a changed period is checked for
overlap with the other meldingen, not with itself); statuses R and B only; optimistic locking;
every change in the history; nobody but the meldende instelling."""

import datetime
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from leerlingen.models import Handeling, Inzage
from meldingen import services
from meldingen.models import (
    ContactpersoonLeerling,
    Melding,
    MeldingWijziging,
    Status,
    Verzuimdag,
    Verzuimsoort,
)
from meldingen.views import GEEN_WIJZIGING, GEWIJZIGD
from tests.conftest import getoonde_historie
from tests.factories import InschrijvingFactory, MeldingFactory, UitvoerendeInstantieFactory
from tests.test_zoek_melding import maak_meldingen

BLOKKEN = ["leerling", "verzuim", "lesuren", "acties"]


class _Formulier(HTMLParser):
    """What a browser would submit from the page's form (the first form with method post):
    text, hidden, checked radios/checkboxes, selected options, textareas. Buttons excluded, and
    what stands in a <template> (inert until a script uses it)."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._in_form = False
        self._select = None
        self._select_gekozen = False
        self._textarea = None
        self._sjabloon = 0

    def _voeg_toe(self, naam, waarde):
        self.data.setdefault(naam, []).append(waarde)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "template":
            self._sjabloon += 1
        if self._sjabloon:
            return
        if tag == "form" and a.get("method") == "post":
            self._in_form = True
        if not self._in_form:
            return
        if tag == "input" and a.get("name"):
            soort = a.get("type", "text")
            if soort in ("radio", "checkbox"):
                if "checked" in a:
                    self._voeg_toe(a["name"], a.get("value", "on"))
            elif soort not in ("submit", "button"):
                self._voeg_toe(a["name"], a.get("value") or "")
        elif tag == "select":
            self._select = a["name"]
            self._select_gekozen = False
        elif tag == "option" and self._select and "selected" in a:
            self._voeg_toe(self._select, a.get("value", ""))
            self._select_gekozen = True
        elif tag == "textarea":
            self._textarea = a["name"]
            self._voeg_toe(self._textarea, "")

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "template":
            self._sjabloon -= 1
        elif self._sjabloon:
            return
        elif tag == "form":
            self._in_form = False
        elif tag == "textarea" and self._textarea:
            # Django starts a textarea with a newline that browsers drop.
            self.data[self._textarea][-1] = self.data[self._textarea][-1].removeprefix("\n")
            self._textarea = None
        elif tag == "select":
            self._select = None


def formulier(response) -> dict:
    parser = _Formulier()
    parser.feed(response.content.decode())
    return {k: v if len(v) > 1 else v[0] for k, v in parser.data.items()}


def wijzig_url(melding, blok):
    return reverse("meldingen:wijzig", args=[melding.nummer, blok])


def detail_url(melding):
    return reverse("meldingen:detail", args=[melding.nummer])


def datum_velden(naam, datum):
    if datum is None:
        return {f"{naam}_0": "", f"{naam}_1": "", f"{naam}_2": ""}
    return {
        f"{naam}_0": str(datum.day),
        f"{naam}_1": str(datum.month),
        f"{naam}_2": str(datum.year),
    }


@pytest.fixture
def luxe(demo):
    """999999989's Luxe verzuim melding, 60..58 days ago, Geregistreerd."""
    return demo.leerlingen["999999989"].meldingen.get(soort=Verzuimsoort.LUXE)


@pytest.fixture
def afgesloten(demo):
    return demo.leerlingen["999999989"].meldingen.get(status=Status.AFGESLOTEN)


def wijzig(client, melding, blok, **wijzigingen):
    """Load the block's page, change some fields, submit; returns the POST response."""
    data = formulier(client.get(wijzig_url(melding, blok)))
    data.update(wijzigingen)
    return client.post(wijzig_url(melding, blok), data)


# -- the pages -------------------------------------------------------------------------------


@pytest.mark.parametrize("blok", BLOKKEN)
def test_pagina_ingevuld_met_knop_wijzigen(melder_client, luxe, blok):
    response = melder_client.get(wijzig_url(luxe, blok))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<button type="submit" class="knop">Wijzigen</button>' in html
    assert (
        f'href="{detail_url(luxe)}"><span aria-hidden="true">←</span> '
        "Terug naar melding details</a>" in html
    )
    data = formulier(response)
    assert data["versie"] == str(luxe.versie)
    # Submitting the page unchanged changes nothing.
    response = melder_client.post(wijzig_url(luxe, blok), data)
    assert response.status_code == 302
    assert GEEN_WIJZIGING in melder_client.get(response["Location"]).content.decode()
    assert not MeldingWijziging.objects.filter(melding=luxe).exists()


def test_verzuim_pagina_ingevuld(melder_client, luxe):
    data = formulier(melder_client.get(wijzig_url(luxe, "verzuim")))
    assert (data["begindatum_0"], data["begindatum_1"], data["begindatum_2"]) == (
        f"{luxe.begindatum.day:02d}",
        f"{luxe.begindatum.month:02d}",
        str(luxe.begindatum.year),
    )
    assert data["soort"] == "L"
    assert data["vermoedelijke_reden"] == "Vakantie buiten de schoolvakanties"
    assert data["actie_gewenst"] == "ja"
    assert data["met_prioriteit"] == "nee"
    assert data["aanbieder"] == "100A001"
    assert data["locatie"] == "100X001"
    assert data["contactpersoon_naam"] == "K. Smit"
    assert data["contactpersoon_email"] == "verzuim@24gp.example.nl"


def test_onbekend_blok_404(melder_client, luxe):
    assert melder_client.get(wijzig_url(luxe, "melding")).status_code == 404


# -- Acties door school ----------------------------------------------------------------------


def test_acties_wijzigen(melder_client, luxe, demo):
    response = wijzig(
        melder_client,
        luxe,
        "acties",
        ondernomen_acties=["brief", "anders"],
        toelichting_acties="Huisbezoek afgelegd",
    )
    assert response.status_code == 302
    assert response["Location"] == detail_url(luxe)
    luxe.refresh_from_db()
    assert luxe.ondernomen_acties == ["brief", "anders"]
    assert luxe.toelichting_acties == "Huisbezoek afgelegd"
    assert luxe.versie == 2
    detail = melder_client.get(response["Location"]).content.decode()
    assert GEWIJZIGD in detail
    assert "Gelukt" in detail
    wijziging = MeldingWijziging.objects.get(melding=luxe)
    assert wijziging.gebruiker == demo.gebruikers["melder"]
    assert wijziging.blok == "Acties door school"
    assert {
        "veld": "ondernomen_acties",
        "oud": ["brief"],
        "nieuw": ["brief", "anders"],
    } in wijziging.velden
    assert (
        "Ondernomen actie door school",
        "Brief gestuurd",
        "Brief gestuurd, Anders",
    ) in getoonde_historie(luxe)


def test_acties_anders_zonder_toelichting(melder_client, luxe):
    response = wijzig(
        melder_client, luxe, "acties", ondernomen_acties=["anders"], toelichting_acties=""
    )
    assert response.status_code == 200
    assert response.context["form"].errors["toelichting_acties"] == [
        "Licht de ondernomen actie 'Anders' toe."
    ]
    assert "Er is een probleem" in response.content.decode()
    assert response.context["form"]["ondernomen_acties"].value() == ["anders"]
    luxe.refresh_from_db()
    assert luxe.ondernomen_acties == ["brief"]


def test_acties_minimaal_een(melder_client, luxe):
    data = formulier(melder_client.get(wijzig_url(luxe, "acties")))
    data.pop("ondernomen_acties")
    response = melder_client.post(wijzig_url(luxe, "acties"), data)
    assert response.context["form"].errors["ondernomen_acties"] == [
        "Kies minimaal één ondernomen actie."
    ]


# -- Verzuim ---------------------------------------------------------------------------------


def test_verzuim_einddatum_en_reden_wijzigen(melder_client, luxe):
    nieuw_einde = luxe.einddatum + datetime.timedelta(days=1)
    response = wijzig(
        melder_client,
        luxe,
        "verzuim",
        vermoedelijke_reden="afwezig vanwege ziekte",
        **datum_velden("einddatum", nieuw_einde),
    )
    assert response.status_code == 302, response.context["form"].errors
    luxe.refresh_from_db()
    assert luxe.einddatum == nieuw_einde
    assert luxe.vermoedelijke_reden == "afwezig vanwege ziekte"
    velden = MeldingWijziging.objects.get(melding=luxe).velden
    oud_einde = nieuw_einde - datetime.timedelta(days=1)
    assert {
        "veld": "einddatum",
        "oud": oud_einde.isoformat(),
        "nieuw": nieuw_einde.isoformat(),
    } in velden
    assert ("Einddatum", f"{oud_einde:%d-%m-%Y}", f"{nieuw_einde:%d-%m-%Y}") in (
        getoonde_historie(luxe)
    )


def test_verzuim_overlapt_niet_met_zichzelf(melder_client, luxe):
    # A period that covers the old one entirely: only the melding itself lies there.
    response = wijzig(
        melder_client,
        luxe,
        "verzuim",
        **datum_velden("begindatum", luxe.begindatum - datetime.timedelta(days=2)),
        **datum_velden("einddatum", luxe.einddatum + datetime.timedelta(days=2)),
    )
    assert response.status_code == 302, response.context["form"].errors
    luxe.refresh_from_db()
    assert (luxe.einddatum - luxe.begindatum).days == 6


def test_verzuim_overlap_met_andere_melding(melder_client, luxe, afgesloten):
    response = wijzig(
        melder_client,
        luxe,
        "verzuim",
        **datum_velden("begindatum", afgesloten.einddatum),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["begindatum"] == [
        f"De verzuimperiode valt (deels) samen met melding {afgesloten.nummer} voor deze leerling."
    ]
    luxe.refresh_from_db()
    assert luxe.begindatum != afgesloten.einddatum


def test_verzuim_overlap_met_melding_van_andere_instelling(melder_client, demo):
    leerling = demo.leerlingen["999990056"]  # enrolled at 24GP (not hoofd) and 00BB
    bb = MeldingFactory(
        leerling=leerling,
        instelling=demo.instellingen["00BB"],
        uitvoerende_instantie=demo.instanties["Gemeente Smallingerland"],
        begindatum=datetime.date(2026, 3, 2),
        einddatum=datetime.date(2026, 3, 4),
    )
    gp = MeldingFactory(
        leerling=demo.leerlingen["999990007"],
        instelling=demo.instellingen["24GP"],
        uitvoerende_instantie=demo.instanties["Gemeente Groningen"],
        aanbieder=demo.instellingen["24GP"].onderwijsaanbieders.get(),
        locatie=demo.instellingen["24GP"].onderwijsaanbieders.get().onderwijslocaties.get(),
        begindatum=datetime.date(2026, 3, 2),
        einddatum=datetime.date(2026, 3, 4),
    )
    assert bb.leerling != gp.leerling  # the same dates of another pupil never conflict
    response = wijzig(melder_client, gp, "verzuim", vermoedelijke_reden="Spijbelen, gezien")
    assert response.status_code == 302


def test_ingetrokken_melding_blokkeert_wijziging_niet(melder_client, luxe, afgesloten, demo):
    services.melding_intrekken(
        melding=afgesloten, gebruiker=demo.gebruikers["melder"], reden="foutief"
    )
    response = wijzig(
        melder_client, luxe, "verzuim", **datum_velden("begindatum", afgesloten.einddatum)
    )
    assert response.status_code == 302, response.context["form"].errors


@pytest.mark.parametrize(
    ("velden", "veld", "fout"),
    [
        (
            {"begindatum": 1},
            "begindatum",
            "De begindatum mag niet in de toekomst liggen.",
        ),
        (
            {"einddatum": 1},
            "einddatum",
            "De einddatum mag niet in de toekomst liggen.",
        ),
        (
            {"einddatum": -100},
            "einddatum",
            "De einddatum mag niet voor de begindatum liggen.",
        ),
        (
            {"begindatum": -366},
            "begindatum",
            "De begindatum mag niet meer dan één jaar geleden liggen.",
        ),
    ],
)
def test_verzuim_datumregels(melder_client, luxe, demo, velden, veld, fout):
    wijzigingen = {}
    for naam, dagen in velden.items():
        wijzigingen.update(datum_velden(naam, demo.vandaag + datetime.timedelta(days=dagen)))
    response = wijzig(melder_client, luxe, "verzuim", **wijzigingen)
    assert response.status_code == 200
    assert fout in response.context["form"].errors[veld]
    assert not MeldingWijziging.objects.filter(melding=luxe).exists()


def test_verzuim_16_uren_vraagt_einddatum(melder_client, luxe):
    response = wijzig(melder_client, luxe, "verzuim", soort="V3", **datum_velden("einddatum", None))
    assert response.status_code == 200
    assert response.context["form"].errors["einddatum"] == [
        "Vul de einddatum in. Bij 16 uren per 4 weken is dat de dag waarop de 16 uur bereikt werd."
    ]


def test_verzuim_soort_die_niet_past(melder_client, luxe):
    response = wijzig(melder_client, luxe, "verzuim", soort="RMC")  # the pupil is 15
    assert response.status_code == 200
    assert response.context["form"].errors["soort"] == [
        "Deze verzuimsoort is niet van toepassing op deze leerling."
    ]


def test_verzuim_geen_actie_vraagt_toelichting(melder_client, luxe):
    response = wijzig(
        melder_client, luxe, "verzuim", actie_gewenst="nee", toelichting_actie_gewenst=""
    )
    assert response.context["form"].errors["toelichting_actie_gewenst"] == [
        "Licht toe waarom geen actie gewenst is."
    ]


def test_verzuim_onbekende_locatie(melder_client, luxe):
    response = wijzig(melder_client, luxe, "verzuim", locatie="999X999")
    assert response.context["form"].errors["locatie"] == ["Deze onderwijslocatie bestaat niet"]


def test_verzuim_korter_dan_gespecificeerde_lesuren(melder_client, luxe):
    Melding.objects.filter(pk=luxe.pk).update(alle_lessen_gemist=False)
    Verzuimdag.objects.create(melding=luxe, datum=luxe.einddatum)
    response = wijzig(melder_client, luxe, "verzuim", **datum_velden("einddatum", luxe.begindatum))
    assert response.status_code == 200
    assert response.context["form"].errors["einddatum"] == [
        "De gespecificeerde lesuren vallen dan buiten de verzuimperiode. Pas eerst de lesuren aan."
    ]
    luxe.refresh_from_db()
    assert luxe.einddatum != luxe.begindatum


# -- Leerling --------------------------------------------------------------------------------


def test_leerling_email_telefoon_en_afwijkend_adres(melder_client, luxe):
    response = wijzig(
        melder_client,
        luxe,
        "leerling",
        leerling_email="sanne@example.nl",
        leerling_telefoon="06 1234 5678",
        afwijkend_adres="ja",
        adres_soort="regulier",
        straatnaam="Herestraat",
        huisnummer="5",
        postcode="9711 LA",
    )
    assert response.status_code == 302, response.context["form"].errors
    luxe.refresh_from_db()
    assert luxe.leerling_email == "sanne@example.nl"
    assert luxe.afwijkend_adres == "regulier"
    assert luxe.postcode == "9711LA"
    detail = melder_client.get(detail_url(luxe)).content.decode()
    assert "<dt>Afwijkend adres</dt><dd>Herestraat 5<br>9711LA</dd>" in detail


def test_leerling_ongeldig_email(melder_client, luxe):
    response = wijzig(melder_client, luxe, "leerling", leerling_email="geen-adres")
    assert response.status_code == 200
    assert response.context["form"].errors["leerling_email"] == [
        "Vul een geldig e-mailadres in, zoals naam@school.nl."
    ]


def test_contactpersoon_toevoegen_en_opslaan(melder_client, luxe):
    url = wijzig_url(luxe, "leerling")
    data = formulier(melder_client.get(url))
    assert data["contactpersonen-TOTAL_FORMS"] == "0"
    # "Contactpersoon toevoegen" shows an empty contactpersoon, without error messages.
    response = melder_client.post(url, {**data, "actie": "contactpersoon_toevoegen"})
    assert response.status_code == 200
    assert "Er is een probleem" not in response.content.decode()
    assert "Contactpersoon toevoegen</legend>" in response.content.decode()
    data = formulier(response)
    assert data["contactpersonen-TOTAL_FORMS"] == "1"
    data.update({"contactpersonen-0-naam": "P. de Vries", "contactpersonen-0-relatie": "vader"})
    response = melder_client.post(url, data)
    assert response.status_code == 302
    assert list(luxe.contactpersonen.values_list("naam", "relatie")) == [("P. de Vries", "vader")]
    rij = {"naam": "P. de Vries", "relatie": "vader", "email": "", "telefoon": ""}
    assert MeldingWijziging.objects.get(melding=luxe).velden == [
        {"veld": "contactpersonen", "oud": [], "nieuw": [rij]}
    ]
    assert getoonde_historie(luxe) == [("Contactpersonen", "", "P. de Vries, vader")]


def test_contactpersoon_zonder_naam(melder_client, luxe):
    url = wijzig_url(luxe, "leerling")
    data = formulier(
        melder_client.post(
            url, {**formulier(melder_client.get(url)), "actie": "contactpersoon_toevoegen"}
        )
    )
    data["contactpersonen-0-email"] = "p@example.nl"
    response = melder_client.post(url, data)
    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors["naam"] == ["Vul de naam in."]
    assert not luxe.contactpersonen.exists()


def test_contactpersoon_verwijderen(melder_client, luxe):
    for i, naam in enumerate(["A", "B"], start=1):
        ContactpersoonLeerling.objects.create(melding=luxe, volgnummer=i, naam=naam)
    url = wijzig_url(luxe, "leerling")
    data = formulier(melder_client.get(url))
    assert data["contactpersonen-1-naam"] == "B"
    response = melder_client.post(url, {**data, "actie": "contactpersoon_verwijderen_0"})
    data = formulier(response)
    assert data["contactpersonen-TOTAL_FORMS"] == "1"
    assert melder_client.post(url, data).status_code == 302
    assert list(luxe.contactpersonen.values_list("naam", flat=True)) == ["B"]


def test_maximaal_vijf_contactpersonen(melder_client, luxe):
    for i in range(1, 6):
        ContactpersoonLeerling.objects.create(melding=luxe, volgnummer=i, naam=f"C{i}")
    url = wijzig_url(luxe, "leerling")
    response = melder_client.get(url)
    assert "U heeft het maximum van vijf contactpersonen bereikt." in response.content.decode()
    data = formulier(response)
    data.update({"contactpersonen-TOTAL_FORMS": "6", "contactpersonen-5-naam": "Zesde"})
    response = melder_client.post(url, data)
    assert response.status_code == 200
    assert "Er is ruimte voor maximaal vijf contactpersonen." in response.content.decode()
    assert luxe.contactpersonen.count() == 5


# -- Lesuren ---------------------------------------------------------------------------------


def test_lesuren_specificeren(melder_client, luxe):
    url = wijzig_url(luxe, "lesuren")
    data = formulier(melder_client.get(url))
    assert data["alle_lessen_gemist"] == "ja"
    response = melder_client.post(url, {**data, "actie": "dag_toevoegen"})
    assert response.status_code == 200
    assert "Verzuimdag 1" in response.content.decode()
    data = formulier(response)
    data.update(datum_velden("verzuimdagen-0-datum", luxe.begindatum))
    data.update({"verzuimdagen-0-hele_dag": "nee", "verzuimdagen-0-lesuren": ["1", "2"]})
    response = melder_client.post(url, data)
    assert response.status_code == 302, response.content.decode()
    luxe.refresh_from_db()
    assert luxe.alle_lessen_gemist is False
    assert list(luxe.verzuimdagen.values_list("datum", "hele_dag", "lesuren")) == [
        (luxe.begindatum, False, [1, 2])
    ]
    rijen = MeldingWijziging.objects.get(melding=luxe).velden
    assert {"veld": "alle_lessen_gemist", "oud": True, "nieuw": False} in rijen
    assert getoonde_historie(luxe) == [
        ("Alle lessen gemist", "Ja", "Nee"),
        ("Verzuimdagen", "", f"{luxe.begindatum:%d-%m-%Y}, 1, 2"),
    ]


def test_lesuren_dag_buiten_periode(melder_client, luxe):
    url = wijzig_url(luxe, "lesuren")
    data = formulier(
        melder_client.post(url, {**formulier(melder_client.get(url)), "actie": "dag_toevoegen"})
    )
    buiten = luxe.einddatum + datetime.timedelta(days=1)
    data.update(datum_velden("verzuimdagen-0-datum", buiten))
    response = melder_client.post(url, data)
    assert response.status_code == 200
    assert (
        f"De verzuimdag {buiten:%d-%m-%Y} ligt niet in de verzuimperiode"
        in response.content.decode()
    )
    assert not luxe.verzuimdagen.exists()


def test_lesuren_nee_zonder_dagen(melder_client, luxe):
    response = wijzig(melder_client, luxe, "lesuren", alle_lessen_gemist="nee")
    assert response.status_code == 200
    assert "Voeg minimaal één verzuimdag toe." in response.content.decode()
    luxe.refresh_from_db()
    assert luxe.alle_lessen_gemist is True


def test_lesuren_terug_naar_alle_lessen_wist_dagen(melder_client, luxe):
    Melding.objects.filter(pk=luxe.pk).update(alle_lessen_gemist=False)
    Verzuimdag.objects.create(melding=luxe, datum=luxe.begindatum)
    response = wijzig(melder_client, luxe, "lesuren", alle_lessen_gemist="ja")
    assert response.status_code == 302
    assert not luxe.verzuimdagen.exists()


# -- statuses --------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [Status.GEREGISTREERD, Status.IN_BEHANDELING])
def test_wijzigen_bij_r_en_b(melder_client, luxe, status):
    Melding.objects.filter(pk=luxe.pk).update(status=status)
    response = wijzig(melder_client, luxe, "acties", toelichting_acties="Nog een brief")
    assert response.status_code == 302
    luxe.refresh_from_db()
    assert luxe.toelichting_acties == "Nog een brief"


@pytest.mark.parametrize(
    ("status", "label"),
    [
        (Status.AFGESLOTEN, "Afgesloten"),
        (Status.TER_KENNISGEVING, "Ter kennisgeving aangenomen"),
        (Status.INGETROKKEN, "Ingetrokken"),
    ],
)
@pytest.mark.parametrize("blok", BLOKKEN)
def test_niet_wijzigen_bij_andere_statussen(melder_client, luxe, status, label, blok):
    data = formulier(melder_client.get(wijzig_url(luxe, blok)))
    velden = {"status": status}
    if status == Status.INGETROKKEN:
        velden.update(reden_intrekken="foutief", ingetrokken_op=datetime.datetime.now(datetime.UTC))
    Melding.objects.filter(pk=luxe.pk).update(**velden)
    for response in (
        melder_client.get(wijzig_url(luxe, blok)),
        melder_client.post(wijzig_url(luxe, blok), data),
    ):
        assert response.status_code == 302
        assert response["Location"] == detail_url(luxe)
    detail = melder_client.get(detail_url(luxe)).content.decode()
    assert f"Een melding met status {label} kan niet meer worden gewijzigd." in detail
    assert "/wijzig/" not in detail
    assert not MeldingWijziging.objects.filter(
        melding=luxe, blok__in=["Leerling", "Verzuim"]
    ).exists()


def test_status_verandert_terwijl_het_formulier_open_staat(melder_client, luxe):
    """Loaded while Geregistreerd, the gemeente closes it, then the school saves: refused."""
    data = formulier(melder_client.get(wijzig_url(luxe, "acties")))
    Melding.objects.filter(pk=luxe.pk).update(status=Status.AFGESLOTEN)
    response = melder_client.post(wijzig_url(luxe, "acties"), {**data, "toelichting_acties": "x"})
    assert response.status_code == 302
    luxe.refresh_from_db()
    assert luxe.toelichting_acties == ""


# -- optimistic locking ----------------------------------------------------------------------


def test_tweede_opslag_van_een_verouderd_formulier_wordt_geweigerd(client, luxe, demo):
    """Two people load the same page; the first saves; the second is refused, with a clear
    message at the top, nothing overwritten and the second person's input kept."""
    from django.test import Client

    eerste, tweede = Client(), Client()
    eerste.force_login(demo.gebruikers["melder"])
    tweede.force_login(demo.gebruikers["melder2"])
    sessie = tweede.session
    sessie["organisatie"] = "instelling:24GP"
    sessie.save()
    data_1 = formulier(eerste.get(wijzig_url(luxe, "verzuim")))
    data_2 = formulier(tweede.get(wijzig_url(luxe, "verzuim")))
    assert data_1["versie"] == data_2["versie"] == "1"

    assert (
        eerste.post(
            wijzig_url(luxe, "verzuim"), {**data_1, "vermoedelijke_reden": "Eerste"}
        ).status_code
        == 302
    )
    response = tweede.post(wijzig_url(luxe, "verzuim"), {**data_2, "vermoedelijke_reden": "Tweede"})
    assert response.status_code == 200
    html = response.content.decode()
    assert services.GELIJKTIJDIG_GEWIJZIGD in html
    assert html.index(services.GELIJKTIJDIG_GEWIJZIGD) < html.index("<h1>")
    assert "Fout: Verzuim wijzigen" in html
    assert response.context["form"]["vermoedelijke_reden"].value() == "Tweede"
    luxe.refresh_from_db()
    assert luxe.vermoedelijke_reden == "Eerste"
    assert luxe.versie == 2
    assert MeldingWijziging.objects.filter(melding=luxe).count() == 1

    # Reloading shows the new version, and then saving works.
    data_2 = formulier(tweede.get(wijzig_url(luxe, "verzuim")))
    assert data_2["versie"] == "2"
    assert data_2["vermoedelijke_reden"] == "Eerste"
    assert (
        tweede.post(
            wijzig_url(luxe, "verzuim"), {**data_2, "vermoedelijke_reden": "Tweede"}
        ).status_code
        == 302
    )


def test_verouderd_formulier_ook_bij_ander_blok(melder_client, luxe):
    oud = formulier(melder_client.get(wijzig_url(luxe, "acties")))
    assert (
        wijzig(melder_client, luxe, "leerling", leerling_telefoon="0501234567").status_code == 302
    )
    response = melder_client.post(wijzig_url(luxe, "acties"), {**oud, "toelichting_acties": "x"})
    assert services.GELIJKTIJDIG_GEWIJZIGD in response.content.decode()
    luxe.refresh_from_db()
    assert luxe.toelichting_acties == ""


def test_versie_ontbreekt_of_is_geknoeid(melder_client, luxe):
    data = formulier(melder_client.get(wijzig_url(luxe, "acties")))
    for versie in (None, "abc"):
        verzonden = {**data, "toelichting_acties": "x"}
        if versie is None:
            verzonden.pop("versie")
        else:
            verzonden["versie"] = versie
        response = melder_client.post(wijzig_url(luxe, "acties"), verzonden)
        assert response.status_code == 200
        assert services.GELIJKTIJDIG_GEWIJZIGD in response.content.decode()
    luxe.refresh_from_db()
    assert luxe.toelichting_acties == ""


# -- history ---------------------------------------------------------------------------------


def test_elke_wijziging_in_de_historie(melder_client, luxe):
    wijzig(melder_client, luxe, "acties", toelichting_acties="Eerste brief")
    wijzig(melder_client, luxe, "acties", toelichting_acties="Tweede brief")
    wijzig(melder_client, luxe, "leerling", leerling_telefoon="0501234567")
    detail = melder_client.get(detail_url(luxe))
    assert [w.blok for w in detail.context["historie"]] == [
        "Leerling",
        "Acties door school",
        "Acties door school",
    ]
    html = detail.content.decode()
    assert "Toelichting ondernomen acties: Eerste brief → Tweede brief" in html
    assert "Toelichting ondernomen acties: (leeg) → Eerste brief" in html
    assert "Telefoon: (leeg) → 0501234567" in html


# -- who may ---------------------------------------------------------------------------------


@pytest.mark.parametrize("blok", BLOKKEN)
def test_andere_instelling_krijgt_404(zuid_client, luxe, blok):
    assert zuid_client.get(wijzig_url(luxe, blok)).status_code == 404
    response = zuid_client.post(
        wijzig_url(luxe, blok),
        {"versie": "1", "toelichting_acties": "x", "ondernomen_acties": "brief"},
    )
    assert response.status_code == 404
    assert zuid_client.get(reverse("meldingen:wijzig", args=[4999999, blok])).status_code == 404
    luxe.refresh_from_db()
    assert luxe.versie == 1


def test_zonder_rol_403(client, demo, luxe):
    client.force_login(demo.gebruikers["zonderrol"])
    assert client.get(wijzig_url(luxe, "acties")).status_code == 403
    assert client.post(wijzig_url(luxe, "acties"), {"versie": "1"}).status_code == 403


def test_anoniem_naar_inloggen(client, luxe):
    response = client.post(wijzig_url(luxe, "acties"), {"versie": "1"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_terug_blijft_bewaard(melder_client, luxe):
    terug = "/meldingen/zoeken/?instellingscode=24GP"
    url = wijzig_url(luxe, "acties") + "?terug=%2Fmeldingen%2Fzoeken%2F%3Finstellingscode%3D24GP"
    data = formulier(melder_client.get(url))
    assert data["terug"] == terug
    response = melder_client.post(url, {**data, "toelichting_acties": "x"})
    assert response["Location"] == (
        detail_url(luxe) + "?terug=%2Fmeldingen%2Fzoeken%2F%3Finstellingscode%3D24GP"
    )


# -- bounded queries -------------------------------------------------------------------------


@pytest.mark.parametrize("aantal", [1, 1000])
@pytest.mark.parametrize("blok", BLOKKEN)
def test_wijzig_begrensd_aantal_queries(
    melder_client, demo, django_assert_max_num_queries, aantal, blok
):
    instantie = UitvoerendeInstantieFactory(naam="Leerplicht Emmen")
    voorbeeld = maak_meldingen(aantal, instelling=demo.instellingen["24GP"], instantie=instantie)
    InschrijvingFactory(
        leerling=voorbeeld.leerling,
        instelling=voorbeeld.instelling,
        aanbieder=voorbeeld.aanbieder,
        locatie=voorbeeld.locatie,
    )
    melder_client.get(reverse("meldingen:zoeken"))  # stores the chosen instelling
    # session, user, 2x role, machtigingen, melding, contactpersonen, verzuimdagen, inzage,
    # + the form's own (verzuim: aanbieders and the locatie)
    with django_assert_max_num_queries(11):
        response = melder_client.get(wijzig_url(voorbeeld, blok))
    assert response.status_code == 200
    data = formulier(response)
    # + the rules (enrolment, overlap), locks, the update and the history row
    with django_assert_max_num_queries(30):
        response = melder_client.post(wijzig_url(voorbeeld, blok), data)
    assert response.status_code == 302


@pytest.mark.parametrize("blok", BLOKKEN)
def test_inzage_van_de_wijzigpagina_wordt_gelogd(melder_client, luxe, demo, blok):
    melder_client.get(wijzig_url(luxe, blok))
    inzage = Inzage.objects.get(meldingnummer=luxe.nummer)
    assert inzage.gebruiker == demo.gebruikers["melder"]
    assert inzage.leerling == luxe.leerling
    assert (inzage.handeling, inzage.detail) == (Handeling.MELDING_WIJZIGEN, blok)


# -- a period that did not change is not judged again ------------------------------------------


def test_oude_melding_reden_corrigeren_zonder_datumwijziging(melder_client, demo):
    """999990093's melding began 425 days ago: its dates would be refused today, but the
    Vermoedelijke reden can still be corrected as long as the dates stay."""
    oud = demo.leerlingen["999990093"].meldingen.get()
    response = wijzig(melder_client, oud, "verzuim", vermoedelijke_reden="Gecorrigeerde reden")
    assert response.status_code == 302, response.context["form"].errors
    oud.refresh_from_db()
    assert oud.vermoedelijke_reden == "Gecorrigeerde reden"


def test_oude_melding_datum_wijzigen_wordt_wel_getoetst(melder_client, demo):
    oud = demo.leerlingen["999990093"].meldingen.get()
    response = wijzig(
        melder_client,
        oud,
        "verzuim",
        **datum_velden("einddatum", oud.einddatum - datetime.timedelta(days=1)),
    )
    assert response.status_code == 200
    assert "niet meer dan één jaar geleden" in response.content.decode()
    oud.refresh_from_db()
    assert oud.versie == 1


def test_nieuwe_begindatum_over_18e_verjaardag_routeert_opnieuw(demo, time_machine):
    """The category on the begindatum decides the uitvoerende instantie: a begindatum moved
    past the 18th birthday goes to the RMC regio."""
    daan = demo.leerlingen["999990007"]  # 18 on VANDAAG + 20 days: 05-04-2026
    time_machine.move_to(datetime.datetime(2026, 4, 20, 10, 0, tzinfo=datetime.UTC))
    melding = MeldingFactory(
        leerling=daan,
        instelling=demo.instellingen["24GP"],
        aanbieder=daan.inschrijvingen.get().aanbieder,
        locatie=daan.inschrijvingen.get().locatie,
        uitvoerende_instantie=demo.instanties["Gemeente Groningen"],
        soort=Verzuimsoort.OVERIG,
        begindatum=datetime.date(2026, 4, 1),
        einddatum=None,
        melddatum=datetime.date(2026, 4, 15),
    )
    gewijzigd = services.melding_wijzigen(
        melding=melding,
        gebruiker=demo.gebruikers["melder"],
        versie=melding.versie,
        blok="verzuim",
        gegevens={"begindatum": datetime.date(2026, 4, 10)},
    )
    assert gewijzigd.uitvoerende_instantie == demo.instanties["RMC regio Groningen"]
    assert gewijzigd.get_wet_display() == "RMC-regelgeving"


def test_begindatum_niet_na_melddatum(demo):
    luxe = demo.leerlingen["999999989"].meldingen.get(soort=Verzuimsoort.LUXE)
    with pytest.raises(ValidationError) as fout:
        services.melding_wijzigen(
            melding=luxe,
            gebruiker=demo.gebruikers["melder"],
            versie=luxe.versie,
            blok="verzuim",
            gegevens={"begindatum": luxe.melddatum + datetime.timedelta(days=1), "einddatum": None},
        )
    assert fout.value.message_dict["begindatum"] == [
        f"De begindatum mag niet na de melddatum ({luxe.melddatum:%d-%m-%Y}) liggen."
    ]


@pytest.mark.parametrize(
    "extra",
    [
        {"actie": "contactpersoon_toevoegen", "contactpersonen-TOTAL_FORMS": "abc"},
        {"actie": "contactpersoon_verwijderen_x"},
    ],
)
def test_vervalste_knop_geeft_geen_serverfout(melder_client, luxe, extra):
    data = formulier(melder_client.get(wijzig_url(luxe, "leerling")))
    data.update(extra)
    response = melder_client.post(wijzig_url(luxe, "leerling"), data)
    assert response.status_code in (400, 404)
