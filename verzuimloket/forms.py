"""Form building blocks for every Verzuimloket screen.

- `VerzuimloketFormRenderer` renders `{{ form }}` and `{{ form.veld.as_field_group }}` with the
  Jinja2 templates in `templates/jinja2/forms/` (label, OPTIONEEL, hint, error message,
  fieldset for grouped inputs) and Django's own Jinja2 widget templates (from the
  `django.forms` app, which must be in INSTALLED_APPS).
- `VerzuimloketBoundField` adds `anker_id`, the id the error summary links to.
- `DatumField` / `DatumWidget`: a date as three inputs dag / maand / jaar in a fieldset.
- `JaNeeField`: a Ja/Nee radio group that cleans to True, False or None.
- `VerzuimloketForm`: base class with the CSS classes set.
- `fouten_tonen(form, fout)`: a service's refusal (ValidationError) or a rule checker's
  messages (dict of field -> messages) shown on a form, each next to its field.

See docs/ui.md for how pages use them.
"""

import datetime
import re
from collections.abc import Mapping

import jinja2
from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.boundfield import BoundField
from django.forms.renderers import BaseRenderer
from django.template import TemplateDoesNotExist
from django.template.backends.jinja2 import Jinja2
from django.template.loader import get_template
from django.utils.functional import cached_property
from markupsafe import Markup, escape

_DAG_OF_MAAND = re.compile(r"[0-9]{1,2}")
_JAAR = re.compile(r"[0-9]{4}")


class VerzuimloketBoundField(BoundField):
    """BoundField with the id the error summary links to.

    Django 5.2 itself already sets `aria-invalid="true"` on an input with errors and points
    `aria-describedby` at `<id>_helptext` and `<id>_error` (for a fieldset: on the fieldset);
    templates/jinja2/forms/field.html renders the hint and the error message with exactly those ids.
    """

    @property
    def optioneel_mark(self) -> dict | None:
        """The OPTIONEEL mark: None for a field that is required where it shows; else
        {"verberg_als": "naam=waarde" or "", "verborgen": bool} (hidden while required)."""
        optioneel = getattr(self.form, "optioneel", None)
        if optioneel is None:  # a form of Django's own
            return None if self.field.required else {"verberg_als": "", "verborgen": False}
        toont, verberg_als = optioneel(self.name)
        if not toont:
            return None
        return {"verberg_als": verberg_als, "verborgen": bool(verberg_als) and self.field.required}

    @property
    def anker_id(self) -> str:
        """The id of the first input of this field, for `<a href="#...">` in the summary.

        A date (MultiWidget) and a radio or checkbox list have no element with the field's own
        id that can take focus, so link to the first of its inputs (`<id>_0`).
        """
        if not self.auto_id:
            return ""
        widget = self.field.widget
        if isinstance(widget, forms.MultiWidget) or (
            isinstance(widget, forms.RadioSelect) and widget.add_id_index
        ):
            return f"{self.auto_id}_0"
        return self.id_for_label or self.auto_id


class VerzuimloketFormRenderer(BaseRenderer):
    """Form renderer for the whole project (settings.FORM_RENDERER).

    Forms render with Jinja2: the project's form templates in templates/jinja2/forms/ and
    Django's own Jinja2 widget templates (django/forms/jinja2/). Django's template language
    spent more time on a form than on the rest of its page: the werkvoorraad's six filters
    took 3.3 ms of the page's 10.9 ms CPU, 25 result rows 0.6 ms. A template only the Django
    language has (the admin's own widgets) is still found, through settings.TEMPLATES.
    Every form rendered with it, also Django's own such as AuthenticationForm, gets
    `VerzuimloketBoundField`.
    """

    form_template_name = "forms/div.html"
    field_template_name = "forms/field.html"
    formset_template_name = "forms/formset.html"
    bound_field_class = VerzuimloketBoundField

    @cached_property
    def engine(self) -> Jinja2:
        # templates/jinja2/ first, then the `jinja2/` folder of every app: Django's
        # django/forms/jinja2/ (as Django's own Jinja2 renderer).
        return Jinja2(
            {
                "APP_DIRS": True,
                "DIRS": [settings.BASE_DIR / "templates" / "jinja2"],
                "NAME": "formulieren",
                "OPTIONS": {"environment": "verzuimloket.forms.formulier_omgeving"},
            }
        )

    def get_template(self, template_name):
        try:
            return self.engine.get_template(template_name)
        except TemplateDoesNotExist:
            return get_template(template_name)


