"""What an attacker tried, closed: open redirects through "back to" links, two tabs on one
draft, over-long usernames, lockouts behind a proxy, cached pupil pages, missing browser
policies, huge formsets, and unthrottled, unlogged PGN look-ups (docs/deploy.md, Beveiliging)."""

import datetime
import re
import time
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from leerlingen.demo import DEMO_WACHTWOORD
from leerlingen.models import Handeling, Inzage
from leerlingen.services import oude_inzage_verwijderen
from meldingen.models import Melding
from tests.conftest import AMSTERDAM
from tests.wizard_hulp import (
    beheer,
    leerling_data,
    stap_url,
    start_url,
    tot_overzicht,
)
from verzuimloket.models import Teller

pytestmark = pytest.mark.django_db


# --- 1. "Back to" links stay on this site -----------------------------------------------------

BUITEN_DE_SITE = [
    "/%0D%0A//evil.example",
    "/%09//evil.example",
    "/%0A/evil.example",
    "/%5C%5Cevil.example",  # backslashes: browsers read them as slashes
    "/%20//evil.example",
    "/%C2%A0//evil.example",  # a no-break space
    "//evil.example",
    "https://evil.example/",
    "/\\evil.example",
]


@pytest.mark.parametrize("terug", BUITEN_DE_SITE)
def test_terug_link_blijft_op_de_site(melder_client, demo, terug):
    melding = Melding.objects.filter(instelling_id="24GP").first()
    url = f"{reverse('meldingen:detail', args=[melding.nummer])}?terug={terug}"
    html = unescape(melder_client.get(url).content.decode())
    terug_link = re.search(r'class="terug-link" href="([^"]*)"', html).group(1)
    assert terug_link == reverse("meldingen:leerling_overzicht", args=[melding.leerling_id])
    assert "evil.example" not in html


@pytest.mark.parametrize("volgende", BUITEN_DE_SITE)
def test_volgende_na_kies_instelling_blijft_op_de_site(client, demo, volgende):
    client.force_login(demo.gebruikers["melder2"])
    antwoord = client.post(
        f"{reverse('kies_instelling')}?next={volgende}", {"organisatie": "instelling:24GP"}
    )
    assert antwoord.status_code == 302
    assert antwoord["Location"] == reverse("leerlingen:zoeken")


def test_een_gewoon_pad_met_zoekvraag_mag_wel(melder_client, demo):
    melding = Melding.objects.filter(instelling_id="24GP").first()
    terug = "/meldingen/zoeken/?instellingscode=24GP&status=R"
    url = reverse("meldingen:detail", args=[melding.nummer])
    html = unescape(melder_client.get(url, {"terug": terug}).content.decode())
    assert f'class="terug-link" href="{terug}"' in html


# --- 2. Two tabs on one pupil -----------------------------------------------------------------


def test_registreren_slaat_alleen_op_wat_de_gebruiker_zag(melder_client, demo):
    """Tab A shows the Overzicht; tab B changes the draft; A's Registreren must not store B's
    data unseen: the Overzicht of the draft as it is now comes back, with a message."""
    sanne = demo.leerlingen["999999989"]
    tot_overzicht(melder_client, sanne)
    tab_a = melder_client.get(stap_url(sanne, "overzicht"))
    assert tab_a.status_code == 200
    # Tab B: back to step 1, a different e-mail address, and on to the Overzicht again.
    pagina = melder_client.get(stap_url(sanne, "leerling"))
    melder_client.post(
        stap_url(sanne, "leerling"),
        {**beheer(pagina), **leerling_data(**{"leerling-leerling_email": "tab-b@example.nl"})},
    )
    # Tab A clicks Registreren on what it shows.
    antwoord = melder_client.post(stap_url(sanne, "overzicht"), beheer(tab_a))
    assert antwoord.status_code == 302
    assert antwoord["Location"] == stap_url(sanne, "overzicht")
    assert not Melding.objects.filter(leerling=sanne, leerling_email="tab-b@example.nl").exists()
    opnieuw = melder_client.get(antwoord["Location"])
    html = unescape(opnieuw.content.decode())
    assert "in een ander venster gewijzigd" in html
    assert "tab-b@example.nl" in html  # the Overzicht of the draft as it is now
    # Registreren on that Overzicht stores it.
    antwoord = melder_client.post(stap_url(sanne, "overzicht"), beheer(opnieuw))
    assert "bevestiging" in antwoord["Location"]
    assert Melding.objects.filter(leerling=sanne, leerling_email="tab-b@example.nl").count() == 1


