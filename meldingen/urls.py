from django.urls import path

from . import views

app_name = "meldingen"
urlpatterns = [
    path("zoeken/", views.zoeken, name="zoeken"),
    path("<int:nummer>/", views.detail, name="detail"),
    path("nieuw/<int:leerling_pk>/", views.registreren_start, name="registreren_start"),
]
