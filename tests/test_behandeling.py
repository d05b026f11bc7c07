"""The uitvoerende instantie's side: the werkvoorraad, the behandelaar's view of a melding, and
every action with its lifecycle rule (In behandeling nemen, Terugkoppeling geven, Afsluiten, Ter
kennisgeving aannemen, Doorsturen), what the school sees of each result, and the e-mails."""

import datetime
import threading
from html import unescape

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from behandeling import regels, services
from leerlingen.models import Handeling, Inzage
from meldingen import services as melding_services
from meldingen import tasks
from meldingen.models import (
    Melding,
    MeldingWijziging,
    RedenAfgesloten,
    RedenIntrekken,
    Status,
    Terugkoppeling,
    Verzuimsoort,
)
from meldingen.services import GELIJKTIJDIG_GEWIJZIGD
from tests.conftest import VANDAAG, getoonde_historie
from tests.factories import GebruikerFactory, MeldingFactory

WERKVOORRAAD = reverse("behandeling:werkvoorraad")


def melding_url(melding):
    return reverse("behandeling:melding", args=[melding.nummer])


def actie_url(melding, actie):
    return reverse("behandeling:actie", args=[melding.nummer, actie])


def tekst(antwoord) -> str:
    return unescape(antwoord.content.decode())


def datum_velden(naam: str, datum: datetime.date) -> dict:
    return {f"{naam}_0": datum.day, f"{naam}_1": datum.month, f"{naam}_2": datum.year}


def terugkoppeling_data(melding, **anders) -> dict:
    data = {
        "versie": melding.versie,
        "naam": "Jeroen de Boer",
        "functie": "Leerplichtambtenaar",
        "email": "j.deboer@groningen.example.nl",
        "telefoon": "050 599 8888",
        **datum_velden("datum", VANDAAG),
        "toelichting": "Gesprek gevoerd met leerling en ouders.",
    }
    data.update(anders)
    return data


@pytest.fixture
def groningen(demo):
    return demo.instanties["Gemeente Groningen"]


@pytest.fixture
def lpa(demo):
    return demo.gebruikers["lpa-groningen"]


@pytest.fixture
def lpa_client(client, lpa):
    client.force_login(lpa)
    return client


@pytest.fixture
def school(demo):
    """The school (`melder`, 24GP) in a browser of its own, next to the behandelaar's."""
    from django.test import Client

    client = Client()
    client.force_login(demo.gebruikers["melder"])
    return client


@pytest.fixture
def sanne(demo):
    """Sanne's luxe verzuim: 24GP, Gemeente Groningen, Geregistreerd, never opened."""
    return demo.leerlingen["999999989"].meldingen.get(soort=Verzuimsoort.LUXE)


@pytest.fixture
def daan(demo):
    """Daan's melding the demo has In behandeling at Gemeente Groningen."""
    return demo.leerlingen["999990007"].meldingen.get(status=Status.IN_BEHANDELING)


def vers(melding) -> Melding:
    melding.refresh_from_db()
    return melding


def in_behandeling(melding, gebruiker) -> Melding:
    return services.in_behandeling_nemen(
        melding=melding, gebruiker=gebruiker, versie=vers(melding).versie
    )


def terugkoppeling(melding, gebruiker, **anders) -> Terugkoppeling:
    velden = {"naam": "Jeroen de Boer", "datum": VANDAAG, "toelichting": "Gesprek gevoerd."}
    velden.update(anders)
    return services.terugkoppeling_geven(
        melding=melding, gebruiker=gebruiker, versie=vers(melding).versie, **velden
    )


# --- Werkvoorraad ------------------------------------------------------------------------------


def test_behandelaar_landt_na_inloggen_op_de_werkvoorraad(client, demo):
    antwoord = client.post(
        reverse("login"),
        {"username": "lpa-groningen", "password": "verzuimloket-demo"},
        follow=True,
    )
    assert antwoord.redirect_chain[-1][0] == WERKVOORRAAD
    html = tekst(antwoord)
    assert "<h1>Werkvoorraad</h1>" in html
    assert "Uitvoerende instantie <strong>Gemeente Groningen</strong>" in html
    # Nothing of the school side in the menu.
    assert "Zoek leerling" not in html
    assert "Zoek melding" not in html


def test_werkvoorraad_toont_standaard_de_geregistreerde_meldingen_nieuwste_eerst(
    lpa_client, groningen
):
    antwoord = lpa_client.get(WERKVOORRAAD)
    assert antwoord.status_code == 200
    regels_ = antwoord.context["regels"]
    verwacht = list(
        Melding.objects.filter(uitvoerende_instantie=groningen, status=Status.GEREGISTREERD)
        .order_by("-nummer")
        .values_list("nummer", flat=True)
    )
    assert [r.nummer for r in regels_] == verwacht
    assert len(verwacht) == 2
    assert {r.status for r in regels_} == {"Geregistreerd"}


def test_werkvoorraad_toont_alleen_de_eigen_instantie(lpa_client, demo, groningen):
    antwoord = lpa_client.get(WERKVOORRAAD, {"status": ""})
    nummers = {r.nummer for r in antwoord.context["regels"]}
    assert nummers == set(
        Melding.objects.filter(uitvoerende_instantie=groningen).values_list("nummer", flat=True)
    )
    anderen = Melding.objects.exclude(uitvoerende_instantie=groningen)
    assert anderen.exists()
    assert not nummers & set(anderen.values_list("nummer", flat=True))


def test_aantallen_per_status(lpa_client, groningen):
    antwoord = lpa_client.get(WERKVOORRAAD)
    aantallen = {a.label: a.aantal for a in antwoord.context["aantallen"]}
    for status in Status:
        assert aantallen[status.label] == (
            Melding.objects.filter(uitvoerende_instantie=groningen, status=status).count()
        )
    html = tekst(antwoord)
    assert f'<a href="{WERKVOORRAAD}?status=B">In behandeling</a>: 1' in html


