"""The page catalogue: every named URL of the project, with who sees it and how to reach its
normal state and its error state, or why it is not walked.

The WCAG modules (tests/browser/test_wcag_*.py) each walk every entry of `PAGINAS` in every
state; tests/test_paginacatalogus.py fails when a URL name of the project has no entry here
(in `PAGINAS` or in `UITGEZONDERD`), so a new page cannot be forgotten. docs/toegankelijkheid.md
describes the walk.

An entry (`Pagina`) names the URL, the demo user, the expected <title> and its states. A state
(`Toestand`) is a function that brings a browser page to that state: it opens the page itself,
except an error state that goes on from the normal state just shown (`al_daar`). The error state
is a form submitted with errors; the walk checks that it really shows an error (and that a
normal state shows none), so a state that silently stopped being an error state fails instead of
checking the wrong page. A page without a form has no error state and says why in `zonder_fout`.

Titles may hold placeholders, filled from `feiten()` (numbers and keys of the demo data, which
differ per database: the meldingnummer sequence is not reset by a flush). The Django admin's
entries are generated from the admin site's registry: a model in `BEHEERD` gets its list,
change page and (if it asks other fields) add page walked; a newly registered model fails the
catalogue until it is put in `BEHEERD` or, with the reason, in `NIET_BEHEERD`.
"""

import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.contrib.auth import get_user_model
from django.db import connections
from django.test import Client, RequestFactory
from django.urls import get_resolver
from django.utils import translation

from tests import wizard_hulp

BEHEERDER = "beheerder"
SITE = " - Verzuimloket"
BEHEER = " | Verzuimloket beheer"

# What shows that a state is an error state: the error summary, the refusal of a concurrent
# change (role="alert"), the admin's error note.
FOUTMELDING = ".foutoverzicht, .foutbalk[role=alert], .errornote"


# -- The catalogue's building blocks ----------------------------------------------------------


@dataclass(frozen=True)
class Toestand:
    naam: str
    fout: bool
    bereik: Callable[["Bezoek"], None]
    # Another demo user than the page's own (the 403 page as seen by several users).
    gebruiker: str | None = ""


@dataclass(frozen=True)
class Pagina:
    sleutel: str  # unique; the test id
    url_naam: str | None  # the named URL; None for the error pages, which have no URL
    gebruiker: str | None  # demo user; None: not logged in
    titel: str  # the whole expected <title>, placeholders from feiten()
    toestanden: tuple[Toestand, ...]
    zonder_fout: str = ""  # why there is no error state (then required)

    def __post_init__(self):
        assert any(t.fout for t in self.toestanden) or self.zonder_fout, self.sleutel
        # The first state opens the page (an error state may go on from the normal state
        # before it, `al_daar`, never from a page an earlier test left open).
        assert not self.toestanden[0].fout, self.sleutel


@dataclass(frozen=True)
class Uitgezonderd:
    url_naam: str
    reden: str


class Bezoek:
    """One browser page of a user, on the module's live server, with the demo's facts."""

    def __init__(self, pagina, site):
        self.pagina = pagina
        self.site = site
        self.feiten = site.feiten

    def pad(self, pad: str) -> str:
        return self.site.url + pad.format(**self.feiten)

    def ga(self, pad: str, status: int = 200, al_daar: bool = False):
        """Open `pad`. With `al_daar`, a page already open there is used as it is: the
        normal state just before left it there (a page load less per error state); the
        checks of a module may have changed its styles, never its form."""
        if al_daar and self.pagina.url == self.pad(pad):
            return
        antwoord = self.pagina.goto(self.pad(pad))
        assert antwoord is not None and antwoord.status == status, (
            f"{pad}: status {antwoord and antwoord.status}, verwacht {status}"
        )

    def klik(self, knop: str):
        """Press a submit button by its accessible name and wait for the page it leads to."""
        with self.pagina.expect_navigation():
            self.pagina.get_by_role("button", name=knop, exact=True).first.click()

    def vul(self, label: str, waarde: str):
        self.pagina.get_by_label(label, exact=True).first.fill(waarde)

    def met_client(self, werk: Callable[[Client], None]) -> None:
        """Run `werk` with Django's test client on the browser's session: the wizard's earlier
        steps are filled through it (fast), the browser then shows the step under test.

        In a thread of its own: the test's thread holds the test's transaction (the
        `django_db` mark), whose writes the live server would not see; a new thread has a
        connection of its own that commits each statement."""
        naam = settings.SESSION_COOKIE_NAME
        sessie = next(c for c in self.pagina.context.cookies() if c["name"] == naam)

        def in_draad():
            try:
                client = Client()
                client.cookies[naam] = sessie["value"]
                werk(client)
            finally:
                connections.close_all()

        with ThreadPoolExecutor(max_workers=1) as draad:
            draad.submit(in_draad).result()


