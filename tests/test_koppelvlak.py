"""The API (/api/v1) for an administratiepakket and for leerplicht software: every endpoint's
happy path, its refusals as problem details with the form's own Dutch message at the right
JSON Pointer, Idempotency-Key, If-Match, the list's cursor and the inzagelog."""

import datetime
import io
import json
import threading

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone

from behandeling import regels as behandeling_regels
from koppelvlak.selectors import meldingen_feed
from leerlingen.forms import NIET_GEVONDEN
from leerlingen.models import Handeling, Inzage
from meldingen import regels
from meldingen.demo import laad_demo
from meldingen.models import Melding, MeldingWijziging, Status
from meldingen.services import GELIJKTIJDIG_GEWIJZIGD
from tests.conftest import VANDAAG
from verzuimloket.formaten import TELEFOON_ONGELDIG

DAG = datetime.timedelta(days=1)
SANNE = "999999989"  # 14, at 24GP; meldingen 60 and 150 days back
PROBLEEM = "application/problem+json"


def nieuwe_melding(**blokken) -> dict:
    """A melding for Sanne that every rule accepts; `blokken` replace parts of a block."""
    inhoud = {
        "pgn": SANNE,
        "leerling": {
            "leerlingEmail": "sanne@example.nl",
            "contactpersonen": [{"naam": "J. de Vries", "relatie": "moeder"}],
        },
        "verzuim": {
            "begindatum": (VANDAAG - 14 * DAG).isoformat(),
            "einddatum": (VANDAAG - 2 * DAG).isoformat(),
            "soort": "V3",
            "vermoedelijkeReden": "Spijbelt met vrienden",
            "actieGewenst": True,
            "aanbieder": "100A001",
            "locatie": "100X001",
            "contactpersoonNaam": "P. Mentor",
            "contactpersoonEmail": "mentor@school.example.nl",
        },
        "lesuren": {"alleLessenGemist": True},
        "acties": {"ondernomenActies": ["gesprek_leerling"]},
    }
    for blok, waarden in blokken.items():
        if isinstance(inhoud.get(blok), dict) and isinstance(waarden, dict):
            inhoud[blok] = {**inhoud[blok], **waarden}
        else:
            inhoud[blok] = waarden
    return inhoud


def redenen(antwoord) -> dict[str, list[str]]:
    """invalidParams as {pointer or name: [reasons]}."""
    assert antwoord.status_code == 400, antwoord.content
    assert antwoord["Content-Type"] == PROBLEEM
    uit: dict[str, list[str]] = {}
    for fout in antwoord.json().get("invalidParams", []):
        uit.setdefault(fout.get("pointer") or fout["name"], []).append(fout["reason"])
    return uit


def registreer(api, **blokken):
    antwoord = api.post("/meldingen", nieuwe_melding(**blokken))
    assert antwoord.status_code == 201, antwoord.content
    return antwoord.json()


# --- authentication -------------------------------------------------------------------------


def test_zonder_sleutel_401_als_probleem(client, demo):
    antwoord = client.get("/api/v1/meldingen")
    assert antwoord.status_code == 401
    assert antwoord["Content-Type"] == PROBLEEM
    assert antwoord["WWW-Authenticate"].startswith("Bearer")
    assert antwoord["API-Version"] == "1.0.0"
    body = antwoord.json()
    assert body["status"] == 401 and body["title"] == "Niet geauthenticeerd"


def test_verkeerde_ingetrokken_en_verlopen_sleutel_401(school_api, time_machine):
    from koppelvlak.services import koppeling_intrekken

    assert school_api.get("/meldingen").status_code == 200
    fout = school_api.sleutel[:-1] + ("a" if school_api.sleutel[-1] != "a" else "b")
    verkeerd = school_api.client.get("/api/v1/meldingen", HTTP_AUTHORIZATION=f"Bearer {fout}")
    assert verkeerd.status_code == 401
    assert "onbekend, ingetrokken of verlopen" in verkeerd.json()["detail"]

    koppeling = school_api.koppeling
    koppeling.verloopt_op = datetime.datetime(2026, 3, 20, tzinfo=datetime.UTC)
    koppeling.save()
    assert school_api.get("/meldingen").status_code == 200
    time_machine.move_to(datetime.datetime(2026, 3, 21, tzinfo=datetime.UTC))
    assert school_api.get("/meldingen").status_code == 401

    koppeling.verloopt_op = None
    koppeling.save()
    assert school_api.get("/meldingen").status_code == 200
    koppeling_intrekken(koppeling=koppeling)
    assert school_api.get("/meldingen").status_code == 401


def test_een_ingelogde_browsergebruiker_heeft_geen_toegang_tot_de_api(melder_client):
    antwoord = melder_client.get("/api/v1/meldingen")
    assert antwoord.status_code == 401  # a session is no key; no CSRF to get around either
    assert melder_client.post("/api/v1/meldingen", {}).status_code == 401


def test_alleen_een_hash_van_de_sleutel_wordt_bewaard(school_api):
    from koppelvlak.models import Koppeling

    rij = Koppeling.objects.filter(pk=school_api.koppeling.pk).values().get()
    geheim = school_api.sleutel.split(".", 1)[1]
    assert all(geheim not in str(waarde) for waarde in rij.values())
    assert rij["sleutel_hash"].startswith("sha512$$")


