from django.apps import AppConfig


class VerzuimloketConfig(AppConfig):
    """The project package as an app: what both apps share and must store (throttle counters)."""

    name = "verzuimloket"
    verbose_name = "Verzuimloket"

    def ready(self):
        # Connects the failed-login counter (user_login_failed) of the login brake.
        from . import beveiliging  # noqa: F401