def titel(pagina: Pagina, feiten: dict, fout: bool) -> str:
    return ("Fout: " if fout else "") + pagina.titel.format(**feiten)


def titel_vorm(pagina: Pagina) -> str:
    """The title with every placeholder the same: two pages whose titles differ only in a
    number (Melding 4000001 / Melding 4000002 of two different pages) are not unique."""
    return re.sub(r"\{\w+\}", "…", pagina.titel)


# -- States -----------------------------------------------------------------------------------


def _ga(pad: str, status: int = 200):
    def bereik(b: Bezoek):
        b.ga(pad, status)

    return bereik


def normaal(pad: str, status: int = 200, naam: str = "normaal", gebruiker: str | None = ""):
    return Toestand(naam, False, _ga(pad, status), gebruiker)


def fout(pad: str, *acties: Callable[[Bezoek], None], knop: str, naam: str = "fout"):
    """Open `pad`, do `acties` (fill a wrong value), press `knop`."""

    def bereik(b: Bezoek):
        b.ga(pad, al_daar=True)
        for actie in acties:
            actie(b)
        b.klik(knop)

    return Toestand(naam, True, bereik)


def vul(label: str, waarde: str):
    return lambda b: b.vul(label, waarde)


def vul_veld(veld_id: str, waarde: str):
    return lambda b: b.pagina.locator(f"#{veld_id}").fill(waarde)


def kies(label: str, optie: str):
    return lambda b: b.pagina.get_by_label(label, exact=True).select_option(label=optie)


def ja_nee(groep: str, antwoord: str):
    return lambda b: (
        b.pagina.get_by_role("group", name=groep, exact=True)
        .get_by_label(antwoord, exact=True)
        .check()
    )


def vinkjes_uit(groep: str):
    def actie(b: Bezoek):
        for vinkje in b.pagina.get_by_role("group", name=groep).get_by_role("checkbox").all():
            vinkje.uncheck()

    return actie


def _verkeerde_versie(b: Bezoek):
    # What another behandelaar's change in between does: the versie sent is not the melding's.
    b.pagina.locator("input[name=versie]").evaluate("veld => { veld.value = '99999'; }")


# -- The wizard: earlier steps through the test client ----------------------------------------

WIZARD = "/meldingen/nieuw/{mila}/"


# The wizard's steps in order; "verzuim-volledig" is step 2 after its first phase (the period).
WIZARD_STAPPEN = ["leerling", "verzuim", "verzuim-volledig", "lesuren", "acties", "overzicht"]


def _wizard(tot: str, *acties: Callable[[Bezoek], None], knop: str | None = None):
    """A new draft for Mila filled up to step `tot`; the browser opens that step (and, for the
    error state, does `acties` and presses `knop`)."""

    def invullen(client: Client, leerling: _Leerling):
        begin, eind = wizard_hulp.STANDAARD_BEGIN, wizard_hulp.STANDAARD_EIND
        # What each step after Leerling posts to be done: the period, the rest of Verzuim,
        # Lesuren, Acties school.
        posts = [
            ("verzuim", wizard_hulp.periode_data(begin, eind)),
            ("verzuim", wizard_hulp.verzuim_data(begin, eind)),
            ("lesuren", wizard_hulp.lesuren_data()),
            ("acties", wizard_hulp.acties_data()),
        ]
        if tot == "leerling":
            client.get(wizard_hulp.start_url(leerling))  # a new, empty draft
        else:
            wizard_hulp.tot_verzuim(client, leerling)
        for stap, data in posts[: max(0, WIZARD_STAPPEN.index(tot) - 1)]:
            antwoord = wizard_hulp.post_stap(client, leerling, stap, data)
            assert antwoord.status_code == 302, antwoord.content.decode()[:2000]

    def bereik(b: Bezoek):
        pad = f"{WIZARD}{tot.removesuffix('-volledig')}/"
        # The error state follows the normal state of the same step, whose draft is there.
        if not (knop and b.pagina.url == b.pad(pad)):
            leerling = _Leerling(b.feiten["mila"])
            b.met_client(lambda client: invullen(client, leerling))
            b.ga(pad)
        for actie in acties:
            actie(b)
        if knop:
            b.klik(knop)

    return bereik