def test_beheerder_ziet_de_sleutel_eenmaal(admin_client, demo):
    from koppelvlak.models import Koppeling

    antwoord = admin_client.post(
        "/beheer/koppelvlak/koppeling/add/",
        {"naam": "Magister 24GP", "instelling": "24GP", "instantie": "", "verloopt_op_0": ""},
        follow=True,
    )
    koppeling = Koppeling.objects.get(naam="Magister 24GP")
    berichten = [str(m) for m in antwoord.context["messages"]]
    sleutel = next(b for b in berichten if "De sleutel van koppeling" in b).split(" is: ")[1]
    sleutel = sleutel.split(" — ")[0]
    assert sleutel.startswith(koppeling.prefix + ".")
    assert (
        Client().get("/api/v1/meldingen", HTTP_AUTHORIZATION=f"Bearer {sleutel}").status_code == 200
    )
    # Never again: not on the change page, not in the list.
    for pagina in (
        f"/beheer/koppelvlak/koppeling/{koppeling.pk}/change/",
        "/beheer/koppelvlak/koppeling/",
    ):
        assert sleutel.split(".")[1] not in admin_client.get(pagina).content.decode()


def test_een_koppeling_hoort_bij_precies_een_organisatie(demo):
    from django.core.exceptions import ValidationError

    from koppelvlak.services import koppeling_aanmaken

    with pytest.raises(ValidationError):
        koppeling_aanmaken(naam="x")
    with pytest.raises(ValidationError):
        koppeling_aanmaken(
            naam="x",
            instelling=demo.instellingen["24GP"],
            instantie=demo.instanties["Gemeente Groningen"],
        )


# --- Zoek leerling --------------------------------------------------------------------------


def test_leerling_zoeken_geeft_het_overzicht(school_api):
    antwoord = school_api.post("/leerlingen/zoeken", {"pgn": "9999 99 989"})
    assert antwoord.status_code == 200
    leerling = antwoord.json()
    assert leerling["naam"] == "Sanne de Vries"
    assert leerling["blokkade"] is None
    assert leerling["toegestaneSoorten"] == ["V3", "LRV", "O", "L"]
    assert len(leerling["meldingen"]) == 2 and all(m["eigen"] for m in leerling["meldingen"])
    inzage = Inzage.objects.get(koppeling=school_api.koppeling)
    assert inzage.handeling == Handeling.KOPPELVLAK
    assert inzage.leerling.pgn == SANNE
    assert inzage.detail == "POST /api/v1/leerlingen/zoeken 200"


def test_leerling_van_een_andere_school_is_niet_gevonden_met_de_tekst_van_het_scherm(
    school_api, zuid_api
):
    antwoord = zuid_api.post("/leerlingen/zoeken", {"pgn": SANNE})
    assert redenen(antwoord) == {"/pgn": [NIET_GEVONDEN]}
    # Someone looked for that person: logged with the number searched for.
    assert Inzage.objects.get(koppeling=zuid_api.koppeling).pgn == SANNE
    assert redenen(school_api.post("/leerlingen/zoeken", {"pgn": "123"}))["/pgn"]
    assert redenen(school_api.post("/leerlingen/zoeken", {"pgn": 999999989})) == {
        "/pgn": ["Vul tekst in."]
    }


def test_blokkade_en_geen_soorten_voor_een_leerling_die_niet_meer_mag(school_api, demo):
    from leerlingen.models import Leerling

    leerling = Leerling.objects.get(pgn=SANNE)
    leerling.startkwalificatie = True
    leerling.geboortedatum = VANDAAG.replace(year=VANDAAG.year - 24)
    leerling.save()
    body = school_api.post("/leerlingen/zoeken", {"pgn": SANNE}).json()
    assert body["blokkade"]["tekst"] == regels.BLOKKADE_REGISTER
    assert body["toegestaneSoorten"] == []


# --- Registreren ----------------------------------------------------------------------------


def test_melding_registreren(school_api, taken_uitvoeren, mailoutbox):
    antwoord = school_api.post("/meldingen", nieuwe_melding())
    assert antwoord.status_code == 201
    body = antwoord.json()
    melding = Melding.objects.get(nummer=body["nummer"])
    assert antwoord["Location"] == f"/api/v1/meldingen/{melding.nummer}"
    assert antwoord["ETag"] == '"1"'
    assert melding.status == Status.GEREGISTREERD
    assert melding.leerling.pgn == SANNE
    assert melding.uitvoerende_instantie.naam == "Gemeente Groningen"
    assert melding.geregistreerd_door == school_api.koppeling.gebruiker
    assert list(melding.contactpersonen.values_list("naam", flat=True)) == ["J. de Vries"]
    assert body["verzuim"]["begindatum"] == (VANDAAG - 14 * DAG).isoformat()
    assert body["leerling"]["afwijkendAdres"] is None
    assert body["verzuim"]["metPrioriteit"] is False  # as the form answers beforehand
    taken_uitvoeren()
    assert any(
        melding_nummer in m.body for m in mailoutbox for melding_nummer in [str(melding.nummer)]
    )


