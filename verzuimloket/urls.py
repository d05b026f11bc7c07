from django.contrib import admin
from django.urls import include, path, register_converter

from leerlingen import views as leerlingen_views
from verzuimloket.converters import Getal

register_converter(Getal, "getal")

admin.site.site_header = "Verzuimloket — beheer"
admin.site.site_title = "Verzuimloket beheer"
admin.site.index_title = "Registers, machtigingen en meldingen"

urlpatterns = [
    path("inloggen/", leerlingen_views.inloggen, name="login"),
    path("uitloggen/", leerlingen_views.uitloggen, name="logout"),
    path("instelling/", leerlingen_views.kies_instelling, name="kies_instelling"),
    path("beheer/", admin.site.urls),
    path("", include("meldingen.urls")),
    path("", include("leerlingen.urls")),
]
