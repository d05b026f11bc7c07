"""The inzagelog entry of a page goes out before the page renders and is committed before the
page leaves (verzuimloket/onderweg.py): never a page whose look was not logged, the entry
exactly as the ordinary way writes it, and the connection fit for what comes after.

These tests run outside a test transaction (`transaction=True`): inside one, every write runs
the ordinary way at once, and that is tested too."""

import threading
import time

import pytest
from django.db import (
    DatabaseError,
    IntegrityError,
    OperationalError,
    connection,
    connections,
    transaction,
)
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from leerlingen.models import Handeling, Inzage
from meldingen.models import Melding, Verzuimsoort
from verzuimloket import onderweg

pytestmark = pytest.mark.django_db(transaction=True)

PROEF = "onderweg_proef"


@pytest.fixture
def proef():
    """A table of its own, so a test can make a write slow (pg_sleep) or fail."""
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {PROEF} (tekst varchar, getal bigint CHECK (getal > 0))")
    yield
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {PROEF}")


def rijen_elders() -> list[tuple]:
    """The table as another connection sees it: what is committed."""
    from django.db import connections as alle

    ander = alle.create_connection("default")
    try:
        with ander.cursor() as cursor:
            cursor.execute(f"SELECT tekst, getal FROM {PROEF} ORDER BY getal")
            return cursor.fetchall()
    finally:
        ander.close()


def traag_schrijven(tekst: str, getal: int, seconden: float = 0.4) -> None:
    onderweg.uitvoeren(
        f"INSERT INTO {PROEF} SELECT %s::varchar, %s::bigint FROM pg_sleep(%s::int / 1000.0)",
        [tekst, getal, round(seconden * 1000)],
    )


def test_het_blok_loopt_door_terwijl_de_database_schrijft_en_wacht_aan_het_eind(proef):
    begin = time.monotonic()
    with onderweg.blok():
        traag_schrijven("a", 1)
        verstuurd_na = time.monotonic() - begin
        tijdens = rijen_elders()  # the statement is still running: nothing committed yet
    klaar_na = time.monotonic() - begin
    assert verstuurd_na < 0.3  # sent, not waited for (the statement sleeps 0.4 s)
    assert tijdens == []
    assert klaar_na >= 0.4  # the block's end waited for it
    assert rijen_elders() == [("a", 1)]  # committed when the block ends


def test_een_mislukte_schrijfactie_gaat_aan_het_eind_van_het_blok_af(proef):
    with pytest.raises(IntegrityError, match="violates check constraint"), onderweg.blok():
        traag_schrijven("nul", 0, seconden=0)  # violates the CHECK
        gerenderd = True
    assert gerenderd  # the block ran; its end raised, so nothing it made is returned
    assert rijen_elders() == []
    # The connection is fit for the next query, and no wrapper stays behind.
    assert connection.execute_wrappers == []
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_ook_als_het_blok_zelf_faalt_wordt_de_fout_van_het_schrijven_gemeld(proef):
    with pytest.raises(IntegrityError) as fout, onderweg.blok():
        traag_schrijven("nul", 0, seconden=0)
        raise ValueError("het renderen faalde")
    keten, fout_ = [], fout.value
    while fout_ is not None:
        keten.append(type(fout_))
        fout_ = fout_.__context__
    assert ValueError in keten  # the block's own error is kept in the chain


def test_een_query_in_het_blok_wacht_eerst_op_het_schrijven(proef):
    with onderweg.blok():
        traag_schrijven("a", 1, seconden=0.2)
        # The connection does one thing at a time: this reads the write's answer first.
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {PROEF}")
            assert cursor.fetchone() == (1,)
        assert rijen_elders() == [("a", 1)]
        assert connection.execute_wrappers == []


def test_twee_schrijfacties_in_een_blok_komen_allebei_aan(proef):
    with onderweg.blok():
        traag_schrijven("a", 1, seconden=0.05)
        traag_schrijven("b", 2, seconden=0.05)
    assert rijen_elders() == [("a", 1), ("b", 2)]


