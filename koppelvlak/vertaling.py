"""From the API's JSON to the forms of the browser, and from their messages back to JSON.

A melding sent to the API is checked by exactly the forms the wizard and the Wijzig pages use
(`meldingen.blokken.BLOKKEN`), so it is refused for the same reasons with the same Dutch
messages. This module only translates:

- `formulier_data(blok, json)`: a block's JSON object (lowerCamelCase names of the Melding
  fields, rows as arrays of objects) becomes the POST data its form reads (dates as dag / maand
  / jaar, Ja/Nee as "ja"/"nee", rows as a formset). A value of the wrong JSON type is refused
  here, before any form sees it (`TypeFout`).
- `form_fouten(blok, form)`: the form's messages as `Fout`s with a JSON Pointer to the property
  they are about (`/verzuim/begindatum`, `/lesuren/verzuimdagen/0/lesuren`).
- `service_fouten(exc)`: a service's refusal (keyed by Melding field) the same way.
"""

import re
from dataclasses import dataclass

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import QueryDict

from meldingen.blokken import Blok, blok_van_veld
from meldingen.forms.stap import StapForm
from verzuimloket.forms import DatumField, JaNeeField

ISO_DATUM = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")

ONBEKEND_VELD = "Dit veld bestaat niet."
VERWACHT = {
    "tekst": "Vul tekst in.",
    "getal": "Vul een geheel getal in.",
    "jaNee": "Vul true of false in.",
    "lijst": "Vul een lijst in.",
    "object": "Vul een object in.",
}
# A form field that the JSON names otherwise: the form asks Ja/Nee and then the kind of address.
ANDERE_NAAM = {"adres_soort": "afwijkend_adres"}


def camel(naam: str) -> str:
    """`toelichting_actie_gewenst` -> `toelichtingActieGewenst`."""
    eerste, *rest = naam.split("_")
    return eerste + "".join(deel[:1].upper() + deel[1:] for deel in rest)


@dataclass(frozen=True)
class Fout:
    """One message about one property (`pointer`, RFC 6901; "" is the whole request)."""

    pointer: str
    reden: str
    code: str = "invalid"
    naam: str = ""  # a query parameter's name (it has no pointer)


class TypeFout(Exception):
    def __init__(self, fouten: list[Fout]):
        super().__init__(fouten)
        self.fouten = fouten


def _rij_form(blok: Blok) -> type[forms.Form] | None:
    return blok.form_class.formset_class.form if blok.rijen else None


def _hoofd_form(blok: Blok) -> type[forms.Form]:
    return blok.form_class.form_class if issubclass(blok.form_class, StapForm) else blok.form_class


def json_velden(blok: Blok) -> dict[str, str]:
    """The block's JSON properties and the Melding field each stands for."""
    velden = {camel(veld): veld for veld in blok.velden}
    if blok.rijen:
        velden[camel(blok.rijen)] = blok.rijen
    return velden


def _soort(field: forms.Field) -> str:
    if isinstance(field, DatumField):
        return "datum"
    if isinstance(field, JaNeeField):
        return "jaNee"
    if isinstance(field, forms.MultipleChoiceField):
        return "lijst"
    if isinstance(field, forms.ModelChoiceField):
        return "sleutel"  # a code (text) or an id (number)
    if isinstance(field, forms.IntegerField):
        return "getal"
    return "tekst"


