"""The status lifecycle of a melding, in one place (docs/regels.md, "Status").

    Geregistreerd (R) → In behandeling (B), Afgesloten (G), Ter kennisgeving aangenomen (K),
                        Ingetrokken (I)
    In behandeling (B) → G, K, I
    Afgesloten (G), Ter kennisgeving aangenomen (K) → I
    Ingetrokken (I): final

The school sets R (registering) and I (intrekken, manual 5); the uitvoerende instantie sets B, G
and K. The school may change the blocks of a melding (manual 4) while it is R or B, and withdraw
it from any status but I; `regels.intrekken_blokkade` adds the one-year limit, which needs
today's date. The admin, the services and the pages all ask this module.
"""

from .models import Melding, Status

OVERGANGEN: dict[str, frozenset[str]] = {
    Status.GEREGISTREERD: frozenset(
        {Status.IN_BEHANDELING, Status.AFGESLOTEN, Status.TER_KENNISGEVING, Status.INGETROKKEN}
    ),
    Status.IN_BEHANDELING: frozenset(
        {Status.AFGESLOTEN, Status.TER_KENNISGEVING, Status.INGETROKKEN}
    ),
    Status.AFGESLOTEN: frozenset({Status.INGETROKKEN}),
    Status.TER_KENNISGEVING: frozenset({Status.INGETROKKEN}),
    Status.INGETROKKEN: frozenset(),
}

# The statuses the uitvoerende instantie sets; Ingetrokken is the school's, with a reason.
INSTANTIE_STATUSSEN = frozenset({Status.IN_BEHANDELING, Status.AFGESLOTEN, Status.TER_KENNISGEVING})
# The statuses in which the school may still change the blocks of a melding.
WIJZIGBAAR = frozenset({Status.GEREGISTREERD, Status.IN_BEHANDELING})

NIET_WIJZIGBAAR = "Een melding met status {status} kan niet meer worden gewijzigd."
ONGELDIGE_OVERGANG = "De status kan niet van {van} naar {naar} gaan."


def mag_overgaan(van: str, naar: str) -> bool:
    return naar in OVERGANGEN[van]


def is_eindstatus(status: str) -> bool:
    """Nothing follows (Ingetrokken)."""
    return not OVERGANGEN[status]


def instantie_mag_overgaan(van: str, naar: str) -> bool:
    """A status change the uitvoerende instantie may make (never to Ingetrokken)."""
    return naar in INSTANTIE_STATUSSEN and mag_overgaan(van, naar)


def instantie_keuzes(huidig: str) -> list[tuple[str, str]]:
    """The current status and those the instantie may move it to, in the order of Status."""
    return [
        (code, label)
        for code, label in Status.choices
        if code == huidig or instantie_mag_overgaan(huidig, code)
    ]


def mag_wijzigen(melding: Melding) -> bool:
    """The school may change the blocks (an anonymised melding belongs to no one any more)."""
    return melding.status in WIJZIGBAAR and melding.geanonimiseerd_op is None


def mag_intrekken(melding: Melding) -> bool:
    """The status allows withdrawing; see `regels.intrekken_blokkade` for the date limit."""
    return mag_overgaan(melding.status, Status.INGETROKKEN)
