"""WCAG 2.1.1 Toetsenbord and 2.1.2 Geen toetsenbordval, in a real Chromium: every flow of the
school and of the behandelaar done with the keyboard alone. Only `pagina.keyboard` acts: Tab
(Shift+Tab) to get somewhere, typing (after Ctrl+A where a field already holds text), Space,
Enter, Escape, and the arrow keys inside a group of radio buttons (the platform's way to choose
in a radio group: Tab enters and leaves the group as one stop). A target is found by pressing
Tab until it has focus, with a bound, so an element out of the tab order or a trap before it
fails the test; nothing is clicked, filled or focused by the test itself.

Also the focus after sending a form (2.4.3, 3.3.1): a refused form puts focus on the error
summary (or the bar that says why), a form that was not refused lands on a page whose main
heading has focus (static/js/verzuimloket.js)."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from meldingen.models import Melding, RedenIntrekken, Status, Verzuimsoort
from tests.browser.conftest import DEMO_WACHTWOORD
from tests.browser.toetsenbord import MAX_TABS, druk, focus_op, tab_naar
from tests.conftest import VANDAAG

pytestmark = pytest.mark.browser
DAG = datetime.timedelta(days=1)

# Mila Jansen: 14, only at 24GP, no meldingen: a new melding goes to Gemeente Groningen.
PGN = "101000012"


def typ_in(pagina, veld, tekst: str, *, terug: bool = False):
    """Tab to a field and type (after selecting what is in it, as a user overwrites it)."""
    tab_naar(pagina, veld, terug=terug)
    pagina.keyboard.press("ControlOrMeta+a")
    pagina.keyboard.type(tekst)


def typ_datum(pagina, groep, datum: datetime.date):
    """Dag, Tab, maand, Tab, jaar: the three inputs of a date in their tab order."""
    typ_in(pagina, groep.get_by_label("dag"), f"{datum.day:02d}")
    for deel in (f"{datum.month:02d}", str(datum.year)):
        pagina.keyboard.press("Tab")
        pagina.keyboard.press("ControlOrMeta+a")
        pagina.keyboard.type(deel)


def kop_heeft_focus(pagina, tekst):
    """After a form was sent and not refused: the new page's main heading has focus."""
    kop = pagina.get_by_role("heading", level=1)
    expect(kop).to_have_text(tekst)
    expect(kop).to_be_focused()
    return kop


def foutoverzicht_heeft_focus(pagina, tekst: str):
    """After a refused form: the error summary has focus, so it is read out first."""
    samenvatting = pagina.get_by_role("alert").filter(has_text="Er is een probleem")
    expect(samenvatting).to_be_focused()
    expect(samenvatting).to_contain_text(tekst)
    return samenvatting


def geen_val(pagina, *, maximaal: int = 2 * MAX_TABS) -> list[str]:
    """2.1.2: from wherever focus is, Tab goes on past every widget to the end of the page (the
    footer's last link) and around to the page's first stop, the skip link. Returns the stops."""
    overslaan = pagina.get_by_role("link", name="Naar de inhoud")
    laatste = pagina.get_by_role("contentinfo").get_by_role("link").last
    einde = laatste.evaluate("el => el.textContent.trim()")
    spoor = []
    for _ in range(maximaal):
        pagina.keyboard.press("Tab")
        heeft_focus, waar = focus_op(overslaan)
        if heeft_focus and any(einde in stop for stop in spoor):
            return spoor
        spoor.append(waar)
    raise AssertionError(
        f"Na {maximaal}x Tab kwam de focus niet terug bovenaan {pagina.url}; "
        f"een toetsenbordval? De focus ging langs: {spoor}"
    )


def inloggen_met_toetsenbord(pagina, live_server, gebruikersnaam: str):
    pagina.goto(f"{live_server.url}/inloggen/")
    # The login page starts in its first field (autofocus): nothing to Tab to.
    expect(pagina.get_by_label("Gebruikersnaam")).to_be_focused()
    pagina.keyboard.type(gebruikersnaam)
    pagina.keyboard.press("Tab")
    expect(pagina.get_by_label("Wachtwoord")).to_be_focused()
    pagina.keyboard.type(DEMO_WACHTWOORD)
    druk(pagina)  # Enter in a field sends the form


# -- The school ------------------------------------------------------------------------------


