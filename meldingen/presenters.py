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

`wijzig_url` is called only for the blocks a user may change (`blokken.BLOKKEN`: "leerling",
"verzuim", "lesuren", "acties"); return None for no link. The detail page passes
`lambda blok: reverse("meldingen:wijzig", args=[nummer, blok])` when `workflow.mag_wijzigen`;
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

Render a block with
`{% with blok=blokken.leerling %}{% include "meldingen/includes/blok.html" %}{% endwith %}`.
A `Rij.waarde` may span lines (an address); the template shows `rij.regels`.

Besides the blocks of one melding: `MeldingRegel` (a melding as a row of the Leerling overzicht
and of the Zoek melding results, with the link the user may follow) and `historie` (the change
history, formatted from the stored values).
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.urls import reverse
from django.utils import timezone

from leerlingen.models import Geslacht, UitvoerendeInstantie
from verzuimloket import formaten
from verzuimloket.adressen import per_nummer, vast

from .blokken import BLOKKEN
from .models import (
    GEANONIMISEERD,
    AfwijkendAdres,
    Melding,
    OndernomenActie,
    RedenAfgesloten,
    RedenIntrekken,
    Status,
    Terugkoppeling,
    Verzuimsoort,
    Wet,
)

DETAIL = "detail"
OVERZICHT = "overzicht"

# The blocks of each page, in the manual's order: the Overzicht (2.7) in one column, the Melding
# details (3) in two.
OVERZICHT_BLOKKEN = (
    "leerling",
    "contactpersonen",
    "verzuim",
    "onderwijsinstelling",
    "contactpersoon_school",
    "lesuren",
    "acties",
)
DETAIL_LINKS = ("leerling", "contactpersonen", "lesuren", "acties")
DETAIL_RECHTS = (
    "melding",
    "terugkoppeling",
    "verzuim",
    "onderwijsinstelling",
    "contactpersoon_school",
)

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
    """dd-mm-jjjj. Written out, not strftime: a list of 25 shows 75 dates (0.4 against 1.3 µs)."""
    return f"{waarde.day:02}-{waarde.month:02}-{waarde.year:04}" if waarde else ""


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


@functools.lru_cache(maxsize=256)  # a list of 25 looks up 50 labels; an enum lookup is slow
def keuze_label(choices, waarde: str) -> str:
    """The label of `waarde` in `choices` (a TextChoices), as get_FOO_display() gives it
    (which rebuilds a dict of all the field's choices on every call)."""
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
        if self._wijzig_url is None or sleutel not in BLOKKEN:
            return None
        return self._wijzig_url(sleutel)

    def leerling(self) -> Blok:
        m = self.melding
        leerling = m.leerling
        if leerling is None:  # anonymised: nothing of the pupil is left
            return Blok("leerling", BLOKKEN["leerling"].titel, [Rij("Leerling", GEANONIMISEERD)])
        rijen = []
        if self.weergave == OVERZICHT:
            rijen += [Rij(leerling.pgn_soort, leerling.pgn), Rij("Naam", leerling.naam)]
        contact = [Rij("E-mail", m.leerling_email), Rij("Telefoon", m.leerling_telefoon)]
        if self.weergave == OVERZICHT:
            contact.reverse()  # the manual's Overzicht lists Telefoon first, the details E-mail
        rijen += [
            Rij("Geboortedatum", datum(leerling.geboortedatum)),
            Rij("Geslacht", keuze_label(Geslacht, leerling.geslacht)),
            *contact,
            Rij("Adres", "\n".join(regel for regel in leerling.adresregels if regel)),
        ]
        afwijkend = self._afwijkend_adres()
        if afwijkend:
            rijen.append(Rij("Afwijkend adres", afwijkend))
        return Blok("leerling", BLOKKEN["leerling"].titel, rijen, self._url("leerling"))

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
        return Blok("lesuren", BLOKKEN["lesuren"].titel, rijen, self._url("lesuren"))

    def acties(self) -> Blok:
        m = self.melding
        acties = "\n".join(keuze_label(OndernomenActie, a) for a in (m.ondernomen_acties or []))
        titel = "Ondernomen acties" if self.weergave == DETAIL else "Ondernomen actie"
        return Blok(
            "acties",
            BLOKKEN["acties"].titel,
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
            Rij("Status", keuze_label(Status, m.status), nadruk=True),
            Rij("Wet", keuze_label(Wet, m.wet)),
        ]
        if m.status == Status.INGETROKKEN:
            rijen += [
                Rij("Reden melding intrekken", keuze_label(RedenIntrekken, m.reden_intrekken)),
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
                Rij("Soort", soort_kort(m.soort) if m.soort else ""),
            ]
        else:
            rijen = [
                Rij("Begindatum", datum(m.begindatum)),
                Rij("Einddatum", datum(m.einddatum)),
                Rij("Soort", keuze_label(Verzuimsoort, m.soort)),
            ]
        rijen += [
            Rij("Vermoedelijke reden", m.vermoedelijke_reden),
            Rij("Toelichting", m.toelichting),
            Rij("Actie gewenst", ja_nee(m.actie_gewenst)),
            Rij("Toelichting actie gewenst", m.toelichting_actie_gewenst),
            Rij("Met prioriteit oppakken", ja_nee(m.met_prioriteit)),
        ]
        return Blok("verzuim", BLOKKEN["verzuim"].titel, rijen, self._url("verzuim"))

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
            rijen.append(
                Rij("Reden melding afgesloten", keuze_label(RedenAfgesloten, t.reden_afgesloten))
            )
        return Blok("terugkoppeling", "Terugkoppeling behandelaar", rijen, None)


