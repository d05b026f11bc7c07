"""Zoek melding, Melding details, Melding wijzigen and Melding intrekken (manual 3, 4, 5).

Every view runs behind `InstellingMiddleware` (login, role, machtiging, chosen instelling).

Scoping:
- *Zoek melding* lists meldingen of every instelling the user holds a machtiging for; the
  Instellingscode field narrows that to one of them.
- Details, Wijzig and Intrekken only open meldingen of the instelling the user acts for now
  (`request.instelling`); anything else is a 404, so guessing numbers reveals nothing. A search
  result of another of the user's own instellingen therefore links to *Wissel instelling*
  (kies_instelling with `next` set to the melding): the user switches explicitly, and the page
  header then shows which instelling they act for.

"Terug naar meldingenoverzicht" goes back to the search results the user came from: result
rows carry `?terug=<search url>`, validated here (a local path only) and passed on through the
Wijzig and Intrekken pages; without it the link goes to the pupil's Leerling overzicht.
"""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from verzuimloket.forms import VerzuimloketForm
from verzuimloket.terug import lokale_url

from . import regels, selectors, services
from .models import Inzage, RedenIntrekken, Status, Verzuimsoort
from .presenters import DETAIL, MeldingPresenter, kop, verzuimperiode

PER_PAGINA = 25

GEEN_CRITERIUM = (
    "Vul minimaal één zoekcriterium in: meldingnummer, instellingscode of uitvoerende "
    "instantienaam."
)
GEEN_RESULTATEN = "Er zijn geen meldingen gevonden die aan de zoekcriteria voldoen."
INGETROKKEN = "De verzuimmelding is ingetrokken."
AL_INGETROKKEN = "Deze melding is al ingetrokken."
GEWIJZIGD = "De gegevens zijn aangepast."
GEEN_WIJZIGING = "Er is niets gewijzigd."


# -- helpers ---------------------------------------------------------------------------------


def _terug(request) -> str:
    """The validated `terug` parameter (a local path on this host), or ''."""
    return lokale_url(request, "terug")


def _met_terug(url: str, terug: str) -> str:
    return f"{url}?{urlencode({'terug': terug})}" if terug else url


def _detail_url(melding, terug: str = "") -> str:
    return _met_terug(reverse("meldingen:detail", args=[melding.nummer]), terug)


def _log_inzage(request, melding, handeling: str) -> None:
    """AVG: who saw which pupil's data (the Wijzig and Intrekken pages show it too)."""
    Inzage.objects.create(
        gebruiker=request.user,
        instelling=request.instelling,
        leerling_id=melding.leerling_id,
        melding=melding,
        handeling=handeling,
    )