def _zet(data: QueryDict, naam: str, field: forms.Field, waarde, pointer: str, fouten):
    """Put one JSON value into the form data as the browser would have posted it."""
    soort = _soort(field)
    if waarde is None:
        return  # not given: the form decides whether that may be
    if soort == "datum":
        if not isinstance(waarde, str):
            fouten.append(Fout(pointer, VERWACHT["tekst"], "type"))
            return
        match = ISO_DATUM.fullmatch(waarde)
        # Anything but YYYY-MM-DD reaches the form as a date it cannot read: its own message.
        delen = [match[3], match[2], match[1]] if match else ["x", "x", "x"]
        for i, deel in enumerate(delen):
            data[f"{naam}_{i}"] = deel
    elif soort == "jaNee":
        if not isinstance(waarde, bool):
            fouten.append(Fout(pointer, VERWACHT["jaNee"], "type"))
            return
        data[naam] = "ja" if waarde else "nee"
    elif soort == "lijst":
        if not isinstance(waarde, list) or not all(
            isinstance(w, str | int) and not isinstance(w, bool) for w in waarde
        ):
            fouten.append(Fout(pointer, VERWACHT["lijst"], "type"))
            return
        data.setlist(naam, [str(w) for w in waarde])
    elif soort == "sleutel":
        if not isinstance(waarde, str | int) or isinstance(waarde, bool):
            fouten.append(Fout(pointer, VERWACHT["tekst"], "type"))
            return
        data[naam] = str(waarde)
    elif soort == "getal":
        if not isinstance(waarde, int) or isinstance(waarde, bool):
            fouten.append(Fout(pointer, VERWACHT["getal"], "type"))
            return
        data[naam] = str(waarde)
    else:
        if not isinstance(waarde, str):
            fouten.append(Fout(pointer, VERWACHT["tekst"], "type"))
            return
        data[naam] = waarde


def _object(waarde, pointer: str, fouten: list[Fout]) -> dict | None:
    if not isinstance(waarde, dict):
        fouten.append(Fout(pointer, VERWACHT["object"], "type"))
        return None
    return waarde


def formulier_data(blok: Blok, inhoud, *, pointer: str) -> QueryDict:
    """The POST data the block's form reads, from the block's JSON object. Raises TypeFout."""
    fouten: list[Fout] = []
    data = QueryDict(mutable=True)
    inhoud = _object(inhoud, pointer, fouten) or {}
    hoofd = _hoofd_form(blok).base_fields
    velden = json_velden(blok)
    for sleutel, waarde in inhoud.items():
        veld = velden.get(sleutel)
        if veld is None:
            fouten.append(Fout(f"{pointer}/{sleutel}", ONBEKEND_VELD, "unknown"))
        elif veld == blok.rijen:
            _rijen(blok, waarde, data, f"{pointer}/{sleutel}", fouten)
        elif veld == "afwijkend_adres":
            # null: no afwijkend adres; else "regulier" or "alternatief" (the form's Ja + soort).
            if waarde is not None and not isinstance(waarde, str):
                fouten.append(Fout(f"{pointer}/{sleutel}", VERWACHT["tekst"], "type"))
                continue
            data["afwijkend_adres"] = "ja" if waarde else "nee"
            if waarde:
                data["adres_soort"] = waarde
        elif veld in hoofd:
            _zet(data, veld, hoofd[veld], waarde, f"{pointer}/{sleutel}", fouten)
        else:  # a Melding field of the block that its form does not ask (none today)
            fouten.append(Fout(f"{pointer}/{sleutel}", ONBEKEND_VELD, "unknown"))
    _standaarden(data, hoofd)
    if blok.rijen:  # no rows sent: none
        data.setdefault(f"{blok.rijen}-TOTAL_FORMS", "0")
        data.setdefault(f"{blok.rijen}-INITIAL_FORMS", "0")
    if fouten:
        raise TypeFout(fouten)
    return data


def _rijen(blok: Blok, rijen, data: QueryDict, pointer: str, fouten: list[Fout]) -> None:
    if rijen is None:
        rijen = []
    if not isinstance(rijen, list):
        fouten.append(Fout(pointer, VERWACHT["lijst"], "type"))
        return
    formset = blok.form_class.formset_class
    # One row too many gets the formset's own message; more are not even looked at.
    rijen = rijen[: formset.absolute_max + 1]
    rij_velden = _rij_form(blok).base_fields
    namen = {camel(veld): veld for veld in formset.rij_velden}
    data[f"{blok.rijen}-TOTAL_FORMS"] = str(len(rijen))
    data[f"{blok.rijen}-INITIAL_FORMS"] = "0"
    for i, rij in enumerate(rijen):
        rij = _object(rij, f"{pointer}/{i}", fouten)
        if rij is None:
            continue
        for sleutel, waarde in rij.items():
            veld = namen.get(sleutel)
            if veld is None:
                fouten.append(Fout(f"{pointer}/{i}/{sleutel}", ONBEKEND_VELD, "unknown"))
                continue
            naam = f"{blok.rijen}-{i}-{veld}"
            _zet(data, naam, rij_velden[veld], waarde, f"{pointer}/{i}/{sleutel}", fouten)
        _standaarden(data, rij_velden, prefix=f"{blok.rijen}-{i}-")