@pytest.mark.parametrize(
    ("filters", "telt"),
    [
        ({}, False),  # as it opens: Geregistreerd
        ({"status": "", "pagina": "2"}, False),
        ({"status": Status.IN_BEHANDELING}, False),
        ({"status": "", "instelling": "24GP"}, True),
        ({"status": Status.GEREGISTREERD, "leerling": "vries"}, True),
    ],
)
def test_het_aantal_gevonden_komt_uit_de_tellingen_per_status(
    lpa_client, groningen, monkeypatch, filters, telt
):
    """Filtered on one status, or on nothing, the werkvoorraad reads how many it found from the
    kept counts per status instead of counting again; with any other filter it counts. Either
    way the page says the real number, and caps it as a count would."""
    from django.test.utils import CaptureQueriesContext

    from behandeling.forms import WerkvoorraadForm
    from behandeling.selectors import werkvoorraad

    form = WerkvoorraadForm({**WerkvoorraadForm.STANDAARD, **filters})
    assert form.is_valid()
    data = form.cleaned_data
    echt = len(
        werkvoorraad(
            instantie=groningen,
            statussen=[data["status"]] if data["status"] else [],
            instelling=data["instelling"],
            leerling=data["leerling"],
        ).rijen(10_000)
    )
    assert echt > 0
    with CaptureQueriesContext(connection) as queries:
        antwoord = lpa_client.get(WERKVOORRAAD, filters)
    assert antwoord.context["pagina"].aantal == echt
    assert f"{echt} melding" in tekst(antwoord)
    assert any("count(*)" in q["sql"] for q in queries.captured_queries) == telt
    # More than the page counts to: "Meer dan", as when counted.
    monkeypatch.setattr("verzuimloket.paginering.TELLEN_TOT", echt - 1)
    antwoord = lpa_client.get(WERKVOORRAAD, filters)
    assert antwoord.context["pagina"].meer_dan
    assert f"Meer dan {echt - 1} meldingen" in tekst(antwoord)


@pytest.mark.parametrize(
    ("filters", "verwacht"),
    [
        ({"status": "B"}, {"999990007"}),
        ({"status": "", "instelling": "24gp"}, "alle"),
        ({"status": "", "instelling": "00BB"}, set()),
        ({"status": "", "soort": Verzuimsoort.LUXE}, {"999999989", "999990068"}),
        ({"status": "", "leerling": "999990032"}, {"999990032"}),
        ({"status": "", "leerling": "9999.90.032"}, {"999990032"}),
        ({"status": "", "leerling": "vries"}, {"999999989"}),
        ({"status": "", **datum_velden("van", VANDAAG - datetime.timedelta(days=100))}, "recent"),
        ({"status": "", **datum_velden("tot", VANDAAG - datetime.timedelta(days=100))}, "oud"),
    ],
)
def test_filters(lpa_client, groningen, filters, verwacht):
    antwoord = lpa_client.get(WERKVOORRAAD, filters)
    assert antwoord.status_code == 200
    assert not antwoord.context["form"].errors
    getoond = {
        Melding.objects.get(nummer=r.nummer).leerling.pgn for r in antwoord.context["regels"]
    }
    eigen = Melding.objects.filter(uitvoerende_instantie=groningen)
    grens = VANDAAG - datetime.timedelta(days=100)
    if verwacht == "alle":
        verwacht = set(eigen.values_list("leerling__pgn", flat=True))
    elif verwacht == "recent":
        verwacht = set(eigen.filter(begindatum__gte=grens).values_list("leerling__pgn", flat=True))
    elif verwacht == "oud":
        verwacht = set(eigen.filter(begindatum__lte=grens).values_list("leerling__pgn", flat=True))
    assert getoond == verwacht


@pytest.mark.parametrize(
    ("filters", "veld", "fout"),
    [
        ({"instelling": "x<script>"}, "instelling", ""),
        ({"leerling": "x" * 101}, "leerling", "Maximaal 100 karakters."),
        ({"van_0": "31", "van_1": "2", "van_2": "2026"}, "van", ""),
        (
            {
                **datum_velden("van", VANDAAG),
                **datum_velden("tot", VANDAAG - datetime.timedelta(1)),
            },
            "tot",
            "De einddatum van het filter ligt voor de begindatum.",
        ),
        ({"status": "X"}, "status", ""),
        ({"pagina": "'; DROP TABLE"}, None, ""),
    ],
)
def test_onzinnige_filters_geven_een_foutmelding_geen_500(lpa_client, filters, veld, fout):
    antwoord = lpa_client.get(WERKVOORRAAD, filters)
    assert antwoord.status_code == 200
    form = antwoord.context["form"]
    if veld:
        assert veld in form.errors
        assert fout in " ".join(form.errors[veld])
        assert "<title>Fout: Werkvoorraad" in tekst(antwoord)
        assert "<script>" not in antwoord.content.decode().split("<main", 1)[1]


def test_werkvoorraad_pagineert(lpa_client, groningen, demo):
    from tests.test_zoek_melding import maak_meldingen

    maak_meldingen(30, instelling=demo.instellingen["24GP"], instantie=groningen)
    totaal = Melding.objects.filter(uitvoerende_instantie=groningen, status="R").count()
    assert 25 < totaal <= 50
    antwoord = lpa_client.get(WERKVOORRAAD)
    assert len(antwoord.context["regels"]) == 25
    assert "pagina 1 van 2" in tekst(antwoord)
    tweede = lpa_client.get(WERKVOORRAAD, {"pagina": 2})
    # Page 2 of the default view is still Geregistreerd only.
    assert len(tweede.context["regels"]) == totaal - 25
    assert {r.status for r in tweede.context["regels"]} == {"Geregistreerd"}
    assert 'href="?status=R&amp;pagina=1"' in tweede.content.decode()
    assert not {r.nummer for r in antwoord.context["regels"]} & {
        r.nummer for r in tweede.context["regels"]
    }


def test_nieuw_tot_een_behandelaar_van_de_instantie_hem_opent(client, demo, sanne):
    collega = GebruikerFactory(behandelaar=True, instanties=[demo.instanties["Gemeente Groningen"]])
    client.force_login(demo.gebruikers["lpa-groningen"])
    regel = next(r for r in client.get(WERKVOORRAAD).context["regels"] if r.nummer == sanne.nummer)
    assert regel.nieuw
    assert "Nieuw" in tekst(client.get(WERKVOORRAAD))

    client.force_login(collega)
    client.get(melding_url(sanne))
    assert vers(sanne).geopend_op is not None

    client.force_login(demo.gebruikers["lpa-groningen"])
    regel = next(r for r in client.get(WERKVOORRAAD).context["regels"] if r.nummer == sanne.nummer)
    assert not regel.nieuw
    # Opening is no change: no versie, no history.
    assert vers(sanne).versie == 0 or not MeldingWijziging.objects.filter(melding=sanne).exists()
    assert not MeldingWijziging.objects.filter(melding=sanne).exists()


