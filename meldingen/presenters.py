"""Display blocks for one melding: the detail page (manual 3) and the wizard's Overzicht (2.7).

A presenter turns a melding into `Blok`s of `Rij`en (label, waarde), already formatted the way
the manual shows them (DD-MM-JJJJ, Ja/Nee, labels of choices, short soort labels on the detail
page), so templates hold no logic. It works for a saved melding and for an unsaved one built
from wizard data; it never queries anything the caller did not hand it, except the melding's
own foreign keys (select_related them) and, for a saved melding, `melding.terugkoppeling`
(select_related "terugkoppeling" too).

API
---
    from meldingen.presenters import MeldingPresenter, DETAIL, OVERZICHT

    presenter = MeldingPresenter(
        melding,                       # saved, or Melding(leerling=, instelling=, **gegevens)
        contactpersonen=[...],         # ContactpersoonLeerling instances or dicts
                                       #   {naam, relatie, email, telefoon}
        verzuimdagen=[...],            # Verzuimdag instances or dicts
                                       #   {datum, hele_dag, lesuren: list[int], toelichting}
        wijzig_url=lambda sleutel: ...,  # optional: str URL or None per block sleutel
        weergave=DETAIL,               # DETAIL (Melding details) or OVERZICHT (wizard step 5)
    )
    presenter.kop                      # "Sanne de Vries (BSN 999999989)"
    presenter.blokken                  # dict sleutel -> Blok, in page order
    presenter.blokken["verzuim"]       # in a template: {{ blokken.verzuim }}
    presenter.lijst("leerling", "verzuim")  # a list of Bloks in that order, unknown keys skipped

`wijzig_url` is called only for the blocks a user may change: "leerling", "verzuim",
"lesuren", "acties" (`WIJZIGBARE_BLOKKEN`); return None for no link. The detail page passes
`lambda blok: reverse("meldingen:wijzig", args=[nummer, blok])` when `regels.mag_wijzigen`;
the wizard maps the sleutel to its step.

Block sleutels and titles:
    leerling          Leerling
    contactpersonen   Contactpersonen leerling     (leeg_tekst when there are none)
    lesuren           Lesuren
    acties            Acties door school
    melding           Melding                      (saved meldingen only)
    verzuim           Verzuim
    onderwijsinstelling  Onderwijsinstelling (DETAIL) / Gegevens onderwijsinstelling (OVERZICHT)
    contactpersoon_school  Contactpersoon onderwijsinstelling
    terugkoppeling    Terugkoppeling behandelaar   (only when the gemeente gave one)

Differences per weergave: OVERZICHT adds the PGN and Naam to Leerling (the detail page has them
in its heading), shows Begindatum and Einddatum as two rows and the full soort label, and shows
Meldende instelling under Gegevens onderwijsinstelling; DETAIL shows one row "Verzuimperiode
01-02-2025 tot en met 10-02-2025" and the short soort label ("16 uren per 4 weken").

Render a block with `{% include "meldingen/includes/blok.html" with blok=blokken.leerling %}`.
A `Rij.waarde` may span lines (an address); the template shows `rij.regels`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist

from leerlingen import formaten

from .models import (
    GEANONIMISEERD,
    AfwijkendAdres,
    Melding,
    OndernomenActie,
    Status,
    Verzuimsoort,
    Wet,
)

DETAIL = "detail"
OVERZICHT = "overzicht"

WIJZIGBARE_BLOKKEN = ("leerling", "verzuim", "lesuren", "acties")
GEEN_CONTACTPERSONEN = "Er zijn geen contactpersonen bij deze melding voor de leerling"
GEEN_VERZUIMDAGEN = "Er zijn geen verzuimdagen gespecificeerd."


@dataclass(frozen=True)
class Rij:
    label: str
    waarde: str = ""
    nadruk: bool = False  # the manual shows the Status in bold

    @property
    def regels(self) -> list[str]:
        return self.waarde.split("\n") if self.waarde else []


@dataclass(frozen=True)
class Blok:
    sleutel: str
    titel: str
    rijen: list[Rij] = field(default_factory=list)
    wijzig_url: str | None = None
    leeg_tekst: str = ""  # shown instead of the rows when there are none

    @property
    def kop_id(self) -> str:
        return f"blok-{self.sleutel}"


def datum(waarde: datetime.date | None) -> str:
    return f"{waarde:%d-%m-%Y}" if waarde else ""


def ja_nee(waarde: bool | None) -> str:
    if waarde is None:
        return ""
    return "Ja" if waarde else "Nee"


def verzuimperiode(begindatum: datetime.date, einddatum: datetime.date | None, tot="tot en met"):
    """'01-02-2025 tot en met 10-02-2025'; an open period: 'vanaf 01-02-2025'."""
    if einddatum is None:
        return f"vanaf {datum(begindatum)}"
    return f"{datum(begindatum)} {tot} {datum(einddatum)}"


def _lees(obj, naam: str, standaard=""):
    if isinstance(obj, Mapping):
        return obj.get(naam, standaard)
    return getattr(obj, naam, standaard)


def _label(choices, waarde: str) -> str:
    try:
        return choices(waarde).label
    except ValueError:
        return str(waarde or "")


def kop(leerling) -> str:
    """The detail heading: 'Sanne de Vries (BSN 999999989)' / '(Onderwijsnummer 101000012)';
    an anonymised melding has no leerling: '(geanonimiseerd)'."""
    if leerling is None:
        return GEANONIMISEERD
    return f"{leerling.naam} ({leerling.pgn_afkorting} {leerling.pgn})"


class MeldingPresenter:
    def __init__(
        self,
        melding: Melding,
        *,
        contactpersonen: Iterable = (),
        verzuimdagen: Iterable = (),
        wijzig_url: Callable[[str], str | None] | None = None,
        weergave: str = DETAIL,
    ):
        if weergave not in (DETAIL, OVERZICHT):
            raise ValueError(f"Onbekende weergave: {weergave}")
        self.melding = melding
        self.contactpersonen = list(contactpersonen)
        self.verzuimdagen = sorted(verzuimdagen, key=lambda dag: _lees(dag, "datum"))
        self._wijzig_url = wijzig_url
        self.weergave = weergave

    # -- public -----------------------------------------------------------------------------

    @property
    def kop(self) -> str:
        return kop(self.melding.leerling)

    @property
    def blokken(self) -> dict[str, Blok]:
        if not hasattr(self, "_blokken"):
            bouwers = [
                self.leerling,
                self.contactpersonen_blok,
                self.lesuren,
                self.acties,
                self.melding_blok,
                self.verzuim,
                self.onderwijsinstelling,
                self.contactpersoon_school,
                self.terugkoppeling,
            ]
            blokken = (bouwer() for bouwer in bouwers)
            self._blokken = {blok.sleutel: blok for blok in blokken if blok is not None}
        return self._blokken

    def lijst(self, *sleutels: str) -> list[Blok]:
        return [self.blokken[s] for s in sleutels if s in self.blokken]

    # -- blocks -----------------------------------------------------------------------------

    def _url(self, sleutel: str) -> str | None:
        if self._wijzig_url is None or sleutel not in WIJZIGBARE_BLOKKEN:
            return None
        return self._wijzig_url(sleutel)

    def leerling(self) -> Blok:
        m = self.melding
        leerling = m.leerling
        if leerling is None:  # anonymised: nothing of the pupil is left
            return Blok("leerling", "Leerling", [Rij("Leerling", GEANONIMISEERD)], None)
        rijen = []
        if self.weergave == OVERZICHT:
            rijen += [Rij(leerling.pgn_soort, leerling.pgn), Rij("Naam", leerling.naam)]
        rijen += [
            Rij("Geboortedatum", datum(leerling.geboortedatum)),
            Rij("Geslacht", leerling.get_geslacht_display()),
            Rij("E-mail", m.leerling_email),
            Rij("Telefoon", m.leerling_telefoon),
            Rij("Adres", "\n".join(regel for regel in leerling.adresregels if regel)),
        ]
        afwijkend = self._afwijkend_adres()
        if afwijkend:
            rijen.append(Rij("Afwijkend adres", afwijkend))
        return Blok("leerling", "Leerling", rijen, self._url("leerling"))

    def _afwijkend_adres(self) -> str:
        m = self.melding
        if m.afwijkend_adres == AfwijkendAdres.REGULIER:
            straat = formaten.straatregel(
                m.straatnaam, m.huisnummer, m.huisletter, m.huisnummertoevoeging
            )
            return f"{straat}\n{formaten.toon_postcode(m.postcode)}"
        if m.afwijkend_adres == AfwijkendAdres.ALTERNATIEF:
            return f"{m.aanduiding_locatie}\n{m.plaatsnaam}"
        return ""

    def contactpersonen_blok(self) -> Blok:
        rijen = []
        for nummer, cp in enumerate(self.contactpersonen, start=1):
            relatie = _lees(cp, "relatie")
            naam = _lees(cp, "naam")
            regels = [f"{naam} ({relatie})" if relatie else naam]
            regels += [w for w in (_lees(cp, "email"), _lees(cp, "telefoon")) if w]
            rijen.append(Rij(f"Contactpersoon {nummer}", "\n".join(regels)))
        return Blok(
            "contactpersonen",
            "Contactpersonen leerling",
            rijen,
            None,
            leeg_tekst=GEEN_CONTACTPERSONEN,
        )

    def lesuren(self) -> Blok:
        m = self.melding
        rijen = [Rij("Alle lessen gemist", ja_nee(m.alle_lessen_gemist))]
        if m.alle_lessen_gemist is False:
            if not self.verzuimdagen:
                rijen.append(Rij("Verzuimdagen", GEEN_VERZUIMDAGEN))
            for dag in self.verzuimdagen:
                if _lees(dag, "hele_dag", True):
                    uren = "Hele dag"
                else:
                    lesuren = sorted(_lees(dag, "lesuren", []) or [])
                    uren = ("Lesuur " if len(lesuren) == 1 else "Lesuren ") + ", ".join(
                        str(uur) for uur in lesuren
                    )
                regels = [uren]
                if _lees(dag, "toelichting"):
                    regels.append(_lees(dag, "toelichting"))
                rijen.append(Rij(datum(_lees(dag, "datum")), "\n".join(regels)))
        return Blok("lesuren", "Lesuren", rijen, self._url("lesuren"))

    def acties(self) -> Blok:
        m = self.melding
        acties = "\n".join(_label(OndernomenActie, a) for a in (m.ondernomen_acties or []))
        titel = "Ondernomen acties" if self.weergave == DETAIL else "Ondernomen actie"
        return Blok(
            "acties",
            "Acties door school",
            [Rij(titel, acties), Rij("Toelichting", m.toelichting_acties)],
            self._url("acties"),
        )

    def melding_blok(self) -> Blok | None:
        m = self.melding
        if m.pk is None:
            return None
        rijen = [
            Rij("Meldingnummer", str(m.nummer)),
            Rij("Meldende instelling", m.instelling_id),
            Rij("Melddatum", datum(m.melddatum)),
            Rij("Status", _label(Status, m.status), nadruk=True),
            Rij("Wet", _label(Wet, m.wet)),
        ]
        if m.status == Status.INGETROKKEN:
            rijen += [
                Rij("Reden melding intrekken", m.get_reden_intrekken_display()),
                Rij("Toelichting intrekken", m.toelichting_intrekken),
                Rij(
                    "Ingetrokken op",
                    datum(m.ingetrokken_op.date()) if m.ingetrokken_op else "",
                ),
            ]
        return Blok("melding", "Melding", rijen, None)

    def verzuim(self) -> Blok:
        m = self.melding
        if self.weergave == DETAIL:
            rijen = [
                Rij("Verzuimperiode", verzuimperiode(m.begindatum, m.einddatum)),
                Rij("Soort", Verzuimsoort.kort(m.soort) if m.soort else ""),
            ]
        else:
            rijen = [
                Rij("Begindatum", datum(m.begindatum)),
                Rij("Einddatum", datum(m.einddatum)),
                Rij("Soort", _label(Verzuimsoort, m.soort)),
            ]
        rijen += [
            Rij("Vermoedelijke reden", m.vermoedelijke_reden),
            Rij("Toelichting", m.toelichting),
            Rij("Actie gewenst", ja_nee(m.actie_gewenst)),
            Rij("Toelichting actie gewenst", m.toelichting_actie_gewenst),
            Rij("Met prioriteit oppakken", ja_nee(m.met_prioriteit)),
        ]
        return Blok("verzuim", "Verzuim", rijen, self._url("verzuim"))

    def onderwijsinstelling(self) -> Blok:
        m = self.melding
        locatie = m.locatie if m.locatie_id else None
        if self.weergave == DETAIL:
            rijen = [
                Rij("Onderwijsaanbieder", m.aanbieder_id or ""),
                Rij("Onderwijslocatie", str(locatie) if locatie else ""),
            ]
            return Blok("onderwijsinstelling", "Onderwijsinstelling", rijen, None)
        rijen = [
            Rij("Meldende instelling", m.instelling_id or ""),
            Rij("Onderwijsaanbiedercode", m.aanbieder_id or ""),
            Rij("Onderwijslocatiecode", m.locatie_id or ""),
        ]
        return Blok("onderwijsinstelling", "Gegevens onderwijsinstelling", rijen, None)

    def contactpersoon_school(self) -> Blok:
        m = self.melding
        rijen = [
            Rij("Naam", m.contactpersoon_naam),
            Rij("Functie", m.contactpersoon_functie),
            Rij("E-mail", m.contactpersoon_email),
            Rij("Telefoon", m.contactpersoon_telefoon),
        ]
        return Blok("contactpersoon_school", "Contactpersoon onderwijsinstelling", rijen, None)

    def terugkoppeling(self) -> Blok | None:
        if self.melding.pk is None:
            return None
        try:
            t = self.melding.terugkoppeling
        except ObjectDoesNotExist:
            return None
        rijen = [
            Rij("Naam", t.naam),
            Rij("Functie", t.functie),
            Rij("E-mail", t.email),
            Rij("Telefoon", t.telefoon),
            Rij("Datum terugkoppeling", datum(t.datum)),
            Rij("Uitvoerende instantienaam", t.instantienaam),
            Rij("Toelichting", t.toelichting),
        ]
        if t.reden_afgesloten:
            rijen.append(Rij("Reden melding afgesloten", t.get_reden_afgesloten_display()))
        return Blok("terugkoppeling", "Terugkoppeling behandelaar", rijen, None)
