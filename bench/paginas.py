"""Server time and SQL queries per page, with N extra meldingen in the database.

    .venv/bin/python bench/paginas.py --meldingen 1000

Runs against the database of DATABASE_URL (default: the one `make run` uses), inside one
transaction that is rolled back at the end, so it leaves nothing behind. Prints one line per
page: median server time over --herhalingen requests and the number of SQL queries.
"""

from django.test import Client
from django.urls import reverse
from gedeeld import SANNE, argumenten, meet_paginas, terugdraaien, vul  # sets Django up

from meldingen.demo import laad_demo
from meldingen.models import Melding
from verzuimloket.datums import vandaag


def main() -> None:
    args = argumenten(__doc__).parse_args()

    with terugdraaien():
        demo = laad_demo(vandaag())
        vul(demo, args.meldingen)
        client = Client()
        client.force_login(demo.gebruikers["melder"])
        sanne = demo.leerlingen[SANNE]
        melding = sanne.meldingen.order_by("nummer").first()
        paginas = [
            ("Zoek leerling", reverse("leerlingen:zoeken")),
            ("Leerling overzicht", reverse("meldingen:leerling_overzicht", args=[sanne.pk])),
            ("Zoek melding (formulier)", reverse("meldingen:zoeken")),
            (
                "Zoek melding (resultaten, status Geregistreerd)",
                reverse("meldingen:zoeken") + "?instellingscode=24GP&status=R",
            ),
            (
                "Zoek melding (instantienaam 'groningen', pagina 3)",
                reverse("meldingen:zoeken") + "?instantienaam=groningen&pagina=3",
            ),
            ("Melding details", reverse("meldingen:detail", args=[melding.nummer])),
            (
                "Wijzig verzuim",
                reverse("meldingen:wijzig", args=[melding.nummer, "verzuim"]),
            ),
            ("Intrekken", reverse("meldingen:intrekken", args=[melding.nummer])),
        ]
        print(
            f"{args.meldingen} extra meldingen, {Melding.objects.count()} in totaal; "
            f"mediaan van {args.herhalingen} verzoeken"
        )
        meet_paginas(client, paginas, args.herhalingen)


if __name__ == "__main__":
    main()
