"""The forms of the blocks of a melding (manual 2.3-2.7): one form per block, shared by the
registration wizard (`meldingen/wizard.py`) and the Wijzig pages (`meldingen/views.py`).

`initial` and `cleaned_data` speak in Melding field names (see `services.*_VELDEN`), so a Wijzig
page can do `LeerlingForm(initial=model_to_dict(melding, LEERLING_VELDEN))` and hand
`form.cleaned_data` to `services.melding_wijzigen`.

- `LeerlingForm` + `ContactpersoonFormSet`, together `LeerlingStapForm` (step 1).
- `VerzuimForm` (step 2); `alleen_periode=True` is the first half of the wizard's step 2.
- `LesurenForm` + `VerzuimdagFormSet`, together `LesurenStapForm` (step 3).
- `ActiesSchoolForm` (step 4), `OverzichtForm` (step 5).

The rules themselves live in `regels.py` / `services.py`; the forms call them to put the
message next to the field. Buttons that only change the page (Contactpersoon toevoegen,
Voeg dag toe, Voeg toe, Verwijderen) are plain submit buttons: everything works without
JavaScript. See `formset_met_extra` / `formset_zonder`.
"""

import datetime
import re
from abc import ABC, abstractmethod

from django import forms
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.forms import formset_factory
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join

from leerlingen import formaten
from leerlingen.formaten import TELEFOON_ONGELDIG, valideer_telefoon
from leerlingen.models import Onderwijsaanbieder, Onderwijslocatie
from verzuimloket.forms import DatumField, JaNeeField, VerzuimloketForm

from . import regels, services
from .models import AfwijkendAdres, OndernomenActie, Verzuimsoort

MAX_CONTACTPERSONEN = 5
STANDAARDTEKSTEN = [
    "afwezig vanwege een geloofsverplichting",
    "afwezig vanwege ziekte",
    "afwezig vanwege contact met politie of justitie",
]


def telefoon_veld(**kwargs) -> forms.CharField:
    return forms.CharField(
        required=False,
        max_length=20,
        validators=[valideer_telefoon],
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
        error_messages={"max_length": TELEFOON_ONGELDIG},
        **kwargs,
    )


def email_veld(required=False, **kwargs) -> forms.EmailField:
    return forms.EmailField(
        required=required,
        max_length=254,
        error_messages={
            "invalid": "Vul een geldig e-mailadres in, zoals naam@school.nl.",
            **kwargs.pop("error_messages", {}),
        },
        **kwargs,
    )


def tekst_veld(max_length: int, required=True, rows=None, **kwargs) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput
    return forms.CharField(
        required=required,
        max_length=max_length,
        help_text=kwargs.pop("help_text", f"Maximaal {max_length} karakters"),
        widget=widget,
        error_messages={
            "max_length": f"Maximaal {max_length} karakters (nu %(show_value)d).",
            **kwargs.pop("error_messages", {}),
        },
        **kwargs,
    )


def _ruw(form: forms.BaseForm, naam: str):
    """The submitted (not yet cleaned) value of a field, or its initial value when unbound."""
    if form.is_bound:
        return form.fields[naam].widget.value_from_datadict(
            form.data, form.files, form.add_prefix(naam)
        )
    return form.get_initial_for_field(form.fields[naam], naam)


def _ja_nee_ruw(form, naam) -> bool | None:
    waarde = _ruw(form, naam)
    if waarde in (True, "ja"):
        return True
    if waarde in (False, "nee"):
        return False
    return None


class _Basis(VerzuimloketForm):
    # Errors come from the server (and the error summary), not from the browser; a required
    # input hidden by the show/hide script must not block submitting either.
    use_required_attribute = False


# --- Stap 1: Leerling -------------------------------------------------------------------------


