"""Under the Content-Security-Policy (default-src 'self', nothing inline) no page breaks: a real
Chromium walks the school's pages and the beheerder's admin and reports no violation, and the
page script (show/hide of dependent fields) still works."""

import pytest
from playwright.sync_api import expect

from meldingen.models import Melding
from tests.browser.conftest import inloggen

pytestmark = pytest.mark.browser


@pytest.fixture
def overtredingen(pagina):
    """Every message Chromium gives about the policy (a blocked script, style or image)."""
    gevonden = []
    pagina.on(
        "console",
        lambda bericht: (
            gevonden.append(f"{pagina.url}: {bericht.text}")
            if "Content Security Policy" in bericht.text or "Refused to" in bericht.text
            else None
        ),
    )
    return gevonden


def test_schoolpaginas_onder_het_beleid(pagina, live_server, live_demo, overtredingen):
    antwoord = pagina.goto(f"{live_server.url}/inloggen/")
    assert "default-src 'self'" in antwoord.headers["content-security-policy"]
    inloggen(pagina, live_server, "melder")
    sanne = live_demo.leerlingen["999999989"]
    melding = Melding.objects.get(leerling=sanne, instelling_id="24GP", soort="L")  # Geregistreerd
    for pad in [
        "/",
        f"/leerling/{sanne.pk}/",
        f"/meldingen/{melding.nummer}/",
        f"/meldingen/{melding.nummer}/wijzig/verzuim/",
        f"/meldingen/{melding.nummer}/wijzig/lesuren/",
        f"/meldingen/{melding.nummer}/intrekken/",
        "/meldingen/zoeken/?instellingscode=24GP",
    ]:
        pagina.goto(f"{live_server.url}{pad}")
        expect(pagina.locator("link[rel=stylesheet]").first).to_be_attached()
    # The page script still runs: Actie gewenst Ja shows Met prioriteit oppakken.
    pagina.goto(f"{live_server.url}/meldingen/{melding.nummer}/wijzig/verzuim/")
    prioriteit = pagina.locator('[data-toon-als="actie_gewenst=ja"]')
    pagina.locator('input[name="actie_gewenst"][value="nee"]').check()
    expect(prioriteit).to_be_hidden()
    pagina.locator('input[name="actie_gewenst"][value="ja"]').check()
    expect(prioriteit).to_be_visible()
    # The stylesheet applies (a style the page could not get inline).
    kleur = pagina.locator(".knop").first.evaluate("el => getComputedStyle(el).backgroundColor")
    assert kleur not in ("rgba(0, 0, 0, 0)", "transparent")
    assert overtredingen == []


def test_beheer_onder_het_beleid(pagina, live_server, live_demo, overtredingen):
    inloggen(pagina, live_server, "beheerder")
    sanne = live_demo.leerlingen["999999989"]
    melding = Melding.objects.filter(leerling=sanne).first()
    for pad in [
        "/beheer/",
        "/beheer/meldingen/melding/",
        f"/beheer/meldingen/melding/{melding.pk}/change/",
        f"/beheer/leerlingen/leerling/{sanne.pk}/change/",
        "/beheer/leerlingen/inzage/",
        "/beheer/auth/user/add/",
    ]:
        pagina.goto(f"{live_server.url}{pad}")
        expect(pagina.locator("#content")).to_be_visible()
    assert overtredingen == []