def html_attrs(attrs: Mapping) -> Markup:
    """A widget's attributes as Django's django/forms/widgets/attrs.html writes them: ` naam`
    for True, nothing for False, else ` naam="waarde"`, escaped.

    A function instead of that template: Jinja2 starts a new context for every include, and a
    select included attrs.html once per option (select_option.html), a date input three
    templates deep per part. The werkvoorraad's six filters spent 1.1 ms rendering, most of it
    in those includes. The widget templates in templates/jinja2/django/forms/widgets/ call
    this instead; tests/test_templates.py holds their HTML equal to Django's own."""
    return Markup(
        "".join(
            f" {escape(naam)}" if waarde is True else f' {escape(naam)}="{escape(waarde)}"'
            for naam, waarde in attrs.items()
            if waarde is not False
        )
    )


def html_invoer(widget: Mapping) -> Markup:
    """An <input> as Django's django/forms/widgets/input.html writes it, from the widget's
    context (its `widget` dict): one place for the input, which the project's input, option,
    checkbox/radio list and date templates all write."""
    waarde = widget["value"]
    return Markup(
        f'<input type="{escape(widget["type"])}" name="{escape(widget["name"])}"'
        + (f' value="{escape(waarde)}"' if waarde is not None else "")
        + f"{html_attrs(widget['attrs'])}>"
    )


def html_keuze(widget: Mapping) -> Markup:
    """One checkbox or radio option as django/forms/widgets/input_option.html writes it: the
    input, wrapped in its label."""
    if not widget["wrap_label"]:
        return html_invoer(widget)
    id_ = widget["attrs"].get("id")
    voor = f' for="{escape(id_)}"' if id_ else ""
    return Markup(f"<label{voor}>{html_invoer(widget)} {escape(widget['label'])}</label>")


def formulier_omgeving(**options) -> jinja2.Environment:
    """The Jinja2 environment forms render in: Django's defaults, plus `attrs()`, `invoer()`
    and `keuze()`."""
    omgeving = jinja2.Environment(**options)
    omgeving.globals.update(attrs=html_attrs, invoer=html_invoer, keuze=html_keuze)
    return omgeving


class DatumWidget(forms.MultiWidget):
    """Three text inputs dag / maand / jaar, each with its own visible <label>."""

    template_name = "forms/datum_widget.html"
    use_fieldset = True
    labels = ("dag", "maand", "jaar")

    def __init__(self, attrs=None):
        def invoer(grootte: int) -> forms.TextInput:
            return forms.TextInput(
                attrs={
                    "class": f"datum__invoer datum__invoer--{grootte}",
                    "inputmode": "numeric",
                    "size": str(grootte),
                    "autocomplete": "off",
                    "spellcheck": "false",
                }
            )

        super().__init__(widgets=[invoer(2), invoer(2), invoer(4)], attrs=attrs)

    def decompress(self, value):
        if isinstance(value, str):
            try:
                value = datetime.date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
        if isinstance(value, datetime.datetime):
            value = value.date()
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for subwidget, label in zip(context["widget"]["subwidgets"], self.labels, strict=True):
            subwidget["label"] = label
            if label != "jaar":
                subwidget["value"] = self._twee_cijfers(subwidget["value"])
        return context

    @staticmethod
    def _twee_cijfers(deel):
        """Dag and maand as two digits ("5" -> "05"), from a date or as typed; anything that
        is not one or two digits stays exactly as typed."""
        if deel is None:
            return None
        tekst = str(deel).strip()
        return tekst.zfill(2) if _DAG_OF_MAAND.fullmatch(tekst) else deel


class DatumField(forms.MultiValueField):
    """A date entered as dag, maand, jaar (DD-MM-JJJJ); cleans to `datetime.date` or None.

    `DatumField(required=False, label="Einddatum")`. In a ModelForm use
    `Meta.field_classes = {"begindatum": DatumField}`.
    """

    widget = DatumWidget
    default_error_messages = {
        "required": "Vul een datum in.",
        "incomplete": "Vul dag, maand en jaar in.",
        "invalid": "Vul een bestaande datum in (dag, maand, jaar).",
    }

    def __init__(self, required=True, **kwargs):
        delen = [forms.CharField(required=required, strip=True) for _ in range(3)]
        super().__init__(fields=delen, required=required, require_all_fields=False, **kwargs)

    def _delen(self, value) -> list[str]:
        """The three parts as stripped strings, from a list of parts or from a date."""
        if not isinstance(value, list | tuple):  # a date (disabled field, initial) or None
            value = self.widget.decompress(value)
        delen = [str(deel).strip() if deel is not None else "" for deel in value]
        return (delen + ["", "", ""])[:3]

    def clean(self, value):
        delen = self._delen(value)
        if not any(delen):
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        if not all(delen):
            raise ValidationError(self.error_messages["incomplete"], code="incomplete")
        datum = self.compress(delen)
        self.validate(datum)
        self.run_validators(datum)
        return datum

    def compress(self, data_list):
        if not data_list or not any(data_list):
            return None
        dag, maand, jaar = (str(deel).strip() for deel in data_list)
        if not (
            _DAG_OF_MAAND.fullmatch(dag)
            and _DAG_OF_MAAND.fullmatch(maand)
            and _JAAR.fullmatch(jaar)
        ):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            return datetime.date(int(jaar), int(maand), int(dag))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def has_changed(self, initial, data):
        # An empty extra form in a formset must count as unchanged, also when required.
        if self.disabled:
            return False
        nieuw, oud = self._delen(data), self._delen(initial)
        if not any(nieuw) or not all(nieuw):
            return nieuw != oud
        try:
            return self.compress(nieuw) != self.compress(oud)
        except ValidationError:
            return True