def test_in_een_transactie_gaat_het_op_de_gewone_manier(proef):
    with transaction.atomic():
        with onderweg.blok():
            onderweg.uitvoeren(f"INSERT INTO {PROEF} VALUES (%s::varchar, %s::bigint)", ["a", 1])
            # Written at once, in the transaction: seen here, not yet elsewhere.
            assert connection.execute_wrappers == []
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT tekst FROM {PROEF}")
                assert cursor.fetchall() == [("a",)]
        assert rijen_elders() == []
    assert rijen_elders() == [("a", 1)]


def test_buiten_een_blok_gaat_het_op_de_gewone_manier(proef):
    onderweg.uitvoeren(f"INSERT INTO {PROEF} VALUES (%s::varchar, %s::bigint)", ["a", 1])
    assert connection.execute_wrappers == []
    assert rijen_elders() == [("a", 1)]


def test_een_blok_in_een_andere_draad_geldt_hier_niet(proef):
    """The block belongs to its own request (thread): another thread's writes run at once."""
    buiten = threading.Event()
    binnen = threading.Event()

    def andere_draad():
        try:
            binnen.wait()
            onderweg.uitvoeren(f"INSERT INTO {PROEF} VALUES (%s::varchar, %s::bigint)", ["b", 2])
            assert connections["default"].execute_wrappers == []
        finally:
            connections["default"].close()
            buiten.set()

    draad = threading.Thread(target=andere_draad)
    draad.start()
    with onderweg.blok():
        binnen.set()
        buiten.wait()
    draad.join()
    assert rijen_elders() == [("b", 2)]


@pytest.mark.parametrize(
    "teksten",
    [
        ['aan"haling', "back\\slash", None, "", "{x,y}", "NULL", "spatie ", "ë ☃"],
        ["'); DROP TABLE onderweg_proef; --", '","', "\\"],
    ],
)
def test_teksten_in_een_array_komen_precies_zo_aan(proef, teksten):
    getallen = list(range(1, len(teksten) + 1))
    with onderweg.blok():
        onderweg.uitvoeren(
            f"INSERT INTO {PROEF} SELECT * FROM unnest(%s::varchar[], %s::bigint[])",
            [teksten, getallen],
        )
    assert rijen_elders() == list(zip(teksten, getallen, strict=True))


def test_een_onbekende_soort_waarde_wordt_geweigerd(proef):
    with pytest.raises(TypeError), onderweg.blok():
        onderweg.uitvoeren(f"INSERT INTO {PROEF} VALUES (%s::varchar, 1)", [1.5])
    assert connection.execute_wrappers == []


def test_voorbereid_per_verbinding_en_zonder_als_dat_uit_staat(proef, monkeypatch):
    sql = f"INSERT INTO {PROEF} VALUES (%s::varchar, %s::bigint)"

    def voorbereid() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_prepared_statements WHERE name LIKE 'verzuimloket_%%'"
            )
            return cursor.fetchone()[0]

    for getal in (1, 2):
        with onderweg.blok():
            onderweg.uitvoeren(sql, ["a", getal])
    assert voorbereid() == 1  # prepared once, used twice

    connection.close()  # a new connection: prepared again on first use
    monkeypatch.setitem(connection.settings_dict, "OPTIONS", {})  # DATABASE_PREPARED_STATEMENTS=0
    with onderweg.blok():
        onderweg.uitvoeren(sql, ["b", 3])
    assert voorbereid() == 0
    assert [getal for _, getal in rijen_elders()] == [1, 2, 3]


def test_een_verdwenen_voorbereide_opdracht_wordt_opnieuw_voorbereid(proef):
    """A pooler that resets the server's session drops its prepared statements: the write
    then fails (closed: no page), and the next one prepares the statement again."""
    sql = f"INSERT INTO {PROEF} VALUES (%s::varchar, %s::bigint)"
    with onderweg.blok():
        onderweg.uitvoeren(sql, ["a", 1])
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    with pytest.raises(DatabaseError, match="does not exist"), onderweg.blok():
        onderweg.uitvoeren(sql, ["b", 2])
    with onderweg.blok():
        onderweg.uitvoeren(sql, ["c", 3])
    assert rijen_elders() == [("a", 1), ("c", 3)]


def test_een_gesloten_verbinding_bevestigt_niets(proef):
    with pytest.raises(OperationalError, match="gesloten"), onderweg.blok():
        traag_schrijven("a", 1, seconden=0)
        connection.close()
    assert connection.execute_wrappers == []


