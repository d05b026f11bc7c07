"""The page catalogue (tests/browser/paginas.py) is complete: every named URL of the project
has an entry that the WCAG browser tests walk, or is excluded with a reason; and what the
browser tests rely on holds (unique titles, a reason for every page without an error state).
No browser and no database: this runs in the quick part of the suite."""

from django.urls import URLPattern, URLResolver, get_resolver

from behandeling.views import ACTIES
from meldingen.blokken import BLOKKEN
from meldingen.wizard import STAPPEN
from tests.browser.paginas import BUITEN_BEREIK, PAGINAS, UITGEZONDERD, titel_vorm


def _url_namen(patronen=None, namespace=""):
    """(name, namespace) of every URL pattern of the project, the admin's included."""
    if patronen is None:
        patronen = get_resolver().url_patterns
    for patroon in patronen:
        if isinstance(patroon, URLResolver):
            ns = f"{namespace}{patroon.namespace}:" if patroon.namespace else namespace
            yield from _url_namen(patroon.url_patterns, ns)
        elif isinstance(patroon, URLPattern):
            if patroon.name is None:
                # Django's admin has two patterns without a name: the redirect of
                # /beheer/<app>/<model>/<id>/ to its change page, and the catch-all that
                # redirects to the login. The project itself names every pattern
                # (tests/test_autorisatie.py).
                assert namespace == "admin:", f"URL-patroon zonder naam: {patroon.pattern}"
                continue
            yield f"{namespace}{patroon.name}", namespace.split(":")[0]


URL_NAMEN = dict(_url_namen())
GELOPEN = {pagina.url_naam for pagina in PAGINAS if pagina.url_naam}
OVERGESLAGEN = {uit.url_naam: uit.reden for uit in UITGEZONDERD}


def test_elke_url_heeft_een_regel_in_de_catalogus():
    """A new page fails here until it is in the catalogue: walked in every state, or excluded
    with the reason why it is no page for people."""
    ontbreekt = sorted(
        naam
        for naam, namespace in URL_NAMEN.items()
        if namespace not in BUITEN_BEREIK and naam not in GELOPEN and naam not in OVERGESLAGEN
    )
    assert ontbreekt == [], (
        f"Deze URL's staan niet in tests/browser/paginas.py (PAGINAS of UITGEZONDERD): {ontbreekt}"
    )


def test_de_catalogus_noemt_alleen_bestaande_urls():
    onbekend = sorted((GELOPEN | set(OVERGESLAGEN)) - set(URL_NAMEN))
    assert onbekend == []


def test_geen_url_is_zowel_gelopen_als_uitgezonderd():
    assert GELOPEN & set(OVERGESLAGEN) == set()


def test_de_uitzonderingen_hebben_een_reden():
    assert all(reden.strip() for reden in OVERGESLAGEN.values())
    assert len(OVERGESLAGEN) == len(UITGEZONDERD)
    assert all(reden.strip() for reden in BUITEN_BEREIK.values())
    assert set(BUITEN_BEREIK) <= {namespace for namespace in URL_NAMEN.values()}


def test_de_api_is_buiten_bereik_en_het_beheer_niet():
    """The API gives JSON to software; the beheer is pages for the beheerder, walked."""
    assert "koppelvlak" in BUITEN_BEREIK
    assert "admin" not in BUITEN_BEREIK
    assert {"admin:index", "admin:login", "admin:leerlingen_machtiging_change"} <= GELOPEN


def test_de_fout_en_normale_toestanden():
    """Every page has a normal state; one without an error state says why."""
    for pagina in PAGINAS:
        assert any(not t.fout for t in pagina.toestanden), pagina.sleutel
        assert any(t.fout for t in pagina.toestanden) or pagina.zonder_fout.strip(), pagina.sleutel
        assert not (any(t.fout for t in pagina.toestanden) and pagina.zonder_fout), (
            f"{pagina.sleutel}: een fouttoestand én een reden waarom die er niet is"
        )


def test_elke_pagina_een_eigen_titel():
    """WCAG 2.4.2: the browser tests check that each page shows exactly its title from the
    catalogue; here, that no two pages of the catalogue share one. Placeholders count as the
    same: "Melding 4000001" and "Melding 4000002" on two different pages are not unique."""
    vormen: dict[str, str] = {}
    dubbel = []
    for pagina in PAGINAS:
        vorm = titel_vorm(pagina)
        if vorm in vormen:
            dubbel.append((vormen[vorm], pagina.sleutel, vorm))
        vormen[vorm] = pagina.sleutel
    assert dubbel == []


def test_sleutels_uniek_en_de_site_paginas_eindigen_op_verzuimloket():
    sleutels = [pagina.sleutel for pagina in PAGINAS]
    assert len(sleutels) == len(set(sleutels))
    for pagina in PAGINAS:
        beheer = pagina.sleutel.startswith("admin:")
        einde = " | Verzuimloket beheer" if beheer else " - Verzuimloket"
        assert pagina.titel.endswith(einde), pagina.sleutel


def test_de_bekende_paginas_staan_erin():
    """A check on the check: the catalogue is not complete because it is empty."""
    assert {
        "login",
        "kies_instelling",
        "leerlingen:zoeken",
        "meldingen:leerling_overzicht",
        "meldingen:zoeken",
        "meldingen:detail",
        "meldingen:wijzig",
        "meldingen:intrekken",
        "meldingen:registreren",
        "meldingen:registreren_bevestiging",
        "behandeling:werkvoorraad",
        "behandeling:melding",
        "behandeling:actie",
    } <= GELOPEN
    assert {p.sleutel for p in PAGINAS} >= {"403", "404"}

    def varianten(url_naam):
        return {p.sleutel.split(" ")[1] for p in PAGINAS if p.url_naam == url_naam}

    # Every step of the wizard, every block of Wijzig, every action of the behandelaar: one
    # URL name each, so the names alone would not show a forgotten one.
    assert varianten("meldingen:registreren") == {stap for stap, _ in STAPPEN}
    assert varianten("meldingen:wijzig") == set(BLOKKEN)
    assert varianten("behandeling:actie") == set(ACTIES)
