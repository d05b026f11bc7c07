"""Zoek melding (manual 3): Meldingnummer, Instellingscode, Uitvoerende instantienaam, Status."""

from django import forms
from django.core.exceptions import ValidationError

from verzuimloket.forms import VasteWeergave, VerzuimloketForm

from .. import limieten
from ..models import Status

GEEN_CRITERIUM = (
    "Vul minimaal één zoekcriterium in: meldingnummer, instellingscode of uitvoerende "
    "instantienaam."
)


class ZoekMeldingForm(VasteWeergave, VerzuimloketForm):
    """`ZoekMeldingForm(request.GET, machtigingen=[instelling, ...])`: the instellingscodes
    offered are the user's machtigingen; `cleaned_data["instellingscode"]` is an Instelling.
    Its HTML is kept per input and choices (VasteWeergave): no criterion names a pupil."""

    meldingnummer = forms.CharField(
        label="Meldingnummer",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    instellingscode = forms.ChoiceField(label="Instellingscode", required=False)
    instantienaam = forms.CharField(
        label="Uitvoerende instantienaam",
        required=False,
        max_length=limieten.MAX_INSTANTIENAAM,
        help_text=f"Maximaal {limieten.MAX_INSTANTIENAAM} karakters",
        error_messages={"max_length": f"Maximaal {limieten.MAX_INSTANTIENAAM} karakters."},
    )
    status = forms.MultipleChoiceField(
        label="Status",
        required=False,
        choices=Status.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, machtigingen, **kwargs):
        super().__init__(*args, **kwargs)
        self.machtigingen = {i.instellingscode: i for i in machtigingen}
        self.fields["instellingscode"].choices = [("", "Kies een instellingscode")] + [
            (i.instellingscode, f"{i.instellingscode} – {i.naam}") for i in machtigingen
        ]
        self.fields["instellingscode"].error_messages["invalid_choice"] = (
            "Kies een instellingscode waarvoor u gemachtigd bent."
        )

    def clean_meldingnummer(self):
        nummer = self.cleaned_data["meldingnummer"].strip()
        if not nummer:
            return None
        if not nummer.isdigit() or len(nummer) > 12:
            raise ValidationError("Een meldingnummer bestaat alleen uit cijfers, zoals 4012240.")
        return int(nummer)

    def clean_instellingscode(self):
        code = self.cleaned_data["instellingscode"]
        return self.machtigingen.get(code) if code else None

    def clean_instantienaam(self):
        return self.cleaned_data["instantienaam"].strip()

    def clean(self):
        data = super().clean()
        if not self.errors and not (
            data.get("meldingnummer") is not None
            or data.get("instellingscode")
            or data.get("instantienaam")
        ):
            raise ValidationError(GEEN_CRITERIUM, code="geen_criterium")
        return data
