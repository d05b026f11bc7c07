"""Contract test of the API (koppelvlak/) against its own OpenAPI document: Schemathesis
generates requests for every operation in GET /api/v1/openapi.json — valid and invalid bodies,
parameters and headers — and sends them in-process to the WSGI app, inside the test database,
with the key of a school's koppeling, of an uitvoerende instantie's, and without a key.

Whatever it sends, the answer must be what the document promises: never a server error, a
documented status code and content type, a body that matches the schema of that response, and
the documented headers (API-Version on every answer, ETag, Location, Retry-After,
WWW-Authenticate) with values of their schema.

Two phases of Schemathesis run per operation and koppeling: `coverage` (each parameter and
property at its boundaries and just past them, each missing, of the wrong type, ...) and
`fuzzing` (Hypothesis, MAX_EXAMPLES cases). Both run derandomized: the same cases every run.
Random numbers would almost never name a real melding or leerling, so cases are pointed at the
demo's meldingen (with their current versie in If-Match) and leerlingen. Within one test the
cases share the database: a melding one case takes in behandeling, the next sees so.

`test_een_hele_behandeling_volgt_het_document` walks the happy paths the generator cannot
reach on its own (a complete registration, a merge patch, every action of an instantie, 429)
and checks those answers the same way.
"""

import base64
import dataclasses
import itertools

import hypothesis
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from koppelvlak.services import koppeling_aanmaken
from leerlingen.models import Leerling
from meldingen.models import Melding
from tests.conftest import VANDAAG
from tests.test_koppelvlak import DAG, SANNE, nieuwe_melding

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 25
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]

# The document as a client reads it: from the app itself (public, and it reads no database, so
# this works while pytest collects).
SCHEMA = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json",
    get_wsgi_application(),
    config=schemathesis.Config.from_dict(
        {
            "seed": 20260316,
            "phases": {"coverage": {"enabled": True}, "fuzzing": {"enabled": True}},
            # The Authorization header is the test's (below), not generated.
            "generation": {"with-security-parameters": False},
        }
    ),
)

SCHOOL, INSTANTIE, ZONDER_SLEUTEL = "school", "instantie", "zonder sleutel"
TAG = {SCHOOL: "School", INSTANTIE: "Uitvoerende instantie"}


@dataclasses.dataclass
class Beller:
    """Who calls: the kind of koppeling, its key, and its organisation's meldingen."""

    soort: str
    sleutel: str | None
    nummers: list[int]

    def __post_init__(self):
        self._beurt = itertools.cycle(self.nummers) if self.nummers else None

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.sleutel}"} if self.sleutel else {}

    def volgende_melding(self) -> Melding | None:
        """The organisation's meldingen in turn (the current versie: cases change them)."""
        return Melding.objects.get(nummer=next(self._beurt)) if self._beurt else None

    def mag(self, operatie) -> bool:
        """Whether this koppeling gets past 401 and 403 on this operation."""
        return self.soort in TAG and TAG[self.soort] in (operatie.tags or [])


@pytest.fixture(autouse=True)
def verbinding_open_houden():
    """The WSGI handler closes the database connection around every request; inside the test's
    transaction it must stay open (Django's test client does the same)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_instellingen(settings):
    """No rate limit in the way, and the list shows a change at once (not after the margin
    that lets concurrent transactions commit: the demo is minutes old at most)."""
    settings.API_VERZOEKEN_PER_MINUUT = 1_000_000
    settings.API_FEED_MARGE_SECONDEN = 0


def _beller(soort: str, demo) -> Beller:
    if soort == SCHOOL:
        instelling = demo.instellingen["24GP"]
        sleutel = koppeling_aanmaken(naam="Contracttest school", instelling=instelling)[1]
        meldingen = Melding.objects.filter(instelling=instelling)
    elif soort == INSTANTIE:
        instantie = demo.instanties["Gemeente Groningen"]
        sleutel = koppeling_aanmaken(naam="Contracttest instantie", instantie=instantie)[1]
        meldingen = Melding.objects.filter(uitvoerende_instantie=instantie)
    else:
        return Beller(soort, None, [])
    return Beller(
        soort, sleutel, list(meldingen.order_by("nummer").values_list("nummer", flat=True))
    )


@pytest.fixture(params=[SCHOOL, INSTANTIE, ZONDER_SLEUTEL])
def beller(request, demo, api_instellingen) -> Beller:
    return _beller(request.param, demo)


# --- Generated cases ------------------------------------------------------------------------


@SCHEMA.hook
def flatmap_case(context, case):
    """Fuzzing: half of the cases get a real melding of any organisation (and, half of those,
    its current versie in If-Match), or a real leerling's PGN."""
    kiezen = {}
    if "nummer" in (case.path_parameters or {}):
        meldingen = list(Melding.objects.order_by("nummer").values_list("nummer", "versie"))
        kiezen["melding"] = st.one_of(st.none(), st.sampled_from(meldingen))
        kiezen["met_versie"] = st.booleans()
    if isinstance(case.body, dict) and "pgn" in case.body:
        pgns = sorted(Leerling.objects.values_list("pgn", flat=True))
        kiezen["pgn"] = st.one_of(st.none(), st.sampled_from(pgns))
    if not kiezen:
        return st.just(case)
    return st.fixed_dictionaries(kiezen).map(lambda keuze: _aangepast(case, **keuze))


