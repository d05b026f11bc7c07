"""The status lifecycle (docs/regels.md, Status): R → B, G, K, I; B → G, K, I; G and K → I;
I is final.
The gemeente's changes go through `services.status_wijzigen`; Ingetrokken only through
`melding_intrekken`, which asks for a reason."""

import pytest
from django.core.exceptions import ValidationError

from meldingen import services
from meldingen.models import MeldingWijziging, Status
from tests.conftest import getoonde_historie

R, B, G, K, INGETROKKEN = (
    Status.GEREGISTREERD,
    Status.IN_BEHANDELING,
    Status.AFGESLOTEN,
    Status.TER_KENNISGEVING,
    Status.INGETROKKEN,
)


@pytest.fixture
def melding(demo):
    return demo.leerlingen["999999989"].meldingen.get(status=R)


@pytest.mark.parametrize(("van", "naar"), [(R, B), (R, G), (R, K), (B, G), (B, K)])
def test_toegestane_overgang(demo, melding, van, naar):
    melding.status = van
    melding.save(update_fields=["status"])
    gewijzigd = services.status_wijzigen(
        melding=melding, gebruiker=demo.gebruikers["beheerder"], status=naar
    )
    assert gewijzigd.status == naar
    assert gewijzigd.versie == melding.versie + 1
    wijziging = MeldingWijziging.objects.get(melding=melding)
    assert wijziging.velden == [{"veld": "status", "oud": van, "nieuw": naar}]
    assert getoonde_historie(melding) == [("Status", Status(van).label, Status(naar).label)]


@pytest.mark.parametrize(
    ("van", "naar"), [(B, R), (G, B), (K, G), (G, R), (R, INGETROKKEN), (B, INGETROKKEN)]
)
def test_geweigerde_overgang(demo, melding, van, naar):
    melding.status = van
    melding.save(update_fields=["status"])
    with pytest.raises(ValidationError) as fout:
        services.status_wijzigen(
            melding=melding, gebruiker=demo.gebruikers["beheerder"], status=naar
        )
    assert fout.value.messages == [
        f"De status kan niet van {Status(van).label} naar {Status(naar).label} gaan."
    ]
    melding.refresh_from_db()
    assert melding.status == van
    assert not MeldingWijziging.objects.filter(melding=melding).exists()


def test_ingetrokken_is_eindstatus(demo, melding):
    services.melding_intrekken(
        melding=melding, gebruiker=demo.gebruikers["melder"], reden="ten_onrechte"
    )
    with pytest.raises(ValidationError):
        services.status_wijzigen(melding=melding, gebruiker=demo.gebruikers["beheerder"], status=B)
