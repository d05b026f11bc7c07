"""The header's Hoofdmenu (manual 2.2, 3): Zoek leerling and Zoek melding on every page of the
school side, for a logged-in user with a chosen instelling; the page itself marked
aria-current="page", the section a deeper page belongs to aria-current="true". Not on the
login page, not for a user without access, not before the instelling is chosen, not in the
admin."""

import re
from urllib.parse import quote

import pytest
from django.urls import reverse

from meldingen.models import Verzuimsoort
from tests.wizard_hulp import registreer, stap_url, start_url

pytestmark = pytest.mark.django_db

MENU = re.compile(r'<nav class="kop__menu" aria-label="Hoofdmenu">(.*?)</nav>', re.S)
LINK = re.compile(r'<a class="tabs__link" href="([^"]*)"(?: aria-current="(\w+)")?>([^<]*)</a>')


def menu(antwoord) -> dict[str, tuple[str, str]] | None:
    """{link text: (href, aria-current or "")} of the Hoofdmenu, None when there is none."""
    assert antwoord.status_code in (200, 403, 404), antwoord.status_code
    html = antwoord.content.decode()
    gevonden = MENU.findall(html)
    if not gevonden:
        assert "Hoofdmenu" not in html
        return None
    assert len(gevonden) == 1
    return {tekst: (href, huidig) for href, huidig, tekst in LINK.findall(gevonden[0])}


def verwacht(leerling: str = "", melding: str = "") -> dict[str, tuple[str, str]]:
    return {
        "Zoek leerling": (reverse("leerlingen:zoeken"), leerling),
        "Zoek melding": (reverse("meldingen:zoeken"), melding),
    }


@pytest.fixture
def luxe(demo):
    return demo.leerlingen["999999989"].meldingen.get(soort=Verzuimsoort.LUXE)


ZOEK_TERUG = "/meldingen/zoeken/?instellingscode=24GP"


def test_zoekpaginas_zijn_zelf_de_huidige_pagina(melder_client):
    assert menu(melder_client.get(reverse("leerlingen:zoeken"))) == verwacht(leerling="page")
    assert menu(melder_client.get(reverse("meldingen:zoeken"))) == verwacht(melding="page")
    # With criteria (and results) it is still the Zoek melding page.
    antwoord = melder_client.get(reverse("meldingen:zoeken"), {"instellingscode": "24GP"})
    assert menu(antwoord) == verwacht(melding="page")


def test_leerling_overzicht_en_registreren_horen_bij_zoek_leerling(melder_client, demo):
    sanne = demo.leerlingen["999999989"]
    overzicht = melder_client.get(reverse("meldingen:leerling_overzicht", args=[sanne.pk]))
    assert menu(overzicht) == verwacht(leerling="true")
    stap = melder_client.get(start_url(sanne), follow=True)
    assert stap.redirect_chain[-1][0] == stap_url(sanne, "leerling")
    assert menu(stap) == verwacht(leerling="true")
    bevestiging = melder_client.get(registreer(melder_client, sanne)["Location"])
    assert "Bevestiging" in bevestiging.content.decode()
    assert menu(bevestiging) == verwacht(leerling="true")


def test_melding_hoort_bij_de_zoekweg_waarlangs_de_gebruiker_kwam(melder_client, luxe):
    detail = reverse("meldingen:detail", args=[luxe.nummer])
    wijzig = reverse("meldingen:wijzig", args=[luxe.nummer, "verzuim"])
    intrekken = reverse("meldingen:intrekken", args=[luxe.nummer])
    for url in (detail, wijzig, intrekken):
        # From the Leerling overzicht (no ?terug=).
        assert menu(melder_client.get(url)) == verwacht(leerling="true"), url
        # From the search results.
        van_zoeken = melder_client.get(f"{url}?terug={quote(ZOEK_TERUG)}")
        assert menu(van_zoeken) == verwacht(melding="true"), url


def test_kies_instelling_toont_het_menu_pas_na_de_keuze(client, demo):
    client.force_login(demo.gebruikers["melder2"])
    assert menu(client.get(reverse("kies_instelling"))) is None
    client.post(reverse("kies_instelling"), {"organisatie": "instelling:24GP"})
    # Switching: the instelling is chosen, so the menu is there, no section marked.
    assert menu(client.get(reverse("kies_instelling"))) == verwacht()


def test_niet_voor_anonieme_gebruikers(client, demo):
    assert menu(client.get(reverse("login"))) is None
    assert menu(client.get("/bestaat-niet/")) is None


def test_niet_zonder_toegang(client, demo):
    client.force_login(demo.gebruikers["zonderrol"])
    assert menu(client.get(reverse("leerlingen:zoeken"))) is None


def test_niet_in_het_beheer(client, demo):
    client.force_login(demo.gebruikers["beheerder"])
    antwoord = client.get(reverse("admin:index"))
    assert antwoord.status_code == 200
    assert menu(antwoord) is None
    assert "Zoek leerling" not in antwoord.content.decode()
