"""What the API answers, and the shape of what it takes, as DRF serializers: the OpenAPI
document is generated from these (drf-spectacular). Property names are lowerCamelCase versions
of the Melding fields (`koppelvlak.vertaling.camel`); codes are the verzuimloket's own (soort V3,
status R, ...), with their labels in the document.

A request body is not validated here but by the browser's forms (`koppelvlak.vertaling`):
the request serializers only describe it.
"""

import datetime

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from leerlingen.models import Geslacht
from meldingen import limieten
from meldingen.models import (
    AfwijkendAdres,
    OndernomenActie,
    RedenAfgesloten,
    RedenIntrekken,
    Status,
    Verzuimsoort,
    Wet,
)


def _keuzes(choices, beschrijving: str = ""):
    return {"choices": [(c.value, c.label) for c in choices], "help_text": beschrijving}


def _tekst(max_length: int, **kwargs):
    return serializers.CharField(
        max_length=max_length, required=False, allow_blank=True, default="", **kwargs
    )


def _telefoon(**kwargs):
    return serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        default="",
        help_text="Een Nederlands telefoonnummer van 10 cijfers, of internationaal met +.",
        **kwargs,
    )


def _email(**kwargs):
    return serializers.EmailField(
        max_length=254, required=False, allow_blank=True, default="", **kwargs
    )


class Contactpersoon(serializers.Serializer):
    naam = serializers.CharField(max_length=limieten.MAX_NAAM)
    relatie = _tekst(limieten.MAX_RELATIE, help_text="Relatie tot leerling")
    email = _email()
    telefoon = _telefoon()


class LeerlingBlok(serializers.Serializer):
    """Block Leerling: how to reach the pupil, and the contactpersonen leerling."""

    pgn = serializers.CharField(
        source="leerling.pgn",
        read_only=True,
        help_text="Persoonsgebonden nummer (BSN of onderwijsnummer).",
    )
    naam = serializers.CharField(source="leerling.naam", read_only=True)
    geboortedatum = serializers.DateField(source="leerling.geboortedatum", read_only=True)
    leerlingEmail = _email(source="leerling_email")
    leerlingTelefoon = _telefoon(source="leerling_telefoon")
    afwijkendAdres = serializers.ChoiceField(
        source="afwijkend_adres",
        choices=[AfwijkendAdres.REGULIER, AfwijkendAdres.ALTERNATIEF],
        allow_null=True,
        required=False,
        default=None,
        help_text="Geen afwijkend adres: null. Regulier: straatnaam, huisnummer, postcode. "
        "Alternatief: aanduidingLocatie, plaatsnaam.",
    )
    straatnaam = _tekst(limieten.MAX_STRAATNAAM)
    huisnummer = serializers.IntegerField(
        min_value=1, max_value=99999, allow_null=True, required=False, default=None
    )
    huisletter = _tekst(1)
    huisnummertoevoeging = _tekst(10)
    postcode = _tekst(7, help_text="Zoals 1234AB")
    aanduidingLocatie = _tekst(limieten.MAX_AANDUIDING_LOCATIE, source="aanduiding_locatie")
    plaatsnaam = _tekst(limieten.MAX_PLAATSNAAM)
    contactpersonen = Contactpersoon(
        many=True, required=False, max_length=limieten.MAX_CONTACTPERSONEN
    )

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["afwijkendAdres"] = data["afwijkendAdres"] or None
        return data


class VerzuimBlok(serializers.Serializer):
    """Block Verzuim: the period, the soort, why, and the school's contactpersoon."""

    begindatum = serializers.DateField()
    einddatum = serializers.DateField(
        allow_null=True,
        required=False,
        default=None,
        help_text="Verplicht bij 16 uren per 4 weken (V3, V4).",
    )
    soort = serializers.ChoiceField(**_keuzes(Verzuimsoort, "De verzuimsoort."))
    vermoedelijkeReden = serializers.CharField(
        source="vermoedelijke_reden", max_length=limieten.MAX_VERMOEDELIJKE_REDEN
    )
    toelichting = _tekst(limieten.MAX_TOELICHTING)
    actieGewenst = serializers.BooleanField(source="actie_gewenst")
    toelichtingActieGewenst = _tekst(
        limieten.MAX_TOELICHTING,
        source="toelichting_actie_gewenst",
        help_text="Verplicht als actieGewenst false is.",
    )
    metPrioriteit = serializers.BooleanField(source="met_prioriteit", required=False, default=False)
    aanbieder = serializers.CharField(
        source="aanbieder_id", help_text="Onderwijsaanbiedercode van de instelling."
    )
    locatie = serializers.CharField(source="locatie_id", help_text="Onderwijslocatiecode.")
    contactpersoonNaam = serializers.CharField(
        source="contactpersoon_naam", max_length=limieten.MAX_NAAM
    )
    contactpersoonFunctie = _tekst(limieten.MAX_FUNCTIE, source="contactpersoon_functie")
    contactpersoonEmail = serializers.EmailField(source="contactpersoon_email", max_length=254)
    contactpersoonTelefoon = _telefoon(source="contactpersoon_telefoon")