class LeerlingForm(_Basis):
    """E-mail, Telefoon and the Afwijkend adres of the pupil (manual 2.3).

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
    straatnaam = tekst_veld(100, label="Straatnaam", help_text="")
    huisnummer = forms.IntegerField(
        label="Huisnummer",
        min_value=1,
        max_value=99999,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": "5"}),
        error_messages={
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
    )
    aanduiding_locatie = tekst_veld(40, label="Aanduiding locatie")
    plaatsnaam = tekst_veld(100, label="Plaatsnaam", help_text="")

    def __init__(self, *args, **kwargs):
        initial = dict(kwargs.get("initial") or {})
        if initial.get("afwijkend_adres") in (AfwijkendAdres.REGULIER, AfwijkendAdres.ALTERNATIEF):
            initial.setdefault("adres_soort", initial["afwijkend_adres"])
            initial["afwijkend_adres"] = True
        elif initial.get("afwijkend_adres") == AfwijkendAdres.GEEN:
            initial["afwijkend_adres"] = False
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self._niet_nodig: set[str] = set()
        for naam, melding in [
            ("straatnaam", "Vul de straatnaam in."),
            ("huisnummer", "Vul het huisnummer in."),
            ("postcode", "Vul de postcode in."),
            ("aanduiding_locatie", "Vul de aanduiding van de locatie in."),
            ("plaatsnaam", "Vul de plaatsnaam in."),
        ]:
            self.fields[naam].error_messages["required"] = melding
        # Only the chosen variant is required; what does not apply is not checked.
        if self.is_bound:
            afwijkend = _ja_nee_ruw(self, "afwijkend_adres")
            soort = _ruw(self, "adres_soort")
            niet_nodig = []
            if not afwijkend:
                niet_nodig = ["adres_soort", *self.ADRES_REGULIER, *self.ADRES_ALTERNATIEF]
            elif soort == AfwijkendAdres.ALTERNATIEF:
                niet_nodig = self.ADRES_REGULIER
            elif soort == AfwijkendAdres.REGULIER:
                niet_nodig = self.ADRES_ALTERNATIEF
            else:
                niet_nodig = [*self.ADRES_REGULIER, *self.ADRES_ALTERNATIEF]
            for naam in niet_nodig:
                self.fields[naam].required = False
            self._niet_nodig = set(niet_nodig)

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
        leeg = {"huisnummer": None}
        if data["afwijkend_adres"] != AfwijkendAdres.REGULIER:
            for naam in self.ADRES_REGULIER:
                data[naam] = leeg.get(naam, "")
        if data["afwijkend_adres"] != AfwijkendAdres.ALTERNATIEF:
            for naam in self.ADRES_ALTERNATIEF:
                data[naam] = ""
        return data


class ContactpersoonForm(_Basis):
    """One contactpersoon of the pupil (manual 2.3, *Contactpersoon toevoegen*)."""

    naam = tekst_veld(
        100, label="Naam", help_text="", error_messages={"required": "Vul de naam in."}
    )
    relatie = tekst_veld(50, label="Relatie tot leerling", required=False)
    email = email_veld(label="E-mail")
    telefoon = telefoon_veld(label="Telefoon")


class BaseContactpersoonFormSet(forms.BaseFormSet):
    def _construct_form(self, i, **kwargs):
        # A row the user added and left empty gets its messages, it is not silently dropped.
        form = super()._construct_form(i, **kwargs)
        form.empty_permitted = False
        return form

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "contactpersonen")
        super().__init__(*args, **kwargs)

    @classmethod
    def get_default_prefix(cls):
        return "contactpersonen"

    @property
    def contactpersonen(self) -> list[dict]:
        """The cleaned contactpersonen as the service takes them (call after is_valid())."""
        return [
            {
                veld: f.cleaned_data.get(veld, "")
                for veld in ("naam", "relatie", "email", "telefoon")
            }
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]


ContactpersoonFormSet = formset_factory(
    ContactpersoonForm,
    formset=BaseContactpersoonFormSet,
    extra=0,
    max_num=MAX_CONTACTPERSONEN,
    absolute_max=MAX_CONTACTPERSONEN,
    validate_max=True,
    can_delete=True,
)
ContactpersoonFormSet.default_error_messages = {
    **forms.BaseFormSet.default_error_messages,
    "too_many_forms": "Er is ruimte voor maximaal vijf contactpersonen.",
}


# --- Stap 2: Verzuim --------------------------------------------------------------------------


class AanbiederField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} - {obj.naam}"


class VerzuimForm(_Basis):
    """Verzuimgegevens, Gegevens onderwijsinstelling, Contactpersoon onderwijsinstelling
    (manual 2.4).

    `VerzuimForm(data, leerling=..., instelling=..., op=vandaag, melding=None)`; pass the
    melding being changed as `melding` so it does not overlap with itself.
    `alleen_periode=True`: only Begindatum and Einddatum (the wizard's first *Verder*).
    `form.waarschuwingen` (after is_valid()) holds warnings that do not refuse.
    """

    PERIODE = ["begindatum", "einddatum"]

    begindatum = DatumField(label="Begindatum", help_text="De eerste dag van het verzuim.")
    einddatum = DatumField(
        label="Einddatum",
        required=False,
        help_text="Laat leeg als het verzuim nog niet is beëindigd.",
    )
    soort = forms.ChoiceField(
        label="Soort",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Kies de soort verzuim.",
            "invalid_choice": "Deze verzuimsoort is niet van toepassing op deze leerling.",
        },
    )
    vermoedelijke_reden = tekst_veld(
        300,
        label="Vermoedelijke reden",
        help_text="Maximaal 300 karakters. Gaat het om geloof, gezondheid of justitie? Vul dan "
        "geen bijzondere persoonsgegevens in, maar een standaardtekst: "
        + "; ".join(f"“{t}”" for t in STANDAARDTEKSTEN)
        + ".",
        error_messages={"required": "Vul de vermoedelijke reden in."},
    )
    toelichting = tekst_veld(1500, label="Toelichting", required=False, rows=4)
    actie_gewenst = JaNeeField(label="Actie gewenst")
    toelichting_actie_gewenst = tekst_veld(
        1500,
        label="Toelichting actie gewenst",
        required=False,
        rows=3,
        help_text="Maximaal 1500 karakters. Verplicht als actie niet gewenst is.",
    )
    met_prioriteit = JaNeeField(label="Met prioriteit oppakken", initial=False, required=False)
    aanbieder = AanbiederField(
        label="Onderwijsaanbiedercode",
        queryset=Onderwijsaanbieder.objects.none(),
        empty_label=None,
        error_messages={
            "required": "Kies de onderwijsaanbieder.",
            "invalid_choice": regels.AANBIEDER_NIET_VAN_INSTELLING,
        },
    )
    locatie = forms.CharField(
        label="Onderwijslocatiecode",
        max_length=7,
        widget=forms.TextInput(attrs={"size": "8", "autocomplete": "off"}),
        error_messages={"required": "Vul de onderwijslocatiecode in."},
    )
    contactpersoon_naam = tekst_veld(
        100, label="Naam", help_text="", error_messages={"required": "Vul de naam in."}
    )
    contactpersoon_functie = tekst_veld(100, label="Functie", required=False)
    contactpersoon_email = email_veld(
        required=True, label="E-mail", error_messages={"required": "Vul het e-mailadres in."}
    )
    contactpersoon_telefoon = telefoon_veld(label="Telefoon")

    def __init__(
        self,
        data=None,
        *args,
        leerling,
        instelling,
        op: datetime.date,
        melding=None,
        alleen_periode: bool = False,
        **kwargs,
    ):
        initial = dict(kwargs.pop("initial", None) or {})
        locatie = initial.get("locatie")
        if isinstance(locatie, Onderwijslocatie):
            initial["locatie"] = locatie.code
            self._locatie_cache = {locatie.code: locatie}
        else:
            self._locatie_cache = {}
        super().__init__(data, *args, initial=initial, **kwargs)
        self.leerling = leerling
        self.instelling = instelling
        self.op = op
        self.melding = melding
        self.alleen_periode = alleen_periode
        self.waarschuwingen: list[str] = []
        if alleen_periode:
            for naam in list(self.fields):
                if naam not in self.PERIODE:
                    del self.fields[naam]
            return
        self.fields["aanbieder"].queryset = Onderwijsaanbieder.objects.filter(
            instelling=instelling
        ).order_by("code")
        self.fields["soort"].choices = [(s.value, s.label) for s in self._soorten()]
        self.fields["vermoedelijke_reden"].widget.attrs["list"] = "standaardteksten"
        if _ja_nee_ruw(self, "actie_gewenst") is False:
            self.fields["toelichting_actie_gewenst"].required = True
            self.fields["toelichting_actie_gewenst"].error_messages["required"] = (
                "Licht toe waarom geen actie gewenst is."
            )

    @property
    def instellingscode(self) -> str:
        return self.instelling.instellingscode

    def _begindatum_ruw(self) -> datetime.date | None:
        waarde = _ruw(self, "begindatum")
        if isinstance(waarde, datetime.date) or waarde is None:
            return waarde
        try:
            return self.fields["begindatum"].clean(waarde)
        except ValidationError:
            return None

    def _soorten(self) -> list[Verzuimsoort]:
        begindatum = self._begindatum_ruw()
        if begindatum is None:
            return list(Verzuimsoort)
        return regels.beschikbare_soorten(self.leerling, begindatum)

    def _zoek_locatie(self, code: str) -> Onderwijslocatie | None:
        if code not in self._locatie_cache:
            self._locatie_cache[code] = Onderwijslocatie.objects.filter(code=code).first()
        return self._locatie_cache[code]

    @cached_property
    def getoonde_locatie(self) -> Onderwijslocatie | None:
        """The onderwijslocatie whose postcode and huisnummer the page shows."""
        if self.alleen_periode:
            return None
        if self.is_bound and self.is_valid():
            return self.cleaned_data["locatie"]
        code = (_ruw(self, "locatie") or "").strip().upper()
        return self._zoek_locatie(code) if formaten.LOCATIECODE.match(code) else None

    def clean_locatie(self):
        code = (self.cleaned_data.get("locatie") or "").strip().upper()
        locatie = self._zoek_locatie(code) if formaten.LOCATIECODE.match(code) else None
        if locatie is None:
            raise ValidationError("Deze onderwijslocatie bestaat niet", code="bestaat_niet")
        return locatie

    def _zet_fouten(self, fouten: dict[str, list[str]]) -> None:
        for veld, meldingen in fouten.items():
            for melding in meldingen:
                self.add_error(veld if veld in self.fields else None, melding)

    def clean(self):
        data = super().clean()
        begindatum = data.get("begindatum")
        if begindatum is None or "einddatum" in self.errors:
            return data
        einddatum = data.get("einddatum")
        soort = data.get("soort")
        fouten = regels.controleer_verzuim(
            leerling=self.leerling,
            instelling=self.instelling,
            begindatum=begindatum,
            einddatum=einddatum,
            soort=None if self.alleen_periode else soort,
            op=self.op,
            melding=self.melding,
            alleen_periode=self.alleen_periode,
        )
        self._zet_fouten(fouten)
        if self.alleen_periode:
            return data
        if soort:
            self.waarschuwingen = regels.waarschuwingen(soort, begindatum, einddatum)
        if data.get("actie_gewenst") is not True:
            data["met_prioriteit"] = False
        else:
            data["met_prioriteit"] = bool(data.get("met_prioriteit"))
        self._zet_fouten(
            regels.controleer_onderwijsinstelling(
                instelling=self.instelling,
                aanbieder=data.get("aanbieder"),
                locatie=data.get("locatie"),
            )
        )
        return data


# --- Stap 3: Lesuren --------------------------------------------------------------------------


class LesurenForm(_Basis):
    """*Alle lessen gemist* (manual 2.5). The period kwargs are for the page's text."""

    alle_lessen_gemist = JaNeeField(label="Alle lessen gemist", initial=True)

    def __init__(self, *args, begindatum=None, einddatum=None, op=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.begindatum, self.einddatum, self.op = begindatum, einddatum, op


LESUREN = [(uur, str(uur)) for uur in range(1, 13)]


class VerzuimdagForm(_Basis):
    """One verzuimdag: Datum, Hele dag, Lesuren (with Hele dag Nee), Toelichting."""

    datum = DatumField(label="Datum")
    hele_dag = JaNeeField(label="Hele dag", initial=True)
    lesuren = forms.TypedMultipleChoiceField(
        label="Lesuren",
        choices=LESUREN,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "keuzes--inline"}),
        error_messages={"invalid_choice": "Kies lesuren van 1 tot en met 12."},
    )
    toelichting = tekst_veld(1500, label="Toelichting", required=False, rows=3)

    def clean(self):
        data = super().clean()
        if data.get("hele_dag") is False:
            if not data.get("lesuren") and "lesuren" not in self.errors:
                self.add_error("lesuren", "Kies minimaal één lesuur.")
        else:
            data["lesuren"] = []
        return data

    def verborgen(self):
        """This day as hidden inputs (a day already added, shown as a table row)."""
        paren = []
        for naam, field in self.fields.items():
            if naam == "DELETE":
                continue
            waarde = self[naam].value()
            html_naam = self.add_prefix(naam)
            if naam == "datum":
                delen = (
                    field.widget.decompress(waarde)
                    if not isinstance(waarde, list | tuple)
                    else waarde
                )
                paren += [(f"{html_naam}_{i}", deel) for i, deel in enumerate(delen)]
            elif naam == "lesuren":
                paren += [(html_naam, uur) for uur in waarde or []]
            elif naam == "hele_dag":
                paren.append((html_naam, field.prepare_value(waarde)))
            else:
                paren.append((html_naam, waarde))
        return format_html_join(
            "",
            '<input type="hidden" name="{}" value="{}">',
            ((n, "" if w is None else w) for n, w in paren),
        )

    def samenvatting(self) -> dict:
        """Datum / Uren / Toelichting as the table shows them."""
        datum = self["datum"].value()
        if isinstance(datum, list | tuple):
            datum = "-".join(str(d).zfill(2) if i < 2 else str(d) for i, d in enumerate(datum))
        elif isinstance(datum, datetime.date):
            datum = f"{datum:%d-%m-%Y}"
        hele_dag = _ja_nee_ruw(self, "hele_dag")
        uren = self["lesuren"].value() or []
        return {
            "datum": datum or "",
            "uren": "Hele dag" if hele_dag is not False else ", ".join(str(u) for u in uren),
            "toelichting": self["toelichting"].value() or "",
        }


