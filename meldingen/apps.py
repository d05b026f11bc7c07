from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class MeldingenConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "meldingen"
    verbose_name = "Verzuimmeldingen"

    def ready(self):
        # Models, and what uses them, load once the app registry is ready.
        from leerlingen.models import UitvoerendeInstantie

        from .selectors import instantienamen_vergeten  # (likewise)

        # The names a search by instantienaam matches are kept per process (selectors.py).
        for signaal in (post_save, post_delete):
            signaal.connect(
                instantienamen_vergeten,
                sender=UitvoerendeInstantie,
                dispatch_uid="instantienamen_vergeten",
            )