def _ja_nee(value) -> bool:
    if isinstance(value, bool):
        return value
    return value == "ja"


class JaNeeField(forms.TypedChoiceField):
    """A Ja/Nee question as two radio buttons in a fieldset; cleans to True, False or None.

    `JaNeeField(label="Actie gewenst")`, `JaNeeField(label="Met prioriteit oppakken",
    initial=False)`. The submitted values are "ja" and "nee".
    """

    default_error_messages = {"required": "Kies Ja of Nee."}

    def __init__(self, required=True, initial=None, **kwargs):
        kwargs.setdefault("choices", (("ja", "Ja"), ("nee", "Nee")))
        # The class lands on the options' wrapper <div> (and harmlessly on each input).
        kwargs.setdefault("widget", forms.RadioSelect(attrs={"class": "keuzes--inline"}))
        super().__init__(
            required=required, initial=initial, coerce=_ja_nee, empty_value=None, **kwargs
        )

    def prepare_value(self, value):
        if value is True:
            return "ja"
        if value is False:
            return "nee"
        return value


class KeuzesMetUitleg(forms.RadioSelect):
    """Radio buttons, each with its one-line explanation under the label, tied to the input
    with aria-describedby. `KeuzesMetUitleg(uitleg={"V3": "..."})`."""

    option_template_name = "forms/keuze_met_uitleg.html"

    def __init__(self, attrs=None, choices=(), *, uitleg: dict):
        super().__init__(attrs, choices)
        self.uitleg = {str(waarde): tekst for waarde, tekst in uitleg.items()}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        tekst = self.uitleg.get(str(value))
        if tekst and option["attrs"].get("id"):
            option["uitleg"] = tekst
            option["attrs"]["aria-describedby"] = f"{option['attrs']['id']}_uitleg"
        return option


def _waarden(waarden) -> tuple[str, ...]:
    return (waarden,) if isinstance(waarden, str) else tuple(waarden)


def _tekst(waarde) -> str:
    if waarde is True:
        return "ja"
    if waarde is False:
        return "nee"
    return "" if waarde is None else str(waarde)


def _leeg(field: forms.Field):
    """What a field that is not asked cleans to."""
    if isinstance(field, forms.MultipleChoiceField):
        return []
    if isinstance(field, forms.CharField):
        return field.empty_value
    return None


_WEERGAVEN: dict[tuple, str] = {}  # VasteWeergave: HTML per (form class, input, errors)
WEERGAVEN_BEWAARD = 256


def _bevroren(waarde):
    """`waarde` as a key: lists (of choices, of values) as tuples, all the way down."""
    if isinstance(waarde, list | tuple):
        return tuple(_bevroren(w) for w in waarde)
    return waarde if waarde is None or isinstance(waarde, str | int) else str(waarde)


class VasteWeergave:
    """Mixin for a form shown on nearly every request with mostly the same input, whose HTML
    depends on nothing but that input, its errors and what it sets per field (choices as a
    list, required, label), not on anything else such as today's date: this process keeps
    the HTML of the last WEERGAVEN_BEWAARD of those and gives it again.
    The werkvoorraad's six filters took 0.5 ms of the page's 5 ms to render, the same HTML
    each time the behandelaar came back to it; Zoek melding's form 0.35 ms of 5.

    A field named in `niet_onthouden` that holds something (a pupil's name or number) makes
    the form render afresh, and nothing of it is kept: no personal data stays in memory.
    tests/test_templates.py holds the kept HTML equal to a fresh render."""

    niet_onthouden: tuple[str, ...] = ()

    def _weergave_sleutel(self) -> tuple | None:
        if not self.is_bound or settings.DEBUG:  # while developing, templates change
            return None
        sleutel = [type(self), self.prefix, self.auto_id]
        for naam, field in self.fields.items():
            waarde = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(naam))
            if naam in self.niet_onthouden and waarde:
                return None
            # What a form may set per instance shows too: the choices (a user's own
            # instellingen), whether the field is required (its OPTIONEEL), its label.
            keuzes = getattr(field, "choices", None)
            sleutel += [_bevroren(waarde), _bevroren(keuzes), field.required, str(field.label)]
        # Errors a view added (a service's refusal) show as well: they are part of the key.
        sleutel.append(tuple((naam, tuple(lijst)) for naam, lijst in self.errors.items()))
        if len(repr(sleutel)) > 2000:  # a long input is no input that comes back
            return None
        return tuple(sleutel)

    def render(self, template_name=None, context=None, renderer=None):
        if template_name is not None or context is not None or renderer is not None:
            return super().render(template_name, context, renderer)
        sleutel = self._weergave_sleutel()
        if sleutel is None:
            return super().render()
        html = _WEERGAVEN.get(sleutel)
        if html is None:
            html = super().render()
            if len(_WEERGAVEN) >= WEERGAVEN_BEWAARD:
                # The oldest; pop, not del: with threaded workers another may have taken it.
                _WEERGAVEN.pop(next(iter(_WEERGAVEN), None), None)
            _WEERGAVEN[sleutel] = html
        return html

    # Django binds these to RenderableMixin.render itself, not to an override.
    __str__ = render
    __html__ = render


