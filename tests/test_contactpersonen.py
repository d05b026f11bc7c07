"""Contactpersonen of block Leerling (manual 2.3) without JavaScript, in the wizard's step 1 and
on the Wijzig page of block Leerling alike: *Contactpersoon toevoegen* opens the fields of one
person with *Toevoegen* and *Sluit*; *Toevoegen* checks that person and adds a table row with
*Wijzig* and *Verwijderen*; *Sluit* leaves the contactpersonen as they were; an opened but
empty person never blocks Verder; at most five. The page is driven as a browser without
JavaScript drives it: every button posts the whole form as shown (`<template>`s are inert)."""

import abc
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils.datastructures import MultiValueDict

from meldingen.models import ContactpersoonLeerling, Melding, Verzuimsoort
from tests.wizard_hulp import (
    STANDAARD_BEGIN,
    STANDAARD_EIND,
    acties_data,
    lesuren_data,
    periode_data,
    post_stap,
    stap_url,
    start_url,
    verzuim_data,
)

pytestmark = pytest.mark.django_db

VERDER = None  # the page's own button: Verder in the wizard, Wijzigen on the Wijzig page


class _Formulier(HTMLParser):
    """What the page's form (`novalidate`) submits, outside `<template>`s and disabled
    controls; and the values of its buttons named `actie`."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.velden: list[tuple[str, str]] = []
        self.acties: list[str] = []
        self._in_form = False
        self._sjabloon = 0
        self._select: str | None = None
        self._opties: list[tuple[str, bool]] = []
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "template":
            self._sjabloon += 1
        if tag == "form" and "novalidate" in a:
            self._in_form = True
        if not self._in_form or self._sjabloon or "disabled" in a:
            return
        naam = a.get("name")
        if tag == "button" and naam == "actie":
            self.acties.append(a.get("value", ""))
        elif tag == "input" and naam:
            soort = a.get("type", "text")
            if soort in ("radio", "checkbox"):
                if "checked" in a:
                    self.velden.append((naam, a.get("value", "on")))
            elif soort not in ("submit", "button"):
                self.velden.append((naam, a.get("value") or ""))
        elif tag == "select":
            self._select, self._opties = naam, []
        elif tag == "option" and self._select:
            self._opties.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea":
            self._textarea = naam
            self.velden.append((naam, ""))

    def handle_data(self, data):
        if self._textarea:
            naam, waarde = self.velden[-1]
            self.velden[-1] = (naam, waarde + data)

    def handle_endtag(self, tag):
        if tag == "template":
            self._sjabloon -= 1
        elif tag == "form":
            self._in_form = False
        elif tag == "textarea" and self._textarea:
            naam, waarde = self.velden[-1]
            self.velden[-1] = (naam, waarde.removeprefix("\n"))
            self._textarea = None
        elif tag == "select" and self._select:
            gekozen = [w for w, s in self._opties if s] or [w for w, _ in self._opties[:1]]
            self.velden += [(self._select, w) for w in gekozen]
            self._select = None


def zichtbaar(html: str) -> str:
    """The page without its `<template>`s: what shows without JavaScript."""
    return re.sub(r"<template\b.*?</template>", "", html, flags=re.S)


def tekst(html: str) -> str:
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", zichtbaar(html), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def venster(html: str) -> str | None:
    """The text of the open venster (the fields of one contactpersoon), or None."""
    gevonden = re.search(r'<fieldset class="venster".*?</fieldset>', zichtbaar(html), re.S)
    return tekst(gevonden.group(0)) if gevonden else None


def rijen(html: str) -> list[list[str]]:
    """The contactpersonen table's rows: naam, relatie, contact (the buttons' cell left out)."""
    tabel = re.search(r'<table class="tabel contactpersonen">.*?</table>', zichtbaar(html), re.S)
    if not tabel:
        return []
    return [
        [tekst(cel) for cel in re.findall(r"<td>(.*?)</td>", rij, re.S)[:3]]
        for rij in re.findall(r"<tr>(.*?)</tr>", tabel.group(0).split("<tbody>")[1], re.S)
    ]


class Pagina(abc.ABC):
    """Block Leerling's page, clicked through as a browser without JavaScript would; the
    wizard's step (`Wizard`) or the Wijzig page (`Wijzig`)."""

    prefix: str  # the formset's
    form_prefix: str  # the block's fields'

    def __init__(self, client):
        self.client = client
        self.html = ""

    def laad(self):
        antwoord = self.client.get(self.url)
        assert antwoord.status_code == 200
        self.html = antwoord.content.decode()
        return self

    def veld(self, index: int, naam: str) -> str:
        return f"{self.prefix}-{index}-{naam}"

    def klik(self, actie: str | None = VERDER, *, vervalst=False, **getypt):
        """Post the form as shown, with `getypt` (full field names) typed over it, by the
        button `actie` (which the page must show, unless `vervalst`). Stays on the page when
        the answer does."""
        parser = _Formulier()
        parser.feed(self.html)
        data = MultiValueDict()
        for naam, waarde in parser.velden:
            data.appendlist(naam, waarde)
        for naam, waarde in getypt.items():
            data[naam] = waarde
        if actie is not None:
            assert vervalst or actie in parser.acties, (actie, parser.acties)
            data["actie"] = actie
        antwoord = self.client.post(self.url, data)
        if antwoord.status_code == 302 and antwoord["Location"] == self.url:
            antwoord = self.client.get(self.url)
        if antwoord.status_code == 200:
            self.html = antwoord.content.decode()
        return antwoord

    def voeg_toe(self, naam: str, **velden):
        """*Contactpersoon toevoegen*, fill in, *Toevoegen*."""
        self.klik("contactpersoon_toevoegen")
        index = len(rijen(self.html))
        getypt = {self.veld(index, "naam"): naam}
        getypt.update({self.veld(index, v): w for v, w in velden.items()})
        return self.klik("contactpersoon_opslaan", **getypt)

    @abc.abstractmethod
    def opgeslagen(self) -> list[tuple[str, str, str, str]]:
        """Verder to the end (Registreren) or Wijzigen; the contactpersonen stored."""