def _aangepast(case, melding=None, met_versie=False, pgn=None):
    nieuw = case.derive()
    if melding is not None:
        nummer, versie = melding
        nieuw.path_parameters["nummer"] = nummer
        if met_versie:
            nieuw.headers["If-Match"] = f'"{versie}"'
    if pgn is not None:
        nieuw.body["pgn"] = pgn
    return nieuw


def _coverage(case) -> bool:
    return case.meta is not None and case.meta.phase.name.value == "coverage"


def _op_een_echte_melding(case, beller: Beller) -> None:
    """Coverage: what the case does not vary goes to a real melding of the koppeling's
    organisation (in turn) with its current versie, or to Sanne, so that the varied part
    reaches the form instead of stopping at 404, 412 or an unknown PGN."""
    gevarieerd = case.meta.phase.data.parameter
    if "nummer" in case.path_parameters and gevarieerd != "nummer":
        melding = beller.volgende_melding()
        if melding is not None:
            case.path_parameters["nummer"] = melding.nummer
            if "If-Match" in case.headers and gevarieerd != "If-Match":
                case.headers["If-Match"] = f'"{melding.versie}"'
    if isinstance(case.body, dict) and "pgn" in case.body and gevarieerd != "pgn":
        case.body["pgn"] = SANNE


@SCHEMA.parametrize()
@hypothesis.settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(hypothesis.HealthCheck),
)
def test_elke_operatie_volgt_het_document(case, beller):
    if _coverage(case):
        if not beller.mag(case.operation):
            # 401 or 403 whatever the input: fuzzing shows those answers, with fewer cases.
            return
        _op_een_echte_melding(case, beller)
    case.call_and_validate(headers=beller.headers, checks=CHECKS)


# --- The happy paths, by hand -----------------------------------------------------------------


def _bel(beller: Beller, methode: str, pad: str, *, nummer=None, **case) -> tuple[int, object]:
    """One call, checked against the document like a generated case; its status and body."""
    operatie = SCHEMA[f"/api/v1{pad}"][methode]
    if "body" in case:
        case.setdefault("media_type", "application/json")
    verzoek = operatie.Case(path_parameters={"nummer": nummer} if nummer else None, **case)
    antwoord = verzoek.call_and_validate(headers=beller.headers, checks=CHECKS)
    return antwoord.status_code, (antwoord.json() if antwoord.content else None)


def _versie(nummer: int) -> dict[str, str]:
    return {"If-Match": f'"{Melding.objects.get(nummer=nummer).versie}"'}


