"""Block Acties door school (manual 2.6) and the Overzicht's choice (manual 2.7)."""

from django import forms

from .. import limieten
from ..models import OndernomenActie, constraint_melding
from .velden import BlokForm, tekst_veld


class ActiesSchoolForm(BlokForm):
    ondernomen_acties = forms.MultipleChoiceField(
        label="Ondernomen actie door school",
        choices=OndernomenActie.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="U kunt meerdere acties aanvinken.",
        error_messages={"required": "Kies minimaal één ondernomen actie."},
    )
    toelichting_acties = tekst_veld(
        limieten.MAX_TOELICHTING,
        label="Toelichting ondernomen acties",
        rows=4,
        help_text=f"Maximaal {limieten.MAX_TOELICHTING} karakters. Verplicht bij Anders.",
    )

    def clean(self):
        data = super().clean()
        # The database holds this rule; here it gets its place next to the field.
        if OndernomenActie.ANDERS in (data.get("ondernomen_acties") or []) and not data.get(
            "toelichting_acties"
        ):
            self.add_error(
                "toelichting_acties", constraint_melding("melding_toelichting_bij_actie_anders")
            )
        return data


class OverzichtForm(BlokForm):
    stuur_email_naar_melder = forms.BooleanField(label="Stuur e-mail naar melder", required=False)