def test_alle_blokken_met_rijen(school_api):
    body = registreer(
        school_api,
        leerling={
            "afwijkendAdres": "regulier",
            "straatnaam": "Vismarkt",
            "huisnummer": 12,
            "postcode": "9711 kl",
        },
        lesuren={
            "alleLessenGemist": False,
            "verzuimdagen": [
                {"datum": (VANDAAG - 14 * DAG).isoformat()},
                {"datum": (VANDAAG - 13 * DAG).isoformat(), "heleDag": False, "lesuren": [3, 1]},
            ],
        },
        acties={"ondernomenActies": ["brief", "anders"], "toelichtingActies": "Huisbezoek"},
    )
    assert body["leerling"]["postcode"] == "9711KL"
    assert body["lesuren"]["verzuimdagen"][1] == {
        "datum": (VANDAAG - 13 * DAG).isoformat(),
        "heleDag": False,
        "lesuren": [1, 3],
        "toelichting": "",
    }
    assert body["acties"]["ondernomenActies"] == ["brief", "anders"]


# Registering: the koppeling, the rate limit, the forms' checks, the service's lock, enrolment,
# routing and INSERTs (one per kind of row, one for all e-mails), the answer read back and the
# inzagelog.
MAX_QUERIES_REGISTREREN = 23


def test_registreren_vraagt_een_vast_aantal_queries(
    school_api, demo, django_assert_max_num_queries
):
    """More meldingen, pupils, contactpersonen or verzuimdagen cost no extra query."""
    from tests.factories import MeldingFactory

    def registreer_geteld(begin, aantal_rijen) -> int:
        inhoud = nieuwe_melding(
            leerling={
                "contactpersonen": [{"naam": f"Ouder {i}"} for i in range(aantal_rijen)],
            },
            verzuim={
                "begindatum": begin.isoformat(),
                "einddatum": (begin + (aantal_rijen - 1) * DAG).isoformat(),
            },
            lesuren={
                "alleLessenGemist": False,
                "verzuimdagen": [
                    {"datum": (begin + i * DAG).isoformat(), "heleDag": False, "lesuren": [1]}
                    for i in range(aantal_rijen)
                ],
            },
            stuurEmailNaarMelder=True,
        )
        with django_assert_max_num_queries(MAX_QUERIES_REGISTREREN) as queries:
            antwoord = school_api.post("/meldingen", inhoud)
        assert antwoord.status_code == 201, antwoord.content
        melding = Melding.objects.get(nummer=antwoord.json()["nummer"])
        assert melding.contactpersonen.count() == melding.verzuimdagen.count() == aantal_rijen
        return len(queries)

    # The koppeling's laatst_gebruikt_op is written at most once a minute: by this call, so
    # both below are counted alike (without that write).
    assert school_api.get("/meldingen").status_code == 200
    weinig = registreer_geteld(VANDAAG - 30 * DAG, 1)
    sanne = demo.leerlingen[SANNE]
    for i in range(20):  # older meldingen of this pupil, and meldingen of others
        begin = VANDAAG - (400 - 5 * i) * DAG
        MeldingFactory(leerling=sanne, begindatum=begin, einddatum=begin + DAG)
    MeldingFactory.create_batch(30)
    assert Melding.objects.count() > 50
    assert registreer_geteld(VANDAAG - 14 * DAG, 5) == weinig