def test_de_school_opent_hem_niet_voor_de_instantie(school, sanne):
    school.get(reverse("meldingen:detail", args=[sanne.nummer]))
    assert vers(sanne).geopend_op is None


def test_werkvoorraad_en_melding_staan_in_de_inzagelog(lpa_client, lpa, groningen, sanne):
    lpa_client.get(WERKVOORRAAD)
    getoond = Inzage.objects.filter(gebruiker=lpa, handeling=Handeling.WERKVOORRAAD)
    assert getoond.count() == 2
    assert {i.instantie for i in getoond} == {groningen}
    assert {i.instelling for i in getoond} == {None}
    assert sanne.leerling_id in {i.leerling_id for i in getoond}

    lpa_client.get(melding_url(sanne))
    lpa_client.get(actie_url(sanne, "doorsturen"))
    gekeken = Inzage.objects.filter(gebruiker=lpa, handeling=Handeling.BEHANDELING)
    assert [(i.leerling_id, i.meldingnummer, i.instantie) for i in gekeken] == [
        (sanne.leerling_id, sanne.nummer, groningen)
    ] * 2
    assert {i.detail for i in gekeken} == {"", "Doorsturen"}


def test_een_geanonimiseerde_melding_is_van_niemand(lpa_client, demo, sanne):
    Melding.objects.filter(pk=sanne.pk).update(leerling=None, geanonimiseerd_op=timezone.now())
    assert sanne.nummer not in {
        r.nummer for r in lpa_client.get(WERKVOORRAAD, {"status": ""}).context["regels"]
    }
    assert lpa_client.get(melding_url(sanne)).status_code == 404


# --- The behandelaar's view of a melding -----------------------------------------------------


def test_melding_toont_elk_blok_van_de_school_alleen_lezen(lpa_client, sanne):
    antwoord = lpa_client.get(melding_url(sanne))
    assert antwoord.status_code == 200
    html = tekst(antwoord)
    for titel in (
        "Behandeling",
        "Leerling",
        "Contactpersonen leerling",
        "Lesuren",
        "Acties door school",
        "Melding",
        "Verzuim",
        "Onderwijsinstelling",
        "Contactpersoon onderwijsinstelling",
        "Wijzigingen",
    ):
        assert f">{titel}</h2>" in html, titel
    assert "Sanne de Vries (BSN 999999989)" in html
    assert "<dt>Wet</dt><dd>Leerplichtwet</dd>" in html
    # Read-only: no Wijzig links of the school, no Intrekken.
    assert "Wijzig<span" not in html
    assert "Intrekken" not in html
    # The actions of Geregistreerd.
    assert [a.label for a in antwoord.context["acties"]] == [
        "In behandeling nemen",
        "Ter kennisgeving aannemen",
        "Doorsturen",
    ]


@pytest.mark.parametrize(
    ("status", "acties"),
    [
        (Status.GEREGISTREERD, ["In behandeling nemen", "Ter kennisgeving aannemen", "Doorsturen"]),
        (
            Status.IN_BEHANDELING,
            ["Terugkoppeling geven", "Afsluiten", "Ter kennisgeving aannemen", "Doorsturen"],
        ),
        (Status.AFGESLOTEN, []),
        (Status.TER_KENNISGEVING, []),
        (Status.INGETROKKEN, []),
    ],
)
def test_de_levenscyclus_bepaalt_de_acties(lpa_client, sanne, status, acties):
    Melding.objects.filter(pk=sanne.pk).update(
        status=status,
        reden_intrekken=RedenIntrekken.TEN_ONRECHTE if status == Status.INGETROKKEN else "",
        ingetrokken_op=timezone.now() if status == Status.INGETROKKEN else None,
    )
    antwoord = lpa_client.get(melding_url(sanne))
    assert [a.label for a in antwoord.context["acties"]] == acties
    if not acties:
        assert "Behandelen</h2>" not in tekst(antwoord)


@pytest.mark.parametrize(
    "actie", ["terugkoppeling_geven", "afsluiten", "ter_kennisgeving_aannemen", "doorsturen"]
)
def test_een_actie_die_de_status_niet_toelaat_wordt_geweigerd(lpa_client, sanne, actie):
    Melding.objects.filter(pk=sanne.pk).update(status=Status.AFGESLOTEN)
    for methode in ("get", "post"):
        antwoord = getattr(lpa_client, methode)(actie_url(sanne, actie), {"versie": 0})
        assert antwoord.status_code == 302
        assert antwoord["Location"] == melding_url(sanne)
    html = tekst(lpa_client.get(melding_url(sanne)))
    assert "Dat kan niet bij een melding met status Afgesloten." in html
    assert not MeldingWijziging.objects.filter(melding=sanne).exists()


def test_onbekende_actie_is_een_404(lpa_client, sanne):
    assert lpa_client.get(actie_url(sanne, "verwijderen")).status_code == 404
    assert lpa_client.post(actie_url(sanne, "status_wijzigen")).status_code == 404


@pytest.mark.parametrize("versie", ["", "abc", "-1", "99999999999999999999", "1.5"])
def test_onzinnige_versie_geeft_een_fout_geen_500(lpa_client, sanne, versie):
    antwoord = lpa_client.post(actie_url(sanne, "in_behandeling_nemen"), {"versie": versie})
    assert antwoord.status_code == 200
    assert vers(sanne).status == Status.GEREGISTREERD


# --- In behandeling nemen ----------------------------------------------------------------------


def test_in_behandeling_nemen_legt_vast_wie_en_wanneer(lpa_client, lpa, sanne):
    versie = sanne.versie
    antwoord = lpa_client.post(
        actie_url(sanne, "in_behandeling_nemen"), {"versie": sanne.versie}, follow=True
    )
    assert antwoord.redirect_chain[-1][0] == melding_url(sanne)
    html = tekst(antwoord)
    assert "De melding is in behandeling genomen." in html
    assert "<dt>In behandeling genomen door</dt><dd>Jeroen de Boer</dd>" in html
    assert "<dt>In behandeling genomen op</dt><dd>16-03-2026</dd>" in html
    sanne = vers(sanne)
    assert sanne.status == Status.IN_BEHANDELING
    assert sanne.in_behandeling_door == lpa
    assert sanne.in_behandeling_op.date() == VANDAAG
    assert sanne.versie == versie + 1
    assert getoonde_historie(sanne) == [("Status", "Geregistreerd", "In behandeling")]