@dataclass(frozen=True)
class _Leerling:
    pk: int


def wizardstap(tot: str, *acties, knop: str = "Verder", naam: str = "") -> tuple:
    voor = f"{naam} " if naam else ""
    return (
        Toestand(f"{voor}normaal", False, _wizard(tot)),
        Toestand(f"{voor}fout", True, _wizard(tot, *acties, knop=knop)),
    )


# -- The catalogue: school side, instantie side, login and error pages ------------------------

LUXE = "/meldingen/{luxe}/"
DAAN = "/behandeling/meldingen/{daan}/"
NIET_GEVONDEN = "/meldingen/1/"

PAGINAS_SITE = [
    Pagina(
        "login",
        "login",
        None,
        "Inloggen" + SITE,
        (
            normaal("/inloggen/"),
            fout(
                "/inloggen/",
                vul("Gebruikersnaam", "onbekend"),
                vul("Wachtwoord", "fout"),
                knop="Inloggen",
            ),
        ),
    ),
    Pagina(
        "kies_instelling",
        "kies_instelling",
        "melder2",
        "Kies instellingscode" + SITE,
        (normaal("/instelling/"), fout("/instelling/", knop="Verder")),
    ),
    Pagina(
        "kies_instelling organisatie",
        "kies_instelling",
        "lpa-en-melder",
        "Kies organisatie" + SITE,
        (normaal("/instelling/"), fout("/instelling/", knop="Verder")),
    ),
    Pagina(
        "leerlingen:zoeken",
        "leerlingen:zoeken",
        "melder",
        "Zoek leerling" + SITE,
        (normaal("/"), fout("/", knop="Zoeken")),
    ),
    Pagina(
        "meldingen:leerling_overzicht",
        "meldingen:leerling_overzicht",
        "melder",
        "Leerling overzicht" + SITE,
        (normaal("/leerling/{sanne}/"),),
        zonder_fout="Geen formulier: gegevens, de knop Registreer nieuwe melding en de tabel.",
    ),
    Pagina(
        "meldingen:zoeken",
        "meldingen:zoeken",
        "melder",
        "Zoek melding" + SITE,
        (
            # With results: the form and the table of meldingen.
            normaal("/meldingen/zoeken/?instantienaam=Gemeente"),
            fout("/meldingen/zoeken/", knop="Zoeken"),
        ),
    ),
    Pagina(
        "meldingen:detail",
        "meldingen:detail",
        "melder",
        "Melding {luxe}" + SITE,
        (normaal(LUXE),),
        zonder_fout="Geen formulier: de blokken van de melding met hun Wijzig-links.",
    ),
    Pagina(
        "meldingen:wijzig leerling",
        "meldingen:wijzig",
        "melder",
        "Leerling wijzigen - melding {luxe}" + SITE,
        (
            normaal(LUXE + "wijzig/leerling/"),
            fout(LUXE + "wijzig/leerling/", vul("OPTIONEEL E-mail", "geen-adres"), knop="Wijzigen"),
        ),
    ),
    Pagina(
        "meldingen:wijzig verzuim",
        "meldingen:wijzig",
        "melder",
        "Verzuim wijzigen - melding {luxe}" + SITE,
        (
            normaal(LUXE + "wijzig/verzuim/"),
            fout(
                LUXE + "wijzig/verzuim/",
                lambda b: (
                    b.pagina.get_by_role("group", name=re.compile("Einddatum"))
                    .get_by_label("jaar")
                    .fill("2030")
                ),
                knop="Wijzigen",
            ),
        ),
    ),
    Pagina(
        "meldingen:wijzig lesuren",
        "meldingen:wijzig",
        "melder",
        "Lesuren wijzigen - melding {luxe}" + SITE,
        (
            normaal(LUXE + "wijzig/lesuren/"),
            fout(LUXE + "wijzig/lesuren/", ja_nee("Alle lessen gemist", "Nee"), knop="Wijzigen"),
        ),
    ),
    Pagina(
        "meldingen:wijzig acties",
        "meldingen:wijzig",
        "melder",
        "Acties door school wijzigen - melding {luxe}" + SITE,
        (
            normaal(LUXE + "wijzig/acties/"),
            fout(
                LUXE + "wijzig/acties/",
                vinkjes_uit("Ondernomen actie door school"),
                knop="Wijzigen",
            ),
        ),
    ),
    Pagina(
        "meldingen:intrekken",
        "meldingen:intrekken",
        "melder",
        "Intrekken verzuimmelding {luxe}" + SITE,
        (
            normaal(LUXE + "intrekken/"),
            fout(LUXE + "intrekken/", kies("Reden melding intrekken", "Anders"), knop="Intrekken"),
        ),
    ),
    Pagina(
        "meldingen:registreren leerling",
        "meldingen:registreren",
        "melder",
        "Leerling - Stap 1 van 6" + SITE,
        wizardstap("leerling", vul("OPTIONEEL E-mail", "geen-adres")),
    ),
    Pagina(
        "meldingen:registreren verzuim",
        "meldingen:registreren",
        "melder",
        "Verzuim - Stap 2 van 6" + SITE,
        # Two phases on one URL: first only the period, then every field of the block.
        wizardstap("verzuim", naam="periode") + wizardstap("verzuim-volledig", naam="volledig"),
    ),
    Pagina(
        "meldingen:registreren lesuren",
        "meldingen:registreren",
        "melder",
        "Lesuren - Stap 3 van 6" + SITE,
        wizardstap("lesuren", ja_nee("Alle lessen gemist", "Nee")),
    ),
    Pagina(
        "meldingen:registreren acties",
        "meldingen:registreren",
        "melder",
        "Acties school - Stap 4 van 6" + SITE,
        wizardstap("acties"),
    ),
    Pagina(
        "meldingen:registreren overzicht",
        "meldingen:registreren",
        "melder",
        "Overzicht - Stap 5 van 6" + SITE,
        (Toestand("normaal", False, _wizard("overzicht")),),
        zonder_fout="Het Overzicht heeft alleen het vinkje Stuur e-mail naar melder: het kan "
        "niet fout zijn. Weigert de registratie (een andere melding overlapt intussen), dan "
        "toont de wizard de fout op de stap waar die hoort, die wel in fouttoestand gelopen "
        "wordt.",
    ),
    Pagina(
        "meldingen:registreren_bevestiging",
        "meldingen:registreren_bevestiging",
        "melder",
        "Bevestiging - Stap 6 van 6" + SITE,
        (normaal("/meldingen/nieuw/{sanne}/bevestiging/{luxe}/"),),
        zonder_fout="Geen formulier: de melding is geregistreerd (Gelukt en het nummer).",
    ),
    Pagina(
        "behandeling:werkvoorraad",
        "behandeling:werkvoorraad",
        "lpa-groningen",
        "Werkvoorraad" + SITE,
        (
            normaal("/behandeling/"),
            fout("/behandeling/", vul("OPTIONEEL Meldende instelling", "XX"), knop="Filteren"),
        ),
    ),
    Pagina(
        "behandeling:melding",
        "behandeling:melding",
        "lpa-groningen",
        "Melding {daan} - Werkvoorraad" + SITE,
        (normaal(DAAN),),
        zonder_fout="Geen invoervelden: de blokken van de melding en de knoppen en links van "
        "de acties (elke actie met velden heeft een eigen pagina, hieronder).",
    ),
    Pagina(
        "behandeling:actie in_behandeling_nemen",
        "behandeling:actie",
        "lpa-groningen",
        "In behandeling nemen - melding {luxe}" + SITE,
        (
            normaal("/behandeling/meldingen/{luxe}/in_behandeling_nemen/"),
            # Its only field is the hidden versie: the error a user can meet is the melding
            # changed by someone else in between.
            fout(
                "/behandeling/meldingen/{luxe}/in_behandeling_nemen/",
                _verkeerde_versie,
                knop="In behandeling nemen",
            ),
        ),
    ),
    Pagina(
        "behandeling:actie terugkoppeling_geven",
        "behandeling:actie",
        "lpa-groningen",
        "Terugkoppeling geven - melding {daan}" + SITE,
        (
            normaal(DAAN + "terugkoppeling_geven/"),
            fout(DAAN + "terugkoppeling_geven/", vul("Naam", ""), knop="Terugkoppeling geven"),
        ),
    ),
    Pagina(
        "behandeling:actie afsluiten",
        "behandeling:actie",
        "lpa-groningen",
        "Afsluiten - melding {daan}" + SITE,
        (normaal(DAAN + "afsluiten/"), fout(DAAN + "afsluiten/", knop="Afsluiten")),
    ),
    Pagina(
        "behandeling:actie ter_kennisgeving_aannemen",
        "behandeling:actie",
        "lpa-groningen",
        "Ter kennisgeving aannemen - melding {daan}" + SITE,
        (
            normaal(DAAN + "ter_kennisgeving_aannemen/"),
            fout(DAAN + "ter_kennisgeving_aannemen/", knop="Ter kennisgeving aannemen"),
        ),
    ),
    Pagina(
        "behandeling:actie doorsturen",
        "behandeling:actie",
        "lpa-groningen",
        "Doorsturen - melding {daan}" + SITE,
        (normaal(DAAN + "doorsturen/"), fout(DAAN + "doorsturen/", knop="Doorsturen")),
    ),
    Pagina(
        "403",
        None,
        "zonderrol",
        "Geen toegang" + SITE,
        (
            # No role: the whole verzuimloket is closed.
            normaal("/", status=403, naam="zonder rol"),
            # A melder on a page of the instantie side.
            normaal("/behandeling/", status=403, naam="ander soort", gebruiker="melder"),
            # Django's PermissionDenied (403.html): a read-only model's add page in the admin.
            normaal(
                "/beheer/leerlingen/inzage/add/",
                status=403,
                naam="permission denied",
                gebruiker=BEHEERDER,
            ),
        ),
        zonder_fout="Een foutpagina zonder formulier (alleen de knop Uitloggen).",
    ),
    Pagina(
        "404",
        None,
        "melder",
        "Pagina niet gevonden" + SITE,
        (normaal(NIET_GEVONDEN, status=404),),
        zonder_fout="Een foutpagina zonder formulier.",
    ),
]