def details(melding, wijzigingen, *, wijzig_url=None) -> dict:
    """What a page with all of one melding shows (`meldingen/includes/melding_blokken.html`):
    the heading, the manual's two columns of blocks and the change history. The school's
    Melding details (with `wijzig_url`) and the instantie's view of the melding both use it;
    `melding` comes from `selectors.met_details` (one query for all of it), `wijzigingen` from
    `selectors.historie`."""
    presenter = MeldingPresenter(
        melding,
        contactpersonen=melding.contactpersonen.all(),
        verzuimdagen=melding.verzuimdagen.all(),
        wijzig_url=wijzig_url,
        weergave=DETAIL,
    )
    return {
        "kop": presenter.kop,
        "links": presenter.lijst(*DETAIL_LINKS),
        "rechts": presenter.lijst(*DETAIL_RECHTS),
        "historie": historie(wijzigingen),
    }


# -- Meldingen as rows of a list -------------------------------------------------------------


@dataclass(frozen=True)
class MeldingRegel:
    """A melding as a row of the Leerling overzicht or of the Zoek melding results.

    `url` is where its number links to: the Melding details when the user acts for the
    meldende instelling; for a melding of another of the user's own instellingen the choice of
    instelling first (`wissel_naar` names it); None when the user may not open it at all."""

    nummer: int
    url: str | None
    wissel_naar: str
    leerling: str
    soort: str
    status: str
    begindatum: str
    einddatum: str
    instellingscode: str
    instantie: str


def _regel(rij, url: str | None, wissel_naar: str = "") -> MeldingRegel:
    """A row of `selectors.REGEL_VELDEN` as a list shows it."""
    return MeldingRegel(
        nummer=rij.nummer,
        url=url,
        wissel_naar=wissel_naar,
        leerling=rij.leerling_naam if rij.leerling_id else GEANONIMISEERD,
        soort=soort_kort(rij.soort),
        status=keuze_label(Status, rij.status),
        begindatum=datum(rij.begindatum),
        einddatum=datum(rij.einddatum),
        instellingscode=rij.instelling_id,
        instantie=rij.instantie_naam,
    )


@functools.lru_cache(maxsize=64)
def soort_kort(soort: str) -> str:
    """Verzuimsoort.kort, looked up once per soort (lists show it on every row)."""
    return Verzuimsoort.kort(soort)


def detail_url(melding: Melding, terug: str = "") -> str:
    """The Melding details page; `terug` is where its back link leads (a local path)."""
    return met_terug(reverse("meldingen:detail", args=[melding.nummer]), terug)


def met_terug(url: str, terug: str) -> str:
    return f"{url}?{urlencode({'terug': terug})}" if terug else url


def _detail_urls(terug: str = ""):
    """detail_url for every row of a list, at the cost of one reverse()."""
    detail = per_nummer("meldingen:detail")
    vraag = f"?{urlencode({'terug': terug})}" if terug else ""
    return lambda melding: f"{detail(melding.nummer)}{vraag}"


def leerling_overzicht_regels(meldingen: Iterable, *, instelling) -> list[MeldingRegel]:
    """All of a pupil's meldingen (rows of `selectors.meldingen_van_leerling`); only those of
    `instelling` (the one the user acts for) open."""
    url = _detail_urls()
    return [_regel(m, url(m) if m.instelling_id == instelling.pk else None) for m in meldingen]


