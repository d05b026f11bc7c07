"""A list whose conditions leave PostgreSQL no choice of plan runs on the plan made once per
connection (verzuimloket.vaste_sql.lees with vast_plan): the setting holds for that statement
alone, never for what comes after it, also when it fails; a list where a value's selectivity
matters is still planned per request.

These tests run outside a test transaction (`transaction=True`): inside one the statement is
planned the ordinary way, and that is tested too."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from behandeling import selectors as behandeling_selectors
from koppelvlak import selectors as koppelvlak_selectors
from meldingen import selectors as meldingen_selectors
from meldingen.models import Melding, Status
from verzuimloket import onderweg, vaste_sql

pytestmark = pytest.mark.django_db(transaction=True)

GETOOND = "SELECT current_setting('plan_cache_mode')"


def stand() -> str:
    """The connection's plan_cache_mode, as the next statement gets it."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        return cursor.fetchone()[0]


def test_de_vaste_opdracht_krijgt_het_generieke_plan_en_de_volgende_niet():
    assert vaste_sql.lees(GETOOND, {}, vast_plan=True) == [("force_generic_plan",)]
    assert stand() == "auto"
    assert vaste_sql.lees(GETOOND, {}) == [("auto",)]


def test_ook_na_een_fout_geldt_de_instelling_niet_verder():
    with pytest.raises(DatabaseError, match="division by zero"):
        vaste_sql.lees("SELECT 1 / %(nul)s", {"nul": 0}, vast_plan=True)
    assert stand() == "auto"
    assert vaste_sql.lees("SELECT %(een)s::int", {"een": 1}, vast_plan=True) == [(1,)]


def test_parameters_en_rijen_komen_ongeschonden_door():
    rijen = vaste_sql.lees(
        "SELECT %(tekst)s::text, %(getal)s::bigint, %(lijst)s::text[]",
        {"tekst": "O'Brien; DROP TABLE x --", "getal": 2**40, "lijst": ["a", None, '"{}"']},
        vast_plan=True,
    )
    assert rijen == [("O'Brien; DROP TABLE x --", 2**40, ["a", None, '"{}"'])]


def test_in_een_transactie_gaat_het_op_de_gewone_manier():
    """SET LOCAL's scope would be the whole transaction: there the statement is planned the
    ordinary way."""
    with transaction.atomic():
        assert vaste_sql.lees(GETOOND, {}, vast_plan=True) == [("auto",)]
        assert stand() == "auto"


def test_zonder_voorbereide_opdrachten_gaat_het_op_de_gewone_manier(monkeypatch):
    """Without prepared statements (DATABASE_PREPARED_STATEMENTS=0) there is no plan to keep:
    forced, PostgreSQL would make a generic plan on every execution."""
    monkeypatch.setitem(connection.settings_dict, "OPTIONS", {})
    assert vaste_sql.lees(GETOOND, {}, vast_plan=True) == [("auto",)]


@pytest.fixture
def proef():
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE vast_plan_proef (getal bigint)")
    yield
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE vast_plan_proef")


def test_een_inzage_die_nog_onderweg_is_wordt_eerst_afgewacht(proef):
    """A connection waiting for an answer cannot enter pipeline mode: the write of the block is
    read first, and both arrive."""
    with onderweg.blok():
        onderweg.uitvoeren("INSERT INTO vast_plan_proef SELECT %s::bigint FROM pg_sleep(0.2)", [7])
        assert vaste_sql.lees(GETOOND, {}, vast_plan=True) == [("force_generic_plan",)]
        assert vaste_sql.lees("SELECT getal FROM vast_plan_proef", {}, vast_plan=True) == [(7,)]
    assert stand() == "auto"


def test_de_opdracht_telt_mee_in_de_queries():
    with CaptureQueriesContext(connection) as queries:
        vaste_sql.lees(GETOOND, {}, vast_plan=True)
    assert [q["sql"] for q in queries.captured_queries] == [vaste_sql._GENERIEK_PLAN, GETOOND]


# -- Which lists ---------------------------------------------------------------------------------