@pytest.mark.parametrize(
    ("blokken", "pointer", "reden"),
    [
        (
            {"verzuim": {"vermoedelijkeReden": ""}},
            "/verzuim/vermoedelijkeReden",
            "Vul de vermoedelijke reden in.",
        ),
        ({"verzuim": {"einddatum": None}}, "/verzuim/einddatum", regels.EINDDATUM_VERPLICHT),
        (
            {"verzuim": {"soort": "V4"}},
            "/verzuim/soort",
            "Deze verzuimsoort is niet van toepassing op deze leerling.",
        ),
        (
            {"verzuim": {"begindatum": "16-03-2026"}},
            "/verzuim/begindatum",
            "Vul een bestaande datum in (dag, maand, jaar).",
        ),
        (
            {"verzuim": {"actieGewenst": False}},
            "/verzuim/toelichtingActieGewenst",
            "Licht toe waarom geen actie gewenst is.",
        ),
        (
            {"verzuim": {"locatie": "100X501"}},
            "/verzuim/locatie",
            "Deze onderwijslocatie bestaat niet",
        ),
        (
            {"verzuim": {"contactpersoonTelefoon": "12"}},
            "/verzuim/contactpersoonTelefoon",
            TELEFOON_ONGELDIG,
        ),
        ({"lesuren": {"alleLessenGemist": False}}, "/lesuren/verzuimdagen", regels.GEEN_VERZUIMDAG),
        (
            {
                "lesuren": {
                    "alleLessenGemist": False,
                    "verzuimdagen": [{"datum": (VANDAAG - 5 * DAG).isoformat(), "heleDag": False}],
                }
            },
            "/lesuren/verzuimdagen/0/lesuren",
            regels.GEEN_LESUUR,
        ),
        (
            {"leerling": {"contactpersonen": [{"naam": f"P{i}"} for i in range(6)]}},
            "/leerling/contactpersonen",
            regels.TE_VEEL_CONTACTPERSONEN,
        ),
        (
            {"leerling": {"contactpersonen": [{"naam": ""}]}},
            "/leerling/contactpersonen/0/naam",
            "Vul de naam in.",
        ),
        (
            {"leerling": {"afwijkendAdres": "regulier"}},
            "/leerling/straatnaam",
            "Vul de straatnaam in.",
        ),
        (
            {"acties": {"ondernomenActies": []}},
            "/acties/ondernomenActies",
            "Kies minimaal één ondernomen actie.",
        ),
        (
            {"acties": {"ondernomenActies": ["anders"]}},
            "/acties/toelichtingActies",
            "Licht de ondernomen actie 'Anders' toe.",
        ),
        ({"verzuim": {"soort": 3}}, "/verzuim/soort", "Vul tekst in."),
        ({"verzuim": {"kleur": "rood"}}, "/verzuim/kleur", "Dit veld bestaat niet."),
        ({"acties": None}, "/acties", "Vul een object in."),
    ],
)
def test_elke_regel_als_probleem_met_de_tekst_van_het_formulier(
    school_api, blokken, pointer, reden
):
    aantal = Melding.objects.count()
    antwoord = school_api.post("/meldingen", nieuwe_melding(**blokken))
    assert reden in redenen(antwoord).get(pointer, []), antwoord.json()
    assert Melding.objects.count() == aantal  # never half a melding


def test_dezelfde_tekst_als_het_formulier_van_de_wizard(school_api, demo):
    """Cross-check one rule through the browser's own form."""
    from koppelvlak.vertaling import formulier_data
    from meldingen.blokken import BLOKKEN, BlokContext

    inhoud = {**nieuwe_melding()["verzuim"], "begindatum": (VANDAAG + DAG).isoformat()}
    form = BLOKKEN["verzuim"].form(
        formulier_data(BLOKKEN["verzuim"], inhoud, pointer="/verzuim"),
        context=BlokContext(
            leerling=demo.leerlingen[SANNE], instelling=demo.instellingen["24GP"], op=VANDAAG
        ),
    )
    assert not form.is_valid()
    api = redenen(school_api.post("/meldingen", nieuwe_melding(verzuim=inhoud)))
    assert api["/verzuim/begindatum"] == form.errors["begindatum"]


def test_overlap_met_een_bestaande_melding(school_api):
    eerste = registreer(school_api)
    antwoord = school_api.post("/meldingen", nieuwe_melding())
    assert redenen(antwoord)["/verzuim/begindatum"] == [
        regels.OVERLAP.format(nummer=eerste["nummer"])
    ]


def test_ontbrekende_blokken_en_ongeldige_json(school_api):
    antwoord = school_api.post("/meldingen", {"pgn": SANNE})
    assert set(redenen(antwoord)) == {"/verzuim", "/lesuren", "/acties"}
    kapot = school_api.post("/meldingen", "{niet: json")
    assert kapot.status_code == 400 and kapot.json()["detail"] == "De inhoud is geen geldige JSON."
    lijst = school_api.post("/meldingen", [1, 2])
    assert lijst.status_code == 400 and lijst["Content-Type"] == PROBLEEM
    assert school_api.post("/meldingen", "x=1", content_type="text/plain").status_code == 415


def test_een_instantie_registreert_niet(lpa_api):
    antwoord = lpa_api.post("/meldingen", nieuwe_melding())
    assert antwoord.status_code == 403
    assert "voor onderwijsinstellingen" in antwoord.json()["detail"]


# --- Idempotency-Key ------------------------------------------------------------------------


def test_idempotency_key_geeft_dezelfde_melding_terug(school_api):
    eerste = school_api.post("/meldingen", nieuwe_melding(), **{"Idempotency-Key": "LAS-77"})
    tweede = school_api.post("/meldingen", nieuwe_melding(), **{"Idempotency-Key": "LAS-77"})
    assert eerste.status_code == tweede.status_code == 201
    assert eerste.json()["nummer"] == tweede.json()["nummer"]
    assert tweede["Idempotent-Replayed"] == "true"
    assert Melding.objects.filter(leerling__pgn=SANNE, soort="V3").count() == 1

    ander = nieuwe_melding(verzuim={"vermoedelijkeReden": "Iets anders"})
    antwoord = school_api.post("/meldingen", ander, **{"Idempotency-Key": "LAS-77"})
    assert antwoord.status_code == 409
    assert "al gebruikt voor een andere aanvraag" in antwoord.json()["detail"]


def test_een_geweigerde_aanvraag_houdt_de_sleutel_niet_vast(school_api):
    fout = nieuwe_melding(verzuim={"vermoedelijkeReden": ""})
    assert school_api.post("/meldingen", fout, **{"Idempotency-Key": "k1"}).status_code == 400
    # Corrected, with the same key: registered now.
    assert (
        school_api.post("/meldingen", nieuwe_melding(), **{"Idempotency-Key": "k1"}).status_code
        == 201
    )