def test_registreren_zonder_vingerafdruk_slaat_niets_op(melder_client, demo):
    sanne = demo.leerlingen["999999989"]
    tot_overzicht(melder_client, sanne)
    voor = Melding.objects.count()
    velden = beheer(melder_client.get(stap_url(sanne, "overzicht")))
    del velden["overzicht_van"]
    antwoord = melder_client.post(stap_url(sanne, "overzicht"), velden)
    assert antwoord["Location"] == stap_url(sanne, "overzicht")
    assert Melding.objects.count() == voor


# --- 3. and 4. Login --------------------------------------------------------------------------


def inloggen(client, gebruikersnaam, wachtwoord="fout", url="login", **headers):
    return client.post(
        reverse(url), {"username": gebruikersnaam, "password": wachtwoord}, **headers
    )


@pytest.mark.parametrize("url", ["login", "admin:login"])
@pytest.mark.parametrize("lengte", [150, 151, 255, 256, 5000])
def test_een_lange_gebruikersnaam_geeft_geen_500(client, demo, url, lengte):
    client.raise_request_exception = False
    for _ in range(6):
        antwoord = inloggen(client, "a" * lengte, url=url)
        assert antwoord.status_code in (200, 429), antwoord.status_code
    # ...and is still counted: after five failures it is locked like any other.
    assert antwoord.status_code == 429


def achter_proxy(adres: str) -> dict:
    """The headers a request carries behind one trusted proxy: whatever the client put in
    X-Forwarded-For first, then the address the proxy saw; REMOTE_ADDR is the proxy."""
    return {"HTTP_X_FORWARDED_FOR": f"6.6.6.6, {adres}", "REMOTE_ADDR": "10.0.0.2"}


@pytest.fixture
def proxy(settings):
    settings.PROXY_AANTAL = 1
    return settings


def test_achter_de_proxy_telt_het_adres_van_de_klant(client, demo, proxy):
    """Behind the proxy every request comes from its address; the lockout must still be the
    attacker's own, not every user's behind the same proxy."""
    for _ in range(5):
        inloggen(client, "melder", **achter_proxy("203.0.113.7"))
    assert (
        inloggen(client, "melder", DEMO_WACHTWOORD, **achter_proxy("203.0.113.7")).status_code
        == 429
    )
    # The real melder, at another address behind the same proxy, logs in.
    assert (
        inloggen(client, "melder", DEMO_WACHTWOORD, **achter_proxy("198.51.100.4")).status_code
        == 302
    )


def test_een_vervalste_forwarded_for_helpt_niet(client, demo, proxy):
    """What the client writes into X-Forwarded-For itself is ignored: changing it each
    attempt does not escape the lockout."""
    for i in range(5):
        headers = {"HTTP_X_FORWARDED_FOR": f"1.2.3.{i}, 203.0.113.7", "REMOTE_ADDR": "10.0.0.2"}
        inloggen(client, "melder", **headers)
    headers = {"HTTP_X_FORWARDED_FOR": "9.9.9.9, 203.0.113.7", "REMOTE_ADDR": "10.0.0.2"}
    assert inloggen(client, "melder", DEMO_WACHTWOORD, **headers).status_code == 429


def test_doorproberen_verlengt_de_blokkade_niet(client, demo, time_machine):
    for _ in range(5):
        inloggen(client, "melder")
    for minuut in (5, 10, 14):
        time_machine.move_to(datetime.datetime(2026, 3, 16, 10, minuut, tzinfo=AMSTERDAM))
        assert inloggen(client, "melder").status_code == 429
    time_machine.move_to(datetime.datetime(2026, 3, 16, 10, 16, tzinfo=AMSTERDAM))
    assert inloggen(client, "melder", DEMO_WACHTWOORD).status_code == 302


@pytest.mark.parametrize("url", ["login", "admin:login"])
def test_een_adres_dat_veel_namen_probeert_wordt_afgeremd(client, demo, proxy, url):
    proxy.INLOG_FOUTEN_PER_ADRES = 8
    for i in range(8):
        assert (
            inloggen(client, f"naam{i}", url=url, **achter_proxy("203.0.113.9")).status_code == 200
        )
    antwoord = inloggen(client, "melder", DEMO_WACHTWOORD, url=url, **achter_proxy("203.0.113.9"))
    assert antwoord.status_code == 429
    assert "Te veel mislukte inlogpogingen" in antwoord.content.decode()
    # Counted in PostgreSQL, where every app process counts too.
    assert Teller.objects.get(sleutel="inlog-adres:203.0.113.9").aantal == 8
    # Another address is not affected.
    assert (
        inloggen(client, "melder", DEMO_WACHTWOORD, **achter_proxy("198.51.100.4")).status_code
        == 302
    )


# --- 5. and 6. Headers ------------------------------------------------------------------------


