"""The status lifecycle of a melding (domain.md, 'Status lifecycle').

R → B, G, K, I; B → G, K, I; G and K → I; I is final. The school sets R (registering) and I
(intrekken); the gemeente sets B, G and K.
"""

from .models import Status

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


def mag_overgaan(van: str, naar: str) -> bool:
    return naar in OVERGANGEN[van]
