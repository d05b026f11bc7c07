"""What the uitvoerende instantie does with a melding (its behandelaar: leerplichtambtenaar or
RMC-consulent): open it, take it in behandeling, give (and change) the terugkoppeling, close it,
take it ter kennisgeving, or send it on to another instantie (docs/regels.md, "Behandeling").

Each is one transaction on the locked melding, checked against the lifecycle
(`meldingen.workflow`) and against the versie the behandelaar saw: when two act at once, the
second is refused with `GELIJKTIJDIG_GEWIJZIGD` and nothing of theirs is written. Every change
goes into the melding's history, which the school sees too, and the e-mails go out in the same
transaction (`meldingen.tasks`).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from leerlingen.models import UitvoerendeInstantie
from meldingen import tasks, workflow
from meldingen.models import Melding, MeldingWijziging, RedenAfgesloten, Status, Terugkoppeling
from meldingen.services import GELIJKTIJDIG_GEWIJZIGD
from verzuimloket.datums import vandaag

from . import regels

TERUGKOPPELING_VELDEN = ("naam", "functie", "email", "telefoon", "datum", "toelichting")


def _vergrendel(melding: Melding, versie: int | None) -> Melding:
    """The melding as it is now, locked; refused when someone changed it since `versie`."""
    huidig = (
        Melding.objects.select_for_update(of=("self",))
        .select_related("uitvoerende_instantie", "terugkoppeling")
        .get(pk=melding.pk)
    )
    if versie is None or huidig.versie != versie:
        raise ValidationError(GELIJKTIJDIG_GEWIJZIGD, code="gelijktijdig")
    if huidig.geanonimiseerd_op is not None:
        raise ValidationError(regels.GEANONIMISEERD, code="geanonimiseerd")
    return huidig


def _actie_toegestaan(huidig: Melding, actie: str) -> None:
    if actie not in workflow.instantie_acties(huidig):
        raise ValidationError(
            regels.NIET_MOGELIJK.format(status=huidig.get_status_display()), code="status"
        )


def _historie(huidig: Melding, gebruiker, blok: str, velden: list[dict]) -> None:
    MeldingWijziging.objects.create(melding=huidig, gebruiker=gebruiker, blok=blok, velden=velden)


def _bewaar(huidig: Melding, *velden: str) -> None:
    huidig.versie += 1
    huidig.save(update_fields=["versie", *velden])


def melding_openen(*, melding: Melding) -> bool:
    """The first behandelaar of its instantie opens the melding: it is no longer *Nieuw* there.
    Not a change of the melding (no versie, no history); True the first time. One UPDATE that
    only the first of two at once wins; none at all once it was opened."""
    if melding.geopend_op is not None:
        return False
    return bool(
        Melding.objects.filter(pk=melding.pk, geopend_op__isnull=True).update(
            geopend_op=timezone.now()
        )
    )


@transaction.atomic
def in_behandeling_nemen(*, melding: Melding, gebruiker, versie: int | None) -> Melding:
    """Geregistreerd → In behandeling; records who and when."""
    huidig = _vergrendel(melding, versie)
    _actie_toegestaan(huidig, workflow.IN_BEHANDELING_NEMEN)
    wijziging = workflow.overgaan(huidig, Status.IN_BEHANDELING)
    huidig.in_behandeling_door = gebruiker
    huidig.in_behandeling_op = timezone.now()
    _bewaar(huidig, "status", "in_behandeling_door", "in_behandeling_op")
    _historie(huidig, gebruiker, "In behandeling genomen", [wijziging])
    return huidig


@transaction.atomic
def terugkoppeling_geven(
    *,
    melding: Melding,
    gebruiker,
    versie: int | None,
    naam: str,
    functie: str = "",
    email: str = "",
    telefoon: str = "",
    datum: datetime.date,
    toelichting: str = "",
    op: datetime.date | None = None,
) -> Terugkoppeling:
    """Give or change the terugkoppeling the school reads (*Terugkoppeling behandelaar*),
    while the melding is In behandeling. Datum terugkoppeling not in the future."""
    op = op or vandaag()
    huidig = _vergrendel(melding, versie)
    _actie_toegestaan(huidig, workflow.TERUGKOPPELING_GEVEN)
    if datum > op:
        raise ValidationError({"datum": regels.DATUM_IN_TOEKOMST})
    try:
        terugkoppeling = huidig.terugkoppeling
    except Terugkoppeling.DoesNotExist:
        terugkoppeling = Terugkoppeling(melding=huidig)
    nieuw = {
        "naam": naam,
        "functie": functie,
        "email": email,
        "telefoon": telefoon,
        "datum": datum,
        "toelichting": toelichting,
    }
    oud = {veld: getattr(terugkoppeling, veld) for veld in TERUGKOPPELING_VELDEN}
    for veld, waarde in nieuw.items():
        setattr(terugkoppeling, veld, waarde)
    terugkoppeling.instantienaam = huidig.uitvoerende_instantie.naam
    terugkoppeling.full_clean(exclude=["melding"])
    velden = [
        {
            "veld": f"terugkoppeling.{veld}",
            "oud": _json(oud[veld]) if terugkoppeling.pk else None,
            "nieuw": _json(nieuw[veld]),
        }
        for veld in TERUGKOPPELING_VELDEN
        if not terugkoppeling.pk or oud[veld] != nieuw[veld]
    ]
    if terugkoppeling.pk and not velden:
        return terugkoppeling
    terugkoppeling.save()
    _bewaar(huidig)
    _historie(huidig, gebruiker, "Terugkoppeling", velden)
    tasks.meld_terugkoppeling(huidig)
    return terugkoppeling


def _json(waarde):
    return waarde.isoformat() if isinstance(waarde, datetime.date) else waarde


@transaction.atomic
def melding_afsluiten(*, melding: Melding, gebruiker, versie: int | None, reden: str) -> Melding:
    """In behandeling → Afgesloten, with the Reden melding afgesloten; needs a terugkoppeling."""
    huidig = _vergrendel(melding, versie)
    _actie_toegestaan(huidig, workflow.AFSLUITEN)
    if reden not in RedenAfgesloten.values:
        raise ValidationError({"reden_afgesloten": regels.KIES_REDEN_AFGESLOTEN})
    try:
        terugkoppeling = huidig.terugkoppeling
    except Terugkoppeling.DoesNotExist:
        raise ValidationError(regels.EERST_TERUGKOPPELING, code="geen_terugkoppeling") from None
    terugkoppeling.reden_afgesloten = reden
    terugkoppeling.save(update_fields=["reden_afgesloten"])
    wijziging = workflow.overgaan(huidig, Status.AFGESLOTEN)
    _bewaar(huidig, "status")
    _historie(
        huidig,
        gebruiker,
        "Afgesloten",
        [wijziging, {"veld": "terugkoppeling.reden_afgesloten", "oud": "", "nieuw": reden}],
    )
    tasks.meld_afgesloten(huidig)
    return huidig


@transaction.atomic
def ter_kennisgeving_aannemen(
    *, melding: Melding, gebruiker, versie: int | None, toelichting: str = ""
) -> Melding:
    """Geregistreerd or In behandeling → Ter kennisgeving aangenomen. Meant for a melding
    without Actie gewenst; with Actie gewenst Ja the behandelaar says why (toelichting)."""
    huidig = _vergrendel(melding, versie)
    _actie_toegestaan(huidig, workflow.TER_KENNISGEVING_AANNEMEN)
    toelichting = (toelichting or "").strip()
    fouten = regels.controleer_kennisgeving(huidig, toelichting)
    if fouten:
        raise ValidationError(fouten)
    wijziging = workflow.overgaan(huidig, Status.TER_KENNISGEVING)
    _bewaar(huidig, "status")
    velden = [wijziging]
    if toelichting:
        velden.append({"veld": "toelichting_instantie", "oud": "", "nieuw": toelichting})
    _historie(huidig, gebruiker, "Ter kennisgeving aangenomen", velden)
    tasks.meld_afgesloten(huidig)
    return huidig


@transaction.atomic
def doorsturen(
    *,
    melding: Melding,
    gebruiker,
    versie: int | None,
    instantie: UitvoerendeInstantie,
    reden: str,
) -> Melding:
    """Send the melding to another uitvoerende instantie (the pupil lives elsewhere, the routing
    was wrong): there it is Geregistreerd and *Nieuw*; here it leaves the werkvoorraad. The
    history keeps from, to, who, when and why; the new instantie gets the e-mail if it wants."""
    huidig = _vergrendel(melding, versie)
    _actie_toegestaan(huidig, workflow.DOORSTUREN)
    reden = (reden or "").strip()
    fouten = regels.controleer_doorsturen(huidig, instantie, reden)
    if fouten:
        raise ValidationError(fouten)
    velden = [
        {
            "veld": "uitvoerende_instantie",
            "oud": huidig.uitvoerende_instantie_id,
            "nieuw": instantie.pk,
        }
    ]
    if huidig.status != Status.GEREGISTREERD:  # it starts anew there (not a transition)
        velden.append({"veld": "status", "oud": huidig.status, "nieuw": Status.GEREGISTREERD})
        huidig.status = Status.GEREGISTREERD
    velden.append({"veld": "reden_doorsturen", "oud": "", "nieuw": reden})
    huidig.uitvoerende_instantie = instantie
    huidig.geopend_op = None
    huidig.in_behandeling_door = None
    huidig.in_behandeling_op = None
    _bewaar(
        huidig,
        "status",
        "uitvoerende_instantie",
        "geopend_op",
        "in_behandeling_door",
        "in_behandeling_op",
    )
    _historie(huidig, gebruiker, "Doorgestuurd", velden)
    tasks.meld_doorgestuurd(huidig)
    return huidig
