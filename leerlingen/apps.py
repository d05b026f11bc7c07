from django.apps import AppConfig


class LeerlingenConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "leerlingen"
    verbose_name = "Registers (ROD en RIO) en machtigingen"
