"""Block Leerling (manual 2.3): the pupil's e-mail and telefoon, the contactpersonen and an
afwijkend adres. `LeerlingStapForm` is the page: `LeerlingForm` plus `ContactpersoonFormSet`."""

from django import forms
from django.forms import formset_factory

from verzuimloket import formaten
from verzuimloket.forms import JaNeeField

from .. import limieten, regels
from ..models import AfwijkendAdres
from .paginaknoppen import contactpersoon_knop
from .stap import StapForm
from .velden import (
    BlokForm,
    RijenFormSet,
    email_veld,
    ja_nee_ruw,
    naam_veld,
    ruwe_waarde,
    tekst_veld,
    telefoon_veld,
)


class LeerlingForm(BlokForm):
    """E-mail, Telefoon and the Afwijkend adres of the pupil.

    The form asks *Heeft deze leerling een afwijkend adres?* (`afwijkend_adres`, Ja/Nee) and
    then *Regulier* or *Alternatief* (`adres_soort`); `cleaned_data["afwijkend_adres"]` is the
    Melding value "" / "regulier" / "alternatief", and the fields of the variant not chosen are
    emptied. `initial` may use the Melding value too.
    """

    ADRES_REGULIER = ["straatnaam", "huisnummer", "huisletter", "huisnummertoevoeging", "postcode"]
    ADRES_ALTERNATIEF = ["aanduiding_locatie", "plaatsnaam"]

    leerling_email = email_veld(label="E-mail")
    leerling_telefoon = telefoon_veld(label="Telefoon")
    afwijkend_adres = JaNeeField(
        label="Heeft deze leerling een afwijkend adres?", initial=False, required=False
    )
    adres_soort = forms.ChoiceField(
        label="Soort adres",
        choices=[
            (AfwijkendAdres.REGULIER, "Regulier"),
            (AfwijkendAdres.ALTERNATIEF, "Alternatief"),
        ],
        widget=forms.RadioSelect(attrs={"class": "keuzes--inline"}),
        initial=AfwijkendAdres.REGULIER,
        error_messages={"required": "Kies Regulier of Alternatief."},
    )
    straatnaam = tekst_veld(
        limieten.MAX_STRAATNAAM, label="Straatnaam", help_text="", verplicht="Vul de straatnaam in."
    )
    huisnummer = forms.IntegerField(
        label="Huisnummer",
        min_value=1,
        max_value=99999,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": "5"}),
        error_messages={
            "required": "Vul het huisnummer in.",
            "invalid": "Vul een huisnummer in met alleen cijfers.",
            "min_value": "Vul een huisnummer in met alleen cijfers.",
            "max_value": "Vul een bestaand huisnummer in.",
        },
    )
    huisletter = forms.CharField(
        label="Huisletter",
        required=False,
        max_length=1,
        widget=forms.TextInput(attrs={"size": "2"}),
        error_messages={"max_length": "Een huisletter is één letter."},
    )
    huisnummertoevoeging = forms.CharField(
        label="Huisnummertoevoeging",
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"size": "6"}),
        error_messages={"max_length": "Maximaal 10 karakters."},
    )
    postcode = forms.CharField(
        label="Postcode",
        max_length=7,
        widget=forms.TextInput(attrs={"size": "7", "autocomplete": "off"}),
        error_messages={"required": "Vul de postcode in."},
    )
    aanduiding_locatie = tekst_veld(
        limieten.MAX_AANDUIDING_LOCATIE,
        label="Aanduiding locatie",
        verplicht="Vul de aanduiding van de locatie in.",
    )
    plaatsnaam = tekst_veld(
        limieten.MAX_PLAATSNAAM, label="Plaatsnaam", help_text="", verplicht="Vul de plaatsnaam in."
    )

    def __init__(self, *args, **kwargs):
        initial = dict(kwargs.get("initial") or {})
        if initial.get("afwijkend_adres") in (AfwijkendAdres.REGULIER, AfwijkendAdres.ALTERNATIEF):
            initial.setdefault("adres_soort", initial["afwijkend_adres"])
            initial["afwijkend_adres"] = True
        elif initial.get("afwijkend_adres") == AfwijkendAdres.GEEN:
            initial["afwijkend_adres"] = False
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        # Only the chosen variant is required; what does not apply is not checked.
        self._niet_nodig: set[str] = set()
        if self.is_bound:
            self._niet_nodig = set(self._niet_van_toepassing())
            for naam in self._niet_nodig:
                self.fields[naam].required = False

    def _niet_van_toepassing(self) -> list[str]:
        if not ja_nee_ruw(self, "afwijkend_adres"):
            return ["adres_soort", *self.ADRES_REGULIER, *self.ADRES_ALTERNATIEF]
        soort = ruwe_waarde(self, "adres_soort")
        if soort == AfwijkendAdres.ALTERNATIEF:
            return self.ADRES_REGULIER
        if soort == AfwijkendAdres.REGULIER:
            return self.ADRES_ALTERNATIEF
        return [*self.ADRES_REGULIER, *self.ADRES_ALTERNATIEF]

    def clean_postcode(self):
        waarde = self.cleaned_data.get("postcode") or ""
        if not waarde or "postcode" in self._niet_nodig:
            return ""
        return formaten.valideer_postcode(waarde)

    def clean(self):
        data = super().clean()
        for naam in self._niet_nodig:  # what was typed in a variant not chosen is ignored
            self._errors.pop(naam, None)
        afwijkend = data.get("afwijkend_adres")
        soort = data.pop("adres_soort", None) or ""
        data["afwijkend_adres"] = soort if afwijkend else AfwijkendAdres.GEEN
        if data["afwijkend_adres"] != AfwijkendAdres.REGULIER:
            for naam in self.ADRES_REGULIER:
                data[naam] = None if naam == "huisnummer" else ""
        if data["afwijkend_adres"] != AfwijkendAdres.ALTERNATIEF:
            for naam in self.ADRES_ALTERNATIEF:
                data[naam] = ""
        return data


class ContactpersoonForm(BlokForm):
    """One contactpersoon of the pupil (*Contactpersoon toevoegen*)."""

    naam = naam_veld()
    relatie = tekst_veld(limieten.MAX_RELATIE, label="Relatie tot leerling")
    email = email_veld(label="E-mail")
    telefoon = telefoon_veld(label="Telefoon")


class BaseContactpersoonFormSet(RijenFormSet):
    sleutel = "contactpersonen"
    rij_velden = ("naam", "relatie", "email", "telefoon")


ContactpersoonFormSet = formset_factory(
    ContactpersoonForm,
    formset=BaseContactpersoonFormSet,
    extra=0,
    max_num=limieten.MAX_CONTACTPERSONEN,
    absolute_max=limieten.MAX_CONTACTPERSONEN,
    validate_max=True,
    can_delete=True,
)
ContactpersoonFormSet.default_error_messages = {
    **forms.BaseFormSet.default_error_messages,
    "too_many_forms": regels.TE_VEEL_CONTACTPERSONEN,
}


class LeerlingStapForm(StapForm):
    form_class = LeerlingForm
    formset_class = ContactpersoonFormSet

    def paginaknop(self, actie: str):
        data = contactpersoon_knop(actie, self.data, prefix=self.formset.prefix)
        return None if data is None else (data, True)
