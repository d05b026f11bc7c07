"""Zoek leerling (manual 2.2) and Kies instellingscode / organisatie (manual 1)."""

from django import forms
from django.core.exceptions import ValidationError

from verzuimloket import formaten
from verzuimloket.forms import VerzuimloketForm

from .autorisatie import INSTELLING
from .models import Leerling

NIET_GEVONDEN = (
    "Er is geen leerling gevonden met dit persoonsgebonden nummer die bij uw instelling staat "
    "of stond ingeschreven."
)


class ZoekLeerlingForm(VerzuimloketForm):
    pgn = forms.CharField(
        label="Persoonsgebonden nummer",
        max_length=20,
        help_text="Burgerservicenummer of onderwijsnummer",
        error_messages={"required": "Vul een persoonsgebonden nummer in."},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def __init__(self, *args, instelling, geremd: str = "", **kwargs):
        """`geremd`: the user searched too often; this message instead of a look-up."""
        super().__init__(*args, **kwargs)
        self.instelling = instelling
        self.geremd = geremd
        self.leerling = None
        self.gezocht = ""  # a well-formed PGN that was looked up, found or not

    def clean_pgn(self):
        if self.geremd:
            raise ValidationError(self.geremd, code="te_vaak")
        pgn = formaten.valideer_pgn(self.cleaned_data["pgn"])
        self.gezocht = pgn
        # Unknown and "enrolled elsewhere only" get the same message: reveal nothing about
        # other schools' pupils.
        self.leerling = Leerling.objects.zichtbaar_voor(self.instelling).filter(pgn=pgn).first()
        if self.leerling is None:
            raise ValidationError(NIET_GEVONDEN, code="niet_gevonden")
        return pgn


class KiesOrganisatieForm(VerzuimloketForm):
    """*Kies instellingscode* (manual 1), or *Kies organisatie* for a user who may also act for
    an uitvoerende instantie: one radio button per organisation the user may act for."""

    organisatie = forms.ChoiceField(
        label="Instellingscode",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Kies een instellingscode.",
            "invalid_choice": "Kies een instellingscode waarvoor u gemachtigd bent.",
        },
    )

    def __init__(self, *args, organisaties, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisaties = {o.sleutel: o for o in organisaties}
        veld = self.fields["organisatie"]
        veld.choices = [(o.sleutel, o.naam) for o in organisaties]
        if any(o.soort != INSTELLING for o in organisaties):
            veld.label = "Organisatie"
            veld.error_messages = {
                "required": "Kies een organisatie.",
                "invalid_choice": "Kies een organisatie waarvoor u gemachtigd bent.",
            }

    @property
    def titel(self) -> str:
        return f"Kies {self.fields['organisatie'].label.lower()}"

    def clean_organisatie(self):
        return self.organisaties[self.cleaned_data["organisatie"]]
