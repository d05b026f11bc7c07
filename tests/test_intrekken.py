"""Melding intrekken (manual 5): the page, the four reasons, Toelichting (max 300, required with
Anders), the one-year boundary to the day, the statuses, never deleted, the e-mail to the
instantie, the freed period, and that nobody but the meldende instelling can do it."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from leerlingen.models import Handeling, Inzage
from meldingen import regels, services
from meldingen.models import Melding, MeldingWijziging, RedenIntrekken, Status, Verzuimsoort
from meldingen.regels import AL_INGETROKKEN
from meldingen.tasks import verstuur_meldingmail
from meldingen.views import INGETROKKEN
from tests.conftest import AMSTERDAM, VANDAAG, getoonde_historie
from tests.factories import MeldingFactory, UitvoerendeInstantieFactory
from tests.test_zoek_melding import maak_meldingen
from verzuimloket import datums


def intrekken_url(melding, terug=""):
    url = reverse("meldingen:intrekken", args=[melding.nummer])
    return f"{url}?terug={terug}" if terug else url


def detail_url(melding):
    return reverse("meldingen:detail", args=[melding.nummer])


@pytest.fixture
def luxe(demo):
    return demo.leerlingen["999999989"].meldingen.get(soort=Verzuimsoort.LUXE)


def melding_met_begin(demo, begindatum, **extra):
    extra.setdefault("uitvoerende_instantie", demo.instanties["Gemeente Groningen"])
    return MeldingFactory(
        leerling=demo.leerlingen["999990007"],
        instelling=demo.instellingen["24GP"],
        begindatum=begindatum,
        einddatum=begindatum + datetime.timedelta(days=1),
        melddatum=begindatum + datetime.timedelta(days=2),
        **extra,
    )


def test_pagina_volgens_de_handleiding(melder_client, luxe):
    response = melder_client.get(intrekken_url(luxe))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Intrekken verzuimmelding</h1>" in html
    assert (
        f'href="{detail_url(luxe)}"><span aria-hidden="true">←</span> '
        "Terug naar melding details</a>" in html
    )
    assert f"<dt>Meldingnummer</dt><dd>{luxe.nummer}</dd>" in html
    assert "<dt>Soort</dt><dd>Luxe verzuim</dd>" in html
    assert (
        f"<dt>Verzuimperiode</dt><dd>{luxe.begindatum:%d-%m-%Y} t/m {luxe.einddatum:%d-%m-%Y}</dd>"
        in html
    )
    assert (
        '<label class="veld__label" for="id_reden_intrekken">Reden melding intrekken</label>'
        in (html)
    )
    for reden in [
        "Foutief gemeld, nieuwe melding aangemaakt",
        "Geen inschrijving",
        "Ten onrechte gemeld",
        "Anders",
    ]:
        assert f">{reden}</option>" in html
    assert "OPTIONEEL</span> Toelichting</label>" in html
    assert "Maximaal 300 karakters" in html
    assert '<button type="submit" class="knop">Intrekken</button>' in html


def test_korte_soortnaam_bij_16_uren(melder_client, demo):
    melding = melding_met_begin(demo, VANDAAG - datetime.timedelta(days=20), soort=Verzuimsoort.V3)
    html = melder_client.get(intrekken_url(melding)).content.decode()
    assert "<dt>Soort</dt><dd>16 uren per 4 weken</dd>" in html


@pytest.mark.parametrize("reden", RedenIntrekken.values)
def test_intrekken_met_elke_reden(melder_client, luxe, demo, reden):
    toelichting = "Dubbel ingevoerd" if reden == RedenIntrekken.ANDERS else ""
    response = melder_client.post(
        intrekken_url(luxe), {"reden_intrekken": reden, "toelichting_intrekken": toelichting}
    )
    assert response.status_code == 302
    assert response["Location"] == detail_url(luxe)
    luxe.refresh_from_db()
    assert luxe.status == Status.INGETROKKEN
    assert luxe.reden_intrekken == reden
    assert luxe.toelichting_intrekken == toelichting
    assert luxe.ingetrokken_door == demo.gebruikers["melder"]
    assert luxe.ingetrokken_op is not None
    # Never deleted; the success message shows on the detail page.
    assert Melding.objects.filter(pk=luxe.pk).exists()
    detail = melder_client.get(response["Location"])
    assert INGETROKKEN in detail.content.decode()
    assert "Gelukt" in detail.content.decode()


def test_reden_verplicht(melder_client, luxe):
    response = melder_client.post(intrekken_url(luxe), {"reden_intrekken": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["reden_intrekken"] == ["Kies een reden."]
    assert "Er is een probleem" in response.content.decode()
    luxe.refresh_from_db()
    assert luxe.status == Status.GEREGISTREERD


def test_onbekende_reden_geweigerd(melder_client, luxe):
    response = melder_client.post(intrekken_url(luxe), {"reden_intrekken": "verveling"})
    assert response.context["form"].errors["reden_intrekken"] == ["Kies een reden."]


def test_toelichting_verplicht_bij_anders(melder_client, luxe):
    response = melder_client.post(
        intrekken_url(luxe), {"reden_intrekken": "anders", "toelichting_intrekken": "   "}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["toelichting_intrekken"] == [
        "Geef een toelichting als de reden 'Anders' is."
    ]
    assert 'href="#id_toelichting_intrekken"' in response.content.decode()
    luxe.refresh_from_db()
    assert luxe.status == Status.GEREGISTREERD


def test_toelichting_maximaal_300(melder_client, luxe):
    response = melder_client.post(
        intrekken_url(luxe),
        {"reden_intrekken": "ten_onrechte", "toelichting_intrekken": "x" * 301},
    )
    assert response.context["form"].errors["toelichting_intrekken"] == ["Maximaal 300 karakters."]
    luxe.refresh_from_db()
    assert luxe.status == Status.GEREGISTREERD
    response = melder_client.post(
        intrekken_url(luxe),
        {"reden_intrekken": "ten_onrechte", "toelichting_intrekken": "x" * 300},
    )
    assert response.status_code == 302
    luxe.refresh_from_db()
    assert luxe.toelichting_intrekken == "x" * 300


def test_historie_en_terug_blijven_bewaard(melder_client, luxe):
    terug = "/meldingen/zoeken/%3Finstellingscode%3D24GP"
    response = melder_client.post(
        intrekken_url(luxe, terug=terug), {"reden_intrekken": "geen_inschrijving"}
    )
    assert response["Location"] == detail_url(luxe) + "?terug=%2Fmeldingen%2Fzoeken%2F%3F" + (
        "instellingscode%3D24GP"
    )
    wijziging = MeldingWijziging.objects.get(melding=luxe)
    assert wijziging.blok == "Intrekken"
    assert {"veld": "status", "oud": "R", "nieuw": "I"} in wijziging.velden
    assert getoonde_historie(luxe) == [
        ("Status", "Geregistreerd", "Ingetrokken"),
        ("Reden melding intrekken", "", "Geen inschrijving"),
    ]


@pytest.mark.parametrize(
    "status", [Status.IN_BEHANDELING, Status.AFGESLOTEN, Status.TER_KENNISGEVING]
)
def test_intrekken_vanuit_elke_status_behalve_ingetrokken(melder_client, luxe, status):
    Melding.objects.filter(pk=luxe.pk).update(status=status)
    response = melder_client.post(intrekken_url(luxe), {"reden_intrekken": "ten_onrechte"})
    assert response.status_code == 302
    luxe.refresh_from_db()
    assert luxe.status == Status.INGETROKKEN


def test_al_ingetrokken_wordt_geweigerd(melder_client, luxe, demo):
    services.melding_intrekken(
        melding=luxe, gebruiker=demo.gebruikers["melder"], reden="ten_onrechte"
    )
    for response in (
        melder_client.get(intrekken_url(luxe)),
        melder_client.post(intrekken_url(luxe), {"reden_intrekken": "geen_inschrijving"}),
    ):
        assert response.status_code == 302
        assert response["Location"] == detail_url(luxe)
    luxe.refresh_from_db()
    assert luxe.reden_intrekken == "ten_onrechte"
    detail = melder_client.get(detail_url(luxe)).content.decode()
    assert AL_INGETROKKEN in detail
    assert "/intrekken/" not in detail


# -- one year, to the day ---------------------------------------------------------------------


def test_grens_van_een_jaar_precies(melder_client, demo):
    precies = melding_met_begin(demo, datetime.date(2025, 3, 16))
    te_oud = MeldingFactory(
        leerling=demo.leerlingen["101000012"],
        instelling=demo.instellingen["24GP"],
        uitvoerende_instantie=demo.instanties["Gemeente Groningen"],
        begindatum=datetime.date(2025, 3, 15),
        einddatum=datetime.date(2025, 3, 15),
    )
    assert datums.vandaag() == datetime.date(2026, 3, 16)

    # Begindatum exactly one year ago: the link is there and withdrawing works.
    assert "/intrekken/" in melder_client.get(detail_url(precies)).content.decode()
    assert melder_client.get(intrekken_url(precies)).status_code == 200
    # One day more: no link, the page and the POST are refused with the manual's message.
    html = melder_client.get(detail_url(te_oud)).content.decode()
    assert "/intrekken/" not in html
    for response in (
        melder_client.get(intrekken_url(te_oud)),
        melder_client.post(intrekken_url(te_oud), {"reden_intrekken": "ten_onrechte"}),
    ):
        assert response.status_code == 302
        assert response["Location"] == detail_url(te_oud)
    te_oud.refresh_from_db()
    assert te_oud.status == Status.GEREGISTREERD
    assert regels.NIET_INTREKBAAR in melder_client.get(detail_url(te_oud)).content.decode()

    response = melder_client.post(intrekken_url(precies), {"reden_intrekken": "ten_onrechte"})
    assert response.status_code == 302
    precies.refresh_from_db()
    assert precies.status == Status.INGETROKKEN


def test_grens_schuift_met_de_dag(melder_client, demo, time_machine):
    melding = melding_met_begin(demo, datetime.date(2025, 3, 16))
    time_machine.move_to(datetime.datetime(2026, 3, 16, 23, 59, tzinfo=AMSTERDAM), tick=False)
    melder_client.force_login(demo.gebruikers["melder"])  # a fresh session at this hour
    assert melder_client.get(intrekken_url(melding)).status_code == 200
    # Midnight in Amsterdam (still 16 March in UTC): now it is more than one year ago.
    time_machine.move_to(datetime.datetime(2026, 3, 17, 0, 0, 30, tzinfo=AMSTERDAM), tick=False)
    assert melder_client.get(intrekken_url(melding)).status_code == 302
    assert "/intrekken/" not in melder_client.get(detail_url(melding)).content.decode()


def test_pagina_geopend_net_voor_de_grens_post_erna_geweigerd(melder_client, demo, time_machine):
    melding = melding_met_begin(demo, datetime.date(2025, 3, 16))
    assert melder_client.get(intrekken_url(melding)).status_code == 200
    time_machine.move_to(datetime.datetime(2026, 3, 17, 9, 0, tzinfo=AMSTERDAM), tick=False)
    response = melder_client.post(intrekken_url(melding), {"reden_intrekken": "ten_onrechte"})
    assert response.status_code == 302
    melding.refresh_from_db()
    assert melding.status == Status.GEREGISTREERD


def test_demo_melding_van_425_dagen_geleden(melder_client, demo):
    oud = demo.leerlingen["999990093"].meldingen.get()
    assert melder_client.get(intrekken_url(oud)).status_code == 302


# -- e-mail and the freed period -------------------------------------------------------------


def test_email_naar_instantie_die_email_wil(melder_client, luxe, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert luxe.uitvoerende_instantie.wil_email
    DBTaskResult.objects.all().delete()
    melder_client.post(intrekken_url(luxe), {"reden_intrekken": "ten_onrechte"})
    taak = DBTaskResult.objects.get()
    kwargs = taak.args_kwargs["kwargs"]
    assert kwargs["melding_id"] == luxe.pk
    assert kwargs["soort_mail"] == "intrekking"
    assert kwargs["ontvanger"] == "leerplicht@groningen.example.nl"
    verstuur_meldingmail.call(
        **{k: v for k, v in kwargs.items() if k in ("melding_id", "soort_mail", "ontvanger")}
    )
    assert len(mail.outbox) == 1
    bericht = mail.outbox[0]
    assert bericht.to == ["leerplicht@groningen.example.nl"]
    assert str(luxe.nummer) in bericht.subject
    # Never the BSN, name or reason.
    tekst = bericht.subject + bericht.body
    assert "999999989" not in tekst
    assert "Sanne" not in tekst
    assert "Ten onrechte" not in tekst


def test_geen_email_als_instantie_het_niet_wil(melder_client, demo):
    smallingerland = demo.instanties["Gemeente Smallingerland"]
    assert not smallingerland.wil_email
    melding = melding_met_begin(
        demo, VANDAAG - datetime.timedelta(days=10), uitvoerende_instantie=smallingerland
    )
    DBTaskResult.objects.all().delete()
    melder_client.post(intrekken_url(melding), {"reden_intrekken": "ten_onrechte"})
    melding.refresh_from_db()
    assert melding.status == Status.INGETROKKEN
    assert not DBTaskResult.objects.exists()


def test_ingetrokken_melding_blokkeert_geen_overlappende_nieuwe_melding(melder_client, luxe, demo):
    leerling, instelling = luxe.leerling, luxe.instelling
    fouten = regels.controleer_periode(
        leerling=leerling,
        instelling=instelling,
        begindatum=luxe.begindatum,
        einddatum=luxe.einddatum,
        op=VANDAAG,
    )
    assert fouten == {"begindatum": [regels.OVERLAP.format(nummer=luxe.nummer)]}

    melder_client.post(intrekken_url(luxe), {"reden_intrekken": "foutief"})

    inschrijving = regels.inschrijving_op(leerling, instelling, luxe.begindatum)
    nieuw = services.melding_registreren(
        leerling=leerling,
        instelling=instelling,
        gebruiker=demo.gebruikers["melder"],
        gegevens={
            "begindatum": luxe.begindatum,
            "einddatum": luxe.einddatum,
            "soort": Verzuimsoort.LUXE,
            "vermoedelijke_reden": "Vakantie",
            "actie_gewenst": True,
            "aanbieder": inschrijving.aanbieder,
            "locatie": inschrijving.locatie,
            "contactpersoon_naam": "K. Smit",
            "contactpersoon_email": "k@school.nl",
            "ondernomen_acties": ["brief"],
        },
    )
    assert nieuw.nummer != luxe.nummer
    assert nieuw.status == Status.GEREGISTREERD
    # The list shows both: the old one as Ingetrokken.
    response = melder_client.get(
        reverse("meldingen:zoeken"), {"instellingscode": "24GP", "status": ["I"]}
    )
    rijen = response.context["rijen"]
    assert luxe.nummer in [r.nummer for r in rijen]
    assert nieuw.nummer not in [r.nummer for r in rijen]
    assert {r.status for r in rijen} == {"Ingetrokken"}


# -- who may ---------------------------------------------------------------------------------


def test_andere_instelling_krijgt_404(zuid_client, luxe):
    assert zuid_client.get(intrekken_url(luxe)).status_code == 404
    response = zuid_client.post(intrekken_url(luxe), {"reden_intrekken": "ten_onrechte"})
    assert response.status_code == 404
    luxe.refresh_from_db()
    assert luxe.status == Status.GEREGISTREERD
    assert zuid_client.get(reverse("meldingen:intrekken", args=[4999999])).status_code == 404


def test_zonder_rol_403(client, demo, luxe):
    client.force_login(demo.gebruikers["zonderrol"])
    assert client.post(intrekken_url(luxe), {"reden_intrekken": "ten_onrechte"}).status_code == 403
    luxe.refresh_from_db()
    assert luxe.status == Status.GEREGISTREERD


def test_anoniem_naar_inloggen(client, luxe):
    response = client.post(intrekken_url(luxe), {"reden_intrekken": "ten_onrechte"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    luxe.refresh_from_db()
    assert luxe.status == Status.GEREGISTREERD


@pytest.mark.parametrize("aantal", [1, 1000])
def test_intrekken_begrensd_aantal_queries(
    melder_client, demo, django_assert_max_num_queries, aantal
):
    instantie = UitvoerendeInstantieFactory(naam="Leerplicht Winschoten")
    voorbeeld = maak_meldingen(aantal, instelling=demo.instellingen["24GP"], instantie=instantie)
    melder_client.get(reverse("meldingen:zoeken"))  # stores the chosen instelling
    with django_assert_max_num_queries(7):
        assert melder_client.get(intrekken_url(voorbeeld)).status_code == 200
    with django_assert_max_num_queries(16):
        response = melder_client.post(intrekken_url(voorbeeld), {"reden_intrekken": "foutief"})
    assert response.status_code == 302


def test_inzage_van_de_intrekpagina_wordt_gelogd(melder_client, luxe, demo):
    melder_client.get(intrekken_url(luxe))
    inzage = Inzage.objects.get(meldingnummer=luxe.nummer)
    assert (inzage.gebruiker, inzage.handeling) == (
        demo.gebruikers["melder"],
        Handeling.MELDING_INTREKKEN,
    )
