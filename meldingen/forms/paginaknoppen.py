"""Buttons that only change the page, without JavaScript (manual 2.3 and 2.5): *Contactpersoon
toevoegen*, *Wijzig*, *Toevoegen*, *Sluit* and *Verwijderen* in block Leerling, *Voeg dag toe*,
*Voeg toe* and *Verwijderen* in block Lesuren. They post `actie`; the wizard and the Wijzig pages
hand it to the step's form (`StapForm.paginaknop`), which returns the changed POST data to show
again. Both blocks keep the row being entered the same way (`open_rij` and what follows it).

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
    if not re.fullmatch(r"[0-9]{1,4}", waarde):  # see knopindex
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
    # Not isdigit(): it lets "²" and 5,000 nines through, and int() refuses both (a 500).
    if not re.fullmatch(r"[0-9]{1,4}", deel):
        raise Http404
    return int(deel)


# -- The row being entered -------------------------------------------------------------------
# Rows added one at a time (verzuimdagen, contactpersonen) have at most one row open: the one
# being entered, its index in `<prefix>-open`. A row reopened with *Wijzig* keeps its values
# from before in `<prefix>-oud-<field>`, so *Sluit* can put them back.


def open_rij(data, prefix: str) -> int | None:
    """The index of the row being entered, as posted, or None."""
    waarde = data.get(f"{prefix}-open") or ""
    return int(waarde) if re.fullmatch(r"[0-9]{1,4}", waarde) else None


def oude_waarden(data, prefix: str) -> dict[str, list[str]]:
    """The values the open row had before *Wijzig* (empty for a new row), by field."""
    begin = f"{prefix}-oud-"
    return {s.removeprefix(begin): data.getlist(s) for s in data if s.startswith(begin)}


def _rij_waarden(data, prefix: str, index: int) -> dict[str, list[str]]:
    vorm = re.compile(rf"^{re.escape(prefix)}-{index}-(.+)$")
    return {m.group(1): data.getlist(s) for s in data if (m := vorm.match(s))}


def open_rij_klaar(data, prefix: str):
    """A copy of `data` where no row is open any more; the open row stays as it is."""
    data = data.copy()
    oud = [f"{prefix}-oud-{veld}" for veld in oude_waarden(data, prefix)]
    for sleutel in [f"{prefix}-open", f"{prefix}-geweigerd", *oud]:
        data.pop(sleutel, None)
    return data


def rij_openen(data, prefix: str, index: int):
    """*Wijzig*: row `index` open again, its values kept for *Sluit*."""
    if index >= _totaal(data, prefix):
        raise Http404
    data = open_rij_klaar(data, prefix)
    for veld, waarden in _rij_waarden(data, prefix, index).items():
        data.setlist(f"{prefix}-oud-{veld}", waarden)
    data[f"{prefix}-open"] = str(index)
    return data


def open_rij_sluiten(data, prefix: str):
    """*Sluit*: the open row as it was: a new row is gone, a row reopened with *Wijzig* gets
    its values back."""
    index, oud = open_rij(data, prefix), oude_waarden(data, prefix)
    if index is None or index >= _totaal(data, prefix):
        return open_rij_klaar(data, prefix)
    if not oud:
        return open_rij_klaar(zonder_rij(data, prefix, index), prefix)
    data = open_rij_klaar(data, prefix)
    for veld in _rij_waarden(data, prefix, index):
        del data[f"{prefix}-{index}-{veld}"]
    for veld, waarden in oud.items():
        data.setlist(f"{prefix}-{index}-{veld}", waarden)
    return data


def open_rij_opslaan(data, prefix: str, is_geldig):
    """*Voeg toe* / *Toevoegen*: `(data, True)` with the open row closed when
    `is_geldig(data)`, else `(data, False)`, unchanged, so its messages can show."""
    if not is_geldig(data):
        return data, False
    return open_rij_klaar(data, prefix), True


def rij_verwijderen(data, prefix: str, index: int):
    """*Verwijderen*: row `index` removed; the open row (if another) is still the open one."""
    open_index = open_rij(data, prefix)
    data = zonder_rij(data, prefix, index)
    if open_index == index:
        return open_rij_klaar(data, prefix)
    if open_index is not None and open_index > index:
        data[f"{prefix}-open"] = str(open_index - 1)
    return data


def contactpersoon_knop(actie: str, data, *, prefix: str, is_geldig):
    """*Contactpersoon toevoegen* opens a new, empty contactpersoon and *Wijzig* an added one;
    *Toevoegen* adds it when `is_geldig(data)` finds that one person right; *Sluit* leaves the
    contactpersonen as they were; *Verwijderen* removes one. Returns `(data, stil)` as
    `verzuimdag_knop` does, or None for another button. A refused *Toevoegen* marks the open
    row (`<prefix>-geweigerd`) and is stil all the same: the page then shows that person's
    messages only, not those of fields the user has not finished yet."""
    if actie == "contactpersoon_toevoegen":
        data, index = met_extra_rij(open_rij_klaar(data, prefix), prefix)
        data[f"{prefix}-open"] = str(index)
        return data, True
    if actie.startswith("contactpersoon_wijzigen_"):
        return rij_openen(data, prefix, knopindex(actie)), True
    if actie == "contactpersoon_opslaan":
        data, geldig = open_rij_opslaan(data, prefix, is_geldig)
        if not geldig:
            data = data.copy()
            data[f"{prefix}-geweigerd"] = "1"
        return data, True
    if actie == "contactpersoon_sluiten":
        return open_rij_sluiten(data, prefix), True
    if actie.startswith("contactpersoon_verwijderen_"):
        return rij_verwijderen(data, prefix, knopindex(actie)), True
    return None


def verzuimdag_knop(
    actie: str, data, *, prefix: str, alle_lessen_veld: str, is_geldig, voorstel=None
):
    """*Voeg dag toe* opens a new day (and answers *Alle lessen gemist* with Nee), with the date
    `voorstel` filled in; *Voeg toe* closes it when it is valid, *Verwijderen* removes a day.
    The day being entered is kept in `<prefix>-open`. Returns `(data, stil)` — stil is False
    only when *Voeg toe* found a problem, so its messages show — or None for another button."""
    sleutel_open = f"{prefix}-open"
    if actie == "dag_toevoegen":
        beginwaarden = {"hele_dag": "ja"}
        if voorstel is not None:
            beginwaarden |= {
                "datum_0": f"{voorstel.day:02d}",
                "datum_1": f"{voorstel.month:02d}",
                "datum_2": str(voorstel.year),
            }
        data, index = met_extra_rij(data, prefix, beginwaarden)
        data[alle_lessen_veld] = "nee"
        data[sleutel_open] = str(index)
        return data, True
    if actie == "dag_opslaan":
        return open_rij_opslaan(data, prefix, is_geldig)
    if actie.startswith("dag_verwijderen_"):
        return rij_verwijderen(data, prefix, knopindex(actie)), True
    return None