class BaseVerzuimdagFormSet(forms.BaseFormSet):
    """The verzuimdagen; `alle_lessen_gemist` (set by the caller) decides whether they count.
    The rules are `services.controleer_verzuimdagen` (one rule, one place)."""

    def _construct_form(self, i, **kwargs):
        # A row the user added and left empty gets its messages, it is not silently dropped.
        form = super()._construct_form(i, **kwargs)
        form.empty_permitted = False
        return form

    def __init__(
        self, *args, begindatum=None, einddatum=None, op=None, alle_lessen_gemist=None, **kwargs
    ):
        kwargs.setdefault("prefix", "verzuimdagen")
        super().__init__(*args, **kwargs)
        self.begindatum, self.einddatum = begindatum, einddatum
        self.op = op or regels.vandaag()
        self.alle_lessen_gemist = alle_lessen_gemist

    @classmethod
    def get_default_prefix(cls):
        return "verzuimdagen"

    @property
    def verzuimdagen(self) -> list[dict]:
        return [
            {
                "datum": f.cleaned_data["datum"],
                "hele_dag": f.cleaned_data["hele_dag"] is not False,
                "lesuren": f.cleaned_data.get("lesuren") or [],
                "toelichting": f.cleaned_data.get("toelichting", ""),
            }
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]

    def clean(self):
        if self.alle_lessen_gemist is not False or self.begindatum is None:
            return
        if any(f.errors for f in self.forms):
            return
        try:
            services.controleer_verzuimdagen(
                verzuimdagen=self.verzuimdagen,
                alle_lessen_gemist=False,
                begindatum=self.begindatum,
                einddatum=self.einddatum,
                op=self.op,
            )
        except ValidationError as exc:
            raise ValidationError(
                [m for ms in exc.message_dict.values() for m in ms]
                if hasattr(exc, "error_dict")
                else exc.messages
            ) from exc


