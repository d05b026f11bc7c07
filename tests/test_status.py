"""The status lifecycle (docs/regels.md, Status): R → B, K, I; B → G, K, I; G and K → I;
I is final. The instantie moves a melding along it with its actions (`behandeling.services`,
tested in test_behandeling.py); Ingetrokken only through `melding_intrekken`, with a reason."""

import pytest
from django.core.exceptions import ValidationError

from meldingen import workflow
from meldingen.models import Melding, Status

R, B, G, K, INGETROKKEN = (
    Status.GEREGISTREERD,
    Status.IN_BEHANDELING,
    Status.AFGESLOTEN,
    Status.TER_KENNISGEVING,
    Status.INGETROKKEN,
)
TOEGESTAAN = {(R, B), (R, K), (R, INGETROKKEN), (B, G), (B, K), (B, INGETROKKEN)} | {
    (G, INGETROKKEN),
    (K, INGETROKKEN),
}
ALLE = [(van, naar) for van in Status for naar in Status if van != naar]


@pytest.mark.parametrize(("van", "naar"), ALLE)
def test_overgang(van, naar):
    melding = Melding(status=van)
    if (van, naar) in TOEGESTAAN:
        assert workflow.overgaan(melding, naar) == {"veld": "status", "oud": van, "nieuw": naar}
        assert melding.status == naar
    else:
        with pytest.raises(ValidationError) as fout:
            workflow.overgaan(melding, naar)
        assert fout.value.messages == [
            f"De status kan niet van {Status(van).label} naar {Status(naar).label} gaan."
        ]
        assert melding.status == van


def test_ingetrokken_is_eindstatus():
    assert not workflow.OVERGANGEN[INGETROKKEN]


# The status each action of the instantie leads to (Terugkoppeling geven keeps it; Doorsturen
# starts anew at the other instantie).
DOEL = {
    workflow.IN_BEHANDELING_NEMEN: B,
    workflow.AFSLUITEN: G,
    workflow.TER_KENNISGEVING_AANNEMEN: K,
}


@pytest.mark.parametrize("status", list(Status))
def test_acties_van_de_instantie_volgen_de_levenscyclus(status):
    acties = workflow.instantie_acties(Melding(status=status))
    for actie in acties:
        if actie in DOEL:
            assert workflow.mag_overgaan(status, DOEL[actie]), (status, actie)
    # Nothing for the instantie once the melding is final for it.
    assert bool(acties) == (status in (R, B))


def test_een_geanonimiseerde_melding_heeft_geen_acties():
    from django.utils import timezone

    assert workflow.instantie_acties(Melding(status=R, geanonimiseerd_op=timezone.now())) == ()
