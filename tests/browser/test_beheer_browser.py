"""Zoek melding → Melding details → Wijzig verzuim → Intrekken in a real Chromium, by labels
and roles as a screen reader user would, with zero axe-core WCAG 2.1 AA violations on every
page passed (including the pages with error messages)."""

import re

import pytest
from playwright.sync_api import expect

from meldingen.models import Melding, Status, Verzuimsoort
from tests.browser.conftest import controleer_toegankelijkheid, inloggen

pytestmark = pytest.mark.browser


def test_zoeken_details_wijzigen_intrekken(pagina, live_server, live_demo):
    luxe = live_demo.leerlingen["999999989"].meldingen.get(soort=Verzuimsoort.LUXE)
    nummer = str(luxe.nummer)
    inloggen(pagina, live_server, "melder")

    # Zoek melding (manual 3): the tab, nothing filled in → the error.
    pagina.get_by_role("link", name="Zoek melding").click()
    expect(pagina.get_by_role("heading", name="Zoeken", level=1)).to_be_visible()
    controleer_toegankelijkheid(pagina)
    pagina.get_by_role("button", name="Zoeken").click()
    expect(pagina.get_by_role("alert")).to_contain_text("Vul minimaal één zoekcriterium in")
    controleer_toegankelijkheid(pagina)

    # Part of the instantienaam, any case, plus a status.
    pagina.get_by_label("Uitvoerende instantienaam").fill("GEMEENTE gron")
    pagina.get_by_label("Geregistreerd").check()
    pagina.get_by_role("button", name="Zoeken").click()
    tabel = pagina.get_by_role("table")
    expect(tabel).to_contain_text("Sanne de Vries")
    expect(tabel).to_contain_text("Luxe verzuim")
    expect(tabel).not_to_contain_text("Afgesloten")
    controleer_toegankelijkheid(pagina)
    zoek_url = pagina.url

    # Melding details.
    pagina.get_by_role("link", name=nummer, exact=True).click()
    expect(pagina.get_by_role("heading", name="Sanne de Vries (BSN 999999989)")).to_be_visible()
    expect(pagina.get_by_role("region", name="Melding", exact=True)).to_contain_text(
        "Geregistreerd"
    )
    controleer_toegankelijkheid(pagina)

    # Wijzig verzuim (manual 4): an error first, then a change.
    pagina.get_by_role("link", name="Wijzig verzuim").click()
    expect(pagina.get_by_role("heading", name="Verzuim", level=1)).to_be_visible()
    expect(pagina.get_by_label("Vermoedelijke reden")).to_have_value(
        "Vakantie buiten de schoolvakanties"
    )
    controleer_toegankelijkheid(pagina)
    einddatum = pagina.get_by_role("group", name=re.compile("Einddatum"))
    einddatum.get_by_label("jaar").fill("2030")
    pagina.get_by_role("button", name="Wijzigen", exact=True).click()
    expect(pagina.get_by_role("alert")).to_contain_text(
        "De einddatum mag niet in de toekomst liggen."
    )
    controleer_toegankelijkheid(pagina)
    # The summary links to the field.
    expect(
        pagina.get_by_role("link", name=re.compile("Einddatum: De einddatum"))
    ).to_have_attribute("href", "#id_einddatum_0")

    einddatum.get_by_label("jaar").fill(str(luxe.einddatum.year))
    pagina.get_by_label("Vermoedelijke reden").fill("afwezig vanwege ziekte")
    pagina.get_by_role("button", name="Wijzigen", exact=True).click()
    expect(pagina.get_by_role("status").filter(has_text="Gelukt")).to_contain_text(
        "De gegevens zijn aangepast."
    )
    verzuim = pagina.get_by_role("region", name="Verzuim", exact=True)
    expect(verzuim).to_contain_text("afwezig vanwege ziekte")
    expect(pagina.get_by_role("region", name="Wijzigingen")).to_contain_text(
        "Vermoedelijke reden: Vakantie buiten de schoolvakanties → afwezig vanwege ziekte"
    )
    controleer_toegankelijkheid(pagina)

    # Terug naar meldingenoverzicht: the search results the user came from.
    pagina.get_by_role("link", name="Terug naar meldingenoverzicht").click()
    expect(pagina).to_have_url(zoek_url)
    expect(pagina.get_by_label("Uitvoerende instantienaam")).to_have_value("GEMEENTE gron")
    pagina.get_by_role("link", name=nummer, exact=True).click()

    # Intrekken (manual 5): Anders without toelichting, then with.
    pagina.get_by_role("link", name=re.compile("^Intrekken")).click()
    expect(pagina.get_by_role("heading", name="Intrekken verzuimmelding")).to_be_visible()
    expect(
        pagina.get_by_text(f"{luxe.begindatum:%d-%m-%Y} t/m {luxe.einddatum:%d-%m-%Y}")
    ).to_be_visible()
    controleer_toegankelijkheid(pagina)
    pagina.get_by_label("Reden melding intrekken").select_option(label="Anders")
    pagina.get_by_role("button", name="Intrekken").click()
    expect(pagina.get_by_role("alert")).to_contain_text(
        "Geef een toelichting als de reden 'Anders' is."
    )
    controleer_toegankelijkheid(pagina)
    pagina.get_by_label("Toelichting").fill("Dubbel ingevoerd")
    pagina.get_by_role("button", name="Intrekken").click()
    expect(pagina.get_by_role("status").filter(has_text="Gelukt")).to_contain_text(
        "De verzuimmelding is ingetrokken."
    )
    expect(pagina.get_by_role("region", name="Melding", exact=True)).to_contain_text("Ingetrokken")
    expect(pagina.get_by_role("link", name=re.compile("^Intrekken"))).to_have_count(0)
    expect(pagina.get_by_role("link", name=re.compile("^Wijzig"))).to_have_count(0)
    controleer_toegankelijkheid(pagina)

    luxe.refresh_from_db()
    assert luxe.status == Status.INGETROKKEN
    assert luxe.vermoedelijke_reden == "afwezig vanwege ziekte"
    assert Melding.objects.filter(pk=luxe.pk).exists()