VerzuimdagFormSet = formset_factory(
    VerzuimdagForm, formset=BaseVerzuimdagFormSet, extra=0, can_delete=True, max_num=400
)


# --- Stap 4 en 5 ------------------------------------------------------------------------------


class ActiesSchoolForm(_Basis):
    """Acties school (manual 2.6)."""

    ondernomen_acties = forms.MultipleChoiceField(
        label="Ondernomen actie door school",
        choices=OndernomenActie.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="U kunt meerdere acties aanvinken.",
        error_messages={"required": "Kies minimaal één ondernomen actie."},
    )
    toelichting_acties = tekst_veld(
        1500,
        label="Toelichting ondernomen acties",
        required=False,
        rows=4,
        help_text="Maximaal 1500 karakters. Verplicht bij Anders.",
    )

    def clean(self):
        data = super().clean()
        if OndernomenActie.ANDERS in (data.get("ondernomen_acties") or []) and not data.get(
            "toelichting_acties"
        ):
            self.add_error("toelichting_acties", "Licht de ondernomen actie 'Anders' toe.")
        return data


class OverzichtForm(_Basis):
    stuur_email_naar_melder = forms.BooleanField(label="Stuur e-mail naar melder", required=False)


# --- A form and a formset as one step ---------------------------------------------------------


