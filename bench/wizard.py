"""Server time and SQL queries per step of the registration wizard, with N extra meldingen.

    .venv/bin/python bench/wizard.py --meldingen 1000 --herhalingen 5

Drives the whole wizard (GET and POST of every step, the two phases of step 2, a verzuimdag,
Registreren, the Bevestiging) for 999999989 with Django's test Client against the database of
DATABASE_URL (default: the one `make run` uses), inside one transaction that is rolled back at
the end, so it leaves nothing behind. Every run of the wizard registers one melding inside its
own savepoint, which is rolled back too. Prints per request the median server time over
--herhalingen runs and the number of SQL queries.
"""

import datetime
import re
import statistics
from collections import defaultdict

from django.test import Client
from django.urls import reverse
from gedeeld import SANNE, Tabel, argumenten, terugdraaien, verzoek, vul  # sets Django up

from meldingen.demo import laad_demo
from meldingen.models import Melding
from verzuimloket.datums import vandaag

DAG = datetime.timedelta(days=1)


def datum(veld: str, d: datetime.date | None) -> dict:
    if d is None:
        return {f"{veld}_{i}": "" for i in range(3)}
    return {f"{veld}_0": str(d.day), f"{veld}_1": str(d.month), f"{veld}_2": str(d.year)}


def beheer(html: str) -> dict:
    velden = dict(re.findall(r'name="([^"]*current_step)" value="([^"]*)"', html))
    velden["concept"] = re.search(r'name="concept" value="([^"]*)"', html).group(1)
    overzicht_van = re.search(r'name="overzicht_van" value="([^"]*)"', html)
    if overzicht_van:
        velden["overzicht_van"] = overzicht_van.group(1)
    return velden


def stappen(begin: datetime.date, eind: datetime.date) -> list[tuple[str, str, dict]]:
    """(label, step, POST data) in the order a user fills the wizard."""
    return [
        (
            "1 Leerling",
            "leerling",
            {
                "leerling-leerling_email": "sanne@example.nl",
                "leerling-leerling_telefoon": "0612345678",
                "leerling-afwijkend_adres": "nee",
                "leerling-contactpersonen-TOTAL_FORMS": "1",
                "leerling-contactpersonen-INITIAL_FORMS": "0",
                "leerling-contactpersonen-0-naam": "Ineke de Vries",
                "leerling-contactpersonen-0-relatie": "Moeder",
            },
        ),
        (
            "2 Verzuim (periode)",
            "verzuim",
            {**datum("verzuim-begindatum", begin), **datum("verzuim-einddatum", eind)},
        ),
        (
            "2 Verzuim (volledig)",
            "verzuim",
            {
                **datum("verzuim-begindatum", begin),
                **datum("verzuim-einddatum", eind),
                "verzuim-soort": "O",
                "verzuim-vermoedelijke_reden": "afwezig vanwege ziekte",
                "verzuim-actie_gewenst": "ja",
                "verzuim-met_prioriteit": "nee",
                "verzuim-aanbieder": "100A001",
                "verzuim-locatie": "100X001",
                "verzuim-contactpersoon_naam": "K. Smit",
                "verzuim-contactpersoon_email": "k.smit@school.example.nl",
            },
        ),
        (
            "3 Lesuren",
            "lesuren",
            {
                "lesuren-alle_lessen_gemist": "nee",
                "lesuren-verzuimdagen-TOTAL_FORMS": "1",
                "lesuren-verzuimdagen-INITIAL_FORMS": "0",
                **datum("lesuren-verzuimdagen-0-datum", begin),
                "lesuren-verzuimdagen-0-hele_dag": "nee",
                "lesuren-verzuimdagen-0-lesuren": ["1", "2"],
            },
        ),
        ("4 Acties school", "acties", {"acties-ondernomen_acties": ["brief"]}),
        ("5 Overzicht (Registreren)", "overzicht", {"overzicht-stuur_email_naar_melder": "on"}),
    ]


def wizard_eenmaal(client, leerling, metingen) -> None:
    def vastleggen(naam: str, methode: str, url: str, data=None):
        """One request; its time, queries and status kept under `naam` (not the response)."""
        v = verzoek(client, methode, url, data)
        metingen[naam].append((v.ms, v.queries, v.response.status_code))
        return v.response

    begin, eind = vandaag() - 7 * DAG, vandaag() - 5 * DAG
    start = reverse("meldingen:registreren_start", args=[leerling.pk])
    vastleggen("0 Registreer nieuwe melding (GET)", "get", start)
    for label, stap, data in stappen(begin, eind):
        url = reverse("meldingen:registreren", args=[leerling.pk, stap])
        pagina = vastleggen(f"{label} GET", "get", url)
        velden = {**beheer(pagina.content.decode()), **data}
        response = vastleggen(f"{label} POST", "post", url, velden)
        if response.status_code != 302:
            raise SystemExit(f"{label}: {response.status_code}\n{response.content.decode()[:4000]}")
    bevestiging = vastleggen("6 Bevestiging GET", "get", response["Location"])
    # A wizard that was turned back (an "ander venster" message) also answers 302: only the
    # Bevestiging says a melding was registered.
    if "Gelukt" not in bevestiging.content.decode():
        raise SystemExit(f"Geen melding geregistreerd: {response['Location']}")


def main() -> None:
    args = argumenten(__doc__).parse_args()

    with terugdraaien():
        demo = laad_demo(vandaag())
        if args.meldingen:
            vul(demo, args.meldingen)
        client = Client()
        client.force_login(demo.gebruikers["melder"])
        sanne = demo.leerlingen[SANNE]
        # Meldingen left by earlier manual tests in the dev database must not overlap.
        sanne.meldingen.filter(melddatum__gte=vandaag() - 10 * DAG).delete()
        metingen = defaultdict(list)
        for _ in range(args.herhalingen):
            with terugdraaien():  # a savepoint: each run registers the same melding anew
                wizard_eenmaal(client, sanne, metingen)
        print(
            f"{args.meldingen} extra meldingen, {Melding.objects.count()} in totaal; "
            f"mediaan van {args.herhalingen} volledige wizards"
        )
        tabel = Tabel("verzoek", 42)
        tabel.kop()
        totaal_ms = totaal_q = 0
        for naam, rijen in metingen.items():
            ms = statistics.median(r[0] for r in rijen)
            q = max(r[1] for r in rijen)
            totaal_ms += ms
            totaal_q += q
            tabel.regel(naam, ms, q, rijen[-1][2])
        tabel.regel("totaal", totaal_ms, totaal_q)


if __name__ == "__main__":
    main()
