"""The status lifecycle of a melding, in one place (docs/regels.md, "Status").

    Geregistreerd (R) → In behandeling (B), Ter kennisgeving aangenomen (K), Ingetrokken (I)
    In behandeling (B) → Afgesloten (G), K, I
    Afgesloten (G), Ter kennisgeving aangenomen (K) → I
    Ingetrokken (I): final

The school sets R (registering) and I (intrekken, manual 5); the uitvoerende instantie sets B, G
and K, each with an action (`behandeling.services`) that moves the status with `overgaan`. The
school may change the blocks of a melding (manual 4) while it is R or B, and withdraw it from any
status but I; `regels.intrekken_blokkade` adds the one-year limit, which needs today's date. The
services and the pages all ask this module.

What the instantie's behandelaar may do (`instantie_acties`):

    Geregistreerd:   In behandeling nemen, Ter kennisgeving aannemen, Doorsturen
    In behandeling:  Terugkoppeling geven, Afsluiten, Ter kennisgeving aannemen, Doorsturen
    Afgesloten, Ter kennisgeving aangenomen, Ingetrokken: nothing (final for the instantie)

Afsluiten also needs a terugkoppeling (`behandeling.services.melding_afsluiten`). Doorsturen is
the one step outside the transitions: the melding goes to another instantie and starts there
anew, as Geregistreerd.
"""

from django.core.exceptions import ValidationError

from .models import Melding, Status

OVERGANGEN: dict[str, frozenset[str]] = {
    Status.GEREGISTREERD: frozenset(
        {Status.IN_BEHANDELING, Status.TER_KENNISGEVING, Status.INGETROKKEN}
    ),
    Status.IN_BEHANDELING: frozenset(
        {Status.AFGESLOTEN, Status.TER_KENNISGEVING, Status.INGETROKKEN}
    ),
    Status.AFGESLOTEN: frozenset({Status.INGETROKKEN}),
    Status.TER_KENNISGEVING: frozenset({Status.INGETROKKEN}),
    Status.INGETROKKEN: frozenset(),
}

# The statuses in which the school may still change the blocks of a melding.
WIJZIGBAAR = frozenset({Status.GEREGISTREERD, Status.IN_BEHANDELING})

NIET_WIJZIGBAAR = "Een melding met status {status} kan niet meer worden gewijzigd."
ONGELDIGE_OVERGANG = "De status kan niet van {van} naar {naar} gaan."


def mag_overgaan(van: str, naar: str) -> bool:
    return naar in OVERGANGEN[van]


def overgaan(melding: Melding, naar: str) -> dict:
    """Move the (locked) melding to status `naar`, if the lifecycle allows; returns the change
    as the history records it. Saving is the caller's (a service, in its transaction)."""
    if not mag_overgaan(melding.status, naar):
        raise ValidationError(
            ONGELDIGE_OVERGANG.format(van=melding.get_status_display(), naar=Status(naar).label),
            code="ongeldige_overgang",
        )
    oud, melding.status = melding.status, naar
    return {"veld": "status", "oud": oud, "nieuw": naar}


IN_BEHANDELING_NEMEN = "in_behandeling_nemen"
TERUGKOPPELING_GEVEN = "terugkoppeling_geven"
AFSLUITEN = "afsluiten"
TER_KENNISGEVING_AANNEMEN = "ter_kennisgeving_aannemen"
DOORSTUREN = "doorsturen"

INSTANTIE_ACTIES: dict[str, tuple[str, ...]] = {
    Status.GEREGISTREERD: (IN_BEHANDELING_NEMEN, TER_KENNISGEVING_AANNEMEN, DOORSTUREN),
    Status.IN_BEHANDELING: (
        TERUGKOPPELING_GEVEN,
        AFSLUITEN,
        TER_KENNISGEVING_AANNEMEN,
        DOORSTUREN,
    ),
}


def instantie_acties(melding: Melding) -> tuple[str, ...]:
    """What the instantie's behandelaar may do with the melding now."""
    if melding.geanonimiseerd_op is not None:
        return ()
    return INSTANTIE_ACTIES.get(melding.status, ())


def mag_wijzigen(melding: Melding) -> bool:
    """The school may change the blocks (an anonymised melding belongs to no one any more)."""
    return melding.status in WIJZIGBAAR and melding.geanonimiseerd_op is None


def mag_intrekken(melding: Melding) -> bool:
    """The status allows withdrawing; see `regels.intrekken_blokkade` for the date limit."""
    return mag_overgaan(melding.status, Status.INGETROKKEN)