def vast(lijst) -> bool:
    """Whether the list's rows statement is sent with the generic plan forced."""
    sql, parameters = lijst._rijen_sql(26, tellen_tot=1001)
    with CaptureQueriesContext(connection) as queries:
        lijst._uitvoeren(sql, parameters)
    return vaste_sql._GENERIEK_PLAN in [q["sql"] for q in queries.captured_queries]


def test_zoek_melding_vast_alleen_voor_een_school_zonder_meer(demo):
    school, zuid = demo.instellingen["24GP"], demo.instellingen["00BB"]
    zoek = meldingen_selectors.zoek_meldingen
    assert vast(zoek(machtigingen=[school]))
    assert vast(zoek(machtigingen=[school, zuid], instelling=school))
    assert vast(zoek(machtigingen=[school], nummer=1))
    # Selectivity matters: a status, the instanties of a name, several schools.
    assert not vast(zoek(machtigingen=[school], statussen=[Status.INGETROKKEN]))
    assert not vast(zoek(machtigingen=[school], instantienaam="groningen"))
    assert not vast(zoek(machtigingen=[school, zuid]))


def test_werkvoorraad_vast_alleen_op_een_index_van_voor_af(demo):
    groningen = demo.instanties["Gemeente Groningen"]

    def werkvoorraad(**filters):
        return behandeling_selectors.werkvoorraad(instantie=groningen, **filters)

    assert vast(werkvoorraad())
    assert vast(werkvoorraad(statussen=[Status.GEREGISTREERD]))
    assert vast(werkvoorraad(instelling="24GP"))
    assert not vast(werkvoorraad(statussen=[Status.GEREGISTREERD], instelling="24GP"))
    assert not vast(werkvoorraad(statussen=[Status.GEREGISTREERD, Status.IN_BEHANDELING]))
    assert not vast(werkvoorraad(soort="L"))
    assert not vast(werkvoorraad(leerling="Jansen"))


def test_de_feed_vast_alleen_op_zijn_eerste_pagina(demo, monkeypatch):
    gestuurd = []
    origineel = vaste_sql.lees

    def lees(sql, parameters, *, vast_plan=False):
        gestuurd.append(vast_plan)
        return origineel(sql, parameters, vast_plan=vast_plan)

    monkeypatch.setattr(vaste_sql, "lees", lees)
    melding = Melding.objects.filter(instelling_id="24GP").first()
    feed = koppelvlak_selectors.meldingen_feed
    school = demo.instellingen["24GP"]
    feed(instelling=school, instantie=None, aantal=10)
    feed(instelling=school, instantie=None, aantal=10, na=(melding.gewijzigd_op, melding.nummer))
    feed(instelling=school, instantie=None, aantal=10, sinds=melding.gewijzigd_op)
    feed(instelling=school, instantie=None, aantal=10, statussen=[Status.GEREGISTREERD])
    assert gestuurd == [True, False, False, False]


def test_de_paginas_tonen_dezelfde_meldingen_als_in_een_transactie(melder_client, demo):
    """Zoek melding, page 1 and 2, with the fixed plan (outside a transaction) shows what the
    ordinary way shows."""
    adres = reverse("meldingen:zoeken")
    getoond = []
    for pagina in ("1", "2"):
        with CaptureQueriesContext(connection) as queries:
            response = melder_client.get(adres, {"instellingscode": "24GP", "pagina": pagina})
        assert response.status_code == 200
        assert vaste_sql._GENERIEK_PLAN in [q["sql"] for q in queries.captured_queries]
        getoond.append([r.nummer for r in response.context["pagina"].regels])
    with transaction.atomic():
        for pagina, nummers in zip(("1", "2"), getoond, strict=True):
            response = melder_client.get(adres, {"instellingscode": "24GP", "pagina": pagina})
            assert [r.nummer for r in response.context["pagina"].regels] == nummers
    verwacht = list(
        Melding.objects.filter(instelling_id="24GP", geanonimiseerd_op__isnull=True)
        .order_by("-nummer")
        .values_list("nummer", flat=True)
    )
    assert getoond[0] == verwacht[:25]
    assert stand() == "auto"