def test_ongeldige_idempotency_key(school_api):
    antwoord = school_api.post("/meldingen", nieuwe_melding(), **{"Idempotency-Key": "x" * 300})
    assert "Idempotency-Key" in redenen(antwoord)


@pytest.mark.django_db(transaction=True)
def test_twee_gelijktijdige_aanvragen_met_dezelfde_sleutel_geven_een_melding(settings):
    from koppelvlak.services import koppeling_aanmaken

    settings.API_VERZOEKEN_PER_MINUUT = 10_000
    demo = laad_demo(VANDAAG)
    _, sleutel = koppeling_aanmaken(naam="LAS", instelling=demo.instellingen["24GP"])
    start = threading.Barrier(2)
    antwoorden = []

    def versturen():
        try:
            start.wait()
            from tests.conftest import Api

            antwoorden.append(
                Api(Client(), sleutel).post(
                    "/meldingen", nieuwe_melding(), **{"Idempotency-Key": "gelijk"}
                )
            )
        finally:
            connection.close()

    draden = [threading.Thread(target=versturen) for _ in range(2)]
    for draad in draden:
        draad.start()
    for draad in draden:
        draad.join()
    assert sorted(a.status_code for a in antwoorden) == [201, 201]
    assert len({a.json()["nummer"] for a in antwoorden}) == 1
    assert Melding.objects.filter(leerling__pgn=SANNE, soort="V3").count() == 1


# --- Read, change, withdraw -------------------------------------------------------------------


def test_melding_lezen_met_etag_en_inzagelog(school_api):
    nummer = registreer(school_api)["nummer"]
    antwoord = school_api.get(f"/meldingen/{nummer}")
    assert antwoord.status_code == 200
    assert antwoord["ETag"] == '"1"'
    assert antwoord.json()["leerling"]["contactpersonen"][0]["relatie"] == "moeder"
    assert Inzage.objects.filter(
        koppeling=school_api.koppeling,
        meldingnummer=nummer,
        detail=f"GET /api/v1/meldingen/{nummer} 200",
    ).exists()


def test_wijzigen_met_if_match(school_api):
    nummer = registreer(school_api)["nummer"]
    pad = f"/meldingen/{nummer}"
    zonder = school_api.patch(pad, {"verzuim": {"toelichting": "x"}})
    assert zonder.status_code == 428 and zonder["Content-Type"] == PROBLEEM

    antwoord = school_api.patch(
        pad, {"verzuim": {"toelichting": "Gesprek gepland"}}, **{"If-Match": '"1"'}
    )
    assert antwoord.status_code == 200, antwoord.content
    assert antwoord["ETag"] == '"2"'
    body = antwoord.json()
    assert body["verzuim"]["toelichting"] == "Gesprek gepland"
    assert body["verzuim"]["vermoedelijkeReden"] == "Spijbelt met vrienden"  # merge patch
    wijziging = MeldingWijziging.objects.get(melding__nummer=nummer)
    assert wijziging.gebruiker == school_api.koppeling.gebruiker and wijziging.blok == "Verzuim"

    verouderd = school_api.patch(pad, {"verzuim": {"toelichting": "y"}}, **{"If-Match": '"1"'})
    assert verouderd.status_code == 412
    assert verouderd.json()["detail"] == GELIJKTIJDIG_GEWIJZIGD
    assert Melding.objects.get(nummer=nummer).toelichting == "Gesprek gepland"


def test_wijzigen_weigert_met_de_tekst_van_het_formulier(school_api):
    nummer = registreer(school_api)["nummer"]
    pad = f"/meldingen/{nummer}"
    antwoord = school_api.patch(
        pad, {"lesuren": {"alleLessenGemist": False}}, **{"If-Match": '"1"'}
    )
    assert redenen(antwoord) == {"/lesuren/verzuimdagen": [regels.GEEN_VERZUIMDAG]}
    twee = school_api.patch(pad, {"lesuren": {}, "acties": {}}, **{"If-Match": '"1"'})
    assert twee.status_code == 400
    assert "één blok per verzoek" in twee.json()["detail"]
    pgn = school_api.patch(pad, {"leerling": {"pgn": "999990007"}}, **{"If-Match": '"1"'})
    assert redenen(pgn) == {"/leerling/pgn": ["Dit veld bestaat niet."]}
    assert Melding.objects.get(nummer=nummer).versie == 1


def test_intrekken(school_api):
    nummer = registreer(school_api)["nummer"]
    pad = f"/meldingen/{nummer}/intrekking"
    assert redenen(school_api.post(pad, {"reden": "anders"})) == {
        "/toelichting": [regels.TOELICHTING_BIJ_ANDERS]
    }
    assert redenen(school_api.post(pad, {"reden": "weg"})) == {"/reden": [regels.KIES_REDEN]}
    antwoord = school_api.post(pad, {"reden": "ten_onrechte"})
    assert antwoord.status_code == 200
    assert antwoord.json()["status"] == "I"
    assert antwoord.json()["intrekking"]["reden"] == "ten_onrechte"
    nogmaals = school_api.post(pad, {"reden": "ten_onrechte"})
    assert nogmaals.status_code == 409 and nogmaals.json()["detail"] == regels.AL_INGETROKKEN
    wijzigen = school_api.patch(
        f"/meldingen/{nummer}", {"acties": {"toelichtingActies": "x"}}, **{"If-Match": '"2"'}
    )
    assert wijzigen.status_code == 409


