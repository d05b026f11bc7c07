"""WCAG 3.3.8 Toegankelijke authenticatie (minimum) and 3.3.7 Overbodige invoer, in a real
Chromium.

3.3.8: logging in asks no cognitive test. There is no CAPTCHA or puzzle, and nothing has to be
remembered and retyped by hand: both fields take a paste and carry the autocomplete tokens a
password manager fills in (username, current-password).

3.3.7: within one process nothing already given is asked again. The wizard shows the pupil found
by Zoek leerling instead of asking for it, carries the period from the first Verder of step 2
into the whole step and into Lesuren, starts the school's contactpersoon with the user's own name
and e-mail and the onderwijsaanbieder and -locatie with the enrolment's. Vorige keeps what was
typed, and the Overzicht shows everything. A failed login keeps the username. The behandelaar's
terugkoppeling starts with their own name, e-mail and today."""

import datetime

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DEMO_WACHTWOORD, inloggen
from tests.browser.test_wizard_browser import klik, kop, vul_datum
from tests.conftest import VANDAAG

pytestmark = pytest.mark.browser
DAG = datetime.timedelta(days=1)

# Mila Jansen: 14, only at 24GP, no meldingen.
PGN = "101000012"


def plak(pagina, veld, tekst: str):
    """Put `tekst` on the clipboard and paste it into `veld` with Ctrl+V, as a user pastes
    from a password manager; the field's handlers see a real, trusted paste."""
    pagina.evaluate("tekst => navigator.clipboard.writeText(tekst)", tekst)
    veld.press("ControlOrMeta+a")
    veld.press("ControlOrMeta+v")


def test_inloggen_met_plakken_en_een_wachtwoordbeheerder(pagina, live_server, live_demo):
    pagina.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    pagina.goto(f"{live_server.url}/inloggen/")
    gebruikersnaam = pagina.get_by_label("Gebruikersnaam")
    wachtwoord = pagina.get_by_label("Wachtwoord")

    # What a password manager needs: a real form, labelled fields, the autocomplete tokens.
    expect(gebruikersnaam).to_have_attribute("autocomplete", "username")
    expect(wachtwoord).to_have_attribute("autocomplete", "current-password")
    expect(wachtwoord).to_have_attribute("type", "password")
    formulier = pagina.locator("main form")
    expect(formulier).to_have_count(1)

    # No cognitive test: the form asks exactly these two, and nothing on the page is a
    # CAPTCHA, a puzzle or a picture to read (no iframe, image, canvas, audio).
    velden = formulier.locator("input:not([type=hidden]), select, textarea")
    expect(velden).to_have_count(2)
    expect(pagina.locator("main").locator("iframe, img, canvas, audio, object")).to_have_count(0)
    assert "captcha" not in pagina.content().lower()

    # No script blocks paste (or copy, cut, drop): a cancellable paste event on either field
    # comes through not cancelled, and no field carries an inline handler.
    for veld in (gebruikersnaam, wachtwoord):
        for soort in ("paste", "copy", "cut", "drop"):
            geblokkeerd = veld.evaluate(
                """(el, soort) => !el.dispatchEvent(soort === "drop"
                    ? new DragEvent(soort, {bubbles: true, cancelable: true})
                    : new ClipboardEvent(soort, {bubbles: true, cancelable: true}))""",
                soort,
            )
            assert not geblokkeerd, f"{soort} wordt geblokkeerd"
        for attribuut in ("onpaste", "oncopy", "oncut", "ondrop", "readonly"):
            assert veld.get_attribute(attribuut) is None, attribuut
    # No length limit on the password: a long generated one fits whole.
    assert wachtwoord.get_attribute("maxlength") is None

    # A wrong password: the username stays (3.3.7), only the password is asked again
    # (allowed: asking a secret again is essential for security).
    plak(pagina, gebruikersnaam, "melder")
    expect(gebruikersnaam).to_have_value("melder")
    plak(pagina, wachtwoord, "niet-het-wachtwoord")
    expect(wachtwoord).to_have_value("niet-het-wachtwoord")
    with pagina.expect_navigation():
        wachtwoord.press("Enter")
    expect(pagina.get_by_role("alert")).to_contain_text("Er is een probleem")
    expect(gebruikersnaam).to_have_value("melder")
    expect(wachtwoord).to_have_value("")

    # Pasted, the right password logs in.
    plak(pagina, wachtwoord, DEMO_WACHTWOORD)
    expect(wachtwoord).to_have_value(DEMO_WACHTWOORD)
    with pagina.expect_navigation():
        wachtwoord.press("Enter")
    expect(pagina.get_by_role("heading", level=1)).to_have_text("Zoeken")
    expect(pagina.get_by_role("navigation", name="Gebruiker en instelling")).to_contain_text(
        "melder"
    )


