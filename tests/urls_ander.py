"""The project's URLs below /anders/: a second URLconf for tests/test_adressen.py."""

from django.urls import include, path

urlpatterns = [path("anders/", include("verzuimloket.urls"))]