class Verzuimdag(serializers.Serializer):
    datum = serializers.DateField()
    heleDag = serializers.BooleanField(source="hele_dag", required=False, default=True)
    lesuren = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=12),
        required=False,
        default=list,
        help_text="Verplicht bij heleDag false: de gemiste lesuren (1 tot en met 12).",
    )
    toelichting = _tekst(limieten.MAX_TOELICHTING)


class LesurenBlok(serializers.Serializer):
    alleLessenGemist = serializers.BooleanField(source="alle_lessen_gemist")
    verzuimdagen = Verzuimdag(
        many=True,
        required=False,
        max_length=limieten.MAX_VERZUIMDAGEN,
        help_text="Verplicht bij alleLessenGemist false.",
    )


class ActiesBlok(serializers.Serializer):
    ondernomenActies = serializers.ListField(
        source="ondernomen_acties",
        child=serializers.ChoiceField(**_keuzes(OndernomenActie)),
        min_length=1,
    )
    toelichtingActies = _tekst(
        limieten.MAX_TOELICHTING,
        source="toelichting_acties",
        help_text="Verplicht bij de actie anders.",
    )


class MeldingAanvraag(serializers.Serializer):
    """A new melding: every block at once (the wizard's six steps in one request)."""

    pgn = serializers.CharField(
        max_length=20, help_text="Persoonsgebonden nummer (BSN of onderwijsnummer) van de leerling."
    )
    leerling = LeerlingBlok(required=False)
    verzuim = VerzuimBlok()
    lesuren = LesurenBlok()
    acties = ActiesBlok()
    stuurEmailNaarMelder = serializers.BooleanField(required=False, default=False)


class MeldingWijziging(serializers.Serializer):
    """A JSON merge patch (RFC 7396) of one or more blocks: a property left out keeps its value,
    an array (contactpersonen, verzuimdagen, ondernomenActies) is replaced as a whole."""

    leerling = LeerlingBlok(required=False)
    verzuim = VerzuimBlok(required=False)
    lesuren = LesurenBlok(required=False)
    acties = ActiesBlok(required=False)


class Instantie(serializers.Serializer):
    id = serializers.IntegerField()
    naam = serializers.CharField()


class Intrekking(serializers.Serializer):
    reden = serializers.ChoiceField(source="reden_intrekken", **_keuzes(RedenIntrekken))
    toelichting = serializers.CharField(source="toelichting_intrekken")
    ingetrokkenOp = serializers.DateTimeField(source="ingetrokken_op")


class Behandeling(serializers.Serializer):
    inBehandelingOp = serializers.DateTimeField(source="in_behandeling_op", allow_null=True)
    inBehandelingDoor = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.STR)
    def get_inBehandelingDoor(self, melding) -> str:  # noqa: N802 (a property name)
        gebruiker = melding.in_behandeling_door
        return (gebruiker.get_full_name() or gebruiker.username) if gebruiker else ""


class Terugkoppeling(serializers.Serializer):
    naam = serializers.CharField(max_length=limieten.MAX_NAAM)
    functie = _tekst(limieten.MAX_FUNCTIE)
    email = _email()
    telefoon = _telefoon()
    datum = serializers.DateField(help_text="Datum terugkoppeling; niet in de toekomst.")
    toelichting = _tekst(limieten.MAX_TOELICHTING_TERUGKOPPELING)
    instantienaam = serializers.CharField(read_only=True)
    redenAfgesloten = serializers.ChoiceField(
        source="reden_afgesloten", read_only=True, allow_null=True, **_keuzes(RedenAfgesloten)
    )

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["redenAfgesloten"] = data["redenAfgesloten"] or None
        return data


