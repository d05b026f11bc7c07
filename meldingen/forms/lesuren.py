"""Block Lesuren (manual 2.5): *Alle lessen gemist* and, with Nee, the verzuimdagen.
`LesurenStapForm` is the page: `LesurenForm` plus `VerzuimdagFormSet`."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils.html import format_html_join

from verzuimloket.datums import vandaag
from verzuimloket.forms import DatumField, JaNeeField

from .. import limieten, regels
from .paginaknoppen import verzuimdag_knop
from .stap import StapForm
from .velden import BlokForm, RijenFormSet, ja_nee_ruw, tekst_veld


class LesurenForm(BlokForm):
    """*Alle lessen gemist*. The period it belongs to is for the page's text."""

    alle_lessen_gemist = JaNeeField(label="Alle lessen gemist", initial=True)

    def __init__(self, *args, begindatum=None, einddatum=None, op=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.begindatum, self.einddatum, self.op = begindatum, einddatum, op


class VerzuimdagForm(BlokForm):
    """One verzuimdag: Datum, Hele dag, Lesuren (with Hele dag Nee), Toelichting."""

    # The lesuren are asked (and required) only with Hele dag Nee.
    alleen_als = {"lesuren": (("hele_dag", "nee"),)}

    datum = DatumField(label="Datum")
    hele_dag = JaNeeField(label="Hele dag", initial=True)
    lesuren = forms.TypedMultipleChoiceField(
        label="Lesuren",
        choices=[(uur, str(uur)) for uur in limieten.LESUREN],
        coerce=int,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "keuzes--inline"}),
        error_messages={
            "required": regels.GEEN_LESUUR,
            "invalid_choice": f"Kies lesuren van {limieten.LESUREN[0]} tot en met "
            f"{limieten.LESUREN[-1]}.",
        },
    )
    toelichting = tekst_veld(limieten.MAX_TOELICHTING, label="Toelichting", rows=3)

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
        hele_dag = ja_nee_ruw(self, "hele_dag")
        uren = self["lesuren"].value() or []
        return {
            "datum": datum or "",
            "uren": "Hele dag" if hele_dag is not False else ", ".join(str(u) for u in uren),
            "toelichting": self["toelichting"].value() or "",
        }


class BaseVerzuimdagFormSet(RijenFormSet):
    """The verzuimdagen; `alle_lessen_gemist` (set by the caller) decides whether they count.
    The rules are `regels.controleer_verzuimdagen`."""

    sleutel = "verzuimdagen"
    rij_velden = ("datum", "hele_dag", "lesuren", "toelichting")

    def __init__(
        self, *args, begindatum=None, einddatum=None, op=None, alle_lessen_gemist=None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.begindatum, self.einddatum = begindatum, einddatum
        self.op = op or vandaag()
        self.alle_lessen_gemist = alle_lessen_gemist

    def rij(self, cleaned_data: dict) -> dict:
        return {
            "datum": cleaned_data["datum"],
            "hele_dag": cleaned_data["hele_dag"] is not False,
            "lesuren": cleaned_data.get("lesuren") or [],
            "toelichting": cleaned_data.get("toelichting", ""),
        }

    def clean(self):
        if self.alle_lessen_gemist is not False or self.begindatum is None:
            return
        if any(f.errors for f in self.forms):
            return
        fouten = regels.controleer_verzuimdagen(
            verzuimdagen=self.rijen,
            alle_lessen_gemist=False,
            begindatum=self.begindatum,
            einddatum=self.einddatum,
            op=self.op,
        )
        if fouten:
            raise ValidationError([m for meldingen in fouten.values() for m in meldingen])


VerzuimdagFormSet = formset_factory(
    VerzuimdagForm,
    formset=BaseVerzuimdagFormSet,
    extra=0,
    can_delete=True,
    max_num=limieten.MAX_VERZUIMDAGEN,
    absolute_max=limieten.MAX_VERZUIMDAGEN,
    validate_max=True,
)


class LesurenStapForm(StapForm):
    """`LesurenStapForm(data, prefix=..., begindatum=, einddatum=, op=)`."""

    form_class = LesurenForm
    formset_class = VerzuimdagFormSet

    def formset_kwargs(self, kwargs):
        return {
            **{k: kwargs.get(k) for k in ("begindatum", "einddatum", "op")},
            # Until the form is validated, what was chosen decides whether the days count.
            "alle_lessen_gemist": ja_nee_ruw(self.form, "alle_lessen_gemist")
            if self.is_bound
            else None,
        }

    def paginaknop(self, actie: str):
        return verzuimdag_knop(
            actie,
            self.data,
            prefix=self.formset.prefix,
            alle_lessen_veld=self.form.add_prefix("alle_lessen_gemist"),
            is_geldig=lambda data: self.opnieuw(data).is_valid(),
            voorstel=self.volgende_dag(),
        )

    def volgende_dag(self) -> datetime.date | None:
        """The date *Voeg dag toe* proposes (manual 2.5): the begindatum, then the day after
        the last day added, as long as it lies in the period (up to today when it is open)."""
        begindatum = self.formset.begindatum
        if begindatum is None:
            return None
        dagen = []
        for dag in self.formset.forms:
            try:
                dagen.append(dag.fields["datum"].clean(dag["datum"].data))
            except ValidationError:
                continue
        volgende = max(dagen) + datetime.timedelta(days=1) if dagen else begindatum
        laatste = self.formset.einddatum or self.formset.op
        return volgende if begindatum <= volgende <= laatste else None

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
        return self.formset.rijen

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