def test_terugkoppeling_en_paginering_toegankelijk(pagina, live_server, live_demo):
    afgesloten = live_demo.leerlingen["999999989"].meldingen.get(status=Status.AFGESLOTEN)
    inloggen(pagina, live_server, "melder")
    pagina.goto(f"{live_server.url}/meldingen/zoeken/")
    pagina.get_by_label("Meldingnummer").fill(str(afgesloten.nummer))
    pagina.get_by_role("button", name="Zoeken").click()
    # An exact number opens the melding straight away.
    terugkoppeling = pagina.get_by_role("region", name="Terugkoppeling behandelaar")
    expect(terugkoppeling).to_contain_text("J. de Boer")
    expect(terugkoppeling).to_contain_text("Leerplichtambtenaar")
    controleer_toegankelijkheid(pagina)


def test_wijzigpaginas_leerling_lesuren_acties(pagina, live_server, live_demo):
    """The other Wijzig pages, also after the buttons that only change the page, and with
    their error messages, pass axe-core; a contactpersoon and a verzuimdag are saved."""
    luxe = live_demo.leerlingen["999999989"].meldingen.get(soort=Verzuimsoort.LUXE)
    inloggen(pagina, live_server, "melder")
    detail = f"{live_server.url}/meldingen/{luxe.nummer}/"

    pagina.goto(detail)
    pagina.get_by_role("link", name="Wijzig leerling").click()
    expect(pagina.get_by_role("heading", name="Leerling", level=1)).to_be_visible()
    controleer_toegankelijkheid(pagina)
    pagina.get_by_role("button", name="Contactpersoon toevoegen").click()
    contactpersoon = pagina.get_by_role("dialog", name="Contactpersoon toevoegen")
    controleer_toegankelijkheid(pagina)
    contactpersoon.get_by_label("E-mail").fill("geen-adres")
    contactpersoon.get_by_role("button", name="Toevoegen").click()
    expect(contactpersoon).to_contain_text("Vul de naam in.")
    controleer_toegankelijkheid(pagina)
    contactpersoon.get_by_label("Naam").fill("P. de Vries")
    contactpersoon.get_by_label("E-mail").fill("p@example.nl")
    contactpersoon.get_by_role("button", name="Toevoegen").click()
    expect(pagina.get_by_role("row").filter(has_text="P. de Vries")).to_be_visible()
    pagina.get_by_role("button", name="Wijzigen", exact=True).click()
    expect(pagina.get_by_role("region", name="Contactpersonen leerling")).to_contain_text(
        "P. de Vries"
    )

    pagina.get_by_role("link", name="Wijzig lesuren").click()
    expect(pagina.get_by_role("heading", name="Lesuren", level=1)).to_be_visible()
    controleer_toegankelijkheid(pagina)
    # The days show once "Alle lessen gemist" is Nee.
    expect(pagina.get_by_role("button", name="Voeg dag toe")).to_be_hidden()
    pagina.get_by_role("group", name="Alle lessen gemist").get_by_label("Nee").check()
    pagina.get_by_role("button", name="Voeg dag toe").click()
    dag = pagina.get_by_role("group", name="Verzuimdag 1")
    dag.get_by_label("dag", exact=True).fill(str(luxe.begindatum.day))
    dag.get_by_label("maand").fill(str(luxe.begindatum.month))
    dag.get_by_label("jaar").fill(str(luxe.begindatum.year))
    dag.get_by_role("group", name="Hele dag").get_by_label("Nee").check()
    controleer_toegankelijkheid(pagina)
    pagina.get_by_role("button", name="Wijzigen", exact=True).click()
    expect(pagina.get_by_role("alert")).to_contain_text("Kies minimaal één lesuur.")
    controleer_toegankelijkheid(pagina)
    pagina.get_by_role("group", name="Verzuimdag 1").get_by_label("3", exact=True).check()
    pagina.get_by_role("button", name="Wijzigen", exact=True).click()
    expect(pagina.get_by_role("region", name="Lesuren", exact=True)).to_contain_text("Lesuur 3")

    pagina.get_by_role("link", name="Wijzig acties door school").click()
    expect(pagina.get_by_role("heading", name="Acties door school", level=1)).to_be_visible()
    controleer_toegankelijkheid(pagina)
    pagina.get_by_label("Anders").check()
    pagina.get_by_role("button", name="Wijzigen", exact=True).click()
    expect(pagina.get_by_role("alert")).to_contain_text("Licht de ondernomen actie 'Anders' toe.")
    controleer_toegankelijkheid(pagina)
    pagina.get_by_label("Toelichting ondernomen acties").fill("Huisbezoek")
    pagina.get_by_role("button", name="Wijzigen", exact=True).click()
    expect(pagina.get_by_role("region", name="Acties door school")).to_contain_text("Huisbezoek")
    controleer_toegankelijkheid(pagina)
