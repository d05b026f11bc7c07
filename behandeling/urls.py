from django.urls import path

from . import views

app_name = "behandeling"
urlpatterns = [
    # The uitvoerende instantie's side: its werkvoorraad, a melding, an action on it.
    path("behandeling/", views.werkvoorraad, name="werkvoorraad"),
    path("behandeling/meldingen/<getal:nummer>/", views.melding, name="melding"),
    path("behandeling/meldingen/<getal:nummer>/<slug:actie>/", views.actie, name="actie"),
]