# -- The Django admin, as the beheerder uses it -----------------------------------------------


def _nl(tekst: str) -> str:
    with translation.override("nl"):
        return translation.gettext(tekst)


def _beheerder_verzoek():
    # The permission methods of the admin classes only look at the user: an active superuser
    # (the demo's beheerder) that needs no database.
    verzoek = RequestFactory().get("/beheer/")
    verzoek.user = get_user_model()(is_active=True, is_staff=True, is_superuser=True)
    return verzoek


def beheer_sleutel(model) -> str:
    return f"{model._meta.app_label}_{model._meta.model_name}"


def beheer_modellen():
    return sorted(admin.site._registry.items(), key=lambda item: beheer_sleutel(item[0]))


# The models the beheerder manages (README: the registers, the routing, users, roles and
# machtigingen, the koppelingen) and the meldingen; their list, change page and (where it asks
# other fields than the change page) add page are walked.
BEHEERD = {
    "auth.user",
    "koppelvlak.koppeling",
    "leerlingen.alternatieveroutering",
    "leerlingen.gemeente",
    "leerlingen.inschrijving",
    "leerlingen.instelling",
    "leerlingen.leerling",
    "leerlingen.machtiging",
    "leerlingen.onderwijsaanbieder",
    "leerlingen.onderwijslocatie",
    "leerlingen.postcodegebied",
    "leerlingen.uitvoerendeinstantie",
    "meldingen.melding",
}
_LOG = (
    "Een logboek dat de beheerder alleen leest, geen register dat hij beheert: buiten de "
    "reikwijdte van de evaluatie (de index, en de lijsten en formulieren van wat de beheerder "
    "beheert). Het zijn dezelfde Django-sjablonen als de gelopen lijsten en wijzigpagina's."
)
# Registered in the admin but not managed by the beheerder, each with the reason.
NIET_BEHEERD = {
    "auth.group": "De rollen (groepen verzuimloketmelder en behandelaar) maken de migraties; "
    "de beheerder kent ze toe op de pagina van de gebruiker, die gelopen wordt.",
    "axes.accessattempt": _LOG,
    "axes.accessfailurelog": _LOG,
    "axes.accesslog": _LOG,
    "django_tasks_database.dbtaskresult": _LOG,
    "leerlingen.inzage": _LOG,
    "meldingen.meldingwijziging": _LOG,
    "verzuimloket.teller": _LOG,
}
_OBJECTPAGINA = (
    "Geschiedenis en verwijderbevestiging: buiten de reikwijdte van de evaluatie (de index, en "
    "de lijsten en formulieren van wat de beheerder beheert); Django's eigen sjablonen zonder "
    "invoervelden."
)


