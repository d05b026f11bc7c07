"""The rules of the instantie side that need other rows or today (docs/regels.md,
"Behandeling"); which status allows which action is `meldingen.workflow`."""

from leerlingen.models import UitvoerendeInstantie
from meldingen import limieten
from meldingen.models import Melding

GEANONIMISEERD = "Deze melding is geanonimiseerd."
NIET_MOGELIJK = "Dat kan niet bij een melding met status {status}."
DATUM_IN_TOEKOMST = "De datum van de terugkoppeling mag niet in de toekomst liggen."
KIES_REDEN_AFGESLOTEN = "Kies de reden waarom de melding is afgesloten."
EERST_TERUGKOPPELING = "Geef eerst een terugkoppeling; daarna kunt u de melding afsluiten."
TOELICHTING_BIJ_ACTIE = (
    "De school vraagt om actie. Licht toe waarom u de melding ter kennisgeving aanneemt."
)
ANDERE_INSTANTIE = "Kies een andere uitvoerende instantie dan de huidige."
REDEN_DOORSTUREN = "Geef de reden waarom u de melding doorstuurt."


def _te_lang(tekst: str, maximum: int) -> list[str]:
    return [f"Maximaal {maximum} karakters."] if len(tekst) > maximum else []


def controleer_kennisgeving(melding: Melding, toelichting: str) -> dict[str, list[str]]:
    """Ter kennisgeving aannemen is meant for a melding without Actie gewenst; when the school
    asked for action, the behandelaar says why not."""
    fouten = {}
    if melding.actie_gewenst and not toelichting:
        fouten["toelichting"] = [TOELICHTING_BIJ_ACTIE]
    elif te_lang := _te_lang(toelichting, limieten.MAX_TOELICHTING_TERUGKOPPELING):
        fouten["toelichting"] = te_lang
    return fouten


def controleer_doorsturen(
    melding: Melding, instantie: UitvoerendeInstantie | None, reden: str
) -> dict[str, list[str]]:
    fouten = {}
    if instantie is None or instantie.pk == melding.uitvoerende_instantie_id:
        fouten["instantie"] = [ANDERE_INSTANTIE]
    if not reden:
        fouten["reden"] = [REDEN_DOORSTUREN]
    elif te_lang := _te_lang(reden, limieten.MAX_REDEN_DOORSTUREN):
        fouten["reden"] = te_lang
    return fouten