def zoek_regels(meldingen: Iterable, *, instelling, terug: str) -> list[MeldingRegel]:
    """Search results (rows of `selectors.zoek_meldingen`, all of the user's instellingen): a
    melding of `instelling` opens with a way back to the results; one of another instelling
    goes through *Wissel instelling*."""
    kies_url = vast("kies_instelling")
    detail_url_van = _detail_urls(terug)
    regels = []
    for melding in meldingen:
        url = detail_url_van(melding)
        if melding.instelling_id == instelling.pk:
            regels.append(_regel(melding, url))
        else:
            wissel = f"{kies_url}?{urlencode({'next': url})}"
            regels.append(_regel(melding, wissel, wissel_naar=melding.instelling_id))
    return regels


# -- The change history ----------------------------------------------------------------------


@dataclass(frozen=True)
class VeldWijziging:
    veld: str
    oud: str
    nieuw: str


@dataclass(frozen=True)
class Wijziging:
    blok: str
    tijdstip: str
    door: str
    velden: list[VeldWijziging]


RIJ_LABELS = {"contactpersonen": "Contactpersonen", "verzuimdagen": "Verzuimdagen"}
# What the uitvoerende instantie wrote that is no field of the melding itself.
ANDERE_LABELS = {"toelichting_instantie": "Toelichting", "reden_doorsturen": "Reden doorsturen"}
TERUGKOPPELING = "terugkoppeling."  # prefix of the terugkoppeling's fields


def _veld(veld: str):
    """The model field a history key names (Melding's, or the terugkoppeling's), or None."""
    model, naam = Melding, veld
    if veld.startswith(TERUGKOPPELING):
        model, naam = Terugkoppeling, veld.removeprefix(TERUGKOPPELING)
    try:
        return model._meta.get_field(naam)
    except FieldDoesNotExist:
        return None


def _historie_label(veld: str) -> str:
    if veld in RIJ_LABELS:
        return RIJ_LABELS[veld]
    if veld in ANDERE_LABELS:
        return ANDERE_LABELS[veld]
    field = _veld(veld)
    return str(field.verbose_name).capitalize() if field else veld  # else: shown as stored


def _rijen_tekst(veld: str, rijen: list[dict]) -> str:
    if veld == "contactpersonen":
        delen = [[r.get(v) for v in ("naam", "relatie", "email", "telefoon")] for r in rijen]
    else:
        delen = [
            [
                datum(datetime.date.fromisoformat(r["datum"])),
                ", ".join(str(uur) for uur in r.get("lesuren") or []),
                r.get("toelichting"),
            ]
            for r in rijen
        ]
    return "; ".join(", ".join(d for d in rij if d) for rij in delen)


def historie_tekst(veld: str, waarde, instanties: Mapping | None = None) -> str:
    """A stored value of the change history as the page shows it: labels of choices, Ja/Nee,
    DD-MM-JJJJ, the rows of contactpersonen and verzuimdagen, the name of an uitvoerende
    instantie (`instanties`: pk -> instantie)."""
    if veld in RIJ_LABELS:
        return _rijen_tekst(veld, waarde or [])
    field = _veld(veld)
    if field is None:
        return "" if waarde is None else str(waarde)
    if isinstance(waarde, list):
        keuzes = dict(field.base_field.choices or ())
        return ", ".join(str(keuzes.get(w, w)) for w in waarde)
    if field.choices and waarde in dict(field.choices):
        return str(dict(field.choices)[waarde])
    if waarde is None or waarde == "":
        return ""
    if isinstance(waarde, bool):
        return ja_nee(waarde)
    if isinstance(field, models.DateField):
        return datum(datetime.date.fromisoformat(waarde))
    if field.is_relation and field.related_model is UitvoerendeInstantie:
        instantie = (instanties or {}).get(waarde)
        return instantie.naam if instantie else str(waarde)
    return str(waarde)


def historie(wijzigingen: Iterable) -> list[Wijziging]:
    """MeldingWijzigingen (newest first, with their gebruiker) as the detail page shows them;
    the instanties a doorsturen names are looked up at once."""
    wijzigingen = list(wijzigingen)
    pks = {
        w
        for wijziging in wijzigingen
        for v in wijziging.velden
        if v["veld"] == "uitvoerende_instantie"
        for w in (v["oud"], v["nieuw"])
    }
    instanties = UitvoerendeInstantie.objects.in_bulk(pks) if pks else {}
    return [
        Wijziging(
            blok=w.blok,
            tijdstip=f"{timezone.localtime(w.tijdstip):%d-%m-%Y %H:%M}",
            door=w.gebruiker.get_username() if w.gebruiker else "onbekend",
            velden=[
                VeldWijziging(
                    veld=_historie_label(v["veld"]),
                    oud=historie_tekst(v["veld"], v["oud"], instanties),
                    nieuw=historie_tekst(v["veld"], v["nieuw"], instanties),
                )
                for v in w.velden
            ],
        )
        for w in wijzigingen
    ]
