from django.apps import AppConfig


class KoppelvlakConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "koppelvlak"
    verbose_name = "Koppelvlak (API)"

    def ready(self):
        # drf-spectacular finds the authentication's OpenAPI description once it is imported.
        from . import schema  # noqa: F401