class Wizard(Pagina):
    prefix = "leerling-contactpersonen"
    form_prefix = "leerling-"

    def __init__(self, client, leerling):
        super().__init__(client)
        self.leerling = leerling
        self.url = stap_url(leerling, "leerling")
        client.get(start_url(leerling))

    def opgeslagen(self):
        antwoord = self.klik(VERDER)
        assert antwoord.status_code == 302, tekst(self.html)
        for stap, data in [
            ("verzuim", periode_data(STANDAARD_BEGIN, STANDAARD_EIND)),
            ("verzuim", verzuim_data(STANDAARD_BEGIN, STANDAARD_EIND)),
            ("lesuren", lesuren_data()),
            ("acties", acties_data()),
            ("overzicht", {}),
        ]:
            antwoord = post_stap(self.client, self.leerling, stap, data)
            assert antwoord.status_code == 302, antwoord.content.decode()[:3000]
        nummer = int(antwoord["Location"].rstrip("/").rsplit("/", 1)[1])
        melding = Melding.objects.get(nummer=nummer)
        return list(melding.contactpersonen.values_list("naam", "relatie", "email", "telefoon"))


class WijzigPagina(Pagina):
    prefix = "contactpersonen"
    form_prefix = ""

    def __init__(self, client, melding):
        super().__init__(client)
        self.melding = melding
        self.url = reverse("meldingen:wijzig", args=[melding.nummer, "leerling"])

    def opgeslagen(self):
        antwoord = self.klik(VERDER)
        assert antwoord.status_code == 302, tekst(self.html)
        assert antwoord["Location"] == reverse("meldingen:detail", args=[self.melding.nummer])
        return list(
            self.melding.contactpersonen.values_list("naam", "relatie", "email", "telefoon")
        )