def _fouten_in_form(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's ValidationError next to the form's fields; keys the form does not
    have (and non-field errors) go to the top of the form."""
    if hasattr(exc, "error_dict"):
        for veld, fouten in exc.error_dict.items():
            form.add_error(veld if veld in form.fields else None, fouten)
    else:
        form.add_error(None, exc)


# -- Zoek melding (manual 3) -----------------------------------------------------------------


class ZoekMeldingForm(VerzuimloketForm):
    meldingnummer = forms.CharField(
        label="Meldingnummer",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    instellingscode = forms.ChoiceField(label="Instellingscode", required=False)
    instantienaam = forms.CharField(
        label="Uitvoerende instantienaam",
        required=False,
        max_length=200,
        help_text="Maximaal 200 karakters",
        error_messages={"max_length": "Maximaal 200 karakters."},
    )
    status = forms.MultipleChoiceField(
        label="Status",
        required=False,
        choices=Status.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, machtigingen, **kwargs):
        super().__init__(*args, **kwargs)
        self.machtigingen = {i.instellingscode: i for i in machtigingen}
        self.fields["instellingscode"].choices = [("", "Kies een instellingscode")] + [
            (i.instellingscode, f"{i.instellingscode} {i.naam}") for i in machtigingen
        ]
        self.fields["instellingscode"].error_messages["invalid_choice"] = (
            "Kies een instellingscode waarvoor u gemachtigd bent."
        )

    def clean_meldingnummer(self):
        nummer = self.cleaned_data["meldingnummer"].strip()
        if not nummer:
            return None
        if not nummer.isdigit() or len(nummer) > 12:
            raise ValidationError("Een meldingnummer bestaat alleen uit cijfers, zoals 4012240.")
        return int(nummer)

    def clean_instellingscode(self):
        code = self.cleaned_data["instellingscode"]
        return self.machtigingen.get(code) if code else None

    def clean_instantienaam(self):
        return self.cleaned_data["instantienaam"].strip()

    def clean(self):
        data = super().clean()
        if not self.errors and not (
            data.get("meldingnummer") is not None
            or data.get("instellingscode")
            or data.get("instantienaam")
        ):
            raise ValidationError(GEEN_CRITERIUM, code="geen_criterium")
        return data


def _paginalinks(pagina, basis: str) -> list[dict]:
    """First, last and up to two pages around the current one, with gaps as None."""
    totaal = pagina.paginator.num_pages
    nummers = sorted(
        {1, totaal, *range(max(1, pagina.number - 2), min(totaal, pagina.number + 2) + 1)}
    )
    links, vorige = [], 0
    for nummer in nummers:
        if nummer - vorige > 1:
            links.append(None)
        links.append(
            {
                "nummer": nummer,
                "url": f"?{basis}&pagina={nummer}" if basis else f"?pagina={nummer}",
                "huidig": nummer == pagina.number,
            }
        )
        vorige = nummer
    return links


def zoeken(request):
    """Tab *Zoek melding*: search by GET, so results can be linked to and come back to."""
    criteria = request.GET.copy()
    criteria.pop("pagina", None)
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
    terug = request.get_full_path()
    if data["meldingnummer"] is not None and not als_lijst:
        # The number is unique: open the melding straight away when the user may.
        gevonden = meldingen.first()
        if gevonden is not None and gevonden.instelling_id == request.instelling.pk:
            lijst = f"{request.path}?{criteria.urlencode()}&toon=lijst"
            return redirect(_detail_url(gevonden, lijst))

    pagina = Paginator(meldingen, PER_PAGINA).get_page(request.GET.get("pagina"))
    kies_url = reverse("kies_instelling")
    rijen = []
    for melding in pagina.object_list:
        eigen = melding.instelling_id == request.instelling.pk
        detail = _detail_url(melding, terug)
        rijen.append(
            {
                "melding": melding,
                "soort": Verzuimsoort.kort(melding.soort),
                "url": detail if eigen else f"{kies_url}?{urlencode({'next': detail})}",
                "eigen": eigen,
            }
        )
    context.update(
        {
            "resultaten": True,
            "pagina": pagina,
            "rijen": rijen,
            "paginalinks": _paginalinks(pagina, criteria.urlencode())
            if pagina.paginator.num_pages > 1
            else [],
            "basis_query": criteria.urlencode(),
            "geen_resultaten": GEEN_RESULTATEN,
        }
    )
    return render(request, "meldingen/zoeken.html", context)


# -- Melding details (manual 3) --------------------------------------------------------------


def detail(request, nummer):
    melding = selectors.melding_van_instelling(request.instelling, nummer, voor_detail=True)
    terug = _terug(request)
    wijzigbaar = regels.mag_wijzigen(melding)

    def wijzig_url(blok: str) -> str:
        return _met_terug(reverse("meldingen:wijzig", args=[melding.nummer, blok]), terug)

    presenter = MeldingPresenter(
        melding,
        contactpersonen=melding.contactpersonen.all(),
        verzuimdagen=melding.verzuimdagen.all(),
        wijzig_url=wijzig_url if wijzigbaar else None,
        weergave=DETAIL,
    )
    _log_inzage(request, melding, "melding details")
    blokken = presenter.blokken
    return render(
        request,
        "meldingen/detail.html",
        {
            "melding": melding,
            "kop": presenter.kop,
            "links": presenter.lijst("leerling", "contactpersonen", "lesuren", "acties"),
            "rechts": presenter.lijst(
                "melding",
                "terugkoppeling",
                "verzuim",
                "onderwijsinstelling",
                "contactpersoon_school",
            ),
            "blokken": blokken,
            "historie": selectors.historie(melding),
            "terug_url": terug or reverse("leerlingen:overzicht", args=[melding.leerling_id]),
            "intrekken_url": _met_terug(
                reverse("meldingen:intrekken", args=[melding.nummer]), terug
            )
            if regels.mag_intrekken(melding, regels.vandaag())
            else None,
        },
    )


# -- Melding wijzigen (manual 4) -------------------------------------------------------------

# One page per block, with the wizard's forms (meldingen/forms.py) filled in from the melding.
WIJZIG_TITELS = {
    "leerling": "Leerling",
    "verzuim": "Verzuim",
    "lesuren": "Lesuren",
    "acties": "Acties door school",
}
CONTACTPERSONEN_PREFIX = "contactpersonen"
VERZUIMDAGEN_PREFIX = "verzuimdagen"


def _beginwaarden(melding, velden) -> dict:
    return {veld: getattr(melding, veld) for veld in velden}


def _wijzig_form(blok: str, melding, data, instelling, vandaag):
    """The block's form (or StapForm: form + formset) for this melding; `data` None = GET."""
    from . import forms as blokforms  # the wizard's module; imported late, it is large

    if blok == "leerling":
        initial = _beginwaarden(melding, services.LEERLING_VELDEN)
        initial["contactpersonen"] = [
            {"naam": c.naam, "relatie": c.relatie, "email": c.email, "telefoon": c.telefoon}
            for c in melding.contactpersonen.all()
        ]
        return blokforms.LeerlingStapForm(data, initial=initial)
    if blok == "verzuim":
        return blokforms.VerzuimForm(
            data,
            leerling=melding.leerling,
            instelling=instelling,
            op=vandaag,
            melding=melding,
            initial=_beginwaarden(melding, services.VERZUIM_VELDEN),
        )
    if blok == "lesuren":
        initial = {
            "alle_lessen_gemist": melding.alle_lessen_gemist,
            "verzuimdagen": [
                {
                    "datum": d.datum,
                    "hele_dag": d.hele_dag,
                    "lesuren": list(d.lesuren),
                    "toelichting": d.toelichting,
                }
                for d in melding.verzuimdagen.all()
            ],
        }
        return blokforms.LesurenStapForm(
            data,
            initial=initial,
            begindatum=melding.begindatum,
            einddatum=melding.einddatum,
            op=vandaag,
        )
    return blokforms.ActiesSchoolForm(data, initial=_beginwaarden(melding, services.ACTIES_VELDEN))


def _verwerk_knop(blok: str, actie: str, data, maak_form):
    """Buttons that only change the page (`forms.paginaknop`). Returns the form to show
    (messages hidden unless Voeg toe found a problem), or None for an unknown button."""
    from . import forms as blokforms

    prefix = {"leerling": CONTACTPERSONEN_PREFIX, "lesuren": VERZUIMDAGEN_PREFIX}
    if blok not in prefix:
        return None
    uitkomst = blokforms.paginaknop(
        blok,
        actie,
        data,
        formset_prefix=prefix[blok],
        alle_lessen_veld="alle_lessen_gemist",
        is_geldig=lambda data: maak_form(data).is_valid(),
    )
    if uitkomst is None:
        return None
    data, stil = uitkomst
    form = maak_form(data)
    if stil:
        form.zonder_fouten()
    else:
        form.is_valid()
    return form


def _gegevens(blok: str, form) -> tuple[dict, list | None, list | None]:
    """(gegevens, contactpersonen, verzuimdagen) for services.melding_wijzigen."""
    _, velden = services.BLOKKEN[blok]
    data = form.cleaned_data
    gegevens = {veld: data[veld] for veld in velden}
    if blok == "leerling":
        return gegevens, data["contactpersonen"], None
    if blok == "lesuren":
        return gegevens, None, data["verzuimdagen"]
    return gegevens, None, None


def _toon_servicefouten(form, exc: ValidationError) -> None:
    """Put a refusal of the service next to the fields of the block's form (or formset)."""
    hoofdform = getattr(form, "form", form)
    formset = getattr(form, "formset", None)
    if not hasattr(exc, "error_dict"):
        hoofdform.add_error(None, exc)
        return
    for veld, fouten in exc.error_dict.items():
        if veld in hoofdform.fields:
            hoofdform.add_error(veld, fouten)
        elif formset is not None and veld in (CONTACTPERSONEN_PREFIX, VERZUIMDAGEN_PREFIX):
            formset.non_form_errors()  # builds _non_form_errors
            formset._non_form_errors.extend(m for f in fouten for m in f.messages)
        else:
            hoofdform.add_error(None, fouten)


def _versie(request, melding) -> int | None:
    """The version the user saw: the melding's on a GET, the hidden field's on a POST (None
    when missing or tampered with, which the service refuses like a stale version)."""
    if request.method != "POST":
        return melding.versie
    waarde = request.POST.get("versie") or ""
    return int(waarde) if waarde.isdigit() and len(waarde) < 10 else None


def wijzig(request, nummer, blok):
    if blok not in WIJZIG_TITELS:
        raise Http404
    melding = selectors.melding_van_instelling(request.instelling, nummer, voor_detail=True)
    terug = _terug(request)
    detail_url = _detail_url(melding, terug)
    if not regels.mag_wijzigen(melding):
        messages.error(
            request, services.NIET_WIJZIGBAAR.format(status=melding.get_status_display())
        )
        return redirect(detail_url)

    vandaag = regels.vandaag()
    versie = _versie(request, melding)
    gelijktijdig = False

    def maak_form(data):
        return _wijzig_form(blok, melding, data, request.instelling, vandaag)

    if request.method != "POST":
        form = maak_form(None)
        _log_inzage(request, melding, f"melding wijzigen ({blok})")
    elif request.POST.get("actie"):
        form = _verwerk_knop(blok, request.POST["actie"], request.POST, maak_form)
        if form is None:
            raise Http404
    else:
        form = maak_form(request.POST)
        if form.is_valid():
            gegevens, contactpersonen, verzuimdagen = _gegevens(blok, form)
            try:
                with transaction.atomic():
                    opgeslagen = services.melding_wijzigen(
                        melding=melding,
                        gebruiker=request.user,
                        versie=versie if versie is not None else -1,
                        blok=blok,
                        gegevens=gegevens,
                        contactpersonen=contactpersonen,
                        verzuimdagen=verzuimdagen,
                    )
            except ValidationError as exc:
                if getattr(exc, "code", None) == "gelijktijdig":
                    gelijktijdig = True
                else:
                    _toon_servicefouten(form, exc)
            else:
                if opgeslagen.versie == melding.versie:
                    messages.info(request, GEEN_WIJZIGING)
                else:
                    messages.success(request, GEWIJZIGD)
                    for waarschuwing in getattr(form, "waarschuwingen", []):
                        messages.warning(request, waarschuwing)
                return redirect(detail_url)

    hoofdform = getattr(form, "form", form)
    formset = getattr(form, "formset", None)
    context = {
        "melding": melding,
        "blok": blok,
        "titel": WIJZIG_TITELS[blok],
        "kop": kop(melding.leerling),
        "leerling": melding.leerling,
        "stap": form,
        "form": hoofdform,
        "formset": formset,
        "versie": versie if versie is not None else "",
        "terug": terug,
        "detail_url": detail_url,
        "gelijktijdig": services.GELIJKTIJDIG_GEWIJZIGD if gelijktijdig else "",
        "heeft_fouten": bool(
            gelijktijdig
            or (hoofdform.is_bound and hoofdform.errors)
            or (formset is not None and formset.is_bound and formset.total_error_count())
        ),
    }
    if blok == "verzuim":
        from .forms import STANDAARDTEKSTEN, toon_locatie

        context["standaardteksten"] = STANDAARDTEKSTEN
        context["locatie_tekst"] = toon_locatie(form.getoonde_locatie)
    return render(request, f"meldingen/wijzig_{blok}.html", context)


# -- Melding intrekken (manual 5) ------------------------------------------------------------


class IntrekkenForm(VerzuimloketForm):
    reden_intrekken = forms.ChoiceField(
        label="Reden melding intrekken",
        choices=[("", "Kies een reden")] + RedenIntrekken.choices,
        error_messages={"required": "Kies een reden.", "invalid_choice": "Kies een reden."},
    )
    toelichting_intrekken = forms.CharField(
        label="Toelichting",
        required=False,
        max_length=300,
        help_text="Maximaal 300 karakters",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "Maximaal 300 karakters."},
    )

    def clean(self):
        data = super().clean()
        if data.get("reden_intrekken") == RedenIntrekken.ANDERS and not data.get(
            "toelichting_intrekken"
        ):
            self.add_error(
                "toelichting_intrekken", "Geef een toelichting als de reden 'Anders' is."
            )
        return data


def intrekken(request, nummer):
    melding = selectors.melding_van_instelling(request.instelling, nummer)
    terug = _terug(request)
    if melding.status == Status.INGETROKKEN:
        messages.error(request, AL_INGETROKKEN)
        return redirect(_detail_url(melding, terug))
    if not regels.mag_intrekken(melding, regels.vandaag()):
        messages.error(request, services.NIET_INTREKBAAR)
        return redirect(_detail_url(melding, terug))

    form = IntrekkenForm(request.POST or None)
    if request.method != "POST":
        _log_inzage(request, melding, "melding intrekken")
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
            _fouten_in_form(form, exc)
        else:
            messages.success(request, INGETROKKEN)
            return redirect(_detail_url(melding, terug))
    return render(
        request,
        "meldingen/intrekken.html",
        {
            "form": form,
            "melding": melding,
            "kop": kop(melding.leerling),
            "soort": Verzuimsoort.kort(melding.soort),
            "periode": verzuimperiode(melding.begindatum, melding.einddatum, tot="t/m"),
            "terug": terug,
            "detail_url": _detail_url(melding, terug),
        },
    )
