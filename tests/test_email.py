"""E-mails on registering through the wizard (manual 2.7; docs/regels.md,
Registreren): to the uitvoerende instantie only if it wants e-mail, to the school's
contactpersoon only when *Stuur e-mail naar melder* was ticked; the mail names meldingnummer,
soort, period and a link, never BSN, name or reason; a failed registration queues nothing."""

import pytest
from django.core import mail
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from meldingen.models import Melding, UitvoerendeInstantie
from tests.conftest import VANDAAG
from tests.factories import MeldingFactory
from tests.wizard_hulp import (
    STANDAARD_BEGIN,
    STANDAARD_EIND,
    beheer,
    registreer,
    stap_url,
    tot_overzicht,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sanne(demo):
    return demo.leerlingen["999999989"]


def ontvangers() -> list[str]:
    return sorted(
        t.args_kwargs["kwargs"]["ontvanger"]
        for t in DBTaskResult.objects.filter(task_path__endswith="verstuur_meldingmail")
    )


def test_instantie_krijgt_mail_melder_niet_zonder_vinkje(melder_client, sanne, taken_uitvoeren):
    registreer(melder_client, sanne)
    assert ontvangers() == ["leerplicht@groningen.example.nl"]
    assert taken_uitvoeren() == 1
    assert [m.to for m in mail.outbox] == [["leerplicht@groningen.example.nl"]]


def test_melder_krijgt_mail_met_vinkje(melder_client, sanne, taken_uitvoeren):
    registreer(melder_client, sanne, stuur_email=True)
    assert ontvangers() == ["k.smit@school.example.nl", "leerplicht@groningen.example.nl"]
    assert taken_uitvoeren() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ontvangers()


def test_instantie_die_geen_mail_wil_krijgt_niets(melder_client, sanne, demo, taken_uitvoeren):
    UitvoerendeInstantie.objects.filter(naam="Gemeente Groningen").update(wil_email=False)
    registreer(melder_client, sanne)
    assert ontvangers() == []
    assert taken_uitvoeren() == 0
    assert mail.outbox == []


def test_inhoud_zonder_bsn_naam_of_reden(melder_client, sanne, taken_uitvoeren):
    registreer(melder_client, sanne, stuur_email=True)
    taken_uitvoeren()
    melding = Melding.objects.get(leerling=sanne, melddatum=VANDAAG)
    assert len(mail.outbox) == 2
    for bericht in mail.outbox:
        inhoud = bericht.subject + "\n" + bericht.body
        assert str(melding.nummer) in bericht.subject
        assert "Overig verzuim" in inhoud
        assert f"{STANDAARD_BEGIN:%d-%m-%Y} tot en met {STANDAARD_EIND:%d-%m-%Y}" in inhoud
        assert reverse("meldingen:detail", args=[melding.nummer]) in inhoud
        assert sanne.pgn not in inhoud
        assert sanne.naam not in inhoud
        assert "Sanne" not in inhoud
        assert melding.vermoedelijke_reden not in inhoud


def test_mislukte_registratie_plant_geen_mail(melder_client, sanne, taken_uitvoeren):
    tot_overzicht(melder_client, sanne)
    pagina = melder_client.get(stap_url(sanne, "overzicht"))
    MeldingFactory(leerling=sanne, begindatum=STANDAARD_BEGIN, einddatum=STANDAARD_BEGIN)
    response = melder_client.post(
        stap_url(sanne, "overzicht"),
        {**beheer(pagina), "overzicht-stuur_email_naar_melder": "on"},
    )
    assert response["Location"] == stap_url(sanne, "verzuim")
    assert ontvangers() == []
    assert taken_uitvoeren() == 0
    assert mail.outbox == []


def test_dubbel_verzenden_plant_geen_tweede_mail(melder_client, sanne):
    tot_overzicht(melder_client, sanne)
    pagina = melder_client.get(stap_url(sanne, "overzicht"))
    for _ in range(3):
        melder_client.post(stap_url(sanne, "overzicht"), beheer(pagina))
    assert ontvangers() == ["leerplicht@groningen.example.nl"]