def test_school_registreert_wijzigt_trekt_in_en_zoekt_met_het_toetsenbord(
    pagina, live_server, live_demo
):
    begin, eind = VANDAAG - 7 * DAG, VANDAAG - 5 * DAG
    inloggen_met_toetsenbord(pagina, live_server, "melder")
    kop_heeft_focus(pagina, "Zoeken")

    # Zoek leerling: a wrong number first (focus on the error summary, whose link leads to the
    # field), then the right one.
    pgn = pagina.get_by_label("Persoonsgebonden nummer")
    typ_in(pagina, pgn, "101000013")
    druk(pagina)
    samenvatting = foutoverzicht_heeft_focus(pagina, "Persoonsgebonden nummer")
    tab_naar(pagina, samenvatting.get_by_role("link").first)
    pagina.keyboard.press("Enter")  # an in-page link: no navigation
    expect(pgn).to_be_focused()
    pagina.keyboard.press("ControlOrMeta+a")
    pagina.keyboard.type(PGN)
    druk(pagina)
    kop_heeft_focus(pagina, "Leerling overzicht")
    tab_naar(pagina, pagina.get_by_role("link", name="Registreer nieuwe melding"))
    druk(pagina)

    # Stap 1: the contactpersoon dialog. Enter opens it with focus in its first field; Enter in
    # a field is Toevoegen (a round trip, the row is added).
    expect(pagina.get_by_role("heading", level=1)).to_have_text("Leerling")
    toevoegen = pagina.get_by_role("button", name="Contactpersoon toevoegen")
    dialoog = pagina.get_by_role("dialog", name="Contactpersoon toevoegen")
    tab_naar(pagina, toevoegen)
    pagina.keyboard.press("Enter")
    expect(dialoog.get_by_label("Naam")).to_be_focused()
    pagina.keyboard.type("Ineke de Vries")
    pagina.keyboard.press("Tab")
    pagina.keyboard.type("Moeder")
    pagina.keyboard.press("Tab")
    expect(dialoog.get_by_label("OPTIONEEL E-mail")).to_be_focused()
    pagina.keyboard.type("ineke@example.nl")
    druk(pagina)
    expect(pagina.get_by_role("row").filter(has_text="Ineke de Vries")).to_contain_text("Moeder")
    expect(dialoog).to_have_count(0)

    # Opened again (Space), Tab stays inside the modal dialog (the page behind it is inert),
    # and Escape, the standard way out of a dialog, leaves it: nothing added, focus back on
    # the button.
    tab_naar(pagina, toevoegen)
    pagina.keyboard.press("Space")
    expect(dialoog.get_by_label("Naam")).to_be_focused()
    pagina.keyboard.type("Half getypt")
    for _ in range(12):
        pagina.keyboard.press("Tab")
        in_dialoog = dialoog.evaluate(
            "el => document.activeElement === document.body || el.contains(document.activeElement)"
        )
        assert in_dialoog, "Tab verliet de modale dialoog naar de pagina erachter"
    pagina.keyboard.press("Escape")
    expect(dialoog).to_have_count(0)
    expect(toevoegen).to_be_focused()
    expect(pagina.get_by_role("row").filter(has_text="Half getypt")).to_have_count(0)
    # No trap anywhere on the page: from the button, Tab goes on to the end and round.
    geen_val(pagina)

    tab_naar(pagina, pagina.get_by_role("button", name="Verder", exact=True))
    druk(pagina)

    # Stap 2: Verder without the period is refused: focus on the error summary; its link leads
    # to the begindatum's first input.
    kop_heeft_focus(pagina, "Verzuim")
    tab_naar(pagina, pagina.get_by_role("button", name="Verder", exact=True))
    druk(pagina)
    samenvatting = foutoverzicht_heeft_focus(pagina, "Begindatum")
    tab_naar(pagina, samenvatting.get_by_role("link", name=re.compile("^Begindatum")))
    pagina.keyboard.press("Enter")
    begindatum = pagina.get_by_role("group", name="Begindatum")
    expect(begindatum.get_by_label("dag")).to_be_focused()
    typ_datum(pagina, begindatum, begin)
    typ_datum(pagina, pagina.get_by_role("group", name="OPTIONEEL Einddatum"), eind)
    druk(pagina)  # Enter in a field: Verder (the form's default button), not Vorige

    # ... then the whole step. A radio group is one Tab stop; the arrow keys choose in it.
    kop_heeft_focus(pagina, "Verzuim")
    soorten = pagina.get_by_role("group", name="Soort", exact=True)
    eerste = soorten.get_by_role("radio").first
    tab_naar(pagina, eerste)
    luxe = soorten.get_by_label("Luxe verzuim")
    for _ in range(soorten.get_by_role("radio").count()):
        if luxe.evaluate("el => el === document.activeElement"):
            break
        pagina.keyboard.press("ArrowDown")
    expect(luxe).to_be_checked()
    typ_in(pagina, pagina.get_by_label("Vermoedelijke reden"), "Vakantie buiten de schoolvakanties")
    ja = pagina.get_by_role("group", name="Actie gewenst").get_by_label("Ja")
    tab_naar(pagina, ja)
    pagina.keyboard.press("Space")
    expect(ja).to_be_checked()
    tab_naar(pagina, pagina.get_by_role("button", name="Verder", exact=True))
    druk(pagina)

    # Stap 3 and 4: Alle lessen gemist stays Ja; a checkbox takes Space.
    kop_heeft_focus(pagina, "Lesuren")
    tab_naar(pagina, pagina.get_by_role("button", name="Verder", exact=True))
    druk(pagina)
    kop_heeft_focus(pagina, "Acties school")
    brief = pagina.get_by_label("Brief gestuurd")
    tab_naar(pagina, brief)
    pagina.keyboard.press("Space")
    expect(brief).to_be_checked()
    tab_naar(pagina, pagina.get_by_role("button", name="Verder", exact=True))
    druk(pagina)

    # Stap 5 and 6.
    kop_heeft_focus(pagina, "Overzicht")
    geen_val(pagina)
    tab_naar(pagina, pagina.get_by_role("button", name="Registreren"))
    druk(pagina)
    kop_heeft_focus(pagina, "Bevestiging")
    melding = Melding.objects.get(leerling__pgn=PGN)
    assert (melding.soort, melding.begindatum, melding.einddatum) == (
        Verzuimsoort.LUXE,
        begin,
        eind,
    )
    assert list(melding.contactpersonen.values_list("naam", flat=True)) == ["Ineke de Vries"]

    # Wijzigen (manual 4): Leerling overzicht → the melding → Wijzig verzuim → Wijzigen.
    tab_naar(pagina, pagina.get_by_role("link", name="Naar leerling overzicht"))
    druk(pagina)
    tab_naar(pagina, pagina.get_by_role("link", name=str(melding.nummer), exact=True))
    druk(pagina)
    tab_naar(pagina, pagina.get_by_role("link", name="Wijzig verzuim"))
    druk(pagina)
    expect(pagina.get_by_role("heading", level=1)).to_have_text("Verzuim")
    typ_in(pagina, pagina.get_by_label("Vermoedelijke reden"), "Familiebezoek in het buitenland")
    tab_naar(pagina, pagina.get_by_role("button", name="Wijzigen", exact=True))
    druk(pagina)
    kop_heeft_focus(pagina, re.compile("^Mila Jansen"))
    expect(pagina.get_by_role("region", name="Verzuim", exact=True)).to_contain_text(
        "Familiebezoek in het buitenland"
    )

    # Intrekken (manual 5): without a reason refused, then a reason chosen by typing on the
    # closed select (as a sighted keyboard user does).
    tab_naar(pagina, pagina.get_by_role("link", name=f"Intrekken melding {melding.nummer}"))
    druk(pagina)
    knop = pagina.get_by_role("button", name="Intrekken")
    tab_naar(pagina, knop)
    druk(pagina)
    samenvatting = foutoverzicht_heeft_focus(pagina, "Reden melding intrekken")
    tab_naar(pagina, samenvatting.get_by_role("link").first)
    pagina.keyboard.press("Enter")
    reden = pagina.get_by_label("Reden melding intrekken")
    expect(reden).to_be_focused()
    pagina.keyboard.type("Ten onrechte")
    expect(reden).to_have_value(RedenIntrekken.TEN_ONRECHTE)
    tab_naar(pagina, knop)
    druk(pagina)
    kop_heeft_focus(pagina, re.compile("^Mila Jansen"))
    melding.refresh_from_db()
    assert melding.status == Status.INGETROKKEN

    # Zoek melding (manual 3): the Hoofdmenu, an instantienaam and a status, Enter in the field
    # searches; a result opens with Enter.
    tab_naar(pagina, pagina.get_by_role("link", name="Zoek melding"), terug=True)
    druk(pagina)
    typ_in(pagina, pagina.get_by_label("Uitvoerende instantienaam"), "Groningen")
    ingetrokken = pagina.get_by_label("Ingetrokken")
    tab_naar(pagina, ingetrokken)
    pagina.keyboard.press("Space")
    expect(ingetrokken).to_be_checked()
    tab_naar(pagina, pagina.get_by_role("button", name="Zoeken"))
    druk(pagina)
    kop_heeft_focus(pagina, "Zoeken")
    resultaat = pagina.get_by_role("link", name=str(melding.nummer), exact=True)
    tab_naar(pagina, resultaat)
    geen_val(pagina)
    tab_naar(pagina, resultaat)
    druk(pagina)
    expect(pagina).to_have_url(re.compile(rf"/meldingen/{melding.nummer}/"))
    expect(pagina.get_by_role("region", name="Melding", exact=True)).to_contain_text("Ingetrokken")


