"""Who may use the school screens, and for which instelling.

`InstellingMiddleware` runs for every view, so a new view is scoped without anyone having to
remember a decorator: it requires a logged-in user with the role *verzuimloketmelder* and at
least one machtiging, and puts the chosen instelling on `request.instelling`. Views read their
data through that attribute only. Views that must work without it say so explicitly with
`@openbaar` (login) or `@zonder_gekozen_instelling` (the choice itself); the Django admin has its
own staff check and is left alone.
"""

from django.contrib.auth.models import Group, Permission
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render

from .models import Instelling, Machtiging

SESSIE_SLEUTEL = "instellingscode"
ROL_PERMISSIE = "leerlingen.verzuimloketmelder"


def openbaar(view):
    """Mark a view as reachable without login (login page, health check)."""
    view.verzuimloket_openbaar = True
    return view


def zonder_gekozen_instelling(view):
    """Mark a view that needs the role and a machtiging, but no chosen instelling yet."""
    view.verzuimloket_zonder_keuze = True
    return view


def geen_toegang(request, reden: str):
    return render(request, "geen_toegang.html", {"reden": reden}, status=403)


def machtigingen_van(gebruiker) -> list[Instelling]:
    return list(
        Instelling.objects.filter(
            pk__in=Machtiging.objects.filter(gebruiker=gebruiker).values("instelling")
        ).order_by("pk")
    )


def kies_instelling(request, instelling: Instelling) -> None:
    request.session[SESSIE_SLEUTEL] = instelling.instellingscode
    request.instelling = instelling


class InstellingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.instelling = None
        request.machtigingen = []
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is not None and match.app_name == "admin":
            return None
        if getattr(view_func, "verzuimloket_openbaar", False):
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.has_perm(ROL_PERMISSIE):
            return geen_toegang(request, "U heeft de rol 'verzuimloketmelder' niet.")
        machtigingen = machtigingen_van(request.user)
        if not machtigingen:
            return geen_toegang(request, "U bent voor geen enkele instellingscode gemachtigd.")
        request.machtigingen = machtigingen

        gekozen = request.session.get(SESSIE_SLEUTEL)
        for instelling in machtigingen:
            if instelling.instellingscode == gekozen:
                request.instelling = instelling
                break
        else:
            if len(machtigingen) == 1:
                # The manual: with one machtiging the choice screen is not shown.
                kies_instelling(request, machtigingen[0])
            elif not getattr(view_func, "verzuimloket_zonder_keuze", False):
                return redirect_to_login(request.get_full_path(), "kies_instelling", "next")
        return None


def rol_verzuimloketmelder():
    """The group that carries the role (made by migration 0002; rebuilt here when a test's
    database flush has emptied it)."""
    groep, _ = Group.objects.get_or_create(name="verzuimloketmelder")
    if not groep.permissions.filter(codename="verzuimloketmelder").exists():
        groep.permissions.add(
            Permission.objects.get(
                codename="verzuimloketmelder", content_type__app_label="leerlingen"
            )
        )
    return groep
