"""Leerling overzicht, Zoek melding, Melding details, Melding wijzigen and Melding intrekken
(manual 2.2, 3, 4, 5).

Every view runs behind `InstellingMiddleware` (login, role, machtiging, chosen instelling).

Scoping:
- The *Leerling overzicht* opens for a pupil who is or was enrolled at the instelling the user
  acts for (`request.instelling`), and lists all of the pupil's meldingen.
- *Zoek melding* lists meldingen of every instelling the user holds a machtiging for; the
  Instellingscode field narrows that to one of them.
- Details, Wijzig and Intrekken only open meldingen of the instelling the user acts for now;
  anything else is a 404, so guessing numbers reveals nothing. A search result of another of
  the user's own instellingen links to *Wissel instelling* first (`presenters.zoek_regels`).

"Terug naar meldingenoverzicht" goes back to the search results the user came from: result
rows carry `?terug=<search url>`, validated here (a local path only) and passed on through the
Wijzig and Intrekken pages; without it the link goes to the pupil's Leerling overzicht.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from leerlingen.models import Handeling, Leerling, Onderwijslocatie
from leerlingen.services import inzage_vastleggen, inzagen_vastleggen
from verzuimloket import formaten, onderweg
from verzuimloket.adressen import per_nummer, per_sleutel
from verzuimloket.datums import vandaag
from verzuimloket.forms import fouten_tonen
from verzuimloket.paginering import blader
from verzuimloket.terug import lokale_url

from . import presenters, regels, selectors, services, workflow
from .blokken import BLOKKEN, BlokContext
from .forms import IntrekkenForm, ZoekMeldingForm
from .models import Melding
from .presenters import (
    detail_url,
    kop,
    met_terug,
    verzuimperiode,
)
from .wizard import AANTAL_STAPPEN

PER_PAGINA = 25

GEEN_RESULTATEN = "Er zijn geen meldingen gevonden die aan de zoekcriteria voldoen."
INGETROKKEN = "De verzuimmelding is ingetrokken."
GEWIJZIGD = "De gegevens zijn aangepast."
GEEN_WIJZIGING = "Er is niets gewijzigd."


def _terug(request) -> str:
    """The validated `terug` parameter (a local path on this host), or ''."""
    return lokale_url(request, "terug")


def _inzage(request, handeling: Handeling, *, leerling_id, melding=None, detail="") -> None:
    """AVG: this page shows the pupil's data (and the melding's)."""
    inzage_vastleggen(
        gebruiker=request.user,
        instelling=request.instelling,
        handeling=handeling,
        leerling_id=leerling_id,
        meldingnummer=melding.nummer if melding is not None else None,
        detail=detail,
    )


# -- Leerling overzicht (manual 2.2) ---------------------------------------------------------


def leerling_overzicht(request, pk):
    """The pupil's data, whether a melding can be registered today, and all of the pupil's
    meldingen."""
    gevonden = regels.leerling_met_inschrijvingen(pk, request.instelling)
    if gevonden is None:
        raise Http404
    leerling, inschrijvingen = gevonden
    meldingen = selectors.meldingen_van_leerling(leerling)
    with onderweg.blok():  # the entry is committed while the page renders
        _inzage(request, Handeling.LEERLING_OVERZICHT, leerling_id=leerling.pk)
        response = render(
            request,
            "meldingen/leerling_overzicht.html",
            {
                "leerling": leerling,
                "meldingen": presenters.leerling_overzicht_regels(
                    meldingen, instelling=request.instelling
                ),
                "blokkade": regels.registreren_blokkade(
                    leerling, request.instelling, vandaag(), inschrijvingen=inschrijvingen
                ),
            },
        )
    return response


# -- Bevestiging (manual 2.7, step 6 of the wizard) ---------------------------------------------


def bevestiging(request, leerling_pk, nummer):
    """Stap 6 van 6: *Gelukt*."""
    leerling = get_object_or_404(
        Leerling.objects.zichtbaar_voor(request.instelling), pk=leerling_pk
    )
    melding = get_object_or_404(
        Melding.objects.van_instelling(request.instelling).only("nummer", "leerling_id"),
        nummer=nummer,
        leerling=leerling,
    )
    return render(
        request,
        "meldingen/wizard/bevestiging.html",
        {
            "leerling": leerling,
            "melding": melding,
            "stap_nummer": AANTAL_STAPPEN,
            "aantal_stappen": AANTAL_STAPPEN,
        },
    )


# -- Zoek melding (manual 3) -----------------------------------------------------------------


def zoeken(request):
    """Tab *Zoek melding*: search by GET, so results can be linked to and come back to."""
    criteria = request.GET.copy()
    for sleutel in ("pagina", "na", "voor"):  # where in the list, not what to search for
        criteria.pop(sleutel, None)
    # "Terug naar meldingenoverzicht" after an exact number shows the list, not the melding.
    als_lijst = criteria.pop("toon", None) == ["lijst"]
    gezocht = bool(criteria)
    form = ZoekMeldingForm(criteria if gezocht else None, machtigingen=request.machtigingen)
    context = {"form": form, "actieve_tab": "melding", "gezocht": gezocht}
    if not (gezocht and form.is_valid()):
        return render(request, "meldingen/zoeken.html", context)

    data = form.cleaned_data
    meldingen = selectors.zoek_meldingen(
        machtigingen=request.machtigingen,
        nummer=data["meldingnummer"],
        instelling=data["instellingscode"],
        instantienaam=data["instantienaam"],
        statussen=data["status"],
    )
    if data["meldingnummer"] is not None and not als_lijst:
        # The number is unique: open the melding straight away when the user may.
        gevonden = next(iter(meldingen.rijen(1)), None)
        if gevonden is not None and gevonden.instelling_id == request.instelling.pk:
            lijst = f"{request.path}?{criteria.urlencode()}&toon=lijst"
            return redirect(detail_url(gevonden, lijst))

    pagina = blader(meldingen, request.GET, per_pagina=PER_PAGINA, basis=criteria.urlencode())
    getoond = pagina.regels
    with onderweg.blok():  # the entries are committed while the page renders
        inzagen_vastleggen(  # the list names the pupils
            gebruiker=request.user,
            instelling=request.instelling,
            handeling=Handeling.ZOEK_MELDING,
            getoond=[(m.leerling_id, m.nummer) for m in getoond],
        )
        context.update(
            {
                "resultaten": True,
                "pagina": pagina,
                "rijen": presenters.zoek_regels(
                    getoond, instelling=request.instelling, terug=request.get_full_path()
                ),
                "geen_resultaten": GEEN_RESULTATEN,
            }
        )
        response = render(request, "meldingen/zoeken.html", context)
    return response


# -- Melding details (manual 3) --------------------------------------------------------------


def detail(request, nummer):
    melding = selectors.melding_van_instelling(request.instelling, nummer, voor_detail=True)
    terug = _terug(request)

    wijzig = per_sleutel("meldingen:wijzig", melding.nummer)  # one reverse() for every block

    def wijzig_url(blok: str) -> str:
        return met_terug(wijzig(blok), terug)

    # The entry goes out now; the page renders while it is committed (verzuimloket/onderweg.py).
    with onderweg.blok():
        _inzage(
            request, Handeling.MELDING_DETAILS, leerling_id=melding.leerling_id, melding=melding
        )
        response = render(
            request,
            "meldingen/detail.html",
            {
                "melding": melding,
                **presenters.details(
                    melding,
                    selectors.historie(melding),
                    wijzig_url=wijzig_url if workflow.mag_wijzigen(melding) else None,
                ),
                # Back to the search results the user came from, else to the pupil.
                "terug_url": terug
                or per_nummer("meldingen:leerling_overzicht")(melding.leerling_id),
                "terug_tekst": "Terug naar meldingenoverzicht"
                if terug
                else "Terug naar leerling overzicht",
                "sectie": "melding" if terug else "leerling",
                "intrekken_url": met_terug(per_nummer("meldingen:intrekken")(melding.nummer), terug)
                if regels.mag_intrekken(melding, vandaag())
                else None,
            },
        )
    return response


# -- Melding wijzigen (manual 4) -------------------------------------------------------------


def _versie(request, melding) -> int | None:
    """The version the user saw: the melding's on a GET, the hidden field's on a POST (None
    when missing or tampered with, which the service refuses like a stale version)."""
    if request.method != "POST":
        return melding.versie
    waarde = request.POST.get("versie") or ""
    return int(waarde) if waarde.isdigit() and len(waarde) < 10 else None


def wijzig(request, nummer, blok):
    """One page per block (`blokken.BLOKKEN`), with the wizard's form filled in from the
    melding; *Wijzigen* goes through `services.melding_wijzigen`."""
    if blok not in BLOKKEN:
        raise Http404
    blok = BLOKKEN[blok]
    melding = selectors.melding_van_instelling(request.instelling, nummer, voor_detail=True)
    terug = _terug(request)
    terug_url = detail_url(melding, terug)
    if not workflow.mag_wijzigen(melding):
        messages.error(
            request, workflow.NIET_WIJZIGBAAR.format(status=melding.get_status_display())
        )
        return redirect(terug_url)

    versie = _versie(request, melding)
    context = BlokContext.van_melding(melding, instelling=request.instelling, op=vandaag())
    form = blok.form(
        request.POST if request.method == "POST" else None,
        context=context,
        initial=blok.initial(melding),
    )
    gelijktijdig = False
    if request.method != "POST":
        _inzage(
            request,
            Handeling.MELDING_WIJZIGEN,
            leerling_id=melding.leerling_id,
            melding=melding,
            detail=blok.sleutel,
        )
    elif request.POST.get("actie"):
        uitkomst = form.paginaknop(request.POST["actie"])
        if uitkomst is None:
            raise Http404
        data, stil = uitkomst
        form = form.opnieuw(data)
        if stil:
            form.zonder_fouten()
        else:
            form.is_valid()
    elif form.is_valid():
        try:
            with transaction.atomic():
                opgeslagen = services.melding_wijzigen(
                    melding=melding,
                    gebruiker=request.user,
                    versie=versie if versie is not None else -1,
                    blok=blok.sleutel,
                    **blok.service_argumenten(form.cleaned_data),
                )
        except ValidationError as exc:
            if getattr(exc, "code", None) == "gelijktijdig":
                gelijktijdig = True
            else:
                fouten_tonen(form, exc)
        else:
            if opgeslagen.versie == melding.versie:
                messages.info(request, GEEN_WIJZIGING)
            else:
                messages.success(request, GEWIJZIGD)
                for waarschuwing in getattr(form, "waarschuwingen", []):
                    messages.warning(request, waarschuwing)
            return redirect(terug_url)

    return render(
        request,
        "meldingen/wijzig.html",
        {
            "melding": melding,
            "blok": blok,
            "titel": blok.titel,
            "kop": kop(melding.leerling),
            "leerling": melding.leerling,
            "stap": form,
            "form": getattr(form, "form", form),
            "formset": getattr(form, "formset", None),
            "versie": versie if versie is not None else "",
            "terug": terug,
            "detail_url": terug_url,
            "gelijktijdig": services.GELIJKTIJDIG_GEWIJZIGD if gelijktijdig else "",
            "heeft_fouten": gelijktijdig or form.heeft_fouten,
        },
    )


# -- Melding intrekken (manual 5) ------------------------------------------------------------


def intrekken(request, nummer):
    melding = selectors.melding_van_instelling(request.instelling, nummer)
    terug = _terug(request)
    blokkade = regels.intrekken_blokkade(melding, vandaag())
    if blokkade is not None:
        messages.error(request, blokkade)
        return redirect(detail_url(melding, terug))

    form = IntrekkenForm(request.POST or None)
    if request.method != "POST":
        _inzage(
            request, Handeling.MELDING_INTREKKEN, leerling_id=melding.leerling_id, melding=melding
        )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.melding_intrekken(
                    melding=melding,
                    gebruiker=request.user,
                    reden=form.cleaned_data["reden_intrekken"],
                    toelichting=form.cleaned_data["toelichting_intrekken"],
                )
        except ValidationError as exc:
            fouten_tonen(form, exc)
        else:
            messages.success(request, INGETROKKEN)
            return redirect(detail_url(melding, terug))
    return render(
        request,
        "meldingen/intrekken.html",
        {
            "form": form,
            "melding": melding,
            "kop": kop(melding.leerling),
            "soort": melding.soort_kort,
            "periode": verzuimperiode(melding.begindatum, melding.einddatum, tot="t/m"),
            "terug": terug,
            "detail_url": detail_url(melding, terug),
        },
    )


# -- Onderwijslocatie opzoeken (manual 2.4) ----------------------------------------------------

LOCATIE_BESTAAT_NIET = "Deze onderwijslocatie bestaat niet"


@require_GET
def locatie(request, code):
    """Postcode and huisnummer of an onderwijslocatiecode, as JSON, for the script that shows
    them under the field as soon as it is typed (block Verzuim). Only a locatie of an
    onderwijsaanbieder of the instelling the user acts for: any other code, also one of another
    school and text that is no code at all, gets the same 404, so it reveals nothing."""
    code = code[:8].upper()  # a code has 7 characters: longer is no code, however long
    gevonden = None
    if formaten.LOCATIECODE.fullmatch(code):
        gevonden = Onderwijslocatie.objects.filter(
            code=code, aanbieder__instelling=request.instelling
        ).first()
    if gevonden is None:
        return JsonResponse({"fout": LOCATIE_BESTAAT_NIET}, status=404)
    postcode = formaten.toon_postcode(gevonden.postcode)
    return JsonResponse(
        {
            "postcode": postcode,
            "huisnummer": gevonden.huisnummer,
            "tekst": f"Postcode {postcode} Huisnummer {gevonden.huisnummer}",
        }
    )