class MeldingKern(serializers.Serializer):
    """What every list row shows of a melding."""

    nummer = serializers.IntegerField(help_text="Het meldingnummer.")
    versie = serializers.IntegerField(
        help_text='Stijgt bij elke wijziging; als ETag en If-Match: "<versie>".'
    )
    status = serializers.ChoiceField(**_keuzes(Status))
    soort = serializers.ChoiceField(**_keuzes(Verzuimsoort))
    begindatum = serializers.DateField()
    einddatum = serializers.DateField(allow_null=True)
    melddatum = serializers.DateField()
    pgn = serializers.CharField(source="leerling.pgn")
    naam = serializers.CharField(source="leerling.naam", help_text="Naam van de leerling.")
    instelling = serializers.CharField(
        source="instelling_id", help_text="Instellingscode van de meldende instelling."
    )
    uitvoerendeInstantie = Instantie(source="uitvoerende_instantie")
    actieGewenst = serializers.BooleanField(source="actie_gewenst")
    metPrioriteit = serializers.BooleanField(source="met_prioriteit")
    geregistreerdOp = serializers.DateTimeField(source="geregistreerd_op")
    gewijzigdOp = serializers.DateTimeField(source="gewijzigd_op")

    def to_representation(self, melding):
        """A row of the feed (selectors.FEED_KOLOMMEN) through `feed_regel`; a Melding itself
        takes DRF's generic path."""
        if not isinstance(melding, tuple):
            return super().to_representation(melding)
        return feed_regel(melding, timezone.get_current_timezone())


def feed_regel(rij, tijdzone) -> dict:
    """A row of the feed (selectors.FEED_KOLOMMEN) as MeldingKern's fields give it, written out:
    for a list of 50, DRF looked each field's source up and converted it through a handful of
    calls per row (40% of the call's CPU), and each date-time looked the time zone up again.
    tests/test_koppelvlak.py holds it equal to DRF's generic representation of the Melding
    for every kind of melding."""
    return {
        "nummer": rij.nummer,
        "versie": rij.versie,
        "status": rij.status,
        "soort": rij.soort,
        "begindatum": rij.begindatum.isoformat(),
        "einddatum": rij.einddatum.isoformat() if rij.einddatum else None,
        "melddatum": rij.melddatum.isoformat(),
        "pgn": rij.pgn,
        "naam": rij.leerling_naam,
        "instelling": rij.instelling_id,
        "uitvoerendeInstantie": {"id": rij.uitvoerende_instantie_id, "naam": rij.instantie_naam},
        "actieGewenst": _ja_nee(rij.actie_gewenst),
        "metPrioriteit": _ja_nee(rij.met_prioriteit),
        "geregistreerdOp": _tijdstip(rij.geregistreerd_op, tijdzone),
        "gewijzigdOp": _tijdstip(rij.gewijzigd_op, tijdzone),
    }


def _tijdstip(waarde: datetime.datetime, tijdzone) -> str:
    """DRF's DateTimeField.to_representation of an aware date-time, in ISO 8601."""
    tekst = waarde.astimezone(tijdzone).isoformat()
    return tekst[:-6] + "Z" if tekst.endswith("+00:00") else tekst


def _ja_nee(waarde):
    """A BooleanField's representation: None stays None (DRF skips the conversion)."""
    return None if waarde is None else bool(waarde)


class Melding(MeldingKern):
    """A whole melding, as the Melding details page shows it."""

    wet = serializers.ChoiceField(**_keuzes(Wet))
    leerling = LeerlingBlok(source="*")
    verzuim = VerzuimBlok(source="*")
    lesuren = LesurenBlok(source="*")
    acties = ActiesBlok(source="*")
    stuurEmailNaarMelder = serializers.BooleanField(source="stuur_email_naar_melder")
    intrekking = serializers.SerializerMethodField()
    behandeling = serializers.SerializerMethodField()
    terugkoppeling = serializers.SerializerMethodField()

    @extend_schema_field(Intrekking(allow_null=True))
    def get_intrekking(self, melding):
        return Intrekking(melding).data if melding.status == Status.INGETROKKEN else None

    @extend_schema_field(Behandeling(allow_null=True))
    def get_behandeling(self, melding):
        return Behandeling(melding).data if melding.in_behandeling_op else None

    @extend_schema_field(Terugkoppeling(allow_null=True))
    def get_terugkoppeling(self, melding):
        terugkoppeling = getattr(melding, "terugkoppeling", None)
        return Terugkoppeling(terugkoppeling).data if terugkoppeling else None