def test_in_behandeling_nemen_alleen_vanuit_geregistreerd(lpa, daan):
    with pytest.raises(ValidationError) as fout:
        in_behandeling(daan, lpa)
    assert fout.value.messages == ["Dat kan niet bij een melding met status In behandeling."]


# --- Concurrency: the second is refused ----------------------------------------------------


def test_twee_behandelaars_tegelijk_de_tweede_wordt_geweigerd(client, demo, sanne):
    collega = GebruikerFactory(behandelaar=True, instanties=[demo.instanties["Gemeente Groningen"]])
    from django.test import Client

    eerste, tweede = client, Client()
    eerste.force_login(demo.gebruikers["lpa-groningen"])
    tweede.force_login(collega)
    # Both see the melding at versie 0 ...
    gezien = eerste.get(melding_url(sanne)).context["versie"]
    assert tweede.get(melding_url(sanne)).context["versie"] == gezien
    # ... the first takes it in behandeling, the second wants to take it ter kennisgeving.
    assert (
        eerste.post(actie_url(sanne, "in_behandeling_nemen"), {"versie": gezien}).status_code == 302
    )
    antwoord = tweede.post(
        actie_url(sanne, "ter_kennisgeving_aannemen"),
        {"versie": gezien, "toelichting": "Al opgelost."},
    )
    assert antwoord.status_code == 200
    html = tekst(antwoord)
    assert GELIJKTIJDIG_GEWIJZIGD in html
    assert 'role="alert"' in html
    # What they typed stays in the form.
    assert "Al opgelost." in html
    sanne = vers(sanne)
    assert sanne.status == Status.IN_BEHANDELING
    assert sanne.in_behandeling_door == demo.gebruikers["lpa-groningen"]
    assert MeldingWijziging.objects.filter(melding=sanne).count() == 1


def test_de_wijziging_door_de_school_weigert_een_verouderde_actie(lpa, sanne, demo):
    gezien = sanne.versie
    melding_services.melding_wijzigen(
        melding=sanne,
        gebruiker=demo.gebruikers["melder"],
        versie=gezien,
        blok="verzuim",
        gegevens={"toelichting": "Nieuwe informatie van de school"},
    )
    with pytest.raises(ValidationError) as fout:
        services.in_behandeling_nemen(melding=sanne, gebruiker=lpa, versie=gezien)
    assert fout.value.code == "gelijktijdig"
    assert vers(sanne).status == Status.GEREGISTREERD


@pytest.mark.django_db(transaction=True)
def test_echt_gelijktijdig_slaagt_er_precies_een(demo):
    """Two behandelaars press at the same moment, in two connections: the row lock makes the
    second wait, then see the new versie and be refused."""
    sanne = demo.leerlingen["999999989"].meldingen.get(soort=Verzuimsoort.LUXE)
    gebruiker = demo.gebruikers["lpa-groningen"]
    gezien = sanne.versie
    start = threading.Barrier(2)
    uitkomsten = []

    def druk(actie):
        try:
            start.wait()
            actie(melding=sanne, gebruiker=gebruiker, versie=gezien)
            uitkomsten.append("gelukt")
        except ValidationError as fout:
            uitkomsten.append(fout.code)
        finally:
            connection.close()

    draden = [
        threading.Thread(target=druk, args=(services.in_behandeling_nemen,)),
        threading.Thread(
            target=druk,
            args=(lambda **kw: services.ter_kennisgeving_aannemen(**kw, toelichting="Opgelost."),),
        ),
    ]
    for draad in draden:
        draad.start()
    for draad in draden:
        draad.join(timeout=30)
    assert sorted(uitkomsten) == ["gelijktijdig", "gelukt"]
    sanne.refresh_from_db()
    assert sanne.versie == gezien + 1
    assert MeldingWijziging.objects.filter(melding=sanne).count() == 1


# --- Terugkoppeling geven ------------------------------------------------------------------------


def test_terugkoppeling_formulier_begint_met_de_behandelaar_en_vandaag(lpa_client, daan):
    antwoord = lpa_client.get(actie_url(daan, "terugkoppeling_geven"))
    assert antwoord.status_code == 200
    form = antwoord.context["form"]
    assert form["naam"].value() == "Jeroen de Boer"
    assert form["email"].value() == "lpa-groningen@example.nl"
    assert form["datum"].value() == VANDAAG
    html = tekst(antwoord)
    for label in ("Naam", "Functie", "E-mail", "Telefoon", "Datum terugkoppeling", "Toelichting"):
        assert f"{label}</label>" in html or f">{label}</legend>" in html, label
    assert "Maximaal 2000 karakters" in html


def test_terugkoppeling_geven_en_de_school_leest_hem(lpa_client, school, daan, taken_uitvoeren):
    antwoord = lpa_client.post(
        actie_url(daan, "terugkoppeling_geven"), terugkoppeling_data(daan), follow=True
    )
    assert "De terugkoppeling is opgeslagen." in tekst(antwoord)
    t = vers(daan).terugkoppeling
    assert (t.naam, t.functie, t.datum, t.instantienaam) == (
        "Jeroen de Boer",
        "Leerplichtambtenaar",
        VANDAAG,
        "Gemeente Groningen",
    )
    assert vers(daan).status == Status.IN_BEHANDELING
    # The school's details show it, and the history names it.
    html = tekst(school.get(reverse("meldingen:detail", args=[daan.nummer])))
    assert ">Terugkoppeling behandelaar</h2>" in html
    assert "<dt>Toelichting</dt><dd>Gesprek gevoerd met leerling en ouders.</dd>" in html
    assert "<dt>Uitvoerende instantienaam</dt><dd>Gemeente Groningen</dd>" in html
    assert ("Toelichting", "", "Gesprek gevoerd met leerling en ouders.") in getoonde_historie(daan)
    # The school's contactpersoon gets a mail linking to the school's details.
    assert taken_uitvoeren() == 1
    (bericht,) = mail.outbox
    assert bericht.to == [daan.contactpersoon_email]
    assert bericht.subject == f"Terugkoppeling op verzuimmelding {daan.nummer}"
    assert f"http://127.0.0.1:8000/meldingen/{daan.nummer}/" in bericht.body