def _leeg_en_opslaan(b: Bezoek):
    """The admin form with every required field emptied, then Opslaan: Django's own messages
    for the beheerder's most common mistake (a field left empty)."""
    # Through the DOM: an autocomplete field's <select> is hidden behind Select2's box, and
    # the template row of a table of rows (__prefix__) is not part of what is sent.
    geleegd = b.pagina.evaluate(
        """() => {
            const velden = document.querySelectorAll(
                "#content-main form [required]:not([name*=__prefix__])");
            velden.forEach(veld => { veld.value = ""; });
            return velden.length;
        }"""
    )
    assert geleegd, "geen verplicht veld om leeg te maken"
    b.klik(_nl("Save"))


def _velden(model_admin, verzoek, toevoegen: bool) -> dict:
    obj = None if toevoegen else model_admin.model()
    return model_admin.get_form(verzoek, obj, fields=None).base_fields


def _verplicht_veld(model_admin, verzoek, toevoegen: bool) -> bool:
    """Whether the admin's form has a field the beheerder must fill: only then can it be
    submitted with an error (a model whose fields are all read-only just saves)."""
    velden = _velden(model_admin, verzoek, toevoegen).values()
    return any(v.required and not v.widget.is_hidden for v in velden)


def _eigen_toevoegpagina(model_admin, verzoek) -> bool:
    """Whether adding asks other fields than changing (the user's password, the koppeling's
    organisation): then the add page is a page of its own. A code that is the key, editable
    only when adding, does not make another page."""
    sleutel = model_admin.model._meta.pk.name
    toevoegen = set(_velden(model_admin, verzoek, True)) - {sleutel}
    return toevoegen != set(_velden(model_admin, verzoek, False)) - {sleutel}