def test_het_schrijven_telt_mee_als_query(proef):
    with CaptureQueriesContext(connection) as queries, onderweg.blok():
        onderweg.uitvoeren(f"INSERT INTO {PROEF} VALUES (%s::varchar, %s::bigint)", ["a", 1])
    assert [q["sql"] for q in queries.captured_queries] == [
        f"INSERT INTO {PROEF} VALUES (%s::varchar, %s::bigint)"
    ]


# -- The pages ---------------------------------------------------------------------------------


@pytest.fixture
def luxe(demo):
    return demo.leerlingen["999999989"].meldingen.get(soort=Verzuimsoort.LUXE)


def test_melding_details_legt_de_inzage_vast_voor_de_pagina_vertrekt(melder_client, demo, luxe):
    with CaptureQueriesContext(connection) as queries:
        response = melder_client.get(reverse("meldingen:detail", args=[luxe.nummer]))
    assert response.status_code == 200
    entry = Inzage.objects.get(handeling=Handeling.MELDING_DETAILS)
    assert (entry.gebruiker, entry.instelling_id, entry.leerling_id, entry.meldingnummer) == (
        demo.gebruikers["melder"],
        "24GP",
        luxe.leerling_id,
        luxe.nummer,
    )
    assert sum("leerlingen_inzage" in q["sql"] for q in queries.captured_queries) == 1


def test_zoek_melding_legt_elke_getoonde_leerling_vast(melder_client, demo):
    response = melder_client.get(reverse("meldingen:zoeken"), {"instellingscode": "24GP"})
    assert response.status_code == 200
    getoond = {(r.leerling_id, r.nummer) for r in response.context["pagina"].regels}
    assert getoond
    assert {
        (i.leerling_id, i.meldingnummer)
        for i in Inzage.objects.filter(handeling=Handeling.ZOEK_MELDING)
    } == getoond


def test_de_api_legt_elke_getoonde_leerling_vast(school_api, time_machine, settings):
    time_machine.shift(settings.API_FEED_MARGE_SECONDEN + 1)  # the list shows settled changes
    antwoord = school_api.get("/meldingen")
    assert antwoord.status_code == 200
    nummers = [m["nummer"] for m in antwoord.json()["meldingen"]]
    assert nummers
    getoond = set(Melding.objects.filter(nummer__in=nummers).values_list("leerling_id", "nummer"))
    entries = Inzage.objects.filter(handeling=Handeling.KOPPELVLAK)
    assert {(i.leerling_id, i.meldingnummer) for i in entries} == getoond
    assert {i.koppeling_id for i in entries} == {school_api.koppeling.pk}


@pytest.fixture
def inzage_geweigerd():
    """The database refuses every entry of the Melding details and of the API, as a full disk
    or a broken constraint would."""
    with connection.cursor() as cursor:
        cursor.execute(
            "ALTER TABLE leerlingen_inzage ADD CONSTRAINT proef_geweigerd "
            "CHECK (handeling NOT IN ('melding_details', 'koppelvlak')) NOT VALID"
        )
    yield
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE leerlingen_inzage DROP CONSTRAINT proef_geweigerd")


def test_zonder_inzage_geen_antwoord_van_de_api(
    school_api, demo, inzage_geweigerd, time_machine, settings
):
    time_machine.shift(settings.API_FEED_MARGE_SECONDEN + 1)
    school_api.client.raise_request_exception = False
    antwoord = school_api.get("/meldingen")
    assert antwoord.status_code == 500
    assert b"999999989" not in antwoord.content
    assert not Inzage.objects.filter(handeling=Handeling.KOPPELVLAK).exists()


def test_zonder_inzage_geen_pagina(melder_client, luxe, inzage_geweigerd):
    melder_client.raise_request_exception = False
    response = melder_client.get(reverse("meldingen:detail", args=[luxe.nummer]))
    assert response.status_code == 500
    html = response.content.decode()
    assert luxe.leerling.naam not in html
    assert "999999989" not in html
    assert not Inzage.objects.filter(handeling=Handeling.MELDING_DETAILS).exists()
