from django.apps import AppConfig


class BehandelingConfig(AppConfig):
    """The uitvoerende instantie's side: the werkvoorraad and the work on a melding."""

    name = "behandeling"
    verbose_name = "Behandeling door de uitvoerende instantie"