class StapForm(ABC):
    """A form and a formset that a page shows and validates together (steps 1 and 3).

    formtools sees one form: `data`, `files`, `prefix`, `is_valid()`, `cleaned_data` (the
    form's cleaned data plus the formset's rows under `rij_sleutel`). `toon_fouten=False`
    renders a bound form without messages (after *Contactpersoon toevoegen* and the like).
    """

    form_class: type[forms.Form]
    formset_class: type[forms.BaseFormSet]
    rij_sleutel: str
    base_fields: dict = {}  # formtools looks for FileFields here; there are none

    def __init__(self, data=None, files=None, prefix=None, initial=None, **kwargs):
        initial = dict(initial or {})
        rijen = initial.pop(self.rij_sleutel, None)
        self.data = data if data is not None else {}
        self.files = files
        self.prefix = prefix
        self.is_bound = data is not None
        self.form = self.form_class(
            data, files, prefix=prefix, initial=initial, **self.form_kwargs(kwargs)
        )
        self.formset = self.formset_class(
            data,
            files,
            prefix=f"{prefix}-{self.rij_sleutel}" if prefix else self.rij_sleutel,
            initial=rijen,
            **self.formset_kwargs(kwargs),
        )

    def form_kwargs(self, kwargs):
        return kwargs

    def formset_kwargs(self, kwargs):
        return {}

    def zonder_fouten(self):
        """Show the submitted values without any message."""
        from django.forms.utils import ErrorDict, ErrorList

        self.form._errors = ErrorDict()
        self.formset._errors = [ErrorDict() for _ in self.formset.forms]
        self.formset._non_form_errors = ErrorList()
        for f in self.formset.forms:
            f._errors = ErrorDict()
        return self

    def is_valid(self) -> bool:
        form_geldig = self.form.is_valid()
        formset_geldig = self.formset.is_valid()
        return form_geldig and formset_geldig

    @property
    def errors(self):
        return self.form.errors

    @property
    def cleaned_data(self) -> dict:
        return {**self.form.cleaned_data, self.rij_sleutel: self.rijen()}

    @abstractmethod
    def rijen(self) -> list[dict]:
        """The formset's rows as the service takes them (contactpersonen, verzuimdagen)."""

    @property
    def media(self):
        return self.form.media + self.formset.media