def _beheer_fout(pad: str, naam: str = "fout"):
    def bereik(b: Bezoek):
        b.ga(pad, al_daar=True)
        _leeg_en_opslaan(b)

    return Toestand(naam, True, bereik)


def _model_label(model) -> str:
    return model._meta.label_lower


def _beheer_paginas() -> list[Pagina]:
    get_resolver().url_patterns  # noqa: B018 - the URLconf names the admin site (index_title)
    verzoek = _beheerder_verzoek()
    onbekend = {
        _model_label(m) for m, _ in beheer_modellen() if _model_label(m) not in BEHEERD
    } - set(NIET_BEHEERD)
    assert not onbekend, (
        f"Nieuw in het beheer: {onbekend}. Zet het model in BEHEERD (gelopen) of in "
        "NIET_BEHEERD (met de reden)."
    )
    paginas = [
        Pagina(
            "admin:index",
            "admin:index",
            BEHEERDER,
            admin.site.index_title + BEHEER,
            (normaal("/beheer/"),),
            zonder_fout="Geen formulier: de lijst van registers.",
        ),
        Pagina(
            "admin:login",
            "admin:login",
            None,
            _nl("Log in") + BEHEER,
            (
                normaal("/beheer/login/"),
                fout(
                    "/beheer/login/",
                    vul("Gebruikersnaam:", "beheerder"),
                    vul("Wachtwoord:", "fout"),
                    knop=_nl("Log in"),
                ),
            ),
        ),
        Pagina(
            "admin:password_change",
            "admin:password_change",
            BEHEERDER,
            _nl("Password change") + BEHEER,
            (
                normaal("/beheer/password_change/"),
                # The browser itself refuses empty fields here (required, no novalidate):
                # what the server refuses is a wrong old password and two new ones that differ.
                fout(
                    "/beheer/password_change/",
                    vul_veld("id_old_password", "fout"),
                    vul_veld("id_new_password1", "nieuw-wachtwoord-1"),
                    vul_veld("id_new_password2", "nieuw-wachtwoord-2"),
                    knop=_nl("Change my password"),
                ),
            ),
        ),
    ]
    for model, model_admin in beheer_modellen():
        if _model_label(model) not in BEHEERD:
            continue
        sleutel = beheer_sleutel(model)
        naam = model._meta.verbose_name
        basis = f"/beheer/{model._meta.app_label}/{model._meta.model_name}/"
        object_pad = basis + "{" + sleutel + "_pk}/"
        wijzigen = model_admin.has_change_permission(verzoek)
        fout_mogelijk = wijzigen and _verplicht_veld(model_admin, verzoek, toevoegen=False)
        paginas.append(
            Pagina(
                f"admin:{sleutel}_changelist",
                f"admin:{sleutel}_changelist",
                BEHEERDER,
                _nl("Select %s to change" if wijzigen else "Select %s to view") % naam + BEHEER,
                (normaal(basis),),
                zonder_fout="De zoekbalk en de filters geven geen foutmelding (een onbekend "
                "filter laat Django de lijst zonder filter tonen); de lijst heeft geen "
                "bewerkbare kolommen.",
            )
        )
        paginas.append(
            Pagina(
                f"admin:{sleutel}_change",
                f"admin:{sleutel}_change",
                BEHEERDER,
                "{"
                + sleutel
                + "_naam} | "
                + _nl("Change %s" if wijzigen else "View %s") % naam
                + BEHEER,
                (normaal(object_pad + "change/"),)
                + ((_beheer_fout(object_pad + "change/"),) if fout_mogelijk else ()),
                zonder_fout=""
                if fout_mogelijk
                else "Geen veld dat de beheerder moet invullen (alle velden alleen lezen of "
                "optioneel): opslaan kan niet fout gaan.",
            )
        )
        if model_admin.has_add_permission(verzoek) and _eigen_toevoegpagina(model_admin, verzoek):
            paginas.append(
                Pagina(
                    f"admin:{sleutel}_add",
                    f"admin:{sleutel}_add",
                    BEHEERDER,
                    _nl("Add %s") % naam + BEHEER,
                    (normaal(basis + "add/"), _beheer_fout(basis + "add/")),
                )
            )
        if sleutel == "auth_user":  # UserAdmin's own page: a user's new password
            paginas.append(
                Pagina(
                    "admin:auth_user_password_change",
                    "admin:auth_user_password_change",
                    BEHEERDER,
                    _nl("Change password: %s") % "{auth_user_naam}" + BEHEER,
                    (
                        normaal(object_pad + "password/"),
                        fout(object_pad + "password/", knop=_nl("Change password")),
                    ),
                )
            )
    return paginas


