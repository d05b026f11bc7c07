"""Field factories and helpers shared by the block forms: the manual's wording for lengths and
formats, and a look at what was submitted before a form is cleaned."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict

from verzuimloket.formaten import TELEFOON_ONGELDIG, valideer_telefoon
from verzuimloket.forms import VerzuimloketForm

from .. import limieten


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


def tekst_veld(
    max_length: int, *, verplicht: str | None = None, rows=None, **kwargs
) -> forms.CharField:
    """A text with the manual's hint 'Maximaal N karakters'; `verplicht` is the message when it
    is left empty (and makes it required, unless `required=False` says it is only sometimes);
    `rows` makes it a textarea."""
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput
    meldingen = {"max_length": f"Maximaal {max_length} karakters (nu %(show_value)d)."}
    if verplicht:
        meldingen["required"] = verplicht
    return forms.CharField(
        required=kwargs.pop("required", verplicht is not None),
        max_length=max_length,
        help_text=kwargs.pop("help_text", f"Maximaal {max_length} karakters"),
        widget=widget,
        error_messages=meldingen,
        **kwargs,
    )


def naam_veld() -> forms.CharField:
    """The Naam of a contactpersoon (of the pupil, or of the school)."""
    return tekst_veld(limieten.MAX_NAAM, label="Naam", help_text="", verplicht="Vul de naam in.")


def ruwe_waarde(form: forms.BaseForm, naam: str):
    """The submitted (not yet cleaned) value of a field, or its initial value when unbound.
    For fields whose answer changes what else is asked (Ja/Nee, the begindatum)."""
    if form.is_bound:
        return form.fields[naam].widget.value_from_datadict(
            form.data, form.files, form.add_prefix(naam)
        )
    return form.get_initial_for_field(form.fields[naam], naam)


def ja_nee_ruw(form: forms.BaseForm, naam: str) -> bool | None:
    """The answer to a Ja/Nee question as submitted (or initial): True, False or None."""
    waarde = ruwe_waarde(form, naam)
    if waarde in (True, "ja"):
        return True
    if waarde in (False, "nee"):
        return False
    return None


class BlokForm(VerzuimloketForm):
    """Base of the block forms; a block with rows is a `StapForm` with the same interface."""

    # Errors come from the server (and the error summary), not from the browser; a required
    # input hidden by the show/hide script must not block submitting either.
    use_required_attribute = False

    def paginaknop(self, actie: str):
        """No buttons that only change the page here (see `StapForm.paginaknop`)."""
        return None

    def zonder_fouten(self) -> "BlokForm":
        """Show the submitted values without any message."""
        self._errors = ErrorDict()
        return self

    @property
    def heeft_fouten(self) -> bool:
        return bool(self.is_bound and self.errors)


class RijenFormSet(forms.BaseFormSet):
    """A formset whose rows the user adds one by one: a row added and left empty gets its
    messages instead of being dropped silently. `sleutel` is its default prefix and the name
    the service gives the rows (`contactpersonen`); `rij_velden` are a row's keys; `rijen`
    (after is_valid()) is the list of rows as the service takes them."""

    sleutel: str
    rij_velden: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", self.sleutel)
        super().__init__(*args, **kwargs)

    @classmethod
    def get_default_prefix(cls):
        return cls.sleutel

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.empty_permitted = False
        return form

    def rij(self, cleaned_data: dict) -> dict:
        return {veld: cleaned_data.get(veld, "") for veld in self.rij_velden}

    @property
    def rijen(self) -> list[dict]:
        return [
            self.rij(f.cleaned_data)
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]

    def voeg_fouten_toe(self, meldingen) -> None:
        """Messages about the rows as a whole (shown above them)."""
        self.non_form_errors()  # builds _non_form_errors
        for melding in meldingen:
            self._non_form_errors.extend(
                melding.messages if isinstance(melding, ValidationError) else [melding]
            )