# -- The behandelaar -------------------------------------------------------------------------


def test_behandelaar_werkt_een_melding_met_het_toetsenbord(pagina, live_server, live_demo):
    # Sanne's Luxe verzuim: Geregistreerd and Nieuw in the werkvoorraad of Gemeente Groningen.
    luxe = live_demo.leerlingen["999999989"].meldingen.get(soort=Verzuimsoort.LUXE)
    inloggen_met_toetsenbord(pagina, live_server, "lpa-groningen")
    kop_heeft_focus(pagina, "Werkvoorraad")
    # The werkvoorraad (filters, counts, the table, paging) holds no trap.
    geen_val(pagina)
    tab_naar(pagina, pagina.get_by_role("link", name=str(luxe.nummer), exact=True))
    druk(pagina)
    expect(pagina.get_by_role("heading", level=1)).to_contain_text("Sanne")
    geen_val(pagina)

    # In behandeling nemen: a one-button form; Space presses a button.
    tab_naar(pagina, pagina.get_by_role("button", name="In behandeling nemen"))
    druk(pagina, "Space")
    kop_heeft_focus(pagina, re.compile("^Sanne"))
    behandeling = pagina.get_by_role("region", name="Behandeling", exact=True)
    expect(behandeling).to_contain_text("In behandeling")

    # Terugkoppeling geven: a date that does not exist is refused (focus on the summary), then
    # corrected and saved.
    tab_naar(pagina, pagina.get_by_role("link", name="Terugkoppeling geven"))
    druk(pagina)  # a link: the page starts at the top, as any page opened by a link
    expect(pagina.get_by_role("heading", level=1)).to_have_text("Terugkoppeling geven")
    datum = pagina.get_by_role("group", name="Datum terugkoppeling")
    typ_in(pagina, datum.get_by_label("dag"), "31")
    pagina.keyboard.press("Tab")
    pagina.keyboard.press("ControlOrMeta+a")
    pagina.keyboard.type("02")
    typ_in(pagina, pagina.get_by_label("Toelichting"), "Gesprek met de ouders gevoerd.")
    knop = pagina.get_by_role("button", name="Terugkoppeling geven")
    tab_naar(pagina, knop)
    druk(pagina)
    samenvatting = foutoverzicht_heeft_focus(pagina, "Datum terugkoppeling")
    tab_naar(pagina, samenvatting.get_by_role("link").first)
    pagina.keyboard.press("Enter")
    expect(datum.get_by_label("dag")).to_be_focused()
    typ_datum(pagina, datum, VANDAAG)
    tab_naar(pagina, knop)
    druk(pagina)
    kop_heeft_focus(pagina, re.compile("^Sanne"))
    expect(pagina.get_by_role("region", name="Terugkoppeling behandelaar")).to_contain_text(
        "Gesprek met de ouders gevoerd."
    )
    geen_val(pagina)

    # Back to the werkvoorraad (the back link sits before the heading: Shift+Tab).
    tab_naar(pagina, pagina.get_by_role("link", name="Terug naar werkvoorraad"), terug=True)
    druk(pagina)
    expect(pagina.get_by_role("heading", level=1)).to_have_text("Werkvoorraad")
    luxe.refresh_from_db()
    assert luxe.status == Status.IN_BEHANDELING
    assert luxe.terugkoppeling.toelichting == "Gesprek met de ouders gevoerd."
