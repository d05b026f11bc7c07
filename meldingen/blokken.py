"""The four blocks of a melding that the school fills in and may change: Leerling, Verzuim,
Lesuren and Acties door school (manual 2.3-2.6 and 4), declared once.

A block names the Melding fields it owns, its form (a `StapForm` when it has rows: the
contactpersonen, the verzuimdagen), the template with its fields, how a stored melding fills
the form, and how the form's cleaned data becomes the arguments of `services.melding_registreren`
and `services.melding_wijzigen`. The wizard's steps, the Wijzig pages, the presenters, the
services and the admin all read `BLOKKEN`:

    blok = BLOKKEN["verzuim"]
    form = blok.form(request.POST, context=BlokContext(leerling=..., instelling=..., op=...))
    services.melding_wijzigen(melding=..., blok=blok.sleutel, **blok.service_argumenten(
        form.cleaned_data), ...)
"""

import datetime
from dataclasses import dataclass

from leerlingen.models import Instelling, Leerling

from .forms import ActiesSchoolForm, LeerlingStapForm, LesurenStapForm, VerzuimForm
from .models import Melding


@dataclass(frozen=True)
class BlokContext:
    """What a block's form may need besides the submitted data: the pupil and the instelling
    (soorten, enrolment, aanbieders), today, the stored melding when changing it, and the
    period the lesuren must lie in."""

    leerling: Leerling | None
    instelling: Instelling
    op: datetime.date
    melding: Melding | None = None
    begindatum: datetime.date | None = None
    einddatum: datetime.date | None = None

    @classmethod
    def van_melding(cls, melding: Melding, *, instelling: Instelling, op: datetime.date):
        return cls(
            leerling=melding.leerling,
            instelling=instelling,
            op=op,
            melding=melding,
            begindatum=melding.begindatum,
            einddatum=melding.einddatum,
        )


@dataclass(frozen=True)
class Blok:
    sleutel: str
    titel: str  # as the Melding details page and the Wijzig page write it
    stap_titel: str  # as the registration wizard's step writes it
    velden: tuple[str, ...]  # the Melding fields the block owns
    form_class: type
    template: str  # the block's fields, for the wizard's step and the Wijzig page alike
    rijen: str | None = None  # the key of its rows: "contactpersonen" or "verzuimdagen"
    context_velden: tuple[str, ...] = ()  # what of the BlokContext its form takes

    def form_kwargs(self, context: BlokContext) -> dict:
        return {naam: getattr(context, naam) for naam in self.context_velden}

    def form(self, data=None, *, context: BlokContext, prefix=None, initial=None, **extra):
        return self.form_class(
            data, prefix=prefix, initial=initial, **self.form_kwargs(context), **extra
        )

    def initial(self, melding: Melding) -> dict:
        """The form's values from a stored melding (its rows prefetched)."""
        waarden = {veld: getattr(melding, veld) for veld in self.velden}
        if self.rijen:
            rij_velden = self.form_class.formset_class.rij_velden
            waarden[self.rijen] = [
                {veld: getattr(rij, veld) for veld in rij_velden}
                for rij in getattr(melding, self.rijen).all()
            ]
        return waarden

    def gegevens(self, cleaned_data: dict) -> dict:
        """The Melding field values of this block."""
        return {veld: cleaned_data[veld] for veld in self.velden}

    def service_argumenten(self, cleaned_data: dict) -> dict:
        """`gegevens` and, for a block with rows, the rows: keyword arguments of the services."""
        argumenten = {"gegevens": self.gegevens(cleaned_data)}
        if self.rijen:
            argumenten[self.rijen] = cleaned_data[self.rijen]
        return argumenten


BLOKKEN: dict[str, Blok] = {
    blok.sleutel: blok
    for blok in [
        Blok(
            sleutel="leerling",
            titel="Leerling",
            stap_titel="Leerling",
            velden=(
                "leerling_email",
                "leerling_telefoon",
                "afwijkend_adres",
                "straatnaam",
                "huisnummer",
                "huisletter",
                "huisnummertoevoeging",
                "postcode",
                "aanduiding_locatie",
                "plaatsnaam",
            ),
            form_class=LeerlingStapForm,
            template="meldingen/blokken/leerling.html",
            rijen="contactpersonen",
        ),
        Blok(
            sleutel="verzuim",
            titel="Verzuim",
            stap_titel="Verzuim",
            velden=(
                "begindatum",
                "einddatum",
                "soort",
                "vermoedelijke_reden",
                "toelichting",
                "actie_gewenst",
                "toelichting_actie_gewenst",
                "met_prioriteit",
                "aanbieder",
                "locatie",
                "contactpersoon_naam",
                "contactpersoon_functie",
                "contactpersoon_email",
                "contactpersoon_telefoon",
            ),
            form_class=VerzuimForm,
            template="meldingen/blokken/verzuim.html",
            context_velden=("leerling", "instelling", "op", "melding"),
        ),
        Blok(
            sleutel="lesuren",
            titel="Lesuren",
            stap_titel="Lesuren",
            velden=("alle_lessen_gemist",),
            form_class=LesurenStapForm,
            template="meldingen/blokken/lesuren.html",
            rijen="verzuimdagen",
            context_velden=("begindatum", "einddatum", "op"),
        ),
        Blok(
            sleutel="acties",
            titel="Acties door school",
            stap_titel="Acties school",
            velden=("ondernomen_acties", "toelichting_acties"),
            form_class=ActiesSchoolForm,
            template="meldingen/blokken/acties.html",
        ),
    ]
}


def blok_van_veld(veld: str) -> str | None:
    """The block a Melding field or a rows key belongs to (None: no block's)."""
    for blok in BLOKKEN.values():
        if veld in blok.velden or veld == blok.rijen:
            return blok.sleutel
    return None


def alle_service_argumenten(forms: dict) -> dict:
    """`melding_registreren`'s keyword arguments from every block's validated form (keyed by
    block): all blocks' gegevens in one dict, and the rows."""
    argumenten = {"gegevens": {}}
    for sleutel, blok in BLOKKEN.items():
        van_blok = blok.service_argumenten(forms[sleutel].cleaned_data)
        argumenten["gegevens"].update(van_blok.pop("gegevens"))
        argumenten.update(van_blok)
    return argumenten