def test_paginas_met_leerlinggegevens_worden_niet_bewaard(melder_client, demo):
    sanne = demo.leerlingen["999999989"]
    melding = Melding.objects.filter(leerling=sanne, instelling_id="24GP").first()
    for url in [
        reverse("meldingen:leerling_overzicht", args=[sanne.pk]),
        reverse("meldingen:detail", args=[melding.nummer]),
        reverse("meldingen:zoeken") + "?instellingscode=24GP",
        reverse("leerlingen:zoeken"),
        reverse("login"),
    ]:
        antwoord = melder_client.get(url)
        assert "no-store" in antwoord["Cache-Control"], url
        assert "private" in antwoord["Cache-Control"], url


def test_beleid_voor_de_browser(client):
    antwoord = client.get(reverse("login"))
    csp = antwoord["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "camera=()" in antwoord["Permissions-Policy"]
    assert "geolocation=()" in antwoord["Permissions-Policy"]


# --- 7. Formsets hold what the manual allows, no more ------------------------------------------


def test_een_formset_met_duizenden_rijen_wordt_geweigerd(melder_client, demo):
    sanne = demo.leerlingen["999999989"]
    melder_client.get(start_url(sanne))
    pagina = melder_client.get(stap_url(sanne, "leerling"))
    data = {**beheer(pagina), **leerling_data(**{"leerling-contactpersonen-TOTAL_FORMS": "1400"})}
    begin = time.perf_counter()
    antwoord = melder_client.post(stap_url(sanne, "leerling"), data)
    duur = time.perf_counter() - begin
    assert antwoord.status_code == 400
    assert len(antwoord.content) < 20_000
    assert duur < 1.0


def test_verzuimdagen_niet_meer_dan_de_dagen_van_een_jaar(melder_client, demo):
    luxe = Melding.objects.get(leerling__pgn="999999989", soort="L")
    url = reverse("meldingen:wijzig", args=[luxe.nummer, "lesuren"])
    data = {
        "versie": str(luxe.versie),
        "alle_lessen_gemist": "nee",
        "verzuimdagen-TOTAL_FORMS": "1400",
        "verzuimdagen-INITIAL_FORMS": "0",
    }
    assert melder_client.post(url, data).status_code == 400


# --- 8. PGN look-ups: throttled and logged -----------------------------------------------------


def zoek(client, pgn):
    return client.post(reverse("leerlingen:zoeken"), {"pgn": pgn})


def test_elke_zoekvraag_naar_een_pgn_staat_in_de_inzagelog(melder_client, demo):
    sanne = demo.leerlingen["999999989"]
    zoek(melder_client, "999 999 989")  # found
    zoek(melder_client, "999990081")  # exists, but only at 00BB: "not found" for 24GP
    zoek(melder_client, "101000024")  # a valid number nobody has
    zoek(melder_client, "123")  # not a PGN: nobody was looked for
    log = list(
        Inzage.objects.filter(handeling=Handeling.ZOEK_LEERLING)
        .order_by("tijdstip", "pk")
        .values_list("pgn", "leerling_id", "instelling_id")
    )
    assert log == [
        ("999999989", sanne.pk, "24GP"),
        ("999990081", None, "24GP"),
        ("101000024", None, "24GP"),
    ]


def test_zoeken_naar_pgns_wordt_afgeremd_per_gebruiker(client, demo, settings):
    settings.PGN_ZOEKEN_PER_UUR = 3
    client.force_login(demo.gebruikers["melder"])
    for _ in range(3):
        assert zoek(client, "101000024").status_code == 200
    antwoord = zoek(client, "999999989")
    assert antwoord.status_code == 429
    html = unescape(antwoord.content.decode())
    assert "te vaak een leerling gezocht" in html
    assert 'value="999999989"' in html  # what was typed stays
    assert Inzage.objects.filter(pgn="999999989").count() == 0  # not looked up
    # Another user searches on.
    client.force_login(demo.gebruikers["melder-zuid"])
    assert zoek(client, "999990081").status_code == 302


def test_elke_pagina_met_leerlinggegevens_staat_in_de_inzagelog(melder_client, demo):
    sanne = demo.leerlingen["999999989"]
    melding = Melding.objects.filter(leerling=sanne, instelling_id="24GP").first()
    melder_client.get(reverse("meldingen:zoeken"), {"instellingscode": "24GP"})
    tot_overzicht(melder_client, sanne)
    melder_client.get(reverse("meldingen:detail", args=[melding.nummer]))
    handelingen = set(Inzage.objects.filter(leerling=sanne).values_list("handeling", "detail"))
    assert (Handeling.ZOEK_MELDING, "") in handelingen
    assert (Handeling.MELDING_DETAILS, "") in handelingen
    for stap in ["Leerling", "Verzuim", "Lesuren", "Acties school"]:
        assert (Handeling.REGISTREREN, stap) in handelingen
    assert Inzage.objects.filter(
        handeling=Handeling.ZOEK_MELDING, meldingnummer=melding.nummer
    ).exists()


def test_de_beheerder_ziet_wie_naar_een_leerling_keek(melder_client, demo):
    sanne = demo.leerlingen["999999989"]
    zoek(melder_client, "999999989")
    melder_client.get(reverse("meldingen:leerling_overzicht", args=[sanne.pk]))
    zoek(melder_client, "101000024")
    client = Client()
    client.force_login(demo.gebruikers["beheerder"])
    leerling_pagina = client.get(reverse("admin:leerlingen_leerling_change", args=[sanne.pk]))
    link = re.search(r'href="([^"]*inzage/\?q=999999989)"', leerling_pagina.content.decode())
    lijst = unescape(client.get(unescape(link.group(1))).content.decode())
    assert "Zoek leerling" in lijst and "Leerling overzicht" in lijst
    assert lijst.count("melder") >= 2
    # A look-up that found nobody is found by its number too, typed as people write it.
    lijst = client.get(reverse("admin:leerlingen_inzage_changelist"), {"q": "1010.000.24"})
    assert "101000024" in lijst.content.decode()


def test_de_inzagelog_wordt_na_de_bewaartermijn_verwijderd(melder_client, demo, settings):
    settings.INZAGE_BEWAARDAGEN = 30
    zoek(melder_client, "999999989")
    assert Inzage.objects.count() == 1
    nu = Inzage.objects.get().tijdstip
    assert oude_inzage_verwijderen(nu=nu + datetime.timedelta(days=30)) == 0
    assert oude_inzage_verwijderen(nu=nu + datetime.timedelta(days=30, seconds=1)) == 1
    assert not Inzage.objects.exists()


def test_ook_de_beheerder_laat_sporen_na(demo):
    beheer = Client()
    beheer.force_login(demo.gebruikers["beheerder"])
    sanne = demo.leerlingen["999999989"]
    melding = Melding.objects.filter(leerling=sanne).first()
    beheer.get(reverse("admin:leerlingen_leerling_change", args=[sanne.pk]))
    beheer.get(reverse("admin:meldingen_melding_change", args=[melding.pk]))
    beheer.get(reverse("admin:meldingen_melding_changelist"))
    sporen = Inzage.objects.filter(gebruiker=demo.gebruikers["beheerder"])
    assert set(sporen.values_list("handeling", flat=True)) == {Handeling.BEHEER}
    assert sporen.filter(leerling=sanne, meldingnummer=None, detail="leerling").exists()
    assert sporen.filter(leerling=sanne, meldingnummer=melding.nummer).count() >= 2
    assert all(s.instelling_id is None for s in sporen)


def test_inzagelog_schrijft_elke_regel_ook_als_ze_gelijk_zijn(demo):
    """One statement writes one entry per row shown, whatever repeats: a list's rows share
    pgn and detail (sent once), an API call's rows differ in pgn, and two equal rows are two
    entries."""
    from leerlingen.models import Handeling, Inzage
    from leerlingen.services import _schrijven

    gebruiker = demo.gebruikers["melder"]
    leerlingen = list(demo.leerlingen.values())[:2]

    def schrijf(regels):
        Inzage.objects.all().delete()
        _schrijven(
            gebruiker_id=gebruiker.pk,
            instelling_id="24GP",
            instantie_id=None,
            handeling=Handeling.ZOEK_MELDING,
            regels=regels,
        )
        return sorted(
            Inzage.objects.values_list("leerling_id", "pgn", "meldingnummer", "detail"),
            key=str,
        )

    a, b = leerlingen[0].pk, leerlingen[1].pk
    for regels in (
        [(a, "", 1, "")],
        [(a, "", 1, ""), (b, "", 2, "")],
        [(a, "123", 1, "x"), (b, "456", None, "x")],
        [(a, "", 1, ""), (a, "", 1, "")],
        [(None, "999999989", None, "zoek")],
    ):
        assert schrijf(regels) == sorted(regels, key=str), regels


@pytest.mark.django_db
def test_tellers_zonder_wal_het_inzagelog_en_de_meldingen_duurzaam():
    """Throttle counts may be lost in a crash of the database (the limits count again from
    zero), so they are written without WAL and wait for no disk; what the law or the school
    needs back after a crash (the inzagelog, the meldingen) is durable."""
    from django.db import connection

    from leerlingen.models import Inzage
    from meldingen.models import Melding

    def persistentie(model) -> str:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relpersistence FROM pg_class WHERE oid = %s::regclass",
                [model._meta.db_table],
            )
            return cursor.fetchone()[0]

    assert persistentie(Teller) == "u"
    for model in (Inzage, Melding):
        assert persistentie(model) == "p", model