def _standaarden(data: QueryDict, velden: dict, prefix: str = "") -> None:
    """A Ja/Nee question the page answers beforehand (Afwijkend adres Nee, Met prioriteit Nee,
    Hele dag Ja, Alle lessen gemist Ja) has that answer when the JSON leaves it out."""
    for naam, field in velden.items():
        if isinstance(field, JaNeeField) and field.initial is not None:
            data.setdefault(f"{prefix}{naam}", "ja" if field.initial else "nee")


def actie_data(inhoud, namen: dict[str, str], form_class) -> QueryDict:
    """The POST data of a form without blocks (intrekken, the behandelaar's actions) from a
    JSON object whose properties `namen` maps to the form's fields. Raises TypeFout."""
    fouten: list[Fout] = []
    data = QueryDict(mutable=True)
    inhoud = _object(inhoud if inhoud is not None else {}, "", fouten) or {}
    for sleutel, waarde in inhoud.items():
        veld = namen.get(sleutel)
        if veld is None:
            fouten.append(Fout(f"/{sleutel}", ONBEKEND_VELD, "unknown"))
        else:
            _zet(data, veld, form_class.base_fields[veld], waarde, f"/{sleutel}", fouten)
    if fouten:
        raise TypeFout(fouten)
    return data


def actie_fouten(form, namen: dict[str, str]) -> list[Fout]:
    """The messages of such a form, each pointing at its JSON property."""
    terug = {veld: sleutel for sleutel, veld in namen.items()}
    return _uit_errors(form.errors, "", lambda veld: terug.get(veld, camel(veld)))


# --- messages back -------------------------------------------------------------------------


def _uit_errors(errors, pointer: str, naar_json) -> list[Fout]:
    fouten = []
    for veld, lijst in errors.as_data().items():
        doel = pointer if veld == NON_FIELD_ERRORS else f"{pointer}/{naar_json(veld)}"
        for fout in lijst:
            for tekst in fout.messages:
                fouten.append(Fout(doel, tekst, fout.code or "invalid"))
    return fouten


def form_fouten(blok: Blok, form, *, pointer: str) -> list[Fout]:
    """Every message of a block's (validated) form, each with the property it is about."""

    def naar_json(veld: str) -> str:
        return camel(ANDERE_NAAM.get(veld, veld))

    if not isinstance(form, StapForm):
        return _uit_errors(form.errors, pointer, naar_json)
    fouten = _uit_errors(form.form.errors, pointer, naar_json)
    formset = form.formset
    rijen_pointer = f"{pointer}/{camel(blok.rijen)}"
    # Only what was validated: with Alle lessen gemist Ja the days are not looked at.
    for i, rij in enumerate(formset.forms):
        if rij._errors:
            fouten += _uit_errors(rij.errors, f"{rijen_pointer}/{i}", camel)
    for fout in formset._non_form_errors.as_data() if formset._non_form_errors else []:
        fouten += [Fout(rijen_pointer, tekst, fout.code or "invalid") for tekst in fout.messages]
    return fouten


def service_fouten(exc: ValidationError, *, standaard: str = "") -> list[Fout]:
    """A service's refusal: messages keyed by Melding field name point at that field in its
    block; messages about the whole melding point at `standaard`."""
    if not hasattr(exc, "error_dict"):
        return [Fout(standaard, tekst, exc.code or "invalid") for tekst in exc.messages]
    fouten = []
    for veld, lijst in exc.error_dict.items():
        blok = blok_van_veld(veld)
        doel = f"/{blok}/{camel(veld)}" if blok else standaard
        for fout in lijst:
            fouten += [Fout(doel, tekst, fout.code or "invalid") for tekst in fout.messages]
    return fouten
