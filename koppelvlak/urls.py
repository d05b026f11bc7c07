"""/api/v1: kebab-case, no trailing slashes (the API Design Rules)."""

from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView

from . import views

app_name = "koppelvlak"


def _openbaar(view):
    # The document and its viewer are public (API Design Rules): no key, no session.
    view.verzuimloket_koppelvlak = True
    return view


urlpatterns = [
    path(
        "openapi.json",
        _openbaar(SpectacularJSONAPIView.as_view(authentication_classes=[], permission_classes=[])),
        name="openapi",
    ),
    path(
        "docs",
        _openbaar(
            SpectacularSwaggerSplitView.as_view(
                url_name="koppelvlak:openapi", authentication_classes=[], permission_classes=[]
            )
        ),
        name="docs",
    ),
    path("leerlingen/zoeken", views.LeerlingZoekenView.as_view(), name="leerling_zoeken"),
    path("meldingen", views.MeldingenView.as_view(), name="meldingen"),
    path("meldingen/<getal:nummer>", views.MeldingView.as_view(), name="melding"),
    path(
        "meldingen/<getal:nummer>/intrekking",
        views.IntrekkingView.as_view(),
        name="intrekking",
    ),
    path(
        "meldingen/<getal:nummer>/behandeling",
        views.BehandelingView.as_view(),
        name="behandeling",
    ),
    path(
        "meldingen/<getal:nummer>/terugkoppeling",
        views.TerugkoppelingView.as_view(),
        name="terugkoppeling",
    ),
    path("meldingen/<getal:nummer>/afsluiting", views.AfsluitingView.as_view(), name="afsluiting"),
    path(
        "meldingen/<getal:nummer>/kennisgeving",
        views.KennisgevingView.as_view(),
        name="kennisgeving",
    ),
    path(
        "meldingen/<getal:nummer>/doorsturing",
        views.DoorsturingView.as_view(),
        name="doorsturing",
    ),
    path("uitvoerende-instanties", views.InstantiesView.as_view(), name="instanties"),
]
