"""Zoek melding, Melding details, Melding wijzigen and Melding intrekken (manual 3, 4, 5)."""

from django.http import Http404
from django.shortcuts import render


def zoeken(request):
    return render(request, "meldingen/zoeken.html", {"actieve_tab": "melding"})


def detail(request, nummer):
    raise Http404


def wijzig(request, nummer, blok):
    raise Http404


def intrekken(request, nummer):
    raise Http404