@pytest.fixture
def luxe(demo):
    """999999989's Luxe verzuim melding, Geregistreerd, without contactpersonen."""
    return demo.leerlingen["999999989"].meldingen.get(soort=Verzuimsoort.LUXE)


@pytest.fixture(params=["wizard", "wijzig"])
def pagina(request, melder_client, demo, luxe):
    if request.param == "wizard":
        return Wizard(melder_client, demo.leerlingen["999999989"]).laad()
    return WijzigPagina(melder_client, luxe).laad()


# --- Contactpersoon toevoegen ---------------------------------------------------------------


def test_zonder_contactpersonen(pagina):
    assert "Deze verzuimmelding heeft geen contactpersonen bij de leerling." in tekst(pagina.html)
    assert rijen(pagina.html) == []
    assert venster(pagina.html) is None
    assert pagina.opgeslagen() == []


def test_contactpersoon_toevoegen_opent_de_velden_van_een_persoon(pagina):
    pagina.klik("contactpersoon_toevoegen")
    assert venster(pagina.html) == (
        "Contactpersoon toevoegen × Sluit Naam OPTIONEEL Relatie tot leerling Maximaal 50 "
        "karakters OPTIONEEL E-mail OPTIONEEL Telefoon Toevoegen"
    )
    # Nothing is judged yet, and one person is entered at a time.
    assert "Er is een probleem" not in tekst(pagina.html)
    assert 'value="contactpersoon_toevoegen"' not in zichtbaar(pagina.html)


def test_toevoegen_voegt_de_persoon_toe_als_rij(pagina):
    antwoord = pagina.voeg_toe(
        "Ineke de Vries", relatie="Moeder", email="ineke@example.nl", telefoon="06 12345678"
    )
    assert antwoord.status_code == 200
    assert "Er is een probleem" not in tekst(pagina.html)
    assert venster(pagina.html) is None
    assert rijen(pagina.html) == [["Ineke de Vries", "Moeder", "ineke@example.nl 06 12345678"]]
    t = tekst(pagina.html)
    assert "Wijzig Ineke de Vries" in t
    assert "Verwijderen Ineke de Vries" in t
    assert "Deze verzuimmelding heeft geen contactpersonen" not in t
    assert 'value="contactpersoon_toevoegen"' in zichtbaar(pagina.html)
    assert pagina.opgeslagen() == [("Ineke de Vries", "Moeder", "ineke@example.nl", "06 12345678")]


def test_toevoegen_controleert_alleen_die_ene_persoon(pagina):
    pagina.klik("contactpersoon_toevoegen")
    pagina.klik(
        "contactpersoon_opslaan",
        **{
            pagina.veld(0, "email"): "geen-adres",
            pagina.veld(0, "telefoon"): "12345",
            # A field elsewhere on the page that is not right yet: not judged by Toevoegen.
            f"{pagina.form_prefix}leerling_email": "ook-fout",
        },
    )
    open_venster = venster(pagina.html)
    assert "Vul de naam in." in open_venster
    assert "Vul een geldig e-mailadres in, zoals naam@school.nl." in open_venster
    assert "Vul een geldig telefoonnummer in" in open_venster
    t = tekst(pagina.html)
    assert "Er is een probleem" in t
    assert "Naam: Vul de naam in." in t  # the error summary, linked to the field
    assert t.count("Vul een geldig e-mailadres in") == 2  # the person's, in summary and field
    assert rijen(pagina.html) == []
    assert re.search(r"<title>Fout: ", pagina.html)

    pagina.klik(
        "contactpersoon_opslaan",
        **{pagina.veld(0, "naam"): "P. de Vries", pagina.veld(0, "email"): "p@example.nl"},
    )
    # The telefoon is still wrong: the person stays open with that one message.
    assert rijen(pagina.html) == []
    assert "Vul een geldig telefoonnummer in" in venster(pagina.html)
    assert "Vul de naam in." not in venster(pagina.html)
    pagina.klik("contactpersoon_opslaan", **{pagina.veld(0, "telefoon"): ""})
    assert rijen(pagina.html) == [["P. de Vries", "", "p@example.nl"]]


