"""What the instantie side's pages show: the werkvoorraad's rows and the actions a melding
offers. The blocks of one melding are `meldingen.presenters.MeldingPresenter`'s, as the school
sees them."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from meldingen import workflow
from meldingen.models import GEANONIMISEERD, Melding, Status
from meldingen.presenters import Blok, Rij, datum, keuze_label, soort_kort
from verzuimloket.adressen import per_nummer, per_sleutel, vast


@dataclass(frozen=True)
class WerkvoorraadRegel:
    nummer: int
    url: str
    nieuw: bool  # no behandelaar of this instantie has opened it yet
    prioriteit: bool
    leerling: str
    instelling: str
    soort: str
    status: str
    begindatum: str
    einddatum: str
    melddatum: str


def werkvoorraad_regels(meldingen: Iterable) -> list[WerkvoorraadRegel]:
    """Rows of `selectors.werkvoorraad` (WERKVOORRAAD_VELDEN) as the page shows them."""
    url = per_nummer("behandeling:melding")
    return [
        WerkvoorraadRegel(
            nummer=m.nummer,
            url=url(m.nummer),
            nieuw=m.geopend_op is None,
            prioriteit=bool(m.met_prioriteit),
            leerling=m.leerling_naam if m.leerling_id else GEANONIMISEERD,
            instelling=f"{m.instelling_id} – {m.instelling_naam}",  # as str(Instelling)
            soort=soort_kort(m.soort),
            status=keuze_label(Status, m.status),
            begindatum=datum(m.begindatum),
            einddatum=datum(m.einddatum),
            melddatum=datum(m.melddatum),
        )
        for m in meldingen
    ]


@dataclass(frozen=True)
class Aantal:
    status: str
    label: str
    aantal: int
    url: str


def aantallen(per_status: dict[str, int]) -> list[Aantal]:
    """The count of each status, with the werkvoorraad's link filtered on it."""
    basis = vast("behandeling:werkvoorraad")
    return [
        Aantal(code, label, per_status.get(code, 0), f"{basis}?status={code}")
        for code, label in Status.choices
    ]


def behandeling_blok(melding: Melding) -> Blok:
    """Where the melding stands at this instantie: status, and who took it in behandeling."""
    rijen = [
        Rij("Status", Status(melding.status).label, nadruk=True),
        Rij("Uitvoerende instantie", melding.uitvoerende_instantie.naam),
    ]
    if melding.in_behandeling_door_id:
        gebruiker = melding.in_behandeling_door
        rijen.append(
            Rij("In behandeling genomen door", gebruiker.get_full_name() or gebruiker.username)
        )
    if melding.in_behandeling_op:
        rijen.append(
            Rij("In behandeling genomen op", datum(timezone.localdate(melding.in_behandeling_op)))
        )
    return Blok("behandeling", "Behandeling", rijen)


@dataclass(frozen=True)
class Actie:
    sleutel: str
    label: str
    url: str
    knop: bool  # done with one button on the melding's page (no form page)


ACTIE_LABELS = {
    workflow.IN_BEHANDELING_NEMEN: "In behandeling nemen",
    workflow.TERUGKOPPELING_GEVEN: "Terugkoppeling geven",
    workflow.AFSLUITEN: "Afsluiten",
    workflow.TER_KENNISGEVING_AANNEMEN: "Ter kennisgeving aannemen",
    workflow.DOORSTUREN: "Doorsturen",
}


def acties(melding: Melding, *, heeft_terugkoppeling: bool) -> list[Actie]:
    """The actions the lifecycle allows now; a given terugkoppeling reads *wijzigen*."""
    resultaat = []
    actie_url = per_sleutel("behandeling:actie", melding.nummer)
    for sleutel in workflow.instantie_acties(melding):
        label = ACTIE_LABELS[sleutel]
        if sleutel == workflow.TERUGKOPPELING_GEVEN and heeft_terugkoppeling:
            label = "Terugkoppeling wijzigen"
        resultaat.append(
            Actie(
                sleutel=sleutel,
                label=label,
                url=actie_url(sleutel),
                knop=sleutel == workflow.IN_BEHANDELING_NEMEN,
            )
        )
    return resultaat
