"""Verzuimmelding registreren: the six-step wizard (manual 2.3-2.7)."""

from django.http import Http404


def registreren_start(request, leerling_pk):
    raise Http404


def registreren(request, leerling_pk, step):
    raise Http404


def bevestiging(request, leerling_pk, nummer):
    raise Http404