def test_toevoegen_van_een_lege_persoon_vraagt_de_naam(pagina):
    pagina.klik("contactpersoon_toevoegen")
    pagina.klik("contactpersoon_opslaan")
    assert "Vul de naam in." in venster(pagina.html)
    assert rijen(pagina.html) == []


def test_sluit_laat_niets_achter(pagina):
    pagina.klik("contactpersoon_toevoegen")
    pagina.klik("contactpersoon_sluiten", **{pagina.veld(0, "naam"): "Half getypt"})
    assert venster(pagina.html) is None
    assert rijen(pagina.html) == []
    assert "Half getypt" not in pagina.html
    assert "Deze verzuimmelding heeft geen contactpersonen bij de leerling." in tekst(pagina.html)
    assert pagina.opgeslagen() == []


def test_sluit_na_een_geweigerde_toevoegen(pagina):
    pagina.voeg_toe("A. Eerste")
    pagina.klik("contactpersoon_toevoegen")
    pagina.klik("contactpersoon_opslaan", **{pagina.veld(1, "email"): "fout"})
    assert "Vul de naam in." in venster(pagina.html)
    pagina.klik("contactpersoon_sluiten")
    assert venster(pagina.html) is None
    assert "Er is een probleem" not in tekst(pagina.html)
    assert rijen(pagina.html) == [["A. Eerste", "", ""]]
    assert pagina.opgeslagen() == [("A. Eerste", "", "", "")]


# --- Wijzig, Verwijderen ----------------------------------------------------------------------


def test_wijzig_opent_de_persoon_en_sluit_houdt_hem_ongewijzigd(pagina):
    pagina.voeg_toe("Ineke de Vries", relatie="Moeder")
    pagina.klik("contactpersoon_wijzigen_0")
    assert venster(pagina.html).startswith("Contactpersoon wijzigen × Sluit Naam")
    assert 'value="Ineke de Vries"' in zichtbaar(pagina.html)
    assert rijen(pagina.html) == []  # the person is in the venster now
    pagina.klik(
        "contactpersoon_sluiten",
        **{pagina.veld(0, "naam"): "Iemand anders", pagina.veld(0, "relatie"): ""},
    )
    assert venster(pagina.html) is None
    assert rijen(pagina.html) == [["Ineke de Vries", "Moeder", ""]]

    pagina.klik("contactpersoon_wijzigen_0")
    pagina.klik("contactpersoon_opslaan", **{pagina.veld(0, "relatie"): "Tante"})
    assert rijen(pagina.html) == [["Ineke de Vries", "Tante", ""]]
    assert pagina.opgeslagen() == [("Ineke de Vries", "Tante", "", "")]


def test_wijzig_met_een_fout_en_dan_sluit(pagina):
    pagina.voeg_toe("B. Tweede", telefoon="050 599 90 00")
    pagina.klik("contactpersoon_wijzigen_0")
    pagina.klik("contactpersoon_opslaan", **{pagina.veld(0, "naam"): ""})
    assert "Vul de naam in." in venster(pagina.html)
    assert venster(pagina.html).startswith("Contactpersoon wijzigen")
    pagina.klik("contactpersoon_sluiten")
    assert rijen(pagina.html) == [["B. Tweede", "", "050 599 90 00"]]
    assert pagina.opgeslagen() == [("B. Tweede", "", "", "050 599 90 00")]