def test_intrekken_na_een_jaar_kan_niet(school_api):
    oud = Melding.objects.get(leerling__pgn="999990093")  # begindatum 425 days back
    antwoord = school_api.post(f"/meldingen/{oud.nummer}/intrekking", {"reden": "ten_onrechte"})
    assert antwoord.status_code == 409
    assert antwoord.json()["detail"] == regels.NIET_INTREKBAAR


# --- The list and the feed ------------------------------------------------------------------


def _alle(api, params=None) -> list[int]:
    """Every page of the list, following `volgende`."""
    params = dict(params or {}, aantal=2)
    nummers = []
    while True:
        body = api.get("/meldingen", params).json()
        nummers += [m["nummer"] for m in body["meldingen"]]
        params["cursor"] = body["volgende"]
        if not body["meer"]:
            return nummers


def test_lijst_alleen_eigen_meldingen_en_de_cursor_ziet_elke_eenmaal(
    school_api, zuid_api, time_machine
):
    time_machine.shift(datetime.timedelta(seconds=10))  # past API_FEED_MARGE_SECONDEN
    eigen = set(
        Melding.objects.van_instelling(school_api.koppeling.instelling).values_list(
            "nummer", flat=True
        )
    )
    nummers = _alle(school_api)
    assert len(nummers) == len(set(nummers)) and set(nummers) == eigen
    assert set(_alle(zuid_api)).isdisjoint(eigen)
    gefilterd = school_api.get("/meldingen", {"status": ["R", "B"], "soort": "V3"}).json()
    assert {(m["status"], m["soort"]) for m in gefilterd["meldingen"]} <= {("R", "V3"), ("B", "V3")}


def test_feed_toont_nieuw_gewijzigd_en_ingetrokken_na_de_cursor(school_api, lpa_api, time_machine):
    time_machine.shift(datetime.timedelta(seconds=10))  # the demo's meldingen are listed
    eerste = lpa_api.get("/meldingen", {"aantal": 100}).json()
    assert eerste["meldingen"] and not eerste["meer"]
    cursor = eerste["volgende"]
    nummer = registreer(school_api)["nummer"]
    # A change is listed once its transaction is surely committed (API_FEED_MARGE_SECONDEN).
    assert lpa_api.get("/meldingen", {"cursor": cursor}).json()["meldingen"] == []
    time_machine.shift(datetime.timedelta(seconds=10))
    nieuw = lpa_api.get("/meldingen", {"cursor": cursor}).json()
    assert [m["nummer"] for m in nieuw["meldingen"]] == [nummer]
    cursor = nieuw["volgende"]
    geregistreerd_op = nieuw["meldingen"][0]["gewijzigdOp"]
    assert lpa_api.get("/meldingen", {"cursor": cursor}).json()["meldingen"] == []

    school_api.post(f"/meldingen/{nummer}/intrekking", {"reden": "ten_onrechte"})
    time_machine.shift(datetime.timedelta(seconds=10))
    ingetrokken = lpa_api.get("/meldingen", {"cursor": cursor}).json()["meldingen"]
    assert [(m["nummer"], m["status"]) for m in ingetrokken] == [(nummer, "I")]

    sinds = lpa_api.get("/meldingen", {"gewijzigdSinds": geregistreerd_op}).json()["meldingen"]
    assert [m["nummer"] for m in sinds] == [nummer]


@pytest.mark.parametrize(
    ("params", "naam"),
    [
        ({"status": "X"}, "status"),
        ({"soort": "V9"}, "soort"),
        ({"gewijzigdSinds": "gisteren"}, "gewijzigdSinds"),
        ({"gewijzigdSinds": "2026-03-16T10:00:00"}, "gewijzigdSinds"),  # no timezone
        ({"cursor": "bestaat-niet"}, "cursor"),
        ({"aantal": "0"}, "aantal"),
        ({"aantal": "101"}, "aantal"),
    ],
)
def test_lijst_parameters_worden_gecontroleerd(school_api, params, naam):
    antwoord = school_api.get("/meldingen", params)
    assert naam in redenen(antwoord)


def test_lijst_vraagt_een_vast_aantal_queries(school_api, django_assert_max_num_queries):
    from tests.factories import MeldingFactory  # noqa: F401 (the demo has enough)

    with django_assert_max_num_queries(8):
        assert school_api.get("/meldingen", {"aantal": 100}).status_code == 200


# --- The instantie ----------------------------------------------------------------------------


