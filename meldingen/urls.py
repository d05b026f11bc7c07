from django.urls import path

from . import views, wizard

app_name = "meldingen"
urlpatterns = [
    # Leerling overzicht, the page Zoek leerling leads to (manual 2.2): views.py
    path("leerling/<getal:pk>/", views.leerling_overzicht, name="leerling_overzicht"),
    # Zoek melding, details, wijzigen, intrekken (manual 3, 4, 5): views.py
    path("meldingen/zoeken/", views.zoeken, name="zoeken"),
    path("meldingen/<getal:nummer>/", views.detail, name="detail"),
    path("meldingen/<getal:nummer>/wijzig/<str:blok>/", views.wijzig, name="wijzig"),
    path("meldingen/<getal:nummer>/intrekken/", views.intrekken, name="intrekken"),
    # The postcode and huisnummer of an onderwijslocatiecode, for the script (manual 2.4);
    # `path`: whatever was typed, a "/" too, gets the view's own answer
    path("meldingen/locatie/<path:code>/", views.locatie, name="locatie"),
    # Verzuim melden, the six-step wizard (manual 2.3-2.7): wizard.py
    path(
        "meldingen/nieuw/<getal:leerling_pk>/",
        wizard.registreren_start,
        name="registreren_start",
    ),
    path(
        "meldingen/nieuw/<getal:leerling_pk>/bevestiging/<getal:nummer>/",
        views.bevestiging,
        name="registreren_bevestiging",
    ),
    path(
        "meldingen/nieuw/<getal:leerling_pk>/<str:step>/",
        wizard.registreren,
        name="registreren",
    ),
]
