"""Login, the choice of organisation, and Zoek leerling (manual 1, 2.2).

Every view here except login/logout runs behind `OrganisatieMiddleware`, which sets
`request.instelling` (or `request.instantie`); data is only ever read through it. The Leerling
overzicht that Zoek leerling leads to lists the pupil's meldingen, so it lives in the meldingen
app; the uitvoerende instantie's pages are the behandeling app's.
"""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse

from verzuimloket.rem import UUR, Rem
from verzuimloket.terug import lokale_url

from . import autorisatie
from .autorisatie import INSTANTIE, openbaar, zonder_gekozen_organisatie
from .forms import KiesOrganisatieForm, ZoekLeerlingForm
from .models import Handeling
from .services import inzage_vastleggen


class InloggenView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        # The beheerder works in the admin; school staff and behandelaars go to the choice of
        # organisation (skipped with only one).
        gebruiker = self.request.user
        if gebruiker.is_staff and not (
            autorisatie.machtigingen_van(gebruiker)
            or autorisatie.instantie_machtigingen_van(gebruiker)
        ):
            return reverse("admin:index")
        return reverse("kies_instelling")


inloggen = openbaar(InloggenView.as_view())
uitloggen = openbaar(auth_views.LogoutView.as_view())


def _volgende(request) -> str:
    """Where to go after the choice: the page asked for, else the organisation's start page
    (Zoek leerling for a school, the werkvoorraad for an instantie)."""
    if volgende := lokale_url(request, "next"):
        return volgende
    organisatie = request.organisatie
    if organisatie is not None and organisatie.soort == INSTANTIE:
        return reverse("behandeling:werkvoorraad")
    return reverse("leerlingen:zoeken")


@zonder_gekozen_organisatie
def kies_instelling(request):
    """*Kies instellingscode* (manual 1) / *Kies organisatie*, and *Wissel*."""
    if len(request.organisaties) == 1:
        return redirect(_volgende(request))
    form = KiesOrganisatieForm(
        request.POST or None,
        organisaties=request.organisaties,
        initial={"organisatie": request.organisatie.sleutel if request.organisatie else None},
    )
    if request.method == "POST" and form.is_valid():
        autorisatie.kies_organisatie(request, form.cleaned_data["organisatie"])
        return redirect(_volgende(request))
    return render(request, "leerlingen/kies_instelling.html", {"form": form})


PGN_ZOEKEN = Rem("pgn-zoeken", limiet=lambda: settings.PGN_ZOEKEN_PER_UUR, venster=UUR)
TE_VAAK_GEZOCHT = (
    "U heeft het afgelopen uur te vaak een leerling gezocht. Probeer het over {minuten} "
    "minuten opnieuw."
)


def zoeken(request):
    """Start page: tab *Zoek leerling*. Every look-up of a well-formed PGN is logged, found or
    not (someone looked for that person); a user gets PGN_ZOEKEN_PER_UUR look-ups an hour."""
    geremd = ""
    if request.method == "POST" and PGN_ZOEKEN.tel(request.user.pk) > PGN_ZOEKEN.limiet():
        minuten = max(1, round(PGN_ZOEKEN.resterend().total_seconds() / 60))
        geremd = TE_VAAK_GEZOCHT.format(minuten=minuten)
    form = ZoekLeerlingForm(request.POST or None, instelling=request.instelling, geremd=geremd)
    if request.method == "POST" and (form.is_valid() or form.gezocht):
        inzage_vastleggen(
            gebruiker=request.user,
            instelling=request.instelling,
            handeling=Handeling.ZOEK_LEERLING,
            leerling_id=form.leerling.pk if form.leerling else None,
            pgn=form.gezocht,
        )
        if form.leerling is not None:
            return redirect("meldingen:leerling_overzicht", pk=form.leerling.pk)
    return render(
        request,
        "leerlingen/zoeken.html",
        {"form": form, "actieve_tab": "leerling"},
        status=429 if geremd else 200,
    )
