from django.http import Http404
from django.shortcuts import render


def zoeken(request):
    return render(request, "meldingen/zoeken.html", {"actieve_tab": "melding"})


def detail(request, nummer):
    raise Http404


def registreren_start(request, leerling_pk):
    raise Http404
