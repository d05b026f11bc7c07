"""Helpers that drive the registration wizard with Django's test client (tests only)."""

import datetime
import re

from django.urls import reverse

from tests.conftest import VANDAAG

DAG = datetime.timedelta(days=1)


def stap_url(leerling, stap):
    return reverse("meldingen:registreren", args=[leerling.pk, stap])


def start_url(leerling):
    return reverse("meldingen:registreren_start", args=[leerling.pk])


def datum(veld, d):
    if d is None:
        return {f"{veld}_0": "", f"{veld}_1": "", f"{veld}_2": ""}
    return {f"{veld}_0": str(d.day), f"{veld}_1": str(d.month), f"{veld}_2": str(d.year)}


def beheer(response) -> dict:
    """The management form field, the draft id and (on the Overzicht) the fingerprint of the
    draft shown, of a rendered step."""
    html = response.content.decode()
    velden = {}
    for naam, waarde in re.findall(r'name="([^"]*current_step)" value="([^"]*)"', html):
        velden[naam] = waarde
    if not velden:
        for waarde, naam in re.findall(r'value="([^"]*)" name="([^"]*current_step)"', html):
            velden[naam] = waarde
    concept = re.search(r'name="concept" value="([^"]*)"', html)
    velden["concept"] = concept.group(1) if concept else ""
    # The Overzicht carries the draft it shows; Registreren is refused for another.
    overzicht_van = re.search(r'name="overzicht_van" value="([^"]*)"', html)
    if overzicht_van:
        velden["overzicht_van"] = overzicht_van.group(1)
    return velden


def post_stap(client, leerling, stap, data):
    """GET the step (for its management form and draft id), then POST `data` to it."""
    pagina = client.get(stap_url(leerling, stap))
    assert pagina.status_code == 200, (stap, pagina.status_code, pagina.get("Location"))
    return client.post(stap_url(leerling, stap), {**beheer(pagina), **data})


def leerling_data(**extra):
    return {
        "leerling-leerling_email": "",
        "leerling-leerling_telefoon": "",
        "leerling-afwijkend_adres": "nee",
        "leerling-contactpersonen-TOTAL_FORMS": "0",
        "leerling-contactpersonen-INITIAL_FORMS": "0",
        **extra,
    }


def periode_data(begindatum, einddatum=None):
    return {**datum("verzuim-begindatum", begindatum), **datum("verzuim-einddatum", einddatum)}


def verzuim_data(begindatum, einddatum=None, **extra):
    return {
        **periode_data(begindatum, einddatum),
        "verzuim-soort": "O",
        "verzuim-vermoedelijke_reden": "afwezig vanwege ziekte",
        "verzuim-toelichting": "",
        "verzuim-actie_gewenst": "ja",
        "verzuim-toelichting_actie_gewenst": "",
        "verzuim-met_prioriteit": "nee",
        "verzuim-aanbieder": "100A001",
        "verzuim-locatie": "100X001",
        "verzuim-contactpersoon_naam": "K. Smit",
        "verzuim-contactpersoon_functie": "Verzuimcoördinator",
        "verzuim-contactpersoon_email": "k.smit@school.example.nl",
        "verzuim-contactpersoon_telefoon": "",
        **extra,
    }


def lesuren_data(**extra):
    return {
        "lesuren-alle_lessen_gemist": "ja",
        "lesuren-verzuimdagen-TOTAL_FORMS": "0",
        "lesuren-verzuimdagen-INITIAL_FORMS": "0",
        **extra,
    }


def acties_data(**extra):
    return {"acties-ondernomen_acties": ["brief"], "acties-toelichting_acties": "", **extra}


STANDAARD_BEGIN = VANDAAG - 7 * DAG
STANDAARD_EIND = VANDAAG - 5 * DAG


def tot_verzuim(client, leerling, leerling_stap=None):
    """A new draft with step 1 done; returns the response of step 1's POST."""
    client.get(start_url(leerling))
    r = post_stap(client, leerling, "leerling", leerling_stap or leerling_data())
    assert r.status_code == 302, r.content.decode()[:3000]
    return r


def tot_overzicht(
    client,
    leerling,
    begindatum=STANDAARD_BEGIN,
    einddatum=STANDAARD_EIND,
    verzuim=None,
    leerling_stap=None,
    lesuren=None,
    acties=None,
):
    """Fill steps 1-4 validly (or with the given data); the wizard then shows the Overzicht."""
    tot_verzuim(client, leerling, leerling_stap)
    r = post_stap(client, leerling, "verzuim", periode_data(begindatum, einddatum))
    assert r.status_code == 302 and r["Location"].endswith("/verzuim/"), r.content.decode()[:3000]
    r = post_stap(client, leerling, "verzuim", verzuim or verzuim_data(begindatum, einddatum))
    assert r.status_code == 302, r.content.decode()[:5000]
    r = post_stap(client, leerling, "lesuren", lesuren or lesuren_data())
    assert r.status_code == 302, r.content.decode()[:5000]
    r = post_stap(client, leerling, "acties", acties or acties_data())
    assert r.status_code == 302, r.content.decode()[:5000]
    assert r["Location"] == stap_url(leerling, "overzicht")
    return r


def registreer(client, leerling, stuur_email=False, **kwargs):
    tot_overzicht(client, leerling, **kwargs)
    data = {"overzicht-stuur_email_naar_melder": "on"} if stuur_email else {}
    return post_stap(client, leerling, "overzicht", data)
