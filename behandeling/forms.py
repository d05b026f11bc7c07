"""The forms of the instantie side: the werkvoorraad's filters and the behandelaar's actions."""

from django import forms
from django.core.exceptions import ValidationError

from leerlingen.models import UitvoerendeInstantie
from meldingen import limieten
from meldingen.forms.velden import email_veld, naam_veld, tekst_veld, telefoon_veld
from meldingen.models import RedenAfgesloten, Status, Verzuimsoort
from verzuimloket import formaten
from verzuimloket.forms import DatumField, VasteWeergave, VerzuimloketForm

from . import regels


class WerkvoorraadForm(VasteWeergave, VerzuimloketForm):
    """Filters of the werkvoorraad, by GET. Without any, Geregistreerd: what waits. Its HTML
    is kept per input (VasteWeergave), except when a pupil is filtered on."""

    STANDAARD = {"status": Status.GEREGISTREERD}
    niet_onthouden = ("leerling",)

    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Alle statussen"), *Status.choices]
    )
    instelling = forms.CharField(
        label="Meldende instelling",
        required=False,
        max_length=4,
        help_text="Instellingscode, zoals 24GP",
        widget=forms.TextInput(attrs={"size": "5", "autocomplete": "off"}),
        error_messages={"max_length": "Een instellingscode bestaat uit 4 tekens, zoals 24GP."},
    )
    soort = forms.ChoiceField(
        label="Verzuimsoort", required=False, choices=[("", "Alle soorten"), *Verzuimsoort.choices]
    )
    van = DatumField(label="Begindatum van", required=False)
    tot = DatumField(label="Begindatum tot en met", required=False)
    leerling = forms.CharField(
        label="Leerling",
        required=False,
        max_length=100,
        help_text="Persoonsgebonden nummer of een deel van de naam",
        error_messages={"max_length": "Maximaal 100 karakters."},
    )

    def clean_instelling(self):
        code = self.cleaned_data["instelling"].strip().upper()
        if code:
            formaten.valideer_instellingscode(code)
        return code

    def clean_leerling(self):
        return self.cleaned_data["leerling"].strip()

    def clean(self):
        data = super().clean()
        if data.get("van") and data.get("tot") and data["tot"] < data["van"]:
            self.add_error("tot", "De einddatum van het filter ligt voor de begindatum.")
        return data


class VersieForm(VerzuimloketForm):
    """Every action carries the versie of the melding the behandelaar saw; In behandeling
    nemen asks nothing else."""

    versie = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)


class TerugkoppelingForm(VersieForm):
    """*Terugkoppeling geven*: what the school reads as *Terugkoppeling behandelaar*."""

    naam = naam_veld()
    functie = tekst_veld(limieten.MAX_FUNCTIE, label="Functie")
    email = email_veld(label="E-mail")
    telefoon = telefoon_veld(label="Telefoon")
    datum = DatumField(
        label="Datum terugkoppeling",
        error_messages={"required": "Vul de datum van de terugkoppeling in."},
    )
    toelichting = tekst_veld(limieten.MAX_TOELICHTING_TERUGKOPPELING, label="Toelichting", rows=6)

    def __init__(self, *args, op, **kwargs):
        super().__init__(*args, **kwargs)
        self.op = op

    def clean_datum(self):
        datum = self.cleaned_data["datum"]
        if datum and datum > self.op:
            raise ValidationError(regels.DATUM_IN_TOEKOMST)
        return datum


class AfsluitenForm(VersieForm):
    reden_afgesloten = forms.ChoiceField(
        label="Reden melding afgesloten",
        choices=[("", "Kies een reden"), *RedenAfgesloten.choices],
        error_messages={
            "required": regels.KIES_REDEN_AFGESLOTEN,
            "invalid_choice": regels.KIES_REDEN_AFGESLOTEN,
        },
    )


class KennisgevingForm(VersieForm):
    """*Ter kennisgeving aannemen*; with Actie gewenst Ja the behandelaar says why."""

    toelichting = tekst_veld(
        limieten.MAX_TOELICHTING_TERUGKOPPELING,
        label="Toelichting",
        rows=4,
        verplicht=regels.TOELICHTING_BIJ_ACTIE,
        required=False,
    )

    def __init__(self, *args, melding, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["toelichting"].required = bool(melding.actie_gewenst)


class InstantieField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.naam


class DoorsturenForm(VersieForm):
    instantie = InstantieField(
        label="Uitvoerende instantie",
        queryset=UitvoerendeInstantie.objects.none(),
        empty_label="Kies een uitvoerende instantie",
        error_messages={
            "required": regels.ANDERE_INSTANTIE,
            "invalid_choice": regels.ANDERE_INSTANTIE,
        },
    )
    reden = tekst_veld(
        limieten.MAX_REDEN_DOORSTUREN,
        label="Reden",
        rows=3,
        verplicht=regels.REDEN_DOORSTUREN,
        help_text=f"Bijvoorbeeld: de leerling woont in een andere gemeente. Maximaal "
        f"{limieten.MAX_REDEN_DOORSTUREN} karakters",
    )

    def __init__(self, *args, melding, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instantie"].queryset = UitvoerendeInstantie.objects.exclude(
            pk=melding.uitvoerende_instantie_id
        ).order_by("naam")