def test_verwijderen(pagina):
    pagina.voeg_toe("A. Eerste")
    pagina.voeg_toe("B. Tweede")
    pagina.klik("contactpersoon_verwijderen_0")
    assert rijen(pagina.html) == [["B. Tweede", "", ""]]
    assert pagina.opgeslagen() == [("B. Tweede", "", "", "")]


def test_verwijderen_terwijl_een_persoon_open_is(pagina):
    pagina.voeg_toe("A. Eerste")
    pagina.klik("contactpersoon_toevoegen")
    # Without JavaScript the row above is still there, with Verwijderen (not with Wijzig).
    assert 'value="contactpersoon_wijzigen_0"' not in zichtbaar(pagina.html)
    pagina.klik("contactpersoon_verwijderen_0", **{pagina.veld(1, "naam"): "C. Derde"})
    assert rijen(pagina.html) == []
    assert "C. Derde" in zichtbaar(pagina.html)
    pagina.klik("contactpersoon_opslaan")
    assert rijen(pagina.html) == [["C. Derde", "", ""]]
    assert pagina.opgeslagen() == [("C. Derde", "", "", "")]


# --- Verder with a person open ----------------------------------------------------------------


def test_een_geopende_lege_persoon_houdt_verder_niet_tegen(pagina):
    pagina.voeg_toe("A. Eerste")
    pagina.klik("contactpersoon_toevoegen")
    assert pagina.opgeslagen() == [("A. Eerste", "", "", "")]


def test_de_lege_persoon_is_ook_uit_het_concept(melder_client, demo):
    wizard = Wizard(melder_client, demo.leerlingen["999999989"]).laad()
    wizard.klik("contactpersoon_toevoegen")
    assert wizard.klik(VERDER).status_code == 302
    # Back on step 1 (Vorige, or Wijzig on the Overzicht): nothing open, nothing added.
    wizard.laad()
    assert venster(wizard.html) is None
    assert rijen(wizard.html) == []


def test_een_half_getypte_persoon_krijgt_zijn_meldingen_bij_verder(pagina):
    pagina.klik("contactpersoon_toevoegen")
    antwoord = pagina.klik(VERDER, **{pagina.veld(0, "relatie"): "Moeder"})
    assert antwoord.status_code == 200
    assert "Vul de naam in." in venster(pagina.html)
    assert "Naam: Vul de naam in." in tekst(pagina.html)
    # Typed and right: Verder takes the person as Toevoegen would.
    assert pagina.klik(VERDER, **{pagina.veld(0, "naam"): "Ineke"}).status_code == 302
    if isinstance(pagina, WijzigPagina):
        stored = list(pagina.melding.contactpersonen.values_list("naam", "relatie"))
        assert stored == [("Ineke", "Moeder")]


def test_een_persoon_met_een_fout_opent_na_verder(pagina):
    """A person in the table with a problem (a form of before this page, an older stored
    one) opens after Verder with its messages, as Wijzig would open it."""
    antwoord = pagina.klik(
        VERDER,
        **{
            f"{pagina.prefix}-TOTAL_FORMS": "1",
            pagina.veld(0, "naam"): "Moeder",
            pagina.veld(0, "email"): "geen-adres",
        },
    )
    assert antwoord.status_code == 200
    assert venster(pagina.html).startswith("Contactpersoon wijzigen")
    assert "Vul een geldig e-mailadres in" in venster(pagina.html)
    pagina.klik("contactpersoon_sluiten")
    assert rijen(pagina.html) == [["Moeder", "", "geen-adres"]]


# --- At most five -----------------------------------------------------------------------------


def test_maximaal_vijf(pagina):
    for i in range(5):
        pagina.voeg_toe(f"Persoon {i + 1}")
    assert len(rijen(pagina.html)) == 5
    assert 'value="contactpersoon_toevoegen"' not in pagina.html
    assert "U heeft het maximum van vijf contactpersonen bereikt." in tekst(pagina.html)
    assert pagina.opgeslagen() == [(f"Persoon {i + 1}", "", "", "") for i in range(5)]


