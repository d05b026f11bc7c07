from django.core.management.base import BaseCommand

from meldingen.services import meldingen_anonimiseren


class Command(BaseCommand):
    help = (
        "Anonimiseer de meldingen waarvan de bewaartermijn (twee jaar na de laatste van "
        "melddatum en einddatum) voorbij is. Idempotent; draai dagelijks."
    )

    def handle(self, *args, **options):
        aantal = meldingen_anonimiseren()
        self.stdout.write(
            self.style.SUCCESS(
                f"{aantal} melding geanonimiseerd."
                if aantal == 1
                else f"{aantal} meldingen geanonimiseerd."
            )
        )
