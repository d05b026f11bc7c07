"""The uitvoerende instantie's pages: the werkvoorraad, a melding, and the actions on it.

Every view is `@voor_behandelaar`: `OrganisatieMiddleware` runs it only for a behandelaar acting
for an instantie (`request.instantie`), and the selectors show only meldingen whose current
instantie that is; anything else is a 404. Every page that shows pupil data is logged in the
inzagelog. Actions go through `behandeling.services` with the versie the behandelaar saw.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from leerlingen.autorisatie import voor_behandelaar
from leerlingen.models import Handeling
from leerlingen.services import inzage_vastleggen, inzagen_vastleggen
from meldingen import selectors as melding_selectors
from meldingen import workflow
from meldingen.presenters import details
from meldingen.services import GELIJKTIJDIG_GEWIJZIGD
from verzuimloket import onderweg
from verzuimloket.datums import vandaag
from verzuimloket.forms import fouten_tonen
from verzuimloket.paginering import blader

from . import forms, presenters, regels, selectors, services

PER_PAGINA = 25


@voor_behandelaar
def werkvoorraad(request):
    """The instantie's meldingen, newest first; Geregistreerd unless filtered otherwise."""
    criteria = request.GET.copy()
    for sleutel in ("pagina", "na", "voor"):  # where in the list, not what to filter on
        criteria.pop(sleutel, None)
    if not criteria:  # no filters asked: what waits (also on page 2 of that)
        criteria.update(forms.WerkvoorraadForm.STANDAARD)
    form = forms.WerkvoorraadForm(criteria)
    aantallen = selectors.aantallen_per_status(request.instantie)
    pagina = None
    if form.is_valid():
        data = form.cleaned_data
        meldingen = selectors.werkvoorraad(
            instantie=request.instantie,
            statussen=[data["status"]] if data["status"] else [],
            instelling=data["instelling"],
            soort=data["soort"],
            van=data["van"],
            tot=data["tot"],
            leerling=data["leerling"],
        )
        pagina = blader(
            meldingen,
            request.GET,
            per_pagina=PER_PAGINA,
            basis=criteria.urlencode(),
            aantal=selectors.aantal_uit_tellingen(aantallen, data),
        )
        getoond = pagina.regels
    with onderweg.blok():  # the entries are committed while the page renders
        if pagina is not None:
            inzagen_vastleggen(  # the list names the pupils
                gebruiker=request.user,
                instelling=None,
                instantie=request.instantie,
                handeling=Handeling.WERKVOORRAAD,
                getoond=[(m.leerling_id, m.nummer) for m in getoond],
            )
        response = render(
            request,
            "behandeling/werkvoorraad.html",
            {
                "form": form,
                "pagina": pagina,
                "regels": presenters.werkvoorraad_regels(getoond) if pagina else [],
                "aantallen": presenters.aantallen(aantallen),
            },
        )
    return response


@voor_behandelaar
def melding(request, nummer):
    """Every block the school registered (read-only), the Wet, the history and the actions."""
    try:
        melding = selectors.melding_van_instantie(request.instantie, nummer)
    except Http404:
        if selectors.van_instanties(request.instantie_machtigingen).filter(nummer=nummer).exists():
            # A mail's link to a melding of another instantie this behandelaar works for:
            # choose that one, then come back.
            return redirect_to_login(request.get_full_path(), "kies_instelling", "next")
        raise
    services.melding_openen(melding=melding)
    heeft_terugkoppeling = _terugkoppeling(melding) is not None
    with onderweg.blok():  # the entry is committed while the page renders
        _inzage(request, melding)
        response = render(
            request,
            "behandeling/melding.html",
            {
                "melding": melding,
                **details(melding, melding_selectors.historie(melding)),
                "acties": presenters.acties(melding, heeft_terugkoppeling=heeft_terugkoppeling),
                "versie": melding.versie,
                "behandeling": presenters.behandeling_blok(melding),
            },
        )
    return response


def _inzage(request, melding, detail: str = "") -> None:
    """AVG: this page shows the pupil's data, to a behandelaar of this instantie."""
    inzage_vastleggen(
        gebruiker=request.user,
        instelling=None,
        instantie=request.instantie,
        handeling=Handeling.BEHANDELING,
        leerling_id=melding.leerling_id,
        meldingnummer=melding.nummer,
        detail=detail,
    )


def _terugkoppeling(melding):
    try:
        return melding.terugkoppeling
    except ObjectDoesNotExist:
        return None


@dataclass(frozen=True)
class Actie:
    titel: str
    form_class: type
    gelukt: str