def test_een_zesde_wordt_geweigerd(pagina):
    getypt = {f"{pagina.prefix}-TOTAL_FORMS": "6"}
    getypt.update({pagina.veld(i, "naam"): f"Persoon {i}" for i in range(6)})
    antwoord = pagina.klik(VERDER, **getypt)
    assert antwoord.status_code == 200
    assert "Er is ruimte voor maximaal vijf contactpersonen." in tekst(pagina.html)


# --- The Wijzig page with stored contactpersonen ----------------------------------------------


def test_wijzig_pagina_met_opgeslagen_contactpersonen(melder_client, luxe):
    ContactpersoonLeerling.objects.create(
        melding=luxe, volgnummer=1, naam="P. de Vries", relatie="vader", email="p@example.nl"
    )
    ContactpersoonLeerling.objects.create(melding=luxe, volgnummer=2, naam="Oma")
    pagina = WijzigPagina(melder_client, luxe).laad()
    assert rijen(pagina.html) == [["P. de Vries", "vader", "p@example.nl"], ["Oma", "", ""]]
    pagina.klik("contactpersoon_wijzigen_1")
    assert 'value="Oma"' in zichtbaar(pagina.html)
    pagina.klik("contactpersoon_opslaan", **{pagina.veld(1, "telefoon"): "06-12345678"})
    pagina.klik("contactpersoon_verwijderen_0")
    pagina.voeg_toe("J. Jansen", relatie="buurman")
    assert pagina.opgeslagen() == [
        ("Oma", "", "", "06-12345678"),
        ("J. Jansen", "buurman", "", ""),
    ]


# --- What the script uses ---------------------------------------------------------------------


def test_vensters_voor_het_script(pagina):
    """With none open, the venster of each button waits in a <template>: what the server
    shows after that button's round trip, for the script to show as a dialog."""
    pagina.voeg_toe("A. Eerste")
    html = pagina.html
    nieuw = re.search(r'<template id="contactpersoon-venster-nieuw">(.*?)</template>', html, re.S)
    assert nieuw, html
    assert 'data-opent="contactpersoon-venster-nieuw"' in html
    assert f'data-totaal-veld="{pagina.prefix}-TOTAL_FORMS" data-totaal="2"' in nieuw.group(1)
    assert f'name="{pagina.prefix}-open" value="1"' in nieuw.group(1)
    assert "Contactpersoon toevoegen" in tekst(nieuw.group(1).replace("template", "div"))
    wijzig = re.search(r'<template id="contactpersoon-venster-0">(.*?)</template>', html, re.S)
    assert 'data-opent="contactpersoon-venster-0"' in html
    assert f'name="{pagina.prefix}-oud-naam" value="A. Eerste"' in wijzig.group(1)
    assert f'name="{pagina.prefix}-0-naam" value="A. Eerste"' in wijzig.group(1)
    # While one is open, there is nothing to open.
    pagina.klik("contactpersoon_toevoegen")
    assert "<template" not in pagina.html.split("<h2>Contactpersonen</h2>")[1]


# --- Tampered forms ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "actie", ["contactpersoon_wijzigen_7", "contactpersoon_wijzigen_x", "contactpersoon_wijzigen_²"]
)
def test_vervalste_knop(pagina, actie):
    pagina.client.raise_request_exception = False
    assert pagina.klik(actie, vervalst=True).status_code == 404


def test_sluit_en_toevoegen_zonder_open_persoon_veranderen_niets(pagina):
    pagina.voeg_toe("A. Eerste")
    for actie in ["contactpersoon_sluiten", "contactpersoon_opslaan"]:
        assert pagina.klik(actie, vervalst=True).status_code == 200
        assert rijen(pagina.html) == [["A. Eerste", "", ""]]
        assert venster(pagina.html) is None
