from django.contrib import admin
from django.urls import include, path, register_converter

from leerlingen import views as leerlingen_views
from leerlingen.autorisatie import openbaar
from verzuimloket import gezondheid
from verzuimloket.converters import Getal

register_converter(Getal, "getal")

admin.site.site_header = "Verzuimloket — beheer"
admin.site.site_title = "Verzuimloket beheer"
admin.site.index_title = "Registers, machtigingen en meldingen"

urlpatterns = [
    path("inloggen/", leerlingen_views.inloggen, name="login"),
    path("uitloggen/", leerlingen_views.uitloggen, name="logout"),
    # For the load balancer, without login; marked here since verzuimloket/ knows no app.
    path("gezond/leeft", openbaar(gezondheid.leeft), name="gezond_leeft"),
    path("gezond/klaar", openbaar(gezondheid.klaar), name="gezond_klaar"),
    path("instelling/", leerlingen_views.kies_instelling, name="kies_instelling"),
    path("beheer/", admin.site.urls),
    path("api/v1/", include("koppelvlak.urls")),
    path("", include("meldingen.urls")),
    path("", include("behandeling.urls")),
    path("", include("leerlingen.urls")),
]

# Under /api/ errors are problem details (JSON); elsewhere the site's pages.
handler404 = "koppelvlak.middleware.niet_gevonden"
handler500 = "koppelvlak.middleware.serverfout"