class VerzuimloketForm(forms.Form):
    """Base class for the project's forms: the CSS classes for errors and required fields (the
    renderer gives every form the project's BoundField and templates), and the answers that
    make other fields apply or required — one declaration that both the validation and the
    OPTIONEEL mark read, so the two cannot disagree:

    - `alleen_als = {"straatnaam": (("afwijkend_adres", "ja"), ("adres_soort", "regulier"))}`:
      the field is asked only while each of those answers is chosen (the page shows it only
      then, `data-toon-als`); otherwise it is not validated and cleans to empty. Its mark is
      its own: a required field asked only sometimes shows no OPTIONEEL.
    - `verplicht_als = {"toelichting_actie_gewenst": ("actie_gewenst", "nee")}`: the field is
      required exactly while that answer (or one of several) is chosen, and optional otherwise;
      its OPTIONEEL mark hides while it is required (`data-verberg-als`, also for the script).
    """

    error_css_class = "veld--fout"
    required_css_class = "veld--verplicht"
    alleen_als: dict[str, tuple[tuple[str, str | tuple[str, ...]], ...]] = {}
    verplicht_als: dict[str, tuple[str, str | tuple[str, ...]]] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for naam, (ander, waarden) in self.verplicht_als.items():
            if naam in self.fields:
                self.fields[naam].required = self.antwoord_is(ander, waarden)
        self.niet_gevraagd = {
            naam
            for naam, voorwaarden in self.alleen_als.items()
            if naam in self.fields
            and not all(self.antwoord_is(ander, waarden) for ander, waarden in voorwaarden)
        }
        for naam in self.niet_gevraagd:
            self.fields[naam].required = False

    def antwoord(self, naam: str) -> list[str]:
        """The answer to a field as submitted (or its initial value when unbound), as texts:
        "ja"/"nee" for a Ja/Nee question, one text per ticked box."""
        if naam not in self.fields:
            return []
        field = self.fields[naam]
        if self.is_bound:
            waarde = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(naam))
        else:
            waarde = self.get_initial_for_field(field, naam)
        if isinstance(waarde, list | tuple):
            return [_tekst(w) for w in waarde]
        return [_tekst(waarde)]

    def antwoord_is(self, naam: str, waarden) -> bool:
        """Whether the answer is one of `waarden` ("*": any answer at all)."""
        waarden = _waarden(waarden)
        return any(w and (w in waarden or "*" in waarden) for w in self.antwoord(naam))

    def optioneel(self, naam: str) -> tuple[bool, str]:
        """(shows OPTIONEEL, and while which answer it hides: "prefix-naam=waarde|waarde")."""
        if naam in self.verplicht_als:
            ander, waarden = self.verplicht_als[naam]
            return True, f"{self.add_prefix(ander)}={'|'.join(_waarden(waarden))}"
        if naam in self.alleen_als:
            return not self.base_fields[naam].required, ""
        return not self.fields[naam].required, ""

    def _clean_fields(self):
        super()._clean_fields()
        for naam in self.niet_gevraagd & set(self.fields):  # what was typed there is ignored
            self._errors.pop(naam, None)
            self.cleaned_data[naam] = _leeg(self.fields[naam])


def fouten_tonen(form, fout: ValidationError | Mapping[str, list]) -> None:
    """Show a refusal on `form`: every message next to its field; a message for a field the
    form does not have (or for none) at the top of the form. `form` is a Django form, or
    anything with an `add_error` that places every key itself (a block form with rows)."""
    if isinstance(fout, ValidationError):
        fout = (
            fout.error_dict if hasattr(fout, "error_dict") else {NON_FIELD_ERRORS: fout.error_list}
        )
    for veld, meldingen in fout.items():
        if isinstance(form, forms.BaseForm) and veld not in form.fields:
            veld = None
        form.add_error(veld, list(meldingen))
