"""One home for a block (`meldingen.blokken`): the wizard's steps, the Wijzig pages, the
presenters, the services and the admin all read the same declaration, so a block's fields cannot
differ between the page that asks, the service that stores and the page that shows."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from meldingen import presenters, services, wizard
from meldingen.blokken import BLOKKEN, BlokContext, blok_van_veld
from meldingen.models import Melding
from tests.conftest import VANDAAG

pytestmark = pytest.mark.django_db


def test_de_vier_blokken_van_de_handleiding():
    assert [(b.sleutel, b.titel) for b in BLOKKEN.values()] == [
        ("leerling", "Leerling"),
        ("verzuim", "Verzuim"),
        ("lesuren", "Lesuren"),
        ("acties", "Acties door school"),
    ]
    assert [wizard.TITELS[s] for s in BLOKKEN] == [
        "Leerling",
        "Verzuim",
        "Lesuren",
        "Acties school",
    ]


def test_elk_veld_hoort_bij_precies_een_blok():
    velden = [v for blok in BLOKKEN.values() for v in blok.velden]
    assert len(velden) == len(set(velden))
    for blok in BLOKKEN.values():
        for veld in blok.velden:
            Melding._meta.get_field(veld)  # a real column, or FieldDoesNotExist
            assert blok_van_veld(veld) == blok.sleutel
        if blok.rijen:
            assert blok_van_veld(blok.rijen) == blok.sleutel
    assert blok_van_veld("status") is None


def test_een_opgeslagen_melding_vult_elk_blok_en_komt_ongewijzigd_terug(demo):
    """A stored melding fills each block's form, and what it fills in maps back onto the same
    values: saving a Wijzig page untouched changes nothing."""
    melding = Melding.objects.get(leerling__pgn="999999989", soort="L")
    context = BlokContext.van_melding(melding, instelling=melding.instelling, op=VANDAAG)
    for blok in BLOKKEN.values():
        initial = blok.initial(melding)
        assert set(initial) == set(blok.velden) | ({blok.rijen} if blok.rijen else set())
        form = blok.form(None, context=context, initial=initial)
        assert str(getattr(form, "form", form))  # renders
        argumenten = blok.service_argumenten(initial)
        assert set(argumenten["gegevens"]) == set(blok.velden)
        opgeslagen = services.melding_wijzigen(
            melding=melding,
            gebruiker=demo.gebruikers["melder"],
            versie=melding.versie,
            blok=blok.sleutel,
            **argumenten,
        )
        assert opgeslagen.versie == melding.versie, blok.sleutel


def test_de_presenter_biedt_wijzig_alleen_bij_de_blokken(demo):
    melding = Melding.objects.get(leerling__pgn="999999989", soort="L")
    presenter = presenters.MeldingPresenter(
        melding, wijzig_url=lambda sleutel: f"/wijzig/{sleutel}/", weergave=presenters.DETAIL
    )
    met_link = {s for s, blok in presenter.blokken.items() if blok.wijzig_url}
    assert met_link == set(BLOKKEN)


def test_het_beheer_toont_elk_blok_met_zijn_velden(demo):
    model_admin = admin.site._registry[Melding]
    request = RequestFactory().get("/")
    request.user = demo.gebruikers["beheerder"]
    fieldsets = dict(model_admin.get_fieldsets(request))
    for blok in BLOKKEN.values():
        velden = fieldsets[blok.titel]["fields"]
        getoond = ["ondernomen_acties" if v == "acties" else v for v in velden]
        assert getoond == list(blok.velden)
