"""Contract test of the API (koppelvlak/) against its own OpenAPI document: Schemathesis
generates requests for every operation in GET /api/v1/openapi.json — valid and invalid bodies,
parameters and headers — and sends them in-process to the WSGI app, inside the test database,
with the key of a school's koppeling, of an uitvoerende instantie's, and without a key.

Whatever it sends, the answer must be what the document promises: never a server error, a
documented status code and content type, a body that matches the schema of that response, and
the documented headers (API-Version on every answer, ETag, Location, Retry-After) with values of
their schema.

Hypothesis runs derandomized (the same cases every run) and briefly (MAX_EXAMPLES per
operation and koppeling), so that this is part of the normal `pytest` run. Within one test the
examples share the database: a melding one example takes in behandeling, the next sees so.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from koppelvlak.services import koppeling_aanmaken
from meldingen.models import Melding

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 25
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]

# The document as a client reads it: from the app itself (it is public and reads no database).
SCHEMA = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json",
    get_wsgi_application(),
    config=schemathesis.Config.from_dict(
        {
            "seed": 20260316,
            "phases": {"coverage": {"enabled": True}},
            "generation": {"with-security-parameters": False},
        }
    ),
)


@pytest.fixture(autouse=True)
def verbinding_open_houden():
    """The WSGI handler closes the database connection around every request; inside the test's
    transaction it must stay open (as Django's test client does it)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(params=["school", "instantie", "zonder-sleutel"])
def sleutel(request, demo, settings):
    """The Authorization header's key: a koppeling of 24GP, of Gemeente Groningen, or none."""
    settings.API_VERZOEKEN_PER_MINUUT = 1_000_000
    if request.param == "school":
        return koppeling_aanmaken(naam="Contracttest school", instelling=demo.instellingen["24GP"])[1]
    if request.param == "instantie":
        return koppeling_aanmaken(
            naam="Contracttest instantie", instantie=demo.instanties["Gemeente Groningen"]
        )[1]
    return None


@pytest.fixture
def bestaande(demo):
    """What random generation would almost never hit: real meldingnummers and PGNs."""
    meldingen = list(Melding.objects.order_by("nummer").values_list("nummer", flat=True))
    pgns = sorted(demo.leerlingen)
    return meldingen, pgns


@SCHEMA.given(data=st.data())
@SCHEMA.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_koppelvlak_volgt_openapi(case, data, sleutel, bestaande):
    nummers, pgns = bestaande
    if case.path_parameters and "nummer" in case.path_parameters and nummers:
        if data.draw(st.booleans(), label="bestaande melding"):
            case.path_parameters["nummer"] = data.draw(st.sampled_from(nummers), label="nummer")
    if isinstance(case.body, dict) and "pgn" in case.body and pgns:
        if data.draw(st.booleans(), label="bestaande leerling"):
            case.body["pgn"] = data.draw(st.sampled_from(pgns), label="pgn")
    headers = {"Authorization": f"Bearer {sleutel}"} if sleutel else {}
    r = case.call_and_validate(headers=headers, checks=CHECKS)
    import json as _j
    with open("/tmp/statussen.txt", "a") as f:
        f.write(_j.dumps([case.operation.label, bool(sleutel), str(sleutel)[:3], r.status_code, case.meta.generation.mode.value + ":" + case.meta.phase.name.value if case.meta else None, r.headers.get("content-type"), (r.text[:150] if r.status_code in (400,409) else "")]) + "\n")