class LeerlingStapForm(StapForm):
    form_class = LeerlingForm
    formset_class = ContactpersoonFormSet
    rij_sleutel = "contactpersonen"

    def rijen(self):
        return self.formset.contactpersonen


class LesurenStapForm(StapForm):
    """`LesurenStapForm(data, prefix=..., begindatum=, einddatum=, op=)`."""

    form_class = LesurenForm
    formset_class = VerzuimdagFormSet
    rij_sleutel = "verzuimdagen"

    def formset_kwargs(self, kwargs):
        return {
            **{k: kwargs.get(k) for k in ("begindatum", "einddatum", "op")},
            # Until the form is validated, what was chosen decides whether the days count.
            "alle_lessen_gemist": _ja_nee_ruw(self.form, "alle_lessen_gemist")
            if self.is_bound
            else None,
        }

    @property
    def periode_tekst(self) -> str:
        f = self.form
        if f.begindatum is None:
            return ""
        tekst = f"van {f.begindatum:%d-%m-%Y}"
        if f.einddatum:
            tekst += f" tot en met {f.einddatum:%d-%m-%Y}"
        return tekst

    def is_valid(self) -> bool:
        if not self.form.is_valid():
            self.formset.alle_lessen_gemist = None
            return False
        self.formset.alle_lessen_gemist = self.form.cleaned_data.get("alle_lessen_gemist")
        if self.formset.alle_lessen_gemist:
            return True  # the days do not count; whatever was typed there is ignored
        return self.formset.is_valid()

    def rijen(self):
        if self.form.cleaned_data.get("alle_lessen_gemist"):
            return []
        return self.formset.verzuimdagen

    @property
    def open_dag(self) -> int | None:
        """Index of the day being entered (after *Voeg dag toe*), shown as a fieldset."""
        waarde = self.data.get(f"{self.formset.prefix}-open") if self.is_bound else None
        try:
            index = int(waarde)
        except (TypeError, ValueError):
            return None
        return index if 0 <= index < len(self.formset.forms) else None

    def dagen(self):
        """(index, form, open) per verzuimdag: the day being entered, and any day with an
        error, is a fieldset; the others are table rows."""
        open_index = self.open_dag
        return [
            (i, f, i == open_index or bool(f.is_bound and f._errors and f.errors))
            for i, f in enumerate(self.formset.forms)
        ]

    def toegevoegde_dagen(self):
        return [(i, f) for i, f, open_ in self.dagen() if not open_]

    def open_dagen(self):
        return [(i, f) for i, f, open_ in self.dagen() if open_]


