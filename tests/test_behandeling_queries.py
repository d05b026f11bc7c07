"""The behandelaar's pages run a bounded number of SQL queries, however many meldingen their
instantie holds: the werkvoorraad (default filter, every filter, page 2), a melding and the
Terugkoppeling geven form, with 1 and with 1,000 meldingen (no N+1)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from leerlingen.models import Leerling
from meldingen import workflow
from meldingen.models import (
    ContactpersoonLeerling,
    Melding,
    MeldingWijziging,
    OndernomenActie,
    Status,
    Terugkoppeling,
    Verzuimdag,
    Verzuimsoort,
    Wet,
)
from tests.conftest import VANDAAG
from tests.factories import LeerlingFactory

DAG = datetime.timedelta(days=1)
NAAMDEEL = "bulkleerling"  # a part of every added pupil's name, for the leerling filter
# session, user (with roles, machtigingen and instanties: autorisatie.GebruikerBackend), the
# count, where page 2 starts (paginering), one page of rows (+ leerling, instelling), the
# inzagelog (one insert), the counts per status
WERKVOORRAAD_MAX = 7
# session, user, the melding with everything on the page (meldingen.selectors.met_details),
# geopend_op (one update, the first visit only), the inzagelog
MELDING_MAX = 5
# session, user, melding (+ joins, with its terugkoppeling), the inzagelog
ACTIE_MAX = 4


def maak_meldingen(aantal: int, demo) -> Melding:
    """`aantal` meldingen of 24GP at Gemeente Groningen: one In behandeling with every block
    filled (contactpersonen, verzuimdagen, terugkoppeling, a long history), returned; the rest
    with bulk_create, in turn Geregistreerd and In behandeling, ten per pupil on periods that
    do not overlap."""
    instelling = demo.instellingen["24GP"]
    instantie = demo.instanties["Gemeente Groningen"]
    aanbieder = instelling.onderwijsaanbieders.get()
    locatie = aanbieder.onderwijslocaties.get()
    behandelaar = demo.gebruikers["lpa-groningen"]
    per_leerling = 10

    def melding(leerling, i, status) -> Melding:
        begin = VANDAAG - (3 * (i % per_leerling) + 10) * DAG
        return Melding(
            leerling=leerling,
            instelling=instelling,
            melddatum=begin + DAG,
            status=status,
            wet=Wet.LEERPLICHTWET,
            uitvoerende_instantie=instantie,
            begindatum=begin,
            einddatum=begin + DAG,
            soort=Verzuimsoort.OVERIG,
            vermoedelijke_reden="Spijbelen",
            actie_gewenst=True,
            aanbieder=aanbieder,
            locatie=locatie,
            contactpersoon_naam="K. Smit",
            contactpersoon_email="k.smit@school.example.nl",
            ondernomen_acties=[OndernomenActie.BRIEF],
            alle_lessen_gemist=False,
            **(
                {"in_behandeling_door": behandelaar, "in_behandeling_op": timezone.now()}
                if status == Status.IN_BEHANDELING
                else {}
            ),
        )

    leerlingen = Leerling.objects.bulk_create(
        LeerlingFactory.build(naam=f"Bulkleerling {n}")
        for n in range((aantal + per_leerling - 1) // per_leerling)
    )
    voorbeeld = melding(leerlingen[0], 0, Status.IN_BEHANDELING)
    voorbeeld.save()
    for volgnummer in (1, 2, 3):
        ContactpersoonLeerling.objects.create(
            melding=voorbeeld, volgnummer=volgnummer, naam=f"Contact {volgnummer}"
        )
    for dag in (voorbeeld.begindatum, voorbeeld.einddatum):
        Verzuimdag.objects.create(melding=voorbeeld, datum=dag)
    Terugkoppeling.objects.create(
        melding=voorbeeld, naam="J. de Boer", datum=VANDAAG, instantienaam=instantie.naam
    )
    MeldingWijziging.objects.bulk_create(
        MeldingWijziging(melding=voorbeeld, gebruiker=behandelaar, blok="Terugkoppeling")
        for _ in range(12)
    )
    Melding.objects.bulk_create(
        melding(
            leerlingen[i // per_leerling],
            i,
            [Status.GEREGISTREERD, Status.IN_BEHANDELING][i % 2],
        )
        for i in range(1, aantal)
    )
    return voorbeeld


def paginas(voorbeeld: Melding) -> dict[str, str]:
    werkvoorraad = reverse("behandeling:werkvoorraad")
    alle_filters = (
        f"status=&instelling=24GP&soort={Verzuimsoort.OVERIG}"
        f"&van_0=01&van_1=01&van_2=2026&tot_0={VANDAAG:%d}&tot_1={VANDAAG:%m}&tot_2={VANDAAG:%Y}"
        f"&leerling={NAAMDEEL}"
    )
    return {
        "werkvoorraad": werkvoorraad,
        "werkvoorraad alle statussen": f"{werkvoorraad}?status=",
        "werkvoorraad alle statussen pagina 2": f"{werkvoorraad}?status=&pagina=2",
        "werkvoorraad alle filters": f"{werkvoorraad}?{alle_filters}",
        "werkvoorraad alle filters pagina 2": f"{werkvoorraad}?{alle_filters}&pagina=2",
        "werkvoorraad Geregistreerd pagina 2": f"{werkvoorraad}?status=R&pagina=2",
        "melding": reverse("behandeling:melding", args=[voorbeeld.nummer]),
        "terugkoppeling geven": reverse(
            "behandeling:actie", args=[voorbeeld.nummer, workflow.TERUGKOPPELING_GEVEN]
        ),
    }


MAXIMUM = {
    "melding": MELDING_MAX,
    "terugkoppeling geven": ACTIE_MAX,
}


def controleer(naam: str, response, aantal: int) -> None:
    assert response.status_code == 200, naam
    if naam.startswith("werkvoorraad"):
        assert not response.context["form"].errors, naam
        regels = response.context["regels"]
        assert regels, naam
        if aantal >= 1000:
            assert len(regels) == 25, naam
            if "pagina 2" in naam:
                assert response.context["pagina"].nummer == 2, naam
    if naam == "melding":
        assert len(response.context["historie"]) == 10
        assert response.context["acties"][0].sleutel == workflow.TERUGKOPPELING_GEVEN


@pytest.fixture
def behandelaar_client(client, demo):
    client.force_login(demo.gebruikers["lpa-groningen"])
    # The first request stores the (only) instantie in the session.
    assert client.get(reverse("behandeling:werkvoorraad")).status_code == 200
    return client


@pytest.mark.parametrize("aantal", [1, 1000])
@pytest.mark.parametrize(
    "naam",
    [
        "werkvoorraad",
        "werkvoorraad alle statussen",
        "werkvoorraad alle statussen pagina 2",
        "werkvoorraad alle filters",
        "werkvoorraad alle filters pagina 2",
        "werkvoorraad Geregistreerd pagina 2",
        "melding",
        "terugkoppeling geven",
    ],
)
def test_begrensd_aantal_queries(
    behandelaar_client, demo, django_assert_max_num_queries, naam, aantal
):
    voorbeeld = maak_meldingen(aantal, demo)
    url = paginas(voorbeeld)[naam]
    with django_assert_max_num_queries(MAXIMUM.get(naam, WERKVOORRAAD_MAX)):
        response = behandelaar_client.get(url)
    controleer(naam, response, aantal)
    # A second visit (the melding is no longer new) is no dearer.
    with django_assert_max_num_queries(MAXIMUM.get(naam, WERKVOORRAAD_MAX)):
        controleer(naam, behandelaar_client.get(url), aantal)


def test_duizend_meldingen_niet_meer_queries_dan_een(
    behandelaar_client, demo, django_assert_max_num_queries
):
    voorbeeld = maak_meldingen(1, demo)
    urls = paginas(voorbeeld)
    weinig = {}
    for naam, url in urls.items():
        behandelaar_client.get(url)  # the melding opened once, as below
        with django_assert_max_num_queries(MAXIMUM.get(naam, WERKVOORRAAD_MAX)) as queries:
            controleer(naam, behandelaar_client.get(url), 1)
        weinig[naam] = len(queries)

    Melding.objects.filter(pk=voorbeeld.pk).delete()
    voorbeeld = maak_meldingen(1000, demo)
    for naam, url in paginas(voorbeeld).items():
        behandelaar_client.get(url)
        # With one melding "pagina 2" is page 1; with 1000 it is page 2, which looks up where
        # page 2 starts first (verzuimloket/paginering.py): one query, whatever the page.
        extra = 1 if "pagina 2" in naam else 0
        with django_assert_max_num_queries(weinig[naam] + extra):
            controleer(naam, behandelaar_client.get(url), 1000)
