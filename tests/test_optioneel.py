"""OPTIONEEL shows exactly where a field may be left empty in the state the user sees: every
form of the school side, in every combination of the answers that change what is asked, left
empty and submitted — a field marked OPTIONEEL never gets a message, a field without the mark
always does. The mark and the validation read one declaration (`alleen_als`, `verplicht_als`),
so they cannot disagree."""

import itertools

import pytest
from django import forms

from meldingen.forms import (
    ActiesSchoolForm,
    IntrekkenForm,
    LeerlingForm,
    LesurenForm,
    OverzichtForm,
    VerzuimForm,
)
from meldingen.forms.leerling import ContactpersoonForm
from meldingen.forms.lesuren import VerzuimdagForm
from tests.conftest import VANDAAG

pytestmark = pytest.mark.django_db


def antwoorden(field: forms.Field) -> list:
    """The answers a condition field can have, and none."""
    keuzes = [waarde for waarde, _ in field.choices if waarde != ""]
    if isinstance(field, forms.MultipleChoiceField):
        return [[], *([k] for k in keuzes)]
    return ["", *keuzes]


def toestanden(form_class, maak):
    """Every combination of the answers that decide what else is asked."""
    leeg = maak(None)
    bepalend = sorted(
        {ander for voorwaarden in form_class.alleen_als.values() for ander, _ in voorwaarden}
        | {ander for ander, _ in form_class.verplicht_als.values()}
    )
    bepalend = [naam for naam in bepalend if naam in leeg.fields]
    for combinatie in itertools.product(*(antwoorden(leeg.fields[n]) for n in bepalend)):
        yield dict(zip(bepalend, combinatie, strict=True))


def vergelijk(form) -> list[str]:
    """Fields whose mark disagrees with the validation (the form is bound and validated)."""
    form.is_valid()
    fout = []
    for naam in form.fields:
        if naam in form.niet_gevraagd:
            continue  # not shown in this state
        mark = form[naam].optioneel_mark
        zichtbaar_optioneel = mark is not None and not mark["verborgen"]
        heeft_fout = naam in form.errors
        if zichtbaar_optioneel == heeft_fout:
            fout.append(f"{naam}: OPTIONEEL={zichtbaar_optioneel}, melding={heeft_fout}")
    return fout


def controleer(form_class, maak):
    verschillen = {}
    marks = {}  # field -> the visible marks it had across the states
    for toestand in toestanden(form_class, maak):
        data = {}
        for naam, waarde in toestand.items():
            sleutel = maak(None).add_prefix(naam)
            data[sleutel] = waarde
        form = maak(data)
        # The condition fields themselves are answered here; compare the others.
        resultaat = [r for r in vergelijk(form) if r.split(":")[0] not in toestand]
        if resultaat:
            verschillen[str(toestand)] = resultaat
        for naam in form.fields:
            mark = form[naam].optioneel_mark
            marks.setdefault(naam, set()).add(mark is not None and not mark["verborgen"])
    assert verschillen == {}
    # A field that the page shows or hides as the user answers (alleen_als) keeps one mark:
    # the page script shows it without a new page from the server.
    wisselend = {n for n in form_class.alleen_als if n not in form_class.verplicht_als}
    assert {n: m for n, m in marks.items() if n in wisselend and len(m) > 1} == {}


def test_leerling(demo):
    controleer(LeerlingForm, lambda data: LeerlingForm(data, prefix="leerling"))


def test_contactpersoon():
    controleer(ContactpersoonForm, lambda data: ContactpersoonForm(data))


@pytest.mark.parametrize("alleen_periode", [True, False])
def test_verzuim(demo, alleen_periode):
    def maak(data):
        return VerzuimForm(
            data,
            prefix="verzuim",
            leerling=demo.leerlingen["999999989"],
            instelling=demo.instellingen["24GP"],
            op=VANDAAG,
            alleen_periode=alleen_periode,
        )

    controleer(VerzuimForm, maak)


def test_lesuren():
    controleer(LesurenForm, lambda data: LesurenForm(data, prefix="lesuren"))
    controleer(VerzuimdagForm, lambda data: VerzuimdagForm(data, prefix="verzuimdagen-0"))


def test_acties_en_overzicht():
    controleer(ActiesSchoolForm, lambda data: ActiesSchoolForm(data, prefix="acties"))
    controleer(OverzichtForm, lambda data: OverzichtForm(data, prefix="overzicht"))


def test_intrekken():
    controleer(IntrekkenForm, lambda data: IntrekkenForm(data))


def test_de_markering_volgt_het_antwoord_in_de_pagina(demo):
    """The mark of a field that is required after a certain answer carries that answer for the
    page script, and is hidden as the page is rendered with it."""

    def maak(data):
        return VerzuimForm(
            data,
            prefix="verzuim",
            leerling=demo.leerlingen["999999989"],
            instelling=demo.instellingen["24GP"],
            op=VANDAAG,
        )

    html = str(
        maak({"verzuim-actie_gewenst": "ja", "verzuim-soort": "O"})[
            "toelichting_actie_gewenst"
        ].as_field_group()
    )
    assert 'data-verberg-als="verzuim-actie_gewenst=nee"' in html
    assert "hidden" not in html.split("OPTIONEEL")[0].rsplit("<span", 1)[1]
    html = str(
        maak({"verzuim-actie_gewenst": "nee", "verzuim-soort": "O"})[
            "toelichting_actie_gewenst"
        ].as_field_group()
    )
    assert 'data-verberg-als="verzuim-actie_gewenst=nee" hidden>OPTIONEEL' in html
    einddatum = str(maak({"verzuim-soort": "V3"})["einddatum"].as_field_group())
    assert 'data-verberg-als="verzuim-soort=V3|V4" hidden>OPTIONEEL' in einddatum