def test_terugkoppeling_wijzigen_legt_alleen_het_verschil_vast(lpa_client, lpa, daan):
    terugkoppeling(daan, lpa, toelichting="Eerste gesprek.")
    antwoord = lpa_client.get(melding_url(daan))
    assert "Terugkoppeling wijzigen" in [a.label for a in antwoord.context["acties"]]
    form = lpa_client.get(actie_url(daan, "terugkoppeling_geven")).context["form"]
    assert form["toelichting"].value() == "Eerste gesprek."
    lpa_client.post(
        actie_url(daan, "terugkoppeling_geven"),
        terugkoppeling_data(
            vers(daan),
            naam="Jeroen de Boer",
            functie="",
            email="",
            telefoon="",
            toelichting="Tweede gesprek.",
        ),
    )
    laatste = MeldingWijziging.objects.filter(melding=daan).order_by("-pk").first()
    assert laatste.velden == [
        {"veld": "terugkoppeling.toelichting", "oud": "Eerste gesprek.", "nieuw": "Tweede gesprek."}
    ]
    assert Terugkoppeling.objects.filter(melding=daan).count() == 1


def test_terugkoppeling_ongewijzigd_opslaan_is_geen_wijziging(lpa, daan):
    terugkoppeling(daan, lpa)
    versie = vers(daan).versie
    terugkoppeling(daan, lpa)
    assert vers(daan).versie == versie
    assert MeldingWijziging.objects.filter(melding=daan).count() == 1


@pytest.mark.parametrize(
    ("anders", "veld", "fout"),
    [
        (
            datum_velden("datum", VANDAAG + datetime.timedelta(days=1)),
            "datum",
            "De datum van de terugkoppeling mag niet in de toekomst liggen.",
        ),
        (
            {"datum_0": "", "datum_1": "", "datum_2": ""},
            "datum",
            "Vul de datum van de terugkoppeling in.",
        ),
        ({"toelichting": "x" * 2001}, "toelichting", "Maximaal 2000 karakters"),
        ({"naam": ""}, "naam", ""),
        ({"email": "geen-adres"}, "email", ""),
    ],
)
def test_terugkoppeling_fouten_bij_het_veld_en_de_invoer_blijft(
    lpa_client, daan, anders, veld, fout
):
    data = terugkoppeling_data(daan, **anders)
    antwoord = lpa_client.post(actie_url(daan, "terugkoppeling_geven"), data)
    assert antwoord.status_code == 200
    form = antwoord.context["form"]
    assert veld in form.errors
    assert fout in " ".join(form.errors[veld])
    html = tekst(antwoord)
    assert f'href="#id_{veld}' in html  # the error summary links to the field
    assert "<title>Fout: Terugkoppeling geven" in html
    assert "Leerplichtambtenaar" in html  # what was typed stays
    assert not Terugkoppeling.objects.filter(melding=daan).exists()


def test_terugkoppeling_niet_bij_geregistreerd(lpa, sanne):
    with pytest.raises(ValidationError) as fout:
        terugkoppeling(sanne, lpa)
    assert fout.value.code == "status"
    assert not Terugkoppeling.objects.filter(melding=sanne).exists()


def test_terugkoppeling_datum_in_de_toekomst_ook_in_de_service(lpa, daan):
    with pytest.raises(ValidationError) as fout:
        terugkoppeling(daan, lpa, datum=VANDAAG + datetime.timedelta(days=1))
    assert "datum" in fout.value.message_dict


# --- Afsluiten ---------------------------------------------------------------------------------


def test_afsluiten_vraagt_eerst_een_terugkoppeling(lpa_client, daan):
    antwoord = lpa_client.post(
        actie_url(daan, "afsluiten"), {"versie": daan.versie, "reden_afgesloten": "hervat"}
    )
    assert antwoord.status_code == 200
    assert regels.EERST_TERUGKOPPELING in tekst(antwoord)
    assert vers(daan).status == Status.IN_BEHANDELING


def test_afsluiten_zonder_reden(lpa_client, lpa, daan):
    terugkoppeling(daan, lpa)
    antwoord = lpa_client.post(actie_url(daan, "afsluiten"), {"versie": vers(daan).versie})
    assert antwoord.context["form"].errors["reden_afgesloten"] == [regels.KIES_REDEN_AFGESLOTEN]
    assert 'href="#id_reden_afgesloten"' in tekst(antwoord)
    antwoord = lpa_client.post(
        actie_url(daan, "afsluiten"), {"versie": vers(daan).versie, "reden_afgesloten": "weg"}
    )
    assert antwoord.context["form"].errors["reden_afgesloten"] == [regels.KIES_REDEN_AFGESLOTEN]
    assert vers(daan).status == Status.IN_BEHANDELING


def test_afsluiten_met_de_lijst_van_redenen(lpa_client, lpa, school, daan, taken_uitvoeren):
    form = lpa_client.get(actie_url(daan, "afsluiten")).context["form"]
    assert list(form.fields["reden_afgesloten"].choices)[1:] == RedenAfgesloten.choices
    terugkoppeling(daan, lpa)
    taken_uitvoeren()
    mail.outbox.clear()
    antwoord = lpa_client.post(
        actie_url(daan, "afsluiten"),
        {"versie": vers(daan).versie, "reden_afgesloten": RedenAfgesloten.WERK},
        follow=True,
    )
    assert "De melding is afgesloten." in tekst(antwoord)
    assert antwoord.context["acties"] == []
    daan = vers(daan)
    assert daan.status == Status.AFGESLOTEN
    assert daan.terugkoppeling.reden_afgesloten == RedenAfgesloten.WERK
    html = tekst(school.get(reverse("meldingen:detail", args=[daan.nummer])))
    assert "<dt>Status</dt><dd><strong>Afgesloten</strong></dd>" in html
    assert "<dt>Reden melding afgesloten</dt><dd>Inschrijving beëindigd, werk</dd>" in html
    assert ("Status", "In behandeling", "Afgesloten") in getoonde_historie(daan)
    # No more changes by the school; the school is told by mail.
    assert "Wijzig<span" not in html
    assert taken_uitvoeren() == 1
    (bericht,) = mail.outbox
    assert bericht.to == [daan.contactpersoon_email]
    assert bericht.subject == f"Verzuimmelding {daan.nummer} is afgesloten"
    assert "De uitvoerende instantie heeft de volgende verzuimmelding afgesloten." in bericht.body


def test_afsluiten_niet_bij_geregistreerd(lpa, sanne):
    with pytest.raises(ValidationError):
        services.melding_afsluiten(
            melding=sanne, gebruiker=lpa, versie=sanne.versie, reden=RedenAfgesloten.HERVAT
        )
    assert vers(sanne).status == Status.GEREGISTREERD