def _beheer_uitgezonderd() -> list[Uitgezonderd]:
    verzoek = _beheerder_verzoek()
    uit = [
        Uitgezonderd("admin:logout", "Alleen POST: logt uit en stuurt door naar de inlogpagina."),
        Uitgezonderd("admin:jsi18n", "JavaScript (Django's vertaalcatalogus), geen pagina."),
        Uitgezonderd("admin:view_on_site", "Alleen een doorverwijzing naar de site."),
        Uitgezonderd("admin:autocomplete", "JSON voor de zoekvelden van het beheer."),
        Uitgezonderd(
            "admin:password_change_done",
            "Alleen de zin dat het wachtwoord gewijzigd is, in het sjabloon van de gelopen "
            "pagina Wachtwoord wijzigen.",
        ),
        Uitgezonderd(
            "admin:app_list",
            "De index van één app: hetzelfde sjabloon en dezelfde lijst als de gelopen "
            "admin:index, beperkt tot die app.",
        ),
    ]
    for model, model_admin in beheer_modellen():
        sleutel = beheer_sleutel(model)
        label = _model_label(model)
        if label not in BEHEERD:
            for soort in ("changelist", "change", "add", "history", "delete"):
                uit.append(Uitgezonderd(f"admin:{sleutel}_{soort}", NIET_BEHEERD[label]))
            continue
        if not model_admin.has_add_permission(verzoek):
            uit.append(
                Uitgezonderd(
                    f"admin:{sleutel}_add",
                    "De beheerder voegt deze niet toe: Django's 403-pagina (de entry 403).",
                )
            )
        elif not _eigen_toevoegpagina(model_admin, verzoek):
            uit.append(
                Uitgezonderd(
                    f"admin:{sleutel}_add",
                    f"Hetzelfde formulier met dezelfde velden als admin:{sleutel}_change, dat "
                    "in beide toestanden gelopen wordt.",
                )
            )
        uit.append(Uitgezonderd(f"admin:{sleutel}_history", _OBJECTPAGINA))
        uit.append(Uitgezonderd(f"admin:{sleutel}_delete", _OBJECTPAGINA))
    return uit


PAGINAS: list[Pagina] = PAGINAS_SITE + _beheer_paginas()

UITGEZONDERD: list[Uitgezonderd] = [
    Uitgezonderd("logout", "Alleen POST: logt uit en stuurt door naar de inlogpagina."),
    Uitgezonderd("gezond_leeft", "Gezondheidscontrole voor de load balancer: tekst, geen HTML."),
    Uitgezonderd("gezond_klaar", "Gezondheidscontrole voor de load balancer: tekst, geen HTML."),
    Uitgezonderd(
        "meldingen:registreren_start",
        "Alleen een doorverwijzing: begint een concept en stuurt door naar stap 1 "
        "(meldingen:registreren leerling), die gelopen wordt; met ?annuleren terug naar het "
        "Leerling overzicht.",
    ),
    Uitgezonderd("meldingen:locatie", "JSON voor het script (adres bij een onderwijslocatiecode)."),
    *_beheer_uitgezonderd(),
]