def test_wat_al_bekend_is_wordt_niet_opnieuw_gevraagd(pagina, live_server, live_demo):
    begin, eind = VANDAAG - 7 * DAG, VANDAAG - 5 * DAG
    inloggen(pagina, live_server, "melder")
    pagina.get_by_label("Persoonsgebonden nummer").fill(PGN)
    klik(pagina, "Zoeken")
    with pagina.expect_navigation():
        pagina.get_by_role("link", name="Registreer nieuwe melding").click()

    # Stap 1: the pupil Zoek leerling found is shown, not asked: no field holds the PGN or
    # the name, and no field asks for them.
    kop(pagina, 1, "Leerling")
    inhoud = pagina.get_by_role("main")
    expect(inhoud).to_contain_text("Mila Jansen")
    expect(inhoud).to_contain_text(PGN)
    velden = pagina.locator("main form").locator("input:not([type=hidden]), select, textarea")
    for i in range(velden.count()):
        assert velden.nth(i).input_value() not in (PGN, "Mila", "Jansen")
    expect(pagina.get_by_label("Persoonsgebonden nummer")).to_have_count(0)
    expect(pagina.get_by_label("Naam", exact=True)).to_have_count(0)
    pagina.get_by_label("E-mail").fill("mila@example.nl")
    klik(pagina, "Verder")

    # Stap 2: the instellingscode is the one logged in for (read-only, not asked); the period
    # typed at the first Verder is there in the whole step; the school's contactpersoon starts
    # as the user (Kees Smit), aanbieder and locatie as the enrolment.
    kop(pagina, 2, "Verzuim")
    instellingscode = pagina.get_by_label("Instellingscode")
    expect(instellingscode).to_have_value("24GP")
    expect(instellingscode).not_to_be_editable()
    vul_datum(pagina, "Begindatum", begin)
    vul_datum(pagina, "OPTIONEEL Einddatum", eind)
    klik(pagina, "Verder")
    kop(pagina, 2, "Verzuim")
    for groep, datum in (("Begindatum", begin), ("OPTIONEEL Einddatum", eind)):
        velden = pagina.get_by_role("group", name=groep, exact=True)
        expect(velden.get_by_label("dag")).to_have_value(f"{datum.day:02d}")
        expect(velden.get_by_label("maand")).to_have_value(f"{datum.month:02d}")
        expect(velden.get_by_label("jaar")).to_have_value(str(datum.year))
    expect(pagina.get_by_label("Onderwijsaanbiedercode")).to_have_value("100A001")
    expect(pagina.get_by_label("Onderwijslocatiecode")).to_have_value("100X001")
    expect(pagina.get_by_label("Naam", exact=True)).to_have_value("Kees Smit")
    expect(pagina.get_by_label("E-mail", exact=True)).to_have_value("melder@example.nl")
    pagina.get_by_label("Luxe verzuim").check()
    pagina.get_by_label("Vermoedelijke reden").fill("Vakantie buiten de schoolvakanties")
    pagina.get_by_role("group", name="Actie gewenst").get_by_label("Ja").check()

    # Vorige from a half-done step 2 and back: the answers of both steps are kept.
    klik(pagina, "Vorige")
    kop(pagina, 1, "Leerling")
    expect(pagina.get_by_label("E-mail")).to_have_value("mila@example.nl")
    klik(pagina, "Verder")
    kop(pagina, 2, "Verzuim")
    expect(pagina.get_by_label("Luxe verzuim")).to_be_checked()
    expect(pagina.get_by_label("Vermoedelijke reden")).to_have_value(
        "Vakantie buiten de schoolvakanties"
    )
    expect(pagina.get_by_role("group", name="Actie gewenst").get_by_label("Ja")).to_be_checked()
    klik(pagina, "Verder")

    # Stap 3: the period is shown, not asked again; a verzuimdag starts on its first day.
    kop(pagina, 3, "Lesuren")
    expect(
        pagina.get_by_text("Gekozen verzuimperiode: van 09-03-2026 tot en met 11-03-2026")
    ).to_be_visible()
    pagina.get_by_role("group", name="Alle lessen gemist").get_by_label("Nee").check()
    klik(pagina, "Voeg dag toe")
    dag = pagina.get_by_role("group", name="Verzuimdag 1").get_by_role("group", name="Datum")
    expect(dag.get_by_label("dag")).to_have_value(f"{begin.day:02d}")
    expect(dag.get_by_label("maand")).to_have_value(f"{begin.month:02d}")
    expect(dag.get_by_label("jaar")).to_have_value(str(begin.year))
    klik(pagina, "Voeg toe")  # Hele dag: Ja unless changed
    klik(pagina, "Verder")

    # Stap 4, then the Overzicht: everything given, once, to check.
    kop(pagina, 4, "Acties school")
    pagina.get_by_label("Brief gestuurd").check()
    klik(pagina, "Verder")
    kop(pagina, 5, "Overzicht")
    overzicht = pagina.get_by_role("main")
    for tekst in (
        "Mila Jansen",
        "mila@example.nl",
        "09-03-2026",
        "11-03-2026",
        "Luxe verzuim",
        "Vakantie buiten de schoolvakanties",
        "Kees Smit",
        "melder@example.nl",
        "Brief gestuurd",
    ):
        expect(overzicht).to_contain_text(tekst)

    # The behandelaar's terugkoppeling (Daan's melding, in behandeling by lpa-groningen)
    # starts with their own name, e-mail and today.
    daan = live_demo.leerlingen["999990007"].meldingen.get()
    with pagina.expect_navigation():
        pagina.get_by_role("button", name="Uitloggen").click()
    inloggen(pagina, live_server, "lpa-groningen")
    pagina.goto(f"{live_server.url}/behandeling/meldingen/{daan.nummer}/terugkoppeling_geven/")
    expect(pagina.get_by_role("heading", level=1)).to_have_text("Terugkoppeling geven")
    expect(pagina.get_by_label("Naam", exact=True)).to_have_value("Jeroen de Boer")
    expect(pagina.get_by_label("E-mail")).to_have_value("lpa-groningen@example.nl")
    datum = pagina.get_by_role("group", name="Datum terugkoppeling")
    expect(datum.get_by_label("dag")).to_have_value(f"{VANDAAG.day:02d}")
    expect(datum.get_by_label("maand")).to_have_value(f"{VANDAAG.month:02d}")
    expect(datum.get_by_label("jaar")).to_have_value(str(VANDAAG.year))