def test_instantie_behandelt_een_melding(school_api, lpa_api, taken_uitvoeren, mailoutbox):
    nummer = registreer(school_api)["nummer"]
    pad = f"/meldingen/{nummer}"
    gelezen = lpa_api.get(pad)
    assert gelezen.status_code == 200
    assert Melding.objects.get(nummer=nummer).geopend_op is not None  # no longer Nieuw

    assert lpa_api.post(f"{pad}/afsluiting", {"redenAfgesloten": "hervat"}).status_code == 409
    genomen = lpa_api.post(f"{pad}/behandeling", **{"If-Match": '"1"'})
    assert genomen.status_code == 200 and genomen.json()["status"] == "B"
    assert (
        genomen.json()["behandeling"]["inBehandelingDoor"]
        == lpa_api.koppeling.naam + " (koppeling)"
    )

    toekomst = lpa_api.put(
        f"{pad}/terugkoppeling", {"naam": "L. Plicht", "datum": (VANDAAG + DAG).isoformat()}
    )
    assert redenen(toekomst) == {"/datum": [behandeling_regels.DATUM_IN_TOEKOMST]}
    assert (
        lpa_api.post(f"{pad}/afsluiting", {"redenAfgesloten": "hervat"}).json()["detail"]
        == behandeling_regels.EERST_TERUGKOPPELING
    )
    terug = lpa_api.put(
        f"{pad}/terugkoppeling",
        {"naam": "L. Plicht", "datum": VANDAAG.isoformat(), "toelichting": "Gesprek gehad"},
    )
    assert terug.status_code == 200
    assert terug.json()["terugkoppeling"]["instantienaam"] == "Gemeente Groningen"
    assert redenen(lpa_api.post(f"{pad}/afsluiting", {})) == {
        "/redenAfgesloten": [behandeling_regels.KIES_REDEN_AFGESLOTEN]
    }
    dicht = lpa_api.post(f"{pad}/afsluiting", {"redenAfgesloten": "hervat"})
    assert dicht.json()["status"] == "G"
    assert dicht.json()["terugkoppeling"]["redenAfgesloten"] == "hervat"
    # The school reads it back.
    assert school_api.get(pad).json()["terugkoppeling"]["toelichting"] == "Gesprek gehad"
    taken_uitvoeren()
    assert mailoutbox


def test_ter_kennisgeving_vraagt_toelichting_bij_actie_gewenst(school_api, lpa_api):
    nummer = registreer(school_api)["nummer"]
    pad = f"/meldingen/{nummer}/kennisgeving"
    assert redenen(lpa_api.post(pad, {})) == {
        "/toelichting": [behandeling_regels.TOELICHTING_BIJ_ACTIE]
    }
    assert lpa_api.post(pad, {"toelichting": "Al bekend"}).json()["status"] == "K"


def test_doorsturen(school_api, lpa_api, smallingerland_api, demo):
    nummer = registreer(school_api)["nummer"]
    pad = f"/meldingen/{nummer}"
    zelfde = demo.instanties["Gemeente Groningen"].pk
    assert redenen(lpa_api.post(f"{pad}/doorsturing", {"instantie": zelfde, "reden": "x"})) == {
        "/instantie": [behandeling_regels.ANDERE_INSTANTIE]
    }
    nieuw = demo.instanties["Gemeente Smallingerland"].pk
    antwoord = lpa_api.post(f"{pad}/doorsturing", {"instantie": nieuw, "reden": "Verhuisd"})
    assert antwoord.status_code == 204
    assert lpa_api.get(pad).status_code == 404
    assert smallingerland_api.get(pad).json()["status"] == "R"
    assert lpa_api.get("/uitvoerende-instanties").json()[0].keys() == {"id", "naam"}


def test_stale_if_match_bij_een_actie(school_api, lpa_api):
    nummer = registreer(school_api)["nummer"]
    antwoord = lpa_api.post(f"/meldingen/{nummer}/behandeling", **{"If-Match": '"7"'})
    assert antwoord.status_code == 412
    assert Melding.objects.get(nummer=nummer).status == "R"


# --- Limits, errors, the document -------------------------------------------------------------


def test_rem_per_koppeling_429_met_retry_after(school_api, zuid_api, settings):
    settings.API_VERZOEKEN_PER_MINUUT = 3
    for _ in range(3):
        assert school_api.get("/meldingen").status_code == 200
    antwoord = school_api.get("/meldingen")
    assert antwoord.status_code == 429
    assert antwoord["Content-Type"] == PROBLEEM
    assert 1 <= int(antwoord["Retry-After"]) <= 60
    assert zuid_api.get("/meldingen").status_code == 200  # per koppeling


def test_onbekende_url_en_slash_aan_het_eind_zijn_404_problemen(school_api):
    for pad in ("/bestaat-niet", "/meldingen/"):
        antwoord = school_api.get(pad)
        assert antwoord.status_code == 404
        assert antwoord["Content-Type"] == PROBLEEM
        assert antwoord["API-Version"] == "1.0.0"