class Meldingen(serializers.Serializer):
    """The list's answer; for the rows of the feed `meldingen_antwoord` gives the same."""

    meldingen = MeldingKern(many=True)
    volgende = serializers.CharField(
        help_text="De cursor voor het volgende verzoek (parameter cursor): na de laatste "
        "melding van deze pagina, of, als er geen meer zijn, het punt om later vanaf verder "
        "te vragen."
    )
    meer = serializers.BooleanField(help_text="Of er na deze pagina nu al meer meldingen zijn.")


def meldingen_antwoord(rijen, *, volgende: str, meer: bool) -> dict:
    """Meldingen(...).data for rows of the feed, without building the serializer: DRF copies
    every declared field of Meldingen and MeldingKern for each new serializer, a tenth of
    the list's CPU. tests/test_koppelvlak.py holds the two equal."""
    tijdzone = timezone.get_current_timezone()
    return {
        "meldingen": [feed_regel(rij, tijdzone) for rij in rijen],
        "volgende": volgende,
        "meer": meer,
    }


class Blokkade(serializers.Serializer):
    titel = serializers.CharField()
    tekst = serializers.CharField()


class LeerlingMelding(serializers.Serializer):
    nummer = serializers.IntegerField()
    soort = serializers.ChoiceField(**_keuzes(Verzuimsoort))
    status = serializers.ChoiceField(**_keuzes(Status))
    begindatum = serializers.DateField()
    einddatum = serializers.DateField(allow_null=True)
    instelling = serializers.CharField(source="instelling_id")
    uitvoerendeInstantie = serializers.CharField(source="instantie_naam")
    eigen = serializers.BooleanField(
        help_text="Of deze melding van de instelling van de koppeling is (alleen die kan zij "
        "openen, wijzigen en intrekken)."
    )


class Leerling(serializers.Serializer):
    """The Leerling overzicht: the pupil, whether a melding can be registered today, and every
    melding of the pupil."""

    VELDEN = (
        "pgn",
        "pgn_soort",
        "naam",
        "geboortedatum",
        "geslacht",
        "adresregels",
        "woonland",
        "startkwalificatie",
    )

    pgn = serializers.CharField()
    pgnSoort = serializers.CharField(source="pgn_soort")
    naam = serializers.CharField()
    geboortedatum = serializers.DateField()
    geslacht = serializers.ChoiceField(**_keuzes(Geslacht))
    adres = serializers.ListField(child=serializers.CharField(), source="adresregels")
    woonland = serializers.CharField()
    startkwalificatie = serializers.BooleanField()
    blokkade = Blokkade(
        allow_null=True,
        help_text="Waarom vandaag geen melding kan worden geregistreerd; null als het kan.",
    )
    toegestaneSoorten = serializers.ListField(
        child=serializers.ChoiceField(**_keuzes(Verzuimsoort)),
        help_text="De verzuimsoorten voor een melding met begindatum vandaag.",
    )
    meldingen = LeerlingMelding(many=True)


class LeerlingZoeken(serializers.Serializer):
    pgn = serializers.CharField(
        max_length=20, help_text="Persoonsgebonden nummer (BSN of onderwijsnummer)."
    )


class IntrekkingAanvraag(serializers.Serializer):
    reden = serializers.ChoiceField(**_keuzes(RedenIntrekken))
    toelichting = _tekst(limieten.MAX_TOELICHTING_INTREKKEN, help_text="Verplicht bij anders.")


class AfsluitingAanvraag(serializers.Serializer):
    redenAfgesloten = serializers.ChoiceField(**_keuzes(RedenAfgesloten))


class KennisgevingAanvraag(serializers.Serializer):
    toelichting = _tekst(
        limieten.MAX_TOELICHTING_TERUGKOPPELING, help_text="Verplicht bij actieGewenst true."
    )


class DoorsturingAanvraag(serializers.Serializer):
    instantie = serializers.IntegerField(help_text="Het id van de andere uitvoerende instantie.")
    reden = serializers.CharField(max_length=limieten.MAX_REDEN_DOORSTUREN)


class Leeg(serializers.Serializer):
    """No body needed."""