# --- Ter kennisgeving aannemen ------------------------------------------------------------------


def test_ter_kennisgeving_zonder_actie_gewenst(lpa_client, sanne, school, taken_uitvoeren):
    Melding.objects.filter(pk=sanne.pk).update(
        actie_gewenst=False, toelichting_actie_gewenst="Ter informatie."
    )
    antwoord = lpa_client.get(actie_url(sanne, "ter_kennisgeving_aannemen"))
    assert not antwoord.context["form"].fields["toelichting"].required
    antwoord = lpa_client.post(
        actie_url(sanne, "ter_kennisgeving_aannemen"), {"versie": sanne.versie}, follow=True
    )
    assert "De melding is ter kennisgeving aangenomen." in tekst(antwoord)
    assert vers(sanne).status == Status.TER_KENNISGEVING
    html = tekst(school.get(reverse("meldingen:detail", args=[sanne.nummer])))
    assert "<dt>Status</dt><dd><strong>Ter kennisgeving aangenomen</strong></dd>" in html
    assert taken_uitvoeren() == 1
    assert mail.outbox[0].subject == (
        f"Verzuimmelding {sanne.nummer} is ter kennisgeving aangenomen"
    )


def test_ter_kennisgeving_bij_actie_gewenst_vraagt_een_toelichting(lpa_client, sanne, school):
    assert sanne.actie_gewenst
    antwoord = lpa_client.post(
        actie_url(sanne, "ter_kennisgeving_aannemen"), {"versie": sanne.versie, "toelichting": "  "}
    )
    assert antwoord.context["form"].errors["toelichting"] == [regels.TOELICHTING_BIJ_ACTIE]
    assert vers(sanne).status == Status.GEREGISTREERD
    lpa_client.post(
        actie_url(sanne, "ter_kennisgeving_aannemen"),
        {"versie": sanne.versie, "toelichting": "Ouders hebben verlof alsnog aangevraagd."},
    )
    assert vers(sanne).status == Status.TER_KENNISGEVING
    # The school reads why in the history.
    historie = getoonde_historie(sanne)
    assert ("Toelichting", "", "Ouders hebben verlof alsnog aangevraagd.") in historie
    html = tekst(school.get(reverse("meldingen:detail", args=[sanne.nummer])))
    assert "Ouders hebben verlof alsnog aangevraagd." in html


def test_ter_kennisgeving_kan_ook_in_behandeling(lpa, daan):
    services.ter_kennisgeving_aannemen(
        melding=daan, gebruiker=lpa, versie=daan.versie, toelichting="Geen actie nodig."
    )
    assert vers(daan).status == Status.TER_KENNISGEVING


# --- Doorsturen -------------------------------------------------------------------------------


def test_doorsturen_naar_een_andere_instantie(client, demo, sanne, school, taken_uitvoeren):
    rmc = demo.instanties["RMC regio Groningen"]
    client.force_login(demo.gebruikers["lpa-groningen"])
    form = client.get(actie_url(sanne, "doorsturen")).context["form"]
    keuzes = [label for _, label in form.fields["instantie"].choices]
    assert "Gemeente Groningen" not in keuzes
    assert {"RMC regio Groningen", "Gemeente Smallingerland"} <= set(keuzes)

    antwoord = client.post(
        actie_url(sanne, "doorsturen"),
        {"versie": sanne.versie, "instantie": rmc.pk, "reden": "De leerling is 18 jaar."},
        follow=True,
    )
    assert antwoord.redirect_chain[-1][0] == WERKVOORRAAD
    assert "De melding is doorgestuurd." in tekst(antwoord)
    # Gone from this werkvoorraad, and from this instantie altogether.
    assert sanne.nummer not in {
        r.nummer for r in client.get(WERKVOORRAAD, {"status": ""}).context["regels"]
    }
    assert client.get(melding_url(sanne)).status_code == 404

    # At the RMC: Geregistreerd and Nieuw.
    client.force_login(demo.gebruikers["rmc-groningen"])
    regel = next(r for r in client.get(WERKVOORRAAD).context["regels"] if r.nummer == sanne.nummer)
    assert regel.nieuw
    assert regel.status == "Geregistreerd"

    # The history, which the school sees too, says from where to where and why.
    historie = getoonde_historie(sanne)
    assert ("Uitvoerende instantie", "Gemeente Groningen", "RMC regio Groningen") in historie
    assert ("Reden doorsturen", "", "De leerling is 18 jaar.") in historie
    html = tekst(school.get(reverse("meldingen:detail", args=[sanne.nummer])))
    assert "De leerling is 18 jaar." in html

    # The RMC wants e-mail: it gets one, linking to its own view of the melding.
    assert taken_uitvoeren() == 1
    (bericht,) = mail.outbox
    assert bericht.to == ["rmc@groningen.example.nl"]
    assert bericht.subject == f"Verzuimmelding {sanne.nummer} is aan u doorgestuurd"
    assert f"http://127.0.0.1:8000/behandeling/meldingen/{sanne.nummer}/" in bericht.body
    assert "Sanne" not in bericht.body
    assert "999999989" not in bericht.body


def test_doorsturen_van_in_behandeling_begint_opnieuw(lpa, demo, daan, taken_uitvoeren):
    smallingerland = demo.instanties["Gemeente Smallingerland"]
    services.doorsturen(
        melding=daan,
        gebruiker=lpa,
        versie=daan.versie,
        instantie=smallingerland,
        reden="Verhuisd naar Drachten.",
    )
    daan = vers(daan)
    assert daan.status == Status.GEREGISTREERD
    assert daan.uitvoerende_instantie == smallingerland
    assert (daan.in_behandeling_door, daan.in_behandeling_op, daan.geopend_op) == (None, None, None)
    # Smallingerland does not want e-mail.
    assert taken_uitvoeren() == 0


@pytest.mark.parametrize(
    ("data", "veld", "fout"),
    [
        ({"reden": "Verhuisd"}, "instantie", regels.ANDERE_INSTANTIE),
        ({"instantie": "eigen", "reden": "Verhuisd"}, "instantie", regels.ANDERE_INSTANTIE),
        ({"instantie": "999999", "reden": "Verhuisd"}, "instantie", regels.ANDERE_INSTANTIE),
        ({"instantie": "rmc", "reden": " "}, "reden", regels.REDEN_DOORSTUREN),
        ({"instantie": "rmc", "reden": "x" * 301}, "reden", "Maximaal 300 karakters (nu 301)."),
    ],
)
def test_doorsturen_fouten(lpa_client, demo, sanne, data, veld, fout):
    ids = {
        "eigen": demo.instanties["Gemeente Groningen"].pk,
        "rmc": demo.instanties["RMC regio Groningen"].pk,
    }
    data = {k: ids.get(v, v) for k, v in data.items()}
    antwoord = lpa_client.post(actie_url(sanne, "doorsturen"), {"versie": sanne.versie, **data})
    assert antwoord.status_code == 200
    assert fout in antwoord.context["form"].errors[veld]
    assert vers(sanne).uitvoerende_instantie.naam == "Gemeente Groningen"


