"""The floor of bench/schaal.py: the cheapest logged-in page Django 5.2 can serve on this stack,
so a page's speed can be read as a fraction of it (the same machine, server and middleware).

It loads the session and the user (as every logged-in page does), does one indexed lookup and
renders a few lines of template. It is served only by the bench: `vloer_instellingen` puts this
module in front of the project's own URLs; the app itself never routes to it."""

from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

from leerlingen.autorisatie import openbaar
from leerlingen.models import Leerling
from verzuimloket import urls as project_urls

SJABLOON = engines["django"].from_string(
    "<!doctype html><html lang=nl><title>Vloer</title><p>{{ leerling.naam }}</p></html>"
)


@openbaar  # past the organisation check: the floor checks the login itself, and nothing else
def vloer(request):
    if not request.user.is_authenticated:
        return HttpResponse(status=403)
    leerling = Leerling.objects.only("naam").filter(pgn=request.GET.get("pgn", "")).first()
    return HttpResponse(SJABLOON.render({"leerling": leerling}, request))


urlpatterns = [path("_vloer/", vloer), path("", include(project_urls))]
handler404 = project_urls.handler404
handler500 = project_urls.handler500