def test_een_hele_behandeling_volgt_het_document(demo, settings, api_instellingen):
    school, lpa = _beller(SCHOOL, demo), _beller(INSTANTIE, demo)
    melding = "/meldingen/{nummer}"

    assert _bel(school, "POST", "/leerlingen/zoeken", body={"pgn": SANNE})[0] == 200
    status, pagina = _bel(school, "GET", "/meldingen", query={"aantal": 2})
    assert status == 200 and pagina["meer"]
    assert _bel(school, "GET", "/meldingen", query={"cursor": pagina["volgende"]})[0] == 200

    # Registered (and answered again for the same Idempotency-Key), read, changed.
    # Every block with rows: an address, verzuimdagen with lesuren, two acties.
    inhoud = nieuwe_melding(
        leerling={
            "afwijkendAdres": "regulier",
            "straatnaam": "Vismarkt",
            "huisnummer": 12,
            "postcode": "9711KL",
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
    sleutel = {"Idempotency-Key": "contracttest-1"}
    status, nieuw = _bel(school, "POST", "/meldingen", body=inhoud, headers=sleutel)
    assert status == 201 and nieuw["lesuren"]["verzuimdagen"][1]["lesuren"] == [1, 3]
    nummer = nieuw["nummer"]
    assert _bel(school, "POST", "/meldingen", body=inhoud, headers=sleutel)[0] == 201
    assert _bel(school, "GET", melding, nummer=nummer)[0] == 200
    wijziging = {"verzuim": {"toelichting": "Gesprek gepland"}}
    for media_type in ("application/merge-patch+json", "application/json"):
        status, _ = _bel(
            school,
            "PATCH",
            melding,
            nummer=nummer,
            body=wijziging,
            headers=_versie(nummer),
            media_type=media_type,
        )
        assert status == 200
    assert _bel(school, "PATCH", melding, nummer=nummer, body=wijziging)[0] == 428
    verouderd = {"If-Match": '"1"'}
    assert (
        _bel(school, "PATCH", melding, nummer=nummer, body=wijziging, headers=verouderd)[0] == 412
    )

    # The instantie: in behandeling, terugkoppeling, afgesloten.
    assert _bel(lpa, "GET", melding, nummer=nummer)[0] == 200
    assert (
        _bel(lpa, "POST", f"{melding}/behandeling", nummer=nummer, headers=_versie(nummer))[0]
        == 200
    )
    terugkoppeling = {"naam": "L. Plicht", "datum": VANDAAG.isoformat(), "toelichting": "Gehad"}
    assert (
        _bel(lpa, "PUT", f"{melding}/terugkoppeling", nummer=nummer, body=terugkoppeling)[0] == 200
    )
    afsluiting = {"redenAfgesloten": "hervat"}
    assert _bel(lpa, "POST", f"{melding}/afsluiting", nummer=nummer, body=afsluiting)[0] == 200
    assert _bel(lpa, "POST", f"{melding}/afsluiting", nummer=nummer, body=afsluiting)[0] == 409
    status, gelezen = _bel(school, "GET", melding, nummer=nummer)
    assert status == 200 and gelezen["terugkoppeling"]["redenAfgesloten"] == "hervat"

    # Ter kennisgeving and doorgestuurd: two of the demo's Geregistreerd meldingen.
    groningen = demo.instanties["Gemeente Groningen"]
    nieuw_bij_lpa = Melding.objects.filter(uitvoerende_instantie=groningen, status="R")
    kennisgeving, doorsturing = nieuw_bij_lpa.order_by("nummer")[:2]
    assert (
        _bel(
            lpa,
            "POST",
            f"{melding}/kennisgeving",
            nummer=kennisgeving.nummer,
            body={"toelichting": "Al bekend"},
        )[0]
        == 200
    )
    status, instanties = _bel(lpa, "GET", "/uitvoerende-instanties")
    andere = next(i["id"] for i in instanties if i["id"] != groningen.pk)
    assert (
        _bel(
            lpa,
            "POST",
            f"{melding}/doorsturing",
            nummer=doorsturing.nummer,
            body={"instantie": andere, "reden": "Verhuisd"},
        )[0]
        == 204
    )
    eerder = {
        "begindatum": (VANDAAG - 30 * DAG).isoformat(),
        "einddatum": (VANDAAG - 20 * DAG).isoformat(),
    }
    status, tweede = _bel(school, "POST", "/meldingen", body=nieuwe_melding(verzuim=eerder))
    assert status == 201  # another period: no overlap with the first
    status, ingetrokken = _bel(
        school,
        "POST",
        f"{melding}/intrekking",
        nummer=tweede["nummer"],
        body={"reden": "ten_onrechte"},
    )
    assert status == 200 and ingetrokken["intrekking"]["reden"] == "ten_onrechte"
    assert _bel(school, "GET", melding, nummer=tweede["nummer"])[0] == 200

    # A leerling for whom no melding can be registered any more: a blokkade.
    Leerling.objects.filter(pgn=SANNE).update(
        startkwalificatie=True, geboortedatum=VANDAAG.replace(year=VANDAAG.year - 24)
    )
    status, leerling = _bel(school, "POST", "/leerlingen/zoeken", body={"pgn": SANNE})
    assert status == 200 and leerling["blokkade"] is not None

    # A wrong key, and too many calls.
    assert _bel(Beller(ZONDER_SLEUTEL, "onbekend.sleutel", []), "GET", "/meldingen")[0] == 401
    settings.API_VERZOEKEN_PER_MINUUT = 0
    assert _bel(school, "GET", "/meldingen")[0] == 429


# --- Found by this test (a 500 once): tijdstippen at the edges ------------------------------------


def _cursor(tekst: str) -> str:
    return base64.urlsafe_b64encode(tekst.encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "query",
    [
        {"gewijzigdSinds": "2026-03-16T10:00:00+16:00"},
        {"gewijzigdSinds": "0017-02-16T21:02:12.3-20:19"},
        {"gewijzigdSinds": "0001-01-01T00:00:00Z"},
        {"gewijzigdSinds": "9999-12-31T23:59:59-01:00"},
        {"cursor": _cursor("2026-03-16T10:00:00-20:00|1")},
        {"cursor": _cursor("9999-12-31T23:59:59-01:00|1")},
    ],
    ids=repr,
)
def test_een_tijdstip_aan_de_rand_is_geen_serverfout(demo, api_instellingen, query):
    """Found by the fuzzing phase with other seeds: an offset PostgreSQL does not take, or a
    tijdstip at the end of Python's range. Any documented answer will do (400, or 200)."""
    _bel(_beller(SCHOOL, demo), "GET", "/meldingen", query=query)
