"""A form and a formset that one page shows and validates together (blocks Leerling and
Lesuren), presented to formtools and to the Wijzig pages as one form."""

import re

from django.core.exceptions import SuspiciousOperation
from django.forms.utils import ErrorDict, ErrorList


class StapForm:
    """`form_class` (the block's fields) plus `formset_class` (its rows).

    formtools sees one form: `data`, `files`, `prefix`, `is_valid()`, `cleaned_data` (the
    form's cleaned data plus the rows under the formset's `sleutel`). Keyword arguments go to
    the form (`form_kwargs`) and the formset (`formset_kwargs`). `paginaknop(actie)` handles
    the buttons that only change the page; `opnieuw(data)` builds the same form on other data.
    """

    form_class: type
    formset_class: type
    base_fields: dict = {}  # formtools looks for FileFields here; there are none

    def __init__(self, data=None, files=None, prefix=None, initial=None, **kwargs):
        formset_prefix = f"{prefix}-{self.rij_sleutel}" if prefix else self.rij_sleutel
        if data is not None:
            # One row too many gets the formset's message ("maximaal vijf"); more than that
            # no page sends: a tampered form, refused before any row is built (a 1 KB POST
            # must not cost seconds and megabytes).
            totaal = data.get(f"{formset_prefix}-TOTAL_FORMS") or "0"
            if not re.fullmatch(r"[0-9]{1,4}", totaal) or int(totaal) > (
                self.formset_class.absolute_max + 1
            ):
                raise SuspiciousOperation("Te veel rijen in het formulier.")
        self.initial = dict(initial or {})
        beginwaarden = dict(self.initial)
        rijen = beginwaarden.pop(self.rij_sleutel, None)
        self.data = data if data is not None else {}
        self.files = files
        self.prefix = prefix
        self.is_bound = data is not None
        self._kwargs = kwargs
        self.form = self.form_class(
            data, files, prefix=prefix, initial=beginwaarden, **self.form_kwargs(kwargs)
        )
        self.formset = self.formset_class(
            data,
            files,
            prefix=formset_prefix,
            initial=rijen,
            **self.formset_kwargs(kwargs),
        )

    @property
    def rij_sleutel(self) -> str:
        return self.formset_class.sleutel

    def form_kwargs(self, kwargs) -> dict:
        return kwargs

    def formset_kwargs(self, kwargs) -> dict:
        return {}

    def opnieuw(self, data) -> "StapForm":
        return type(self)(
            data, self.files, prefix=self.prefix, initial=self.initial, **self._kwargs
        )

    def paginaknop(self, actie: str):
        """`(data, stil)` after a button that only changes the page, or None (not ours)."""
        return None

    def zonder_fouten(self) -> "StapForm":
        """Show the submitted values without any message."""
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
    def heeft_fouten(self) -> bool:
        return bool(
            (self.form.is_bound and self.form.errors)
            or (self.formset.is_bound and self.formset.total_error_count())
        )

    def add_error(self, veld: str | None, fouten) -> None:
        """As Form.add_error; messages about the rows go above the rows."""
        if veld == self.rij_sleutel:
            self.formset.voeg_fouten_toe(fouten)
        else:
            self.form.add_error(veld if veld in self.form.fields else None, fouten)

    @property
    def cleaned_data(self) -> dict:
        return {**self.form.cleaned_data, self.rij_sleutel: self.rijen()}

    def rijen(self) -> list[dict]:
        """The formset's rows as the service takes them (after is_valid())."""
        return self.formset.rijen

    @property
    def media(self):
        return self.form.media + self.formset.media