def test_doorsturen_naar_de_eigen_instantie_ook_in_de_service(lpa, groningen, sanne):
    with pytest.raises(ValidationError) as fout:
        services.doorsturen(
            melding=sanne, gebruiker=lpa, versie=sanne.versie, instantie=groningen, reden="x"
        )
    assert fout.value.message_dict["instantie"] == [regels.ANDERE_INSTANTIE]


# --- The school's side of a melding that is being worked ---------------------------------------


def test_school_wijzigt_in_behandeling_de_instantie_krijgt_mail(demo, daan, taken_uitvoeren):
    melding_services.melding_wijzigen(
        melding=daan,
        gebruiker=demo.gebruikers["melder"],
        versie=daan.versie,
        blok="verzuim",
        gegevens={"toelichting": "Leerling was ook vrijdag afwezig."},
    )
    assert taken_uitvoeren() == 1
    (bericht,) = mail.outbox
    assert bericht.to == ["leerplicht@groningen.example.nl"]
    assert bericht.subject == f"Verzuimmelding {daan.nummer} is gewijzigd door de school"
    assert f"http://127.0.0.1:8000/behandeling/meldingen/{daan.nummer}/" in bericht.body


def test_school_wijzigt_geregistreerd_geen_mail(demo, sanne, taken_uitvoeren):
    melding_services.melding_wijzigen(
        melding=sanne,
        gebruiker=demo.gebruikers["melder"],
        versie=sanne.versie,
        blok="verzuim",
        gegevens={"toelichting": "Aanvulling."},
    )
    assert taken_uitvoeren() == 0


def test_school_trekt_in_behandeling_in_de_instantie_krijgt_mail_en_kan_niets_meer(
    lpa_client, demo, daan, taken_uitvoeren
):
    melding_services.melding_intrekken(
        melding=daan, gebruiker=demo.gebruikers["melder"], reden=RedenIntrekken.TEN_ONRECHTE
    )
    assert taken_uitvoeren() == 1
    assert mail.outbox[0].subject == f"Verzuimmelding {daan.nummer} is ingetrokken"
    assert f"/behandeling/meldingen/{daan.nummer}/" in mail.outbox[0].body
    antwoord = lpa_client.get(melding_url(daan))
    assert antwoord.context["acties"] == []
    assert "<dt>Status</dt><dd><strong>Ingetrokken</strong></dd>" in tekst(antwoord)


# --- The mail's link lands on the melding after login ------------------------------------------


def test_link_uit_de_mail_landt_na_inloggen_op_de_melding(client, demo, sanne):
    gevraagd = melding_url(sanne)
    antwoord = client.get(gevraagd)
    assert antwoord["Location"] == f"{reverse('login')}?next={gevraagd}"
    antwoord = client.post(
        antwoord["Location"],
        {"username": "lpa-groningen", "password": "verzuimloket-demo", "next": gevraagd},
        follow=True,
    )
    assert antwoord.redirect_chain[-1][0] == gevraagd
    assert "Sanne de Vries (BSN 999999989)" in tekst(antwoord)


def test_link_uit_de_mail_met_twee_soorten_machtigingen(client, demo, sanne, groningen):
    gevraagd = melding_url(sanne)
    antwoord = client.post(
        f"{reverse('login')}?next={gevraagd}",
        {"username": "lpa-en-melder", "password": "verzuimloket-demo", "next": gevraagd},
        follow=True,
    )
    html = tekst(antwoord)
    assert antwoord.redirect_chain[-1][0].startswith(reverse("kies_instelling"))
    assert "<h1>Kies organisatie</h1>" in html
    assert "24GP – Scholengemeenschap De Grote Markt" in html
    assert "Gemeente Groningen" in html
    antwoord = client.post(
        antwoord.redirect_chain[-1][0],
        {"organisatie": f"instantie:{groningen.pk}", "next": gevraagd},
        follow=True,
    )
    assert antwoord.redirect_chain[-1][0] == gevraagd
    assert "Uitvoerende instantie <strong>Gemeente Groningen</strong>" in tekst(antwoord)


def test_mail_links_zijn_absoluut_vanaf_site_url(settings, sanne):
    settings.SITE_URL = "https://verzuimloket.example.nl"
    assert tasks.link(sanne, tasks.INSTANTIE) == (
        f"https://verzuimloket.example.nl/behandeling/meldingen/{sanne.nummer}/"
    )
    assert tasks.link(sanne, tasks.SCHOOL) == (
        f"https://verzuimloket.example.nl/meldingen/{sanne.nummer}/"
    )


# --- The factory melding of another instantie never leaks -------------------------------------


def test_melding_van_een_andere_instantie_met_hetzelfde_nummerbereik(lpa_client, demo):
    vreemd = MeldingFactory(leerling=demo.leerlingen["999990019"])
    assert lpa_client.get(melding_url(vreemd)).status_code == 404
    assert (
        lpa_client.post(actie_url(vreemd, "in_behandeling_nemen"), {"versie": 0}).status_code == 404
    )
    assert vers(vreemd).status == Status.GEREGISTREERD


def test_link_naar_een_melding_van_de_andere_eigen_instantie_laat_eerst_kiezen(client, demo, sanne):
    """A behandelaar of two instanties, acting for the RMC, follows a mail's link to a melding
    of Gemeente Groningen: first the choice, then the melding. For anyone else it stays a 404."""
    groningen, rmc = demo.instanties["Gemeente Groningen"], demo.instanties["RMC regio Groningen"]
    beide = GebruikerFactory(behandelaar=True, instanties=[groningen, rmc])
    client.force_login(beide)
    sessie = client.session
    sessie["organisatie"] = f"instantie:{rmc.pk}"
    sessie.save()
    antwoord = client.get(melding_url(sanne))
    assert antwoord.status_code == 302
    assert antwoord["Location"].startswith(reverse("kies_instelling") + "?next=")
    antwoord = client.post(
        antwoord["Location"],
        {"organisatie": f"instantie:{groningen.pk}", "next": melding_url(sanne)},
        follow=True,
    )
    assert antwoord.redirect_chain[-1][0] == melding_url(sanne)

    client.force_login(demo.gebruikers["rmc-groningen"])
    assert client.get(melding_url(sanne)).status_code == 404


