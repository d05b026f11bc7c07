"""Intrekken verzuimmelding (manual 5): Reden melding intrekken and Toelichting."""

from django import forms

from verzuimloket.forms import VerzuimloketForm, fouten_tonen

from .. import limieten, regels
from ..models import RedenIntrekken


class IntrekkenForm(VerzuimloketForm):
    verplicht_als = {
        "toelichting_intrekken": ("reden_intrekken", regels.TOELICHTING_VERPLICHT_BIJ_REDEN)
    }

    reden_intrekken = forms.ChoiceField(
        label="Reden melding intrekken",
        choices=[("", "Kies een reden")] + RedenIntrekken.choices,
        error_messages={"required": regels.KIES_REDEN, "invalid_choice": regels.KIES_REDEN},
    )
    toelichting_intrekken = forms.CharField(
        label="Toelichting",
        required=False,
        max_length=limieten.MAX_TOELICHTING_INTREKKEN,
        help_text=f"Maximaal {limieten.MAX_TOELICHTING_INTREKKEN} karakters",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": f"Maximaal {limieten.MAX_TOELICHTING_INTREKKEN} karakters.",
            "required": regels.TOELICHTING_BIJ_ANDERS,
        },
    )

    def clean(self):
        data = super().clean()
        if "reden_intrekken" in data and "toelichting_intrekken" in data:
            fouten_tonen(
                self,
                regels.controleer_reden_intrekken(
                    data["reden_intrekken"], data["toelichting_intrekken"]
                ),
            )
        return data
