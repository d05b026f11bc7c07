"""Block Acties door school (manual 2.6) and the Overzicht's choice (manual 2.7)."""

from django import forms

from .. import limieten
from ..models import OndernomenActie, constraint_melding
from .velden import BlokForm, tekst_veld


class ActiesSchoolForm(BlokForm):
    # The database holds this rule (constraint melding_toelichting_bij_actie_anders); the form
    # asks for the toelichting next to the field, and marks it OPTIONEEL until Anders is ticked.
    verplicht_als = {"toelichting_acties": ("ondernomen_acties", OndernomenActie.ANDERS)}

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
        verplicht=constraint_melding("melding_toelichting_bij_actie_anders"),
    )


class OverzichtForm(BlokForm):
    stuur_email_naar_melder = forms.BooleanField(label="Stuur e-mail naar melder", required=False)
