"""Block Leerling (manual 2.3): the pupil's e-mail and telefoon, the contactpersonen and an
afwijkend adres. `LeerlingStapForm` is the page: `LeerlingForm` plus `ContactpersoonFormSet`."""

from dataclasses import dataclass

from django import forms
from django.forms import formset_factory
from django.utils.functional import cached_property
from django.utils.html import format_html_join

from verzuimloket import formaten
from verzuimloket.forms import JaNeeField

from .. import limieten, regels
from ..models import AfwijkendAdres
from .paginaknoppen import (
    contactpersoon_knop,
    open_rij,
    open_rij_klaar,
    open_rij_sluiten,
    oude_waarden,
)
from .stap import StapForm
from .velden import (
    BlokForm,
    RijenFormSet,
    email_veld,
    naam_veld,
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
    # Only the variant chosen is asked (and shown); what was typed in the other is ignored.
    alleen_als = {
        "adres_soort": (("afwijkend_adres", "ja"),),
        **{
            naam: (("afwijkend_adres", "ja"), ("adres_soort", AfwijkendAdres.REGULIER))
            for naam in ADRES_REGULIER
        },
        **{
            naam: (("afwijkend_adres", "ja"), ("adres_soort", AfwijkendAdres.ALTERNATIEF))
            for naam in ADRES_ALTERNATIEF
        },
    }

    leerling_email = email_veld(label="E-mail")
    leerling_telefoon = telefoon_veld(label="Telefoon")
    afwijkend_adres = JaNeeField(label="Heeft deze leerling een afwijkend adres?", initial=False)
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

    def clean_postcode(self):
        waarde = self.cleaned_data.get("postcode") or ""
        return formaten.valideer_postcode(waarde) if waarde else ""

    def clean(self):
        data = super().clean()
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

    def waarden(self) -> dict[str, list[str]]:
        """Its values as shown (posted or initial), as POST data keys them, by field."""
        return {naam: [self[naam].value() or ""] for naam in BaseContactpersoonFormSet.rij_velden}

    def verborgen(self):
        """This contactpersoon as hidden inputs (one added: a table row)."""
        return format_html_join(
            "",
            '<input type="hidden" name="{}" value="{}">',
            ((self.add_prefix(naam), w[0]) for naam, w in self.waarden().items()),
        )


class BaseContactpersoonFormSet(RijenFormSet):
    """The contactpersonen; at most one is open (`paginaknoppen.open_rij`): new, after
    *Contactpersoon toevoegen*, or reopened with *Wijzig*. A new one left entirely empty does
    not count (Verder drops it), unless *Toevoegen* was refused for it (`-geweigerd`)."""

    sleutel = "contactpersonen"
    rij_velden = ("naam", "relatie", "email", "telefoon")

    @cached_property
    def open_index(self) -> int | None:
        index = open_rij(self.data, self.prefix) if self.is_bound else None
        return index if index is not None and index < self.total_form_count() else None

    @cached_property
    def open_oud(self) -> dict[str, list[str]]:
        """The open contactpersoon's values before *Wijzig*; empty when it is a new one."""
        if self.open_index is None:
            return {}
        oud = oude_waarden(self.data, self.prefix)
        return {veld: oud[veld] for veld in self.rij_velden if veld in oud}

    @property
    def geweigerd(self) -> bool:
        return self.is_bound and self.data.get(f"{self.prefix}-geweigerd") == "1"

    def _construct_form(self, i, **kwargs):
        leeg_mag = i == self.open_index and not self.open_oud and not self.geweigerd
        if leeg_mag:
            kwargs["initial"] = {}  # the rows' initial values shift after Verwijderen
        form = super()._construct_form(i, **kwargs)
        form.empty_permitted = leeg_mag
        return form


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


@dataclass(frozen=True)
class Venster:
    """The fields of one contactpersoon with *Toevoegen* and *Sluit*: the manual's window
    *Contactpersoon toevoegen*. The open contactpersoon's shows in the page (`sleutel` "open");
    with none open there is one ready per *Wijzig* (`sleutel` its index) and one for
    *Contactpersoon toevoegen* ("nieuw", with the formset's `totaal` then), which the script
    shows as a dialog instead of a round trip. `oud`: the values before *Wijzig*."""

    sleutel: str
    form: ContactpersoonForm
    prefix: str
    index: int
    oud: dict[str, list[str]]
    totaal: int | None = None

    @property
    def titel(self) -> str:
        return "Contactpersoon wijzigen" if self.oud else "Contactpersoon toevoegen"

    def verborgen(self):
        """Which contactpersoon is open and, after *Wijzig*, how it was (for *Sluit*)."""
        paren = [(f"{self.prefix}-open", self.index)]
        paren += [(f"{self.prefix}-oud-{v}", w) for v, waarden in self.oud.items() for w in waarden]
        return format_html_join("", '<input type="hidden" name="{}" value="{}">', paren)


class LeerlingStapForm(StapForm):
    """Block Leerling's page. The contactpersonen added show as table rows; one may be open in
    a `Venster` (without JavaScript in the page, with it as a dialog)."""

    form_class = LeerlingForm
    formset_class = ContactpersoonFormSet

    def paginaknop(self, actie: str):
        return contactpersoon_knop(
            actie, self.data, prefix=self.formset.prefix, is_geldig=self._open_rij_geldig
        )

    def _open_rij_geldig(self, data) -> bool:
        """*Toevoegen* checks the open contactpersoon alone (an empty one too), not the page."""
        formset = self.opnieuw(data).formset
        index = formset.open_index
        return index is None or formset.form(data, prefix=formset.add_prefix(index)).is_valid()

    def is_valid(self) -> bool:
        geldig = super().is_valid()
        index = self.formset.open_index
        if geldig and index is not None:
            # Verder (or Wijzigen) takes the open contactpersoon as Toevoegen would, and drops
            # a new one left empty; what is kept (the wizard's draft) has none open any more.
            rij = self.formset.forms[index]
            leeg = rij.empty_permitted and not rij.has_changed()
            self.data = (open_rij_sluiten if leeg else open_rij_klaar)(
                self.data, self.formset.prefix
            )
        return geldig

    def zonder_fouten(self) -> "LeerlingStapForm":
        """As `StapForm.zonder_fouten`, but after a refused *Toevoegen* the open
        contactpersoon's messages show (those of the rest of the page do not)."""
        super().zonder_fouten()
        index = self.formset.open_index
        if index is not None and self.formset.geweigerd:
            rij = self.formset.forms[index]
            rij._errors = None
            self.formset._errors[index] = rij.errors
        return self

    @cached_property
    def _getoond_open(self) -> int | None:
        """The contactpersoon shown open: the one being entered or, with none, the first with
        a problem (after Verder), as if *Wijzig* had opened it."""
        if self.formset.open_index is not None or not self.is_bound:
            return self.formset.open_index
        return next((i for i, f in enumerate(self.formset.forms) if f.errors), None)

    @property
    def contactpersoon_open(self) -> bool:
        return self._getoond_open is not None

    def toegevoegde_contactpersonen(self) -> list[tuple[int, ContactpersoonForm]]:
        return [(i, f) for i, f in enumerate(self.formset.forms) if i != self._getoond_open]

    def contactpersoon_vensters(self) -> list[Venster]:
        formset, index = self.formset, self._getoond_open
        if index is not None:
            form = formset.forms[index]
            oud = formset.open_oud if index == formset.open_index else form.waarden()
            return [Venster("open", form, formset.prefix, index, oud)]
        vensters = [
            Venster(str(i), f, formset.prefix, i, f.waarden())
            for i, f in self.toegevoegde_contactpersonen()
        ]
        nieuw = formset.total_form_count()
        if nieuw < formset.max_num:
            leeg = formset.form(
                auto_id=formset.auto_id,
                prefix=formset.add_prefix(nieuw),
                use_required_attribute=False,
                renderer=formset.form_renderer,
            )
            vensters.append(Venster("nieuw", leeg, formset.prefix, nieuw, {}, totaal=nieuw + 1))
        return vensters