def test_openapi_document_volgt_de_api_design_rules(client, db):
    import re

    antwoord = client.get("/api/v1/openapi.json")
    assert antwoord.status_code == 200
    assert antwoord["API-Version"] == "1.0.0"
    document = antwoord.json()
    assert document["openapi"].startswith("3.")
    info = document["info"]
    assert re.fullmatch(r"[0-9]+\.[0-9]+\.[0-9]+", info["version"])
    assert {"name", "email", "url"} <= set(info["contact"])
    for pad, operaties in document["paths"].items():
        assert pad.startswith("/api/v1/") and not pad.endswith("/")
        for deel in pad.split("/")[1:]:
            assert re.fullmatch(r"[a-z0-9-]+|\{[a-z][A-Za-z0-9]*\}", deel), pad
        for operatie in operaties.values():
            for code, antwoord_ in operatie["responses"].items():
                assert "API-Version" in antwoord_.get("headers", {}), (pad, code)
                if int(code) >= 400:
                    assert list(antwoord_["content"]) == [PROBLEEM], (pad, code)

    for naam, schema in document["components"]["schemas"].items():
        for eigenschap, sub in schema.get("properties", {}).items():
            assert re.fullmatch(r"[a-z][A-Za-z0-9]*", eigenschap), (naam, eigenschap)
            if eigenschap in ("begindatum", "einddatum", "datum", "geboortedatum"):
                assert sub.get("format") == "date", (naam, eigenschap)
            if eigenschap.endswith("Op"):
                assert sub.get("format") == "date-time", (naam, eigenschap)


def test_interactieve_documentatie_zonder_cdn(client, db):
    antwoord = client.get("/api/v1/docs")
    assert antwoord.status_code == 200
    html = antwoord.content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower() and "//unpkg" not in html


def test_dagelijks_ruimt_oude_idempotency_keys_op(school_api, time_machine):
    from django.core.management import call_command

    from koppelvlak.models import IdempotenteAanvraag

    school_api.post("/meldingen", nieuwe_melding(), **{"Idempotency-Key": "oud"})
    assert IdempotenteAanvraag.objects.count() == 1
    call_command("dagelijks", stdout=io.StringIO())
    assert IdempotenteAanvraag.objects.count() == 1  # a retry comes within minutes
    time_machine.shift(datetime.timedelta(days=2))
    call_command("dagelijks", stdout=io.StringIO())
    assert IdempotenteAanvraag.objects.count() == 0


def test_een_regel_van_de_lijst_is_wat_drf_zelf_ervan_maakt(demo, time_machine):
    """The list's rows are flat values written out for speed (selectors.meldingen_feed and
    serializers.MeldingKern.to_representation): for every demo melding, of every status,
    with and without einddatum, prioriteit or anything else, the row must give exactly what
    DRF's generic representation gives of the Melding itself."""
    from rest_framework import serializers as drf

    from koppelvlak import serializers as s

    meldingen = list(
        Melding.objects.filter(geanonimiseerd_op__isnull=True).select_related(
            "leerling", "instelling", "uitvoerende_instantie"
        )
    )
    assert {m.status for m in meldingen} >= {Status.GEREGISTREERD, Status.INGETROKKEN}
    # What the demo lacks, in memory only: an open end, and every yes/no the other way.
    voorbeeld = meldingen[0]
    varianten = []
    varianten_velden = ("einddatum", "met_prioriteit", "actie_gewenst")
    for wijziging in (
        {"einddatum": None},
        {"met_prioriteit": not voorbeeld.met_prioriteit},
        {"actie_gewenst": not voorbeeld.actie_gewenst},
    ):
        variant = Melding.objects.select_related("leerling", "uitvoerende_instantie").get(
            pk=voorbeeld.pk
        )
        for veld, waarde in wijziging.items():
            setattr(variant, veld, waarde)
        varianten.append(variant)
    # The feed's rows of every organisation, once the feed's margin has passed.
    time_machine.shift(datetime.timedelta(seconds=settings.API_FEED_MARGE_SECONDEN + 1))
    rijen = {
        rij.nummer: rij
        for melding in meldingen
        for rij in meldingen_feed(instelling=melding.instelling, instantie=None, aantal=1000)
    }
    alle = [*meldingen, *varianten]
    regels = [
        rijen[melding.nummer]._replace(
            **{veld: getattr(melding, veld) for veld in varianten_velden}
        )
        for melding in alle
    ]
    # The whole answer of the list (as the view builds it) and each row, also in UTC, where
    # DRF writes a date-time with Z.
    for tijdzone in (timezone.get_current_timezone(), datetime.UTC):
        with timezone.override(tijdzone):
            snel = s.meldingen_antwoord(regels, volgende="cursor", meer=True)
            algemeen = drf.Serializer.to_representation(
                s.Meldingen(), {"meldingen": alle, "volgende": "cursor", "meer": True}
            )
            assert snel == json.loads(json.dumps(algemeen))
            for regel, melding in zip(regels, alle, strict=True):
                assert dict(s.MeldingKern(regel).data) == dict(
                    drf.Serializer.to_representation(s.MeldingKern(), melding)
                ), melding.nummer
    assert snel["meldingen"][0]["gewijzigdOp"].endswith("Z")
    # The generic path serves a Melding itself, unchanged.
    assert dict(s.MeldingKern(voorbeeld).data) == dict(
        drf.Serializer.to_representation(s.MeldingKern(), voorbeeld)
    )
