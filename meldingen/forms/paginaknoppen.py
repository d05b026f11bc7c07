"""Buttons that only change the page, without JavaScript (manual 2.3 and 2.5): *Contactpersoon
toevoegen* and *Verwijderen* in block Leerling, *Voeg dag toe*, *Voeg toe* and *Verwijderen* in
block Lesuren. They post `actie`; the wizard and the Wijzig pages hand it to the step's form
(`StapForm.paginaknop`), which returns the changed POST data to show again.

A formset's `TOTAL_FORMS` that is not a number (or more rows than the block holds: `StapForm`
refuses those first), or a button index that is not a number, is a tampered form: a 400
(SuspiciousOperation) or a 404, never a 500.
"""

import re

from django.core.exceptions import SuspiciousOperation
from django.http import Http404


def _totaal(data, prefix: str) -> int:
    """The formset's TOTAL_FORMS as posted."""
    waarde = data.get(f"{prefix}-TOTAL_FORMS") or "0"
    if not waarde.isdigit():
        raise SuspiciousOperation("Ongeldig aantal formulieren.")
    return int(waarde)


def met_extra_rij(data, prefix: str, beginwaarden: dict | None = None):
    """A copy of `data` with one more (empty) row in the formset `prefix`, and its index."""
    nieuw = data.copy()
    totaal = _totaal(data, prefix)
    nieuw[f"{prefix}-TOTAL_FORMS"] = str(totaal + 1)
    nieuw.setdefault(f"{prefix}-INITIAL_FORMS", "0")
    for naam, waarde in (beginwaarden or {}).items():
        nieuw[f"{prefix}-{totaal}-{naam}"] = waarde
    return nieuw, totaal


def zonder_rij(data, prefix: str, index: int):
    """A copy of `data` without row `index` of the formset `prefix` (later rows move up)."""
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


def knopindex(actie: str) -> int:
    """The row a *Verwijderen* button belongs to: `contactpersoon_verwijderen_2` is row 2."""
    deel = actie.rsplit("_", 1)[1]
    if not deel.isdigit():
        raise Http404
    return int(deel)


def contactpersoon_knop(actie: str, data, *, prefix: str):
    """*Contactpersoon toevoegen* / *Verwijderen*: the changed data, or None for another
    button."""
    if actie == "contactpersoon_toevoegen":
        return met_extra_rij(data, prefix)[0]
    if actie.startswith("contactpersoon_verwijderen_"):
        return zonder_rij(data, prefix, knopindex(actie))
    return None


def verzuimdag_knop(actie: str, data, *, prefix: str, alle_lessen_veld: str, is_geldig):
    """*Voeg dag toe* opens a new day (and answers *Alle lessen gemist* with Nee), *Voeg toe*
    closes it when it is valid, *Verwijderen* removes a day. The day being entered is kept in
    `<prefix>-open`. Returns `(data, stil)` — stil is False only when *Voeg toe* found a
    problem, so its messages show — or None for another button."""
    sleutel_open = f"{prefix}-open"
    if actie == "dag_toevoegen":
        data, index = met_extra_rij(data, prefix, {"hele_dag": "ja"})
        data[alle_lessen_veld] = "nee"
        data[sleutel_open] = str(index)
        return data, True
    if actie == "dag_opslaan":
        if not is_geldig(data):
            return data, False
        data = data.copy()
        data.pop(sleutel_open, None)
        return data, True
    if actie.startswith("dag_verwijderen_"):
        index = knopindex(actie)
        open_index = data.get(sleutel_open) or ""
        data = zonder_rij(data, prefix, index)
        if open_index.isdigit():
            if int(open_index) == index:
                data.pop(sleutel_open, None)
            elif int(open_index) > index:
                data[sleutel_open] = str(int(open_index) - 1)
        return data, True
    return None
