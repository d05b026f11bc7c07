from django.urls import path

from . import views

app_name = "leerlingen"
urlpatterns = [
    path("", views.zoeken, name="zoeken"),
]
