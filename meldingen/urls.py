from django.urls import path

from . import views, wizard

app_name = "meldingen"
urlpatterns = [
    # Zoek melding, details, wijzigen, intrekken (manual 3, 4, 5): views.py
    path("zoeken/", views.zoeken, name="zoeken"),
    path("<getal:nummer>/", views.detail, name="detail"),
    path("<getal:nummer>/wijzig/<str:blok>/", views.wijzig, name="wijzig"),
    path("<getal:nummer>/intrekken/", views.intrekken, name="intrekken"),
    # Verzuim melden, the six-step wizard (manual 2.3-2.7): wizard.py
    path("nieuw/<getal:leerling_pk>/", wizard.registreren_start, name="registreren_start"),
    path(
        "nieuw/<getal:leerling_pk>/bevestiging/<getal:nummer>/",
        wizard.bevestiging,
        name="registreren_bevestiging",
    ),
    path("nieuw/<getal:leerling_pk>/<str:step>/", wizard.registreren, name="registreren"),
]
