from django.core.management.base import BaseCommand

from leerlingen.demo import DEMO_WACHTWOORD
from meldingen.demo import laad_demo
from verzuimloket.datums import vandaag


class Command(BaseCommand):
    help = "Laad de demoregisters, -gebruikers en -meldingen (idempotent)."

    def handle(self, *args, **options):
        demo = laad_demo(vandaag())
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo geladen: {len(demo.leerlingen)} leerlingen, gebruikers "
                f"{', '.join(demo.gebruikers)} (wachtwoord {DEMO_WACHTWOORD})."
            )
        )
