"""Block Verzuim (manual 2.4): Verzuimgegevens, Gegevens onderwijsinstelling and Contactpersoon
onderwijsinstelling."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from django.utils.html import format_html

from leerlingen.models import Onderwijsaanbieder, Onderwijslocatie, onderwijsinstelling_fouten
from verzuimloket import formaten
from verzuimloket.forms import DatumField, JaNeeField, KeuzesMetUitleg, fouten_tonen

from .. import limieten, regels
from ..models import VERZUIMSOORT_UITLEG, ZIEKTEVERZUIM, Verzuimsoort
from .velden import (
    BlokForm,
    email_veld,
    naam_veld,
    ruwe_waarde,
    tekst_veld,
    telefoon_veld,
)

# The manual's standard phrases for a reason that touches on special categories of personal
# data (faith, health, justice): offered so nobody has to type such data.
STANDAARDTEKSTEN = [
    "afwezig vanwege een geloofsverplichting",
    "afwezig vanwege ziekte",
    "afwezig vanwege contact met politie of justitie",
]


class AanbiederField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} - {obj.naam}"


class VerzuimForm(BlokForm):
    """`VerzuimForm(data, leerling=..., instelling=..., op=vandaag, melding=None)`; pass the
    melding being changed as `melding` so it does not overlap with itself.
    `alleen_periode=True`: only Begindatum and Einddatum (the wizard's first *Verder*).
    `form.waarschuwingen` (after is_valid()) holds warnings that do not refuse.
    """

    PERIODE = ["begindatum", "einddatum"]
    standaardteksten = STANDAARDTEKSTEN
    verplicht_als = {
        # 16 uren per 4 weken ends the day the 16 hours were reached (regels.controleer_soort).
        "einddatum": ("soort", regels.EINDDATUM_VERPLICHT_BIJ),
        # Actie gewenst Nee asks why (the constraint melding_toelichting_bij_geen_actie).
        "toelichting_actie_gewenst": ("actie_gewenst", "nee"),
    }
    # Actie gewenst and its toelichting are asked once a soort is chosen (manual 2.4: "wordt
    # getoond als u de verzuimsoort hebt ingevuld"); Met prioriteit oppakken only with Actie
    # gewenst Ja, and it is Nee unless changed.
    alleen_als = {
        "actie_gewenst": (("soort", "*"),),
        "toelichting_actie_gewenst": (("soort", "*"),),
        "met_prioriteit": (("soort", "*"), ("actie_gewenst", "ja")),
    }

    begindatum = DatumField(label="Begindatum", help_text="De eerste dag van het verzuim.")
    einddatum = DatumField(
        label="Einddatum",
        required=False,
        help_text="Laat leeg als het verzuim nog niet is beëindigd.",
        error_messages={"required": regels.EINDDATUM_VERPLICHT},
    )
    soort = forms.ChoiceField(
        label="Soort",
        help_text=ZIEKTEVERZUIM,
        widget=KeuzesMetUitleg(uitleg=VERZUIMSOORT_UITLEG),
        error_messages={
            "required": "Kies de soort verzuim.",
            "invalid_choice": "Deze verzuimsoort is niet van toepassing op deze leerling.",
        },
    )
    vermoedelijke_reden = tekst_veld(
        limieten.MAX_VERMOEDELIJKE_REDEN,
        label="Vermoedelijke reden",
        help_text=f"Maximaal {limieten.MAX_VERMOEDELIJKE_REDEN} karakters. Gaat het om geloof, "
        "gezondheid of justitie? Vul dan geen bijzondere persoonsgegevens in, maar een "
        "standaardtekst: " + "; ".join(f"“{t}”" for t in STANDAARDTEKSTEN) + ".",
        verplicht="Vul de vermoedelijke reden in.",
    )
    toelichting = tekst_veld(limieten.MAX_TOELICHTING, label="Toelichting", rows=4)
    actie_gewenst = JaNeeField(label="Actie gewenst")
    toelichting_actie_gewenst = tekst_veld(
        limieten.MAX_TOELICHTING,
        label="Toelichting actie gewenst",
        required=False,
        rows=3,
        help_text=f"Maximaal {limieten.MAX_TOELICHTING} karakters. Verplicht als actie niet "
        "gewenst is.",
        verplicht="Licht toe waarom geen actie gewenst is.",
    )
    met_prioriteit = JaNeeField(label="Met prioriteit oppakken", initial=False)
    aanbieder = AanbiederField(
        label="Onderwijsaanbiedercode",
        queryset=Onderwijsaanbieder.objects.none(),
        empty_label=None,
        error_messages={
            "required": "Kies de onderwijsaanbieder.",
            "invalid_choice": "Kies een onderwijsaanbieder van uw instelling.",
        },
    )
    locatie = forms.CharField(
        label="Onderwijslocatiecode",
        max_length=7,
        widget=forms.TextInput(attrs={"size": "8", "autocomplete": "off"}),
        error_messages={"required": "Vul de onderwijslocatiecode in."},
    )
    contactpersoon_naam = naam_veld()
    contactpersoon_functie = tekst_veld(limieten.MAX_FUNCTIE, label="Functie")
    contactpersoon_email = email_veld(
        required=True, label="E-mail", error_messages={"required": "Vul het e-mailadres in."}
    )
    contactpersoon_telefoon = telefoon_veld(label="Telefoon")

    def __init__(
        self,
        data=None,
        *args,
        leerling,
        instelling,
        op: datetime.date,
        melding=None,
        alleen_periode: bool = False,
        **kwargs,
    ):
        initial = dict(kwargs.pop("initial", None) or {})
        locatie = initial.get("locatie")
        if isinstance(locatie, Onderwijslocatie):
            initial["locatie"] = locatie.code
            self._locatie_cache = {locatie.code: locatie}
        else:
            self._locatie_cache = {}
        super().__init__(data, *args, initial=initial, **kwargs)
        self.leerling = leerling
        self.instelling = instelling
        self.op = op
        self.melding = melding
        self.alleen_periode = alleen_periode
        self.waarschuwingen: list[str] = []
        if alleen_periode:
            for naam in list(self.fields):
                if naam not in self.PERIODE:
                    del self.fields[naam]
            return
        self.fields["aanbieder"].queryset = Onderwijsaanbieder.objects.filter(
            instelling=instelling
        ).order_by("code")
        self.fields["soort"].choices = [(s.value, s.label) for s in self._soorten()]
        self.fields["vermoedelijke_reden"].widget.attrs["list"] = "standaardteksten"

    @property
    def instellingscode(self) -> str:
        return self.instelling.instellingscode

    def periode(self) -> tuple[datetime.date | None, datetime.date | None]:
        """Begindatum and einddatum as typed, when both are dates (whatever the rules say of
        them yet); (None, None) otherwise. The wizard keeps it for the Lesuren step."""
        try:
            begindatum, einddatum = (
                self.fields[naam].clean(ruwe_waarde(self, naam)) for naam in self.PERIODE
            )
        except ValidationError:
            return None, None
        return begindatum, einddatum

    def _soorten(self) -> list[Verzuimsoort]:
        begindatum = self.periode()[0]
        if begindatum is None:
            return list(Verzuimsoort)
        return regels.beschikbare_soorten(self.leerling, begindatum)

    def _zoek_locatie(self, code: str) -> Onderwijslocatie | None:
        if code not in self._locatie_cache:
            # Only the instelling's own locaties: another school's is "bestaat niet" here too.
            self._locatie_cache[code] = Onderwijslocatie.objects.filter(
                code=code, aanbieder__instelling=self.instelling
            ).first()
        return self._locatie_cache[code]

    @cached_property
    def getoonde_locatie(self) -> Onderwijslocatie | None:
        """The onderwijslocatie whose postcode and huisnummer the page shows."""
        if self.alleen_periode:
            return None
        # What was typed, looked up as clean_locatie does (also when the page is shown without
        # validating it, after Vorige).
        code = (ruwe_waarde(self, "locatie") or "").strip().upper()
        return self._zoek_locatie(code) if formaten.LOCATIECODE.match(code) else None

    @property
    def locatie_tekst(self) -> str:
        """'Postcode 9712HN Huisnummer 1' under the onderwijslocatiecode."""
        locatie = self.getoonde_locatie
        if locatie is None:
            return ""
        return format_html(
            "Postcode {} Huisnummer {}",
            formaten.toon_postcode(locatie.postcode),
            locatie.huisnummer,
        )

    def clean_locatie(self):
        code = (self.cleaned_data.get("locatie") or "").strip().upper()
        locatie = self._zoek_locatie(code) if formaten.LOCATIECODE.match(code) else None
        if locatie is None:
            raise ValidationError("Deze onderwijslocatie bestaat niet", code="bestaat_niet")
        return locatie

    def clean(self):
        data = super().clean()
        begindatum = data.get("begindatum")
        if begindatum is None or "einddatum" in self.errors:
            return data
        einddatum = data.get("einddatum")
        soort = data.get("soort")
        fouten_tonen(
            self,
            regels.controleer_verzuim(
                leerling=self.leerling,
                instelling=self.instelling,
                begindatum=begindatum,
                einddatum=einddatum,
                soort=None if self.alleen_periode else soort,
                op=self.op,
                melding=self.melding,
                alleen_periode=self.alleen_periode,
            ),
        )
        if self.alleen_periode:
            return data
        if soort:
            self.waarschuwingen = regels.waarschuwingen(soort, begindatum, einddatum)
        # Met prioriteit oppakken only with Actie gewenst Ja (hidden otherwise).
        data["met_prioriteit"] = data.get("actie_gewenst") is True and bool(
            data.get("met_prioriteit")
        )
        fouten_tonen(
            self,
            onderwijsinstelling_fouten(
                instelling_id=self.instelling.pk,
                aanbieder=data.get("aanbieder"),
                locatie=data.get("locatie"),
            ),
        )
        return data
