"""Login, the choice of instellingscode, and Zoek leerling / Leerling overzicht (manual 1, 2.2).

Every view here except login/logout runs behind `InstellingMiddleware`, which sets
`request.instelling`; data is only ever read through it.
"""

from django import forms
from django.contrib.auth import views as auth_views
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from meldingen import regels
from meldingen.models import Inzage, Melding
from verzuimloket.forms import VerzuimloketForm
from verzuimloket.terug import lokale_url

from . import autorisatie
from .autorisatie import openbaar, zonder_gekozen_instelling
from .forms import ZoekLeerlingForm
from .models import Instelling, Leerling


class InloggenView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        # The beheerder works in the admin; school staff go to the choice of instelling.
        gebruiker = self.request.user
        if gebruiker.is_staff and not gebruiker.has_perm(autorisatie.ROL_PERMISSIE):
            return reverse("admin:index")
        if gebruiker.is_superuser and not autorisatie.machtigingen_van(gebruiker):
            return reverse("admin:index")
        return reverse("kies_instelling")


inloggen = openbaar(InloggenView.as_view())
uitloggen = openbaar(auth_views.LogoutView.as_view())


class KiesInstellingForm(VerzuimloketForm):
    instelling = forms.ModelChoiceField(
        label="Instellingscode",
        queryset=Instelling.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Kies een instellingscode.",
            "invalid_choice": "Kies een instellingscode waarvoor u gemachtigd bent.",
        },
    )

    def __init__(self, *args, machtigingen, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instelling"].queryset = Instelling.objects.filter(
            pk__in=[i.pk for i in machtigingen]
        )
        self.fields["instelling"].label_from_instance = lambda i: f"{i.instellingscode} – {i.naam}"


def _volgende(request) -> str:
    return lokale_url(request, "next") or reverse("leerlingen:zoeken")


@zonder_gekozen_instelling
def kies_instelling(request):
    if len(request.machtigingen) == 1:
        return redirect(_volgende(request))
    form = KiesInstellingForm(
        request.POST or None,
        machtigingen=request.machtigingen,
        initial={"instelling": request.instelling},
    )
    if request.method == "POST" and form.is_valid():
        autorisatie.kies_instelling(request, form.cleaned_data["instelling"])
        return redirect(_volgende(request))
    return render(
        request,
        "leerlingen/kies_instelling.html",
        {"form": form, "machtigingen": request.machtigingen, "next": _volgende(request)},
    )


def zoeken(request):
    """Start page: tab *Zoek leerling*."""
    form = ZoekLeerlingForm(request.POST or None, instelling=request.instelling)
    if request.method == "POST" and form.is_valid():
        return redirect("leerlingen:overzicht", pk=form.leerling.pk)
    return render(request, "leerlingen/zoeken.html", {"form": form, "actieve_tab": "leerling"})


def overzicht(request, pk):
    """*Leerling overzicht*: the pupil's data and all of the pupil's meldingen."""
    leerling = get_object_or_404(Leerling.objects.zichtbaar_voor(request.instelling), pk=pk)
    meldingen = list(Melding.objects.filter(leerling=leerling).voor_overzicht())
    vandaag = regels.vandaag()
    blokkade = regels.registreren_blokkade(leerling, request.instelling, vandaag)
    Inzage.objects.create(
        gebruiker=request.user,
        instelling=request.instelling,
        leerling=leerling,
        handeling="leerling overzicht",
    )
    return render(
        request,
        "leerlingen/overzicht.html",
        {
            "leerling": leerling,
            "meldingen": meldingen,
            "blokkade": blokkade,
            "instelling": request.instelling,
        },
    )