MAX_FORMULIEREN = 100


def _totaal(data, prefix: str) -> int:
    """The formset's TOTAL_FORMS as posted; anything but a small number is a tampered form."""
    waarde = data.get(f"{prefix}-TOTAL_FORMS") or "0"
    if not waarde.isdigit() or int(waarde) > MAX_FORMULIEREN:
        raise SuspiciousOperation("Ongeldig aantal formulieren.")
    return int(waarde)


def formset_met_extra(data, prefix: str, extra_velden: dict | None = None):
    """A copy of `data` with one more (empty) form in the formset `prefix`."""
    nieuw = data.copy()
    totaal = _totaal(data, prefix)
    nieuw[f"{prefix}-TOTAL_FORMS"] = str(totaal + 1)
    nieuw.setdefault(f"{prefix}-INITIAL_FORMS", "0")
    for naam, waarde in (extra_velden or {}).items():
        nieuw[f"{prefix}-{totaal}-{naam}"] = waarde
    return nieuw, totaal


def formset_zonder(data, prefix: str, index: int):
    """A copy of `data` without form `index` of the formset `prefix` (later ones move up)."""
    totaal = _totaal(data, prefix)
    nieuw = data.copy()
    vorm = re.compile(rf"^{re.escape(prefix)}-(\d+)-(.+)$")
    for sleutel in list(nieuw.keys()):
        if vorm.match(sleutel):
            del nieuw[sleutel]
    for sleutel in data:
        match = vorm.match(sleutel)
        if not match:
            continue
        i, rest = int(match.group(1)), match.group(2)
        if i == index:
            continue
        nieuw.setlist(f"{prefix}-{i if i < index else i - 1}-{rest}", data.getlist(sleutel))
    nieuw[f"{prefix}-TOTAL_FORMS"] = str(max(totaal - 1, 0))
    nieuw[f"{prefix}-INITIAL_FORMS"] = "0"
    return nieuw


def _knopindex(actie: str) -> int:
    deel = actie.rsplit("_", 1)[1]
    if not deel.isdigit():
        raise Http404
    return int(deel)


def paginaknop(
    blok: str, actie: str, data, *, formset_prefix: str, alle_lessen_veld: str, is_geldig
):
    """The buttons that only change the page, without JavaScript: Contactpersoon toevoegen /
    Verwijderen (block leerling) and Voeg dag toe / Voeg toe / Verwijderen (block lesuren).
    Shared by the wizard's steps and the Wijzig pages. Returns `(data, stil)` — the changed
    POST data, and whether to show it without messages (False only when Voeg toe found a
    problem) — or None for a button this block does not have."""
    stil = True
    if blok == "leerling" and actie == "contactpersoon_toevoegen":
        data, _ = formset_met_extra(data, formset_prefix)
    elif blok == "leerling" and actie.startswith("contactpersoon_verwijderen_"):
        data = formset_zonder(data, formset_prefix, _knopindex(actie))
    elif blok == "lesuren" and (
        actie in ("dag_toevoegen", "dag_opslaan") or actie.startswith("dag_verwijderen_")
    ):
        sleutel_open = f"{formset_prefix}-open"
        if actie == "dag_toevoegen":
            data, index = formset_met_extra(data, formset_prefix, {"hele_dag": "ja"})
            data[alle_lessen_veld] = "nee"
            data[sleutel_open] = str(index)
        elif actie == "dag_opslaan":
            if is_geldig(data):
                data = data.copy()
                data.pop(sleutel_open, None)
            else:
                stil = False
        else:
            index = _knopindex(actie)
            open_index = data.get(sleutel_open) or ""
            data = formset_zonder(data, formset_prefix, index)
            if open_index.isdigit():
                if int(open_index) == index:
                    data.pop(sleutel_open, None)
                elif int(open_index) > index:
                    data[sleutel_open] = str(int(open_index) - 1)
    else:
        return None
    return data, stil


def toon_locatie(locatie: Onderwijslocatie | None) -> str:
    if locatie is None:
        return ""
    return format_html(
        "Postcode {} Huisnummer {}", formaten.toon_postcode(locatie.postcode), locatie.huisnummer
    )
