"""The rules of domain.md that need today's date or other rows, in one place.

Forms call these to put a message next to the field; the services call them again inside the
transaction, so no path around the forms can break them. Each checker returns a dict of
field name -> list of messages (empty when all is well).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from leerlingen.models import Gemeente, Inschrijving, Instelling, Leerling

from .models import Melding, Status, Verzuimsoort, Wet

MAX_LEEFTIJD = 23  # from 23 on, nothing can be registered
LRV_RMC_DAGEN = 28

BLOKKADE_TITEL = "Er kan voor deze leerling geen verzuim worden geregistreerd."
BLOKKADE_REGISTER = (
    "Deze persoon is te oud, heeft een startkwalificatie of woont niet in Nederland. "
    "Raadpleeg de handleiding voor meer informatie."
)
BLOKKADE_NIET_INGESCHREVEN = (
    "Deze leerling staat op dit moment niet bij uw instelling ingeschreven. U kunt alleen "
    "verzuim registreren als de leerling bij uw instelling staat ingeschreven."
)
ALLEEN_HOOFDINSCHRIJVING = "Alleen de instelling met de hoofdinschrijving mag verzuim melden"
NIET_INGESCHREVEN_OP_BEGINDATUM = (
    "De leerling stond op de begindatum niet bij uw instelling ingeschreven."
)
OVERLAP = "De verzuimperiode valt (deels) samen met melding {nummer} voor deze leerling."


def vandaag() -> datetime.date:
    """Today in Europe/Amsterdam."""
    return timezone.localdate()


def een_jaar_voor(datum: datetime.date) -> datetime.date:
    try:
        return datum.replace(year=datum.year - 1)
    except ValueError:  # 29 February
        return datum.replace(year=datum.year - 1, day=28)


def twee_jaar_voor(datum: datetime.date) -> datetime.date:
    """The same calendar day two years earlier (29 February: the 28th)."""
    return een_jaar_voor(een_jaar_voor(datum))


Fouten = dict[str, list[str]]


def _voeg_toe(fouten: Fouten, veld: str, melding: str) -> None:
    fouten.setdefault(veld, []).append(melding)


@dataclass(frozen=True)
class Blokkade:
    titel: str
    tekst: str


def registreren_blokkade(
    leerling: Leerling, instelling: Instelling, datum: datetime.date
) -> Blokkade | None:
    """Why the *Registreer nieuwe melding* button is not offered today, or None."""
    if (
        leerling.leeftijd_op(datum) >= MAX_LEEFTIJD
        or leerling.startkwalificatie
        or not leerling.woont_in_nederland
    ):
        return Blokkade(BLOKKADE_TITEL, BLOKKADE_REGISTER)
    if inschrijving_op(leerling, instelling, datum) is None:
        return Blokkade(BLOKKADE_TITEL, BLOKKADE_NIET_INGESCHREVEN)
    return None


def overlappende_melding(
    leerling: Leerling,
    begindatum: datetime.date,
    einddatum: datetime.date | None,
    uitgezonderd: Melding | None = None,
) -> Melding | None:
    """A not-withdrawn melding of this pupil whose period meets [begindatum, einddatum]."""
    qs = Melding.objects.filter(leerling=leerling).niet_ingetrokken()
    qs = qs.filter(Q(einddatum__isnull=True) | Q(einddatum__gte=begindatum))
    if einddatum is not None:
        qs = qs.filter(begindatum__lte=einddatum)
    if uitgezonderd is not None and uitgezonderd.pk:
        qs = qs.exclude(pk=uitgezonderd.pk)
    return qs.order_by("begindatum").only("nummer").first()


def inschrijving_op(leerling: Leerling, instelling: Instelling, datum: datetime.date):
    return (
        Inschrijving.objects.op(datum)
        .filter(leerling=leerling, instelling=instelling)
        .select_related("aanbieder", "locatie")
        .order_by("-hoofdinschrijving", "-begindatum")
        .first()
    )


def controleer_periode(
    *,
    leerling: Leerling,
    instelling: Instelling,
    begindatum: datetime.date,
    einddatum: datetime.date | None,
    op: datetime.date,
    uitgezonderd: Melding | None = None,
) -> Fouten:
    """The first *Verder* of step 2 (and every change of dates): dates, enrolment, overlap."""
    fouten: Fouten = {}
    if begindatum > op:
        _voeg_toe(fouten, "begindatum", "De begindatum mag niet in de toekomst liggen.")
    elif begindatum < een_jaar_voor(op):
        _voeg_toe(fouten, "begindatum", "De begindatum mag niet meer dan één jaar geleden liggen.")
    if einddatum is not None:
        if einddatum < begindatum:
            _voeg_toe(fouten, "einddatum", "De einddatum mag niet voor de begindatum liggen.")
        elif einddatum > op:
            _voeg_toe(fouten, "einddatum", "De einddatum mag niet in de toekomst liggen.")
    if fouten:
        return fouten

    inschrijving = inschrijving_op(leerling, instelling, begindatum)
    if inschrijving is None:
        _voeg_toe(fouten, "begindatum", NIET_INGESCHREVEN_OP_BEGINDATUM)
    elif not inschrijving.hoofdinschrijving:
        _voeg_toe(fouten, "begindatum", ALLEEN_HOOFDINSCHRIJVING)
    if fouten:
        return fouten

    andere = overlappende_melding(leerling, begindatum, einddatum, uitgezonderd)
    if andere is not None:
        _voeg_toe(fouten, "begindatum", OVERLAP.format(nummer=andere.nummer))
    return fouten


def beschikbare_soorten(leerling: Leerling, begindatum: datetime.date) -> list[Verzuimsoort]:
    """The soorten offered for this pupil on this begindatum (domain.md table)."""
    leeftijd = leerling.leeftijd_op(begindatum)
    soorten = []
    if leeftijd < 18:
        soorten += [Verzuimsoort.V3, Verzuimsoort.LRV]
    elif leeftijd < MAX_LEEFTIJD:
        soorten.append(Verzuimsoort.V4)
        if not leerling.startkwalificatie:
            soorten.append(Verzuimsoort.RMC)
    soorten += [Verzuimsoort.LUXE, Verzuimsoort.OVERIG]
    return soorten


def einddatum_verplicht(soort: str) -> bool:
    return soort in (Verzuimsoort.V3, Verzuimsoort.V4)


def controleer_soort(
    *,
    leerling: Leerling,
    soort: str,
    begindatum: datetime.date,
    einddatum: datetime.date | None,
    op: datetime.date,
    uitgezonderd: Melding | None = None,
) -> Fouten:
    fouten: Fouten = {}
    if soort not in beschikbare_soorten(leerling, begindatum):
        _voeg_toe(fouten, "soort", "Deze verzuimsoort is niet van toepassing op deze leerling.")
        return fouten
    if einddatum_verplicht(soort) and einddatum is None:
        _voeg_toe(
            fouten,
            "einddatum",
            "Vul de einddatum in. Bij 16 uren per 4 weken is dat de dag waarop de 16 uur "
            "bereikt werd.",
        )
    if soort == Verzuimsoort.LRV:
        grens = begindatum - datetime.timedelta(days=LRV_RMC_DAGEN)
        v3 = Melding.objects.filter(
            leerling=leerling,
            soort=Verzuimsoort.V3,
            einddatum__lt=begindatum,
            begindatum__lte=grens,
        ).niet_ingetrokken()
        if uitgezonderd is not None and uitgezonderd.pk:
            v3 = v3.exclude(pk=uitgezonderd.pk)
        if not v3.exists():
            _voeg_toe(
                fouten,
                "soort",
                "Langdurig relatief verzuim kunt u pas melden vanaf dag 29, na een melding "
                "'16 uren per 4 weken' die minstens 28 dagen voor de begindatum begon.",
            )
    if soort == Verzuimsoort.RMC:
        if einddatum is None and begindatum + datetime.timedelta(days=LRV_RMC_DAGEN) > op:
            _voeg_toe(
                fouten,
                "soort",
                "RMC verzuim kunt u pas melden na 28 kalenderdagen aaneengesloten verzuim "
                f"(vanaf {begindatum + datetime.timedelta(days=LRV_RMC_DAGEN):%d-%m-%Y}).",
            )
        elif einddatum is not None and (einddatum - begindatum).days + 1 < LRV_RMC_DAGEN:
            _voeg_toe(
                fouten,
                "einddatum",
                "Bij RMC verzuim beslaat de verzuimperiode minstens 28 kalenderdagen.",
            )
    return fouten


def controleer_verzuim(
    *,
    leerling: Leerling,
    instelling: Instelling,
    begindatum: datetime.date,
    einddatum: datetime.date | None,
    soort: str | None,
    op: datetime.date,
    melding: Melding | None = None,
    alleen_periode: bool = False,
) -> Fouten:
    """Step 2 (and the Verzuim block's Wijzig): the period first, then the soort.

    `melding` is the stored melding being changed: it does not overlap with itself, and a
    period and soort it already has are not judged again, so a melding that began 13 months
    ago keeps its dates while its Vermoedelijke reden can still be corrected."""
    periode_gewijzigd = melding is None or (melding.begindatum, melding.einddatum) != (
        begindatum,
        einddatum,
    )
    if periode_gewijzigd:
        fouten = controleer_periode(
            leerling=leerling,
            instelling=instelling,
            begindatum=begindatum,
            einddatum=einddatum,
            op=op,
            uitgezonderd=melding,
        )
        if not fouten and melding is not None and begindatum > melding.melddatum:
            # A change cannot make the absence begin after it was reported.
            fouten = {
                "begindatum": [
                    f"De begindatum mag niet na de melddatum ({melding.melddatum:%d-%m-%Y}) liggen."
                ]
            }
        if fouten or alleen_periode:
            return fouten
    if soort and (periode_gewijzigd or melding.soort != soort):
        return controleer_soort(
            leerling=leerling,
            soort=soort,
            begindatum=begindatum,
            einddatum=einddatum,
            op=op,
            uitgezonderd=melding,
        )
    return {}


LOCATIE_NIET_VAN_AANBIEDER = "Deze onderwijslocatie hoort niet bij de gekozen onderwijsaanbieder."
AANBIEDER_NIET_VAN_INSTELLING = "Kies een onderwijsaanbieder van uw instelling."


def controleer_onderwijsinstelling(*, instelling: Instelling, aanbieder, locatie) -> Fouten:
    """Gegevens onderwijsinstelling: the aanbieder is the instelling's, the locatie the
    aanbieder's (RIO)."""
    fouten: Fouten = {}
    if aanbieder is not None and aanbieder.instelling_id != instelling.pk:
        _voeg_toe(fouten, "aanbieder", AANBIEDER_NIET_VAN_INSTELLING)
    if aanbieder is not None and locatie is not None and locatie.aanbieder_id != aanbieder.pk:
        _voeg_toe(fouten, "locatie", LOCATIE_NIET_VAN_AANBIEDER)
    return fouten


def waarschuwingen(soort: str, begindatum, einddatum) -> list[str]:
    """Not refusals: a V3/V4 period longer than 28 days (holidays can stretch 4 school weeks)."""
    if (
        soort in (Verzuimsoort.V3, Verzuimsoort.V4)
        and einddatum is not None
        and (einddatum - begindatum).days + 1 > LRV_RMC_DAGEN
    ):
        return [
            "Let op: de verzuimperiode is langer dan 28 dagen. Controleer of het om 4 "
            "aaneengesloten schoolweken gaat."
        ]
    return []


def wet_voor(leerling: Leerling, begindatum: datetime.date) -> str:
    return Wet.LEERPLICHTWET if leerling.leeftijd_op(begindatum) < 18 else Wet.RMC


def gemeente_voor_postcode(postcode: str) -> Gemeente | None:
    if not postcode or not postcode[:4].isdigit():
        return None
    cijfers = int(postcode[:4])
    return (
        Gemeente.objects.filter(
            postcodegebieden__van__lte=cijfers, postcodegebieden__tot__gte=cijfers
        )
        .select_related("leerplicht_instantie", "rmc_instantie")
        .prefetch_related("alternatieve_routeringen__instantie")
        .first()
    )


def uitvoerende_instantie_voor(leerling: Leerling, begindatum: datetime.date):
    """Routing: the woongemeente (from the postcode) and the category on the begindatum."""
    gemeente = gemeente_voor_postcode(leerling.postcode)
    if gemeente is None:
        return None
    return gemeente.instantie_voor(leerling.categorie_op(begindatum))


GEEN_INSTANTIE = (
    "Voor de woonplaats van deze leerling is geen uitvoerende instantie bekend. Neem contact op "
    "met DUO."
)

WIJZIGBARE_STATUSSEN = (Status.GEREGISTREERD, Status.IN_BEHANDELING)


def mag_wijzigen(melding: Melding) -> bool:
    return melding.status in WIJZIGBARE_STATUSSEN and melding.geanonimiseerd_op is None


def mag_intrekken(melding: Melding, op: datetime.date) -> bool:
    """Any status but Ingetrokken, and begindatum at most one year before today (inclusive)."""
    return melding.status != Status.INGETROKKEN and melding.begindatum >= een_jaar_voor(op)