# Whole namespaces out of scope: the API is JSON for administratiepakketten and leerplicht
# software (no pages), checked by its own contract tests.
BUITEN_BEREIK = {
    "koppelvlak": "Het koppelvlak (/api/v1) geeft JSON voor software, geen pagina's voor "
    "mensen; de interactieve documentatie (/api/v1/docs) is Swagger UI van derden voor "
    "ontwikkelaars.",
}


# -- The demo's facts the catalogue's paths and titles need -----------------------------------


def beheer_voorbeelden(demo) -> None:
    """One record of every managed admin model the demo itself does not fill, so every walked
    change page has something to show."""
    from koppelvlak.services import koppeling_aanmaken
    from leerlingen.models import AlternatieveRoutering, Categorie, Gemeente

    koppeling_aanmaken(naam="Magister 24GP", instelling=demo.instellingen["24GP"])
    # A routing of Smallingerland's 18+ pupils elsewhere: no pupil of the walk lives there.
    AlternatieveRoutering.objects.create(
        gemeente=Gemeente.objects.get(naam="Smallingerland"),
        categorie=Categorie.ACHTTIEN_PLUS,
        instantie=demo.instanties["RMC regio Groningen"],
    )


def feiten(demo) -> dict:
    from meldingen.models import Melding, Status

    luxe = Melding.objects.get(leerling__pgn="999999989", status=Status.GEREGISTREERD)
    daan = Melding.objects.get(leerling__pgn="999990007", status=Status.IN_BEHANDELING)
    uitkomst = {
        "sanne": demo.leerlingen["999999989"].pk,
        "mila": demo.leerlingen["101000012"].pk,
        "luxe": luxe.nummer,
        "daan": daan.nummer,
    }
    leeg = []
    for model, _ in beheer_modellen():
        if _model_label(model) not in BEHEERD:
            continue
        sleutel = beheer_sleutel(model)
        voorbeeld = model._default_manager.order_by("pk").first()
        if voorbeeld is None:
            leeg.append(model._meta.label)
            continue
        uitkomst[f"{sleutel}_pk"] = quote(voorbeeld.pk)
        uitkomst[f"{sleutel}_naam"] = str(voorbeeld)
    assert not leeg, f"Geen voorbeeld voor de wijzigpagina van {leeg}: maak er een in "
    "beheer_voorbeelden()"
    return uitkomst


# -- Walking one page ------------------------------------------------------------------------


@dataclass
class Stand:
    """A page in one of its states, for the checks of a WCAG module."""

    pagina: object  # playwright Page
    toestand: Toestand
    titel: str = field(default="")

    def __str__(self):
        return f"{self.toestand.naam} ({self.pagina.url})"


def doorloop(site, pagina: Pagina, **context_opties):
    """Bring the page in each of its states, in the module's tab of its user (logged in once
    per module); yields a `Stand` per state. Checks that an error state shows an error and a
    normal state none. Every state but an error state right after its own normal state starts
    by opening its page."""
    for toestand in pagina.toestanden:
        gebruiker = pagina.gebruiker if toestand.gebruiker == "" else toestand.gebruiker
        tab = site.tab(gebruiker, **context_opties)
        toestand.bereik(Bezoek(tab, site))
        # The page has loaded (goto and a form's submit wait for it): one look, no waiting.
        meldingen = tab.evaluate(
            "selector => [...document.querySelectorAll(selector)]"
            ".filter(el => el.getClientRects().length).length",
            FOUTMELDING,
        )
        if toestand.fout:
            assert meldingen, f"{pagina.sleutel}, {toestand.naam}: geen foutmelding op {tab.url}"
        else:
            assert not meldingen, f"{pagina.sleutel}, {toestand.naam}: foutmelding op {tab.url}"
        yield Stand(tab, toestand, titel(pagina, site.feiten, toestand.fout))


def gebruikers() -> set[str]:
    """Every demo user the walk logs in as."""
    namen = {p.gebruiker for p in PAGINAS} | {t.gebruiker for p in PAGINAS for t in p.toestanden}
    return namen - {None, ""}


def ids(paginas: list[Pagina]) -> list[str]:
    return [p.sleutel for p in paginas]
