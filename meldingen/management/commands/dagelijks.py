"""The daily job, one cron line for all of it (docs/deploy.md): each task is idempotent, so a
missed or repeated day does no harm."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from leerlingen.services import oude_inzage_verwijderen
from meldingen.services import meldingen_anonimiseren
from meldingen.tasks import vastgelopen_mail_opnieuw
from verzuimloket.rem import oude_tellers_verwijderen

# Sent e-mail tasks keep the recipient's address; a month is long enough to look into a
# complaint about a mail.
TAKEN_BEWAARDAGEN = 30


class Command(BaseCommand):
    help = (
        "Dagelijkse taken: meldingen anonimiseren na de bewaartermijn, oude inzagelog en "
        "tellers verwijderen, vastgelopen e-mails opnieuw versturen, verstuurde e-mailtaken "
        "opruimen."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"Meldingen geanonimiseerd: {meldingen_anonimiseren()}")
        self.stdout.write(f"Inzagelog verwijderd: {oude_inzage_verwijderen()}")
        self.stdout.write(f"Tellers verwijderd: {oude_tellers_verwijderen()}")
        self.stdout.write(
            f"Vastgelopen e-mails opnieuw in de wachtrij: {vastgelopen_mail_opnieuw()}"
        )
        # The cleanups of apps built on this one (the API's Idempotency-Keys), named in the
        # settings so that meldingen does not import them.
        for wat, pad in settings.DAGELIJKS_OPRUIMEN.items():
            self.stdout.write(f"{wat}: {import_string(pad)()}")
        call_command(
            "prune_db_task_results",
            min_age_days=TAKEN_BEWAARDAGEN,
            failed_min_age_days=TAKEN_BEWAARDAGEN,
            stdout=self.stdout,
        )
        self.stdout.write(self.style.SUCCESS("Dagelijkse taken klaar."))