def test_de_aantallen_per_status_blijven_gelijk_aan_een_telling(demo, groningen, time_machine):
    """The counts the werkvoorraad shows are kept by triggers on the melding table, not
    counted per request: after every kind of write (one melding, many at once, another
    instantie, anonymised, deleted, a write that is rolled back) they equal a count."""
    from django.db import transaction

    from meldingen.services import meldingen_anonimiseren
    from tests.conftest import aantallen_bijgehouden, aantallen_geteld

    assert aantallen_bijgehouden() == aantallen_geteld() != {}
    eigen = Melding.objects.filter(uitvoerende_instantie=groningen)
    andere = next(i for i in demo.instanties.values() if i.pk != groningen.pk)

    eerste = eigen.filter(status=Status.GEREGISTREERD).order_by("nummer").first()
    eerste.status = Status.IN_BEHANDELING
    eerste.save()
    assert aantallen_bijgehouden() == aantallen_geteld()

    eigen.filter(status=Status.GEREGISTREERD).update(status=Status.IN_BEHANDELING)
    assert aantallen_bijgehouden() == aantallen_geteld()

    eigen.filter(pk=eerste.pk).update(uitvoerende_instantie=andere)
    assert aantallen_bijgehouden() == aantallen_geteld()

    with pytest.raises(RuntimeError), transaction.atomic():
        Melding.objects.filter(status=Status.IN_BEHANDELING).update(status=Status.GEREGISTREERD)
        raise RuntimeError
    assert aantallen_bijgehouden() == aantallen_geteld()

    time_machine.move_to(datetime.datetime(2040, 1, 1, tzinfo=datetime.UTC))
    assert meldingen_anonimiseren() > 0
    assert aantallen_bijgehouden() == aantallen_geteld()

    Melding.objects.filter(pk__in=list(Melding.objects.values_list("pk", flat=True)[:2])).delete()
    assert aantallen_bijgehouden() == aantallen_geteld()


def _alleen_index(cursor, houden: str) -> None:
    """In the test's transaction: drop every index of the melding table but `houden` (and
    those that back its primary key and exclusion constraint), and make scans of the whole
    table or of a bitmap prohibitively expensive. The demo is far too small for the planner to
    prefer an index the way it does at national scale (`bench/schaal.py`); what the test can
    hold is that the index serves the query in the intended way."""
    cursor.execute(
        "SELECT i.indexrelid::regclass::text FROM pg_index i "
        "WHERE i.indrelid = 'meldingen_melding'::regclass AND i.indexrelid::regclass::text <> %s "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
        [houden],
    )
    for (naam,) in cursor.fetchall():
        cursor.execute(f"DROP INDEX {naam}")
    # The unique number's index too: on the demo's few rows, reading it backwards and testing
    # each row costs about what the intended index does, and the planner picked either. (The
    # checks the test's writes left pending run first: a table with those cannot be altered.)
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute(
        "SELECT conname FROM pg_constraint "
        "WHERE conrelid = 'meldingen_melding'::regclass AND contype = 'u'"
    )
    for (naam,) in cursor.fetchall():
        cursor.execute(f"ALTER TABLE meldingen_melding DROP CONSTRAINT {naam} CASCADE")
    cursor.execute("ANALYZE meldingen_melding")  # the same statistics whatever ran before
    cursor.execute("SET LOCAL enable_seqscan = off")
    cursor.execute("SET LOCAL enable_bitmapscan = off")


def _plan(cursor, sql: str) -> str:
    cursor.execute(f"EXPLAIN {sql}")
    return "\n".join(rij[0] for rij in cursor.fetchall())


def test_de_werkvoorraad_van_een_school_heeft_een_eigen_index(lpa_client, groningen):
    """Filtered on a school, the werkvoorraad's count and rows are served by
    melding_werkvoorraad_school (instantie, instelling, nummer), with both as index conditions:
    without it PostgreSQL combined all of a large instantie's entries with the school's to find
    its one melding there."""
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        antwoord = lpa_client.get(WERKVOORRAAD, {"status": "", "instelling": "24GP"})
    assert antwoord.status_code == 200 and antwoord.context["regels"]
    # The rows, with the capped count in the same statement.
    (sql,) = [q["sql"] for q in queries if "m.instelling_id = " in q["sql"]]
    with connection.cursor() as cursor:
        _alleen_index(cursor, "melding_werkvoorraad_school")
        regels = _plan(cursor, sql).splitlines()
    scans = [i for i, regel in enumerate(regels) if "using melding_werkvoorraad_school" in regel]
    assert len(scans) == 2, regels  # the count's and the rows'
    for i in scans:
        voorwaarde = next(r for r in regels[i + 1 :] if "Index Cond" in r)
        assert "uitvoerende_instantie_id" in voorwaarde and "instelling_id" in voorwaarde, regels


def test_de_werkvoorraad_gefilterd_op_soort_of_datum_leest_eerst_de_nummers(lpa_client, groningen):
    """Filtered on soort or begindatum, the page's numbers come from melding_werkvoorraad_filters
    alone (soort and begindatum included in it) before its rows are read: a filter that matched
    few meldingen of a large instantie read all its rows to test them."""
    from django.test.utils import CaptureQueriesContext

    van = datum_velden("van", VANDAAG - datetime.timedelta(days=100))
    for filters in ({"status": "", "soort": Verzuimsoort.LUXE}, {"status": "", **van}):
        with CaptureQueriesContext(connection) as queries:
            antwoord = lpa_client.get(WERKVOORRAAD, filters)
        assert antwoord.status_code == 200 and antwoord.context["regels"]
        rijen = next(q["sql"] for q in queries if "l.naam AS leerling_naam" in q["sql"])
        with connection.cursor() as cursor:
            cursor.execute("SAVEPOINT plan")
            _alleen_index(cursor, "melding_werkvoorraad_filters")
            plan = _plan(cursor, rijen)
            cursor.execute("ROLLBACK TO SAVEPOINT plan")
        assert "Index Only Scan using melding_werkvoorraad_filters" in plan, plan