ACTIES = {
    workflow.IN_BEHANDELING_NEMEN: Actie(
        "In behandeling nemen", forms.VersieForm, "De melding is in behandeling genomen."
    ),
    workflow.TERUGKOPPELING_GEVEN: Actie(
        "Terugkoppeling geven", forms.TerugkoppelingForm, "De terugkoppeling is opgeslagen."
    ),
    workflow.AFSLUITEN: Actie("Afsluiten", forms.AfsluitenForm, "De melding is afgesloten."),
    workflow.TER_KENNISGEVING_AANNEMEN: Actie(
        "Ter kennisgeving aannemen",
        forms.KennisgevingForm,
        "De melding is ter kennisgeving aangenomen.",
    ),
    workflow.DOORSTUREN: Actie("Doorsturen", forms.DoorsturenForm, "De melding is doorgestuurd."),
}


def _form(sleutel: str, data, melding, request):
    form_class = ACTIES[sleutel].form_class
    kwargs = {"initial": {"versie": melding.versie}}
    if sleutel == workflow.TERUGKOPPELING_GEVEN:
        kwargs["op"] = vandaag()
        kwargs["initial"] |= _terugkoppeling_begin(melding, request.user)
    if sleutel in (workflow.TER_KENNISGEVING_AANNEMEN, workflow.DOORSTUREN):
        kwargs["melding"] = melding
    return form_class(data, **kwargs)


def _terugkoppeling_begin(melding, gebruiker) -> dict:
    """The terugkoppeling given so far, else the behandelaar's own name and e-mail, today."""
    bestaand = _terugkoppeling(melding)
    if bestaand is not None:
        return {veld: getattr(bestaand, veld) for veld in services.TERUGKOPPELING_VELDEN}
    return {"naam": gebruiker.get_full_name(), "email": gebruiker.email, "datum": vandaag()}


def _uitvoeren(sleutel: str, melding, gebruiker, data: dict):
    versie = data["versie"]
    if sleutel == workflow.IN_BEHANDELING_NEMEN:
        return services.in_behandeling_nemen(melding=melding, gebruiker=gebruiker, versie=versie)
    if sleutel == workflow.TERUGKOPPELING_GEVEN:
        velden = {veld: data[veld] for veld in services.TERUGKOPPELING_VELDEN}
        return services.terugkoppeling_geven(
            melding=melding, gebruiker=gebruiker, versie=versie, **velden
        )
    if sleutel == workflow.AFSLUITEN:
        return services.melding_afsluiten(
            melding=melding, gebruiker=gebruiker, versie=versie, reden=data["reden_afgesloten"]
        )
    if sleutel == workflow.TER_KENNISGEVING_AANNEMEN:
        return services.ter_kennisgeving_aannemen(
            melding=melding, gebruiker=gebruiker, versie=versie, toelichting=data["toelichting"]
        )
    return services.doorsturen(
        melding=melding,
        gebruiker=gebruiker,
        versie=versie,
        instantie=data["instantie"],
        reden=data["reden"],
    )


@voor_behandelaar
def actie(request, nummer, actie):
    """One action on a melding: its form (GET), done through the service (POST)."""
    if actie not in ACTIES:
        raise Http404
    melding = selectors.melding_van_instantie(request.instantie, nummer, details=False)
    melding_url = reverse("behandeling:melding", args=[melding.nummer])
    if actie not in workflow.instantie_acties(melding):
        messages.error(request, regels.NIET_MOGELIJK.format(status=melding.get_status_display()))
        return redirect(melding_url)
    form = _form(actie, request.POST if request.method == "POST" else None, melding, request)
    gelijktijdig = False
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                _uitvoeren(actie, melding, request.user, form.cleaned_data)
        except ValidationError as fout:
            if getattr(fout, "code", None) == "gelijktijdig":
                gelijktijdig = True
            else:
                fouten_tonen(form, fout)
        else:
            messages.success(request, ACTIES[actie].gelukt)
            if actie == workflow.DOORSTUREN:  # it is another instantie's now
                return redirect("behandeling:werkvoorraad")
            return redirect(melding_url)
    if request.method != "POST":
        _inzage(request, melding, detail=ACTIES[actie].titel)
    return render(
        request,
        "behandeling/actie.html",
        {
            "melding": melding,
            "titel": ACTIES[actie].titel,
            "form": form,
            "melding_url": melding_url,
            "gelijktijdig": GELIJKTIJDIG_GEWIJZIGD if gelijktijdig else "",
            "heeft_fouten": gelijktijdig or (form.is_bound and bool(form.errors)),
        },
    )
