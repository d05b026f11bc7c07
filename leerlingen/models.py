"""Stubs of DUO's registers: ROD (leerlingen, inschrijvingen) and RIO (instellingen,
onderwijsaanbieders, onderwijslocaties), plus the routing to uitvoerende instanties and the
machtigingen that say which instellingscodes a user may act for.

Invariants that PostgreSQL can hold are in Meta.constraints, so the admin, the shell and any
later import cannot break them either.
"""

import datetime

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.contrib.postgres.indexes import BrinIndex
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from verzuimloket import formaten
from verzuimloket.db import DateRange, IntRange


class Geslacht(models.TextChoices):
    MAN = "M", "Man"
    VROUW = "V", "Vrouw"
    ONBEKEND = "O", "Onbekend"


class Categorie(models.TextChoices):
    """The pupil's category on the begindatum, which decides the routing (docs/regels.md)."""

    LEERPLICHTIG = "leerplichtig", "Leerplichtig (jonger dan 16)"
    KWALIFICATIEPLICHTIG = "kwalificatieplichtig", "Kwalificatieplichtig (16 en 17)"
    ACHTTIEN_PLUS = "18+", "18+ (RMC)"


class Instelling(models.Model):
    instellingscode = models.CharField(
        "instellingscode",
        max_length=4,
        primary_key=True,
        validators=[formaten.valideer_instellingscode],
    )
    naam = models.CharField(max_length=200)
    plaats = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = "instelling"
        verbose_name_plural = "instellingen"
        ordering = ["instellingscode"]
        constraints = [
            models.CheckConstraint(
                condition=Q(instellingscode__regex=r"^[0-9]{2}[A-Z]{2}$"),
                name="instelling_code_formaat",
                violation_error_message="Een instellingscode bestaat uit 2 cijfers en 2 letters.",
            )
        ]

    def __str__(self):
        return f"{self.instellingscode} – {self.naam}"

    def clean_fields(self, exclude=None):
        # "24gp" and " 24GP" are typos of 24GP: normalise before the format checks.
        self.instellingscode = (self.instellingscode or "").strip().upper()
        super().clean_fields(exclude)


class Onderwijsaanbieder(models.Model):
    code = models.CharField(
        "onderwijsaanbiedercode",
        max_length=7,
        primary_key=True,
        validators=[formaten.valideer_aanbiedercode],
    )
    naam = models.CharField(max_length=200)
    instelling = models.ForeignKey(
        Instelling, on_delete=models.PROTECT, related_name="onderwijsaanbieders"
    )

    class Meta:
        verbose_name = "onderwijsaanbieder"
        verbose_name_plural = "onderwijsaanbieders"
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]{3}A[0-9]{3}$"),
                name="aanbieder_code_formaat",
                violation_error_message="Een onderwijsaanbiedercode ziet eruit als 100A001.",
            )
        ]

    def __str__(self):
        return f"{self.code} {self.naam}"


class Onderwijslocatie(models.Model):
    code = models.CharField(
        "onderwijslocatiecode",
        max_length=7,
        primary_key=True,
        validators=[formaten.valideer_locatiecode],
    )
    postcode = models.CharField(max_length=6, validators=[formaten.valideer_postcode])
    huisnummer = models.PositiveIntegerField()
    aanbieder = models.ForeignKey(
        Onderwijsaanbieder, on_delete=models.PROTECT, related_name="onderwijslocaties"
    )

    class Meta:
        verbose_name = "onderwijslocatie"
        verbose_name_plural = "onderwijslocaties"
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]{3}X[0-9]{3}$"),
                name="locatie_code_formaat",
                violation_error_message="Een onderwijslocatiecode ziet eruit als 100X001.",
            )
        ]

    def __str__(self):
        return f"{self.code}, {formaten.toon_postcode(self.postcode)} {self.huisnummer}"


class UitvoerendeInstantie(models.Model):
    """A gemeente's leerplicht team or an RMC regio that handles meldingen."""

    naam = models.CharField(max_length=200, unique=True)
    email = models.EmailField("e-mailadres", blank=True)
    wil_email = models.BooleanField(
        "wil e-mail ontvangen",
        default=False,
        help_text="Stuur bij registratie en intrekking van een melding een e-mail.",
    )

    class Meta:
        verbose_name = "uitvoerende instantie"
        verbose_name_plural = "uitvoerende instanties"
        ordering = ["naam"]
        constraints = [
            models.CheckConstraint(
                condition=Q(wil_email=False) | ~Q(email=""),
                name="instantie_email_bij_wil_email",
                violation_error_message="Vul een e-mailadres in als de instantie e-mail wil.",
            )
        ]

    def __str__(self):
        return self.naam


class Gemeente(models.Model):
    naam = models.CharField(max_length=200, unique=True)
    leerplicht_instantie = models.ForeignKey(
        UitvoerendeInstantie,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Krijgt meldingen van leerplichtige en kwalificatieplichtige leerlingen.",
    )
    rmc_instantie = models.ForeignKey(
        UitvoerendeInstantie,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="RMC-instantie",
        help_text="Krijgt meldingen van leerlingen van 18 jaar en ouder.",
    )

    class Meta:
        verbose_name = "gemeente"
        verbose_name_plural = "gemeenten"
        ordering = ["naam"]

    def __str__(self):
        return self.naam

    def instantie_voor(self, categorie: str) -> UitvoerendeInstantie:
        """The instantie for a category: an alternatieve routering wins over the default."""
        for routering in self.alternatieve_routeringen.all():
            if routering.categorie == categorie:
                return routering.instantie
        if categorie == Categorie.ACHTTIEN_PLUS:
            return self.rmc_instantie
        return self.leerplicht_instantie


class PostcodeGebied(models.Model):
    """A range of 4-digit postcodes (inclusive) that belongs to one gemeente."""

    gemeente = models.ForeignKey(
        Gemeente, on_delete=models.CASCADE, related_name="postcodegebieden"
    )
    van = models.PositiveSmallIntegerField("postcode van (4 cijfers)")
    tot = models.PositiveSmallIntegerField("postcode tot en met (4 cijfers)")

    class Meta:
        verbose_name = "postcodegebied"
        verbose_name_plural = "postcodegebieden"
        ordering = ["van"]
        constraints = [
            models.CheckConstraint(
                condition=Q(van__gte=1000, van__lte=F("tot"), tot__lte=9999),
                name="postcodegebied_van_tot",
                violation_error_message="Een postcodegebied loopt van 1000 tot en met 9999, "
                "en 'van' ligt niet na 'tot'.",
            ),
            ExclusionConstraint(
                name="postcodegebied_niet_overlappend",
                expressions=[(IntRange(F("van"), F("tot")), RangeOperators.OVERLAPS)],
                violation_error_message="Dit postcodegebied overlapt met een ander gebied.",
            ),
        ]

    def __str__(self):
        return f"{self.van}-{self.tot} ({self.gemeente})"


class AlternatieveRoutering(models.Model):
    """DUO's alternatieve routering: a gemeente sends one category to another instantie."""

    gemeente = models.ForeignKey(
        Gemeente, on_delete=models.CASCADE, related_name="alternatieve_routeringen"
    )
    categorie = models.CharField(max_length=20, choices=Categorie)
    instantie = models.ForeignKey(UitvoerendeInstantie, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "alternatieve routering"
        verbose_name_plural = "alternatieve routeringen"
        constraints = [
            models.UniqueConstraint(
                fields=["gemeente", "categorie"],
                name="routering_eenmaal_per_categorie",
                violation_error_message="Deze gemeente heeft al een routering voor deze categorie.",
            )
        ]

    def __str__(self):
        return f"{self.gemeente}: {self.get_categorie_display()} → {self.instantie}"


class LeerlingQuerySet(models.QuerySet):
    def zichtbaar_voor(self, instelling):
        """Leerlingen that are or were enrolled at the instelling (manual 2.2)."""
        return self.filter(
            pk__in=Inschrijving.objects.filter(instelling=instelling).values("leerling_id")
        )


class Leerling(models.Model):
    pgn = models.CharField(
        "persoonsgebonden nummer",
        max_length=9,
        unique=True,
        validators=[formaten.valideer_pgn],
        help_text="Burgerservicenummer of onderwijsnummer, 9 cijfers.",
    )
    naam = models.CharField(max_length=200)
    geboortedatum = models.DateField()
    geslacht = models.CharField(max_length=1, choices=Geslacht)
    straatnaam = models.CharField(max_length=100, blank=True)
    huisnummer = models.PositiveIntegerField(null=True, blank=True)
    huisletter = models.CharField(max_length=1, blank=True)
    huisnummertoevoeging = models.CharField(max_length=10, blank=True)
    postcode = models.CharField(max_length=6, blank=True, validators=[formaten.valideer_postcode])
    plaatsnaam = models.CharField(max_length=100, blank=True)
    woonland = models.CharField(max_length=100, default="Nederland")
    startkwalificatie = models.BooleanField(default=False)

    objects = LeerlingQuerySet.as_manager()

    class Meta:
        verbose_name = "leerling"
        verbose_name_plural = "leerlingen"
        ordering = ["pgn"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pgn__regex=r"^[0-9]{9}$"),
                name="leerling_pgn_compact",
                violation_error_message="Een persoonsgebonden nummer bestaat uit 9 cijfers.",
            ),
            models.CheckConstraint(
                condition=~Q(woonland="Nederland")
                | (~Q(postcode="") & Q(huisnummer__isnull=False)),
                name="leerling_adres_in_nederland",
                violation_error_message="Een leerling in Nederland heeft een postcode en "
                "huisnummer.",
            ),
        ]

    def __str__(self):
        return f"{self.naam} ({self.pgn_soort} {self.pgn})"

    def clean_fields(self, exclude=None):
        # Compact before the fields' max_length checks: "999 999 989" and "9712 HN" are
        # valid ways to type a PGN and a postcode (full_clean runs clean() only afterwards).
        self.clean()
        super().clean_fields(exclude)

    def clean(self):
        if self.pgn:
            self.pgn = formaten.compact_pgn(self.pgn)
        if self.postcode:
            self.postcode = formaten.compact_postcode(self.postcode)

    @property
    def is_bsn(self) -> bool:
        return formaten.is_bsn(self.pgn)

    @property
    def pgn_soort(self) -> str:
        """'Burgerservicenummer' or 'Onderwijsnummer', as the manual labels the number."""
        return "Burgerservicenummer" if self.is_bsn else "Onderwijsnummer"

    @property
    def pgn_afkorting(self) -> str:
        return "BSN" if self.is_bsn else "Onderwijsnummer"

    @property
    def woont_in_nederland(self) -> bool:
        return self.woonland == "Nederland"

    def leeftijd_op(self, datum: datetime.date) -> int:
        """Age in whole years; 18 from the 18th birthday on (29 February counts from 1 March)."""
        jaren = datum.year - self.geboortedatum.year
        if (datum.month, datum.day) < (self.geboortedatum.month, self.geboortedatum.day):
            jaren -= 1
        return jaren

    def categorie_op(self, datum: datetime.date) -> str:
        leeftijd = self.leeftijd_op(datum)
        if leeftijd < 16:
            return Categorie.LEERPLICHTIG
        if leeftijd < 18:
            return Categorie.KWALIFICATIEPLICHTIG
        return Categorie.ACHTTIEN_PLUS

    @property
    def adresregels(self) -> list[str]:
        """The address as the manual shows it: 'Grote Markt 1 A bis' / '9712HN Groningen'."""
        if not self.woont_in_nederland:
            return [self.woonland]
        straat = formaten.straatregel(
            self.straatnaam, self.huisnummer, self.huisletter, self.huisnummertoevoeging
        )
        return [straat, f"{formaten.toon_postcode(self.postcode)} {self.plaatsnaam}".strip()]


AANBIEDER_NIET_VAN_INSTELLING = "Deze onderwijsaanbieder hoort niet bij de instelling."
LOCATIE_NIET_VAN_AANBIEDER = "Deze onderwijslocatie hoort niet bij de gekozen onderwijsaanbieder."


def onderwijsinstelling_fouten(
    *, instelling_id: str | None, aanbieder: Onderwijsaanbieder | None, locatie
) -> dict[str, list[str]]:
    """RIO: an onderwijsaanbieder belongs to one instelling, an onderwijslocatie to one
    aanbieder. An inschrijving and a melding name all three, and they must fit together.
    Returns field -> messages (empty when they fit; a missing one is not judged here)."""
    fouten: dict[str, list[str]] = {}
    if aanbieder is not None and instelling_id and aanbieder.instelling_id != instelling_id:
        fouten["aanbieder"] = [AANBIEDER_NIET_VAN_INSTELLING]
    if aanbieder is not None and locatie is not None and locatie.aanbieder_id != aanbieder.pk:
        fouten["locatie"] = [LOCATIE_NIET_VAN_AANBIEDER]
    return fouten


def valideer_onderwijsinstelling(obj) -> None:
    """Model.clean() of a record with instelling, aanbieder and locatie: do they fit?"""
    fouten = onderwijsinstelling_fouten(
        instelling_id=obj.instelling_id,
        aanbieder=obj.aanbieder if obj.aanbieder_id else None,
        locatie=obj.locatie if obj.locatie_id else None,
    )
    if fouten:
        raise ValidationError(fouten)


class InschrijvingQuerySet(models.QuerySet):
    def op(self, datum: datetime.date):
        return self.filter(begindatum__lte=datum).filter(
            Q(einddatum__isnull=True) | Q(einddatum__gte=datum)
        )


class Inschrijving(models.Model):
    leerling = models.ForeignKey(Leerling, on_delete=models.CASCADE, related_name="inschrijvingen")
    instelling = models.ForeignKey(
        Instelling, on_delete=models.PROTECT, related_name="inschrijvingen"
    )
    aanbieder = models.ForeignKey(
        Onderwijsaanbieder, on_delete=models.PROTECT, verbose_name="onderwijsaanbieder"
    )
    locatie = models.ForeignKey(
        Onderwijslocatie, on_delete=models.PROTECT, verbose_name="onderwijslocatie"
    )
    begindatum = models.DateField()
    einddatum = models.DateField(null=True, blank=True)
    hoofdinschrijving = models.BooleanField(default=True)

    objects = InschrijvingQuerySet.as_manager()

    class Meta:
        verbose_name = "inschrijving"
        verbose_name_plural = "inschrijvingen"
        ordering = ["leerling", "-begindatum"]
        indexes = [models.Index(fields=["instelling", "leerling"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(einddatum__isnull=True) | Q(einddatum__gte=F("begindatum")),
                name="inschrijving_einddatum_na_begindatum",
                violation_error_message="De einddatum ligt voor de begindatum.",
            ),
            ExclusionConstraint(
                name="inschrijving_een_hoofdinschrijving",
                expressions=[
                    ("leerling", RangeOperators.EQUAL),
                    (DateRange(F("begindatum"), F("einddatum")), RangeOperators.OVERLAPS),
                ],
                condition=Q(hoofdinschrijving=True),
                violation_error_message="Deze leerling heeft in deze periode al een "
                "hoofdinschrijving.",
            ),
        ]

    def __str__(self):
        return f"{self.leerling.pgn} bij {self.instelling_id} vanaf {self.begindatum:%d-%m-%Y}"

    def clean(self):
        valideer_onderwijsinstelling(self)


class Machtiging(models.Model):
    """A user may act for this instellingscode (granted by the beheerder in the admin)."""

    gebruiker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="machtigingen"
    )
    instelling = models.ForeignKey(Instelling, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = "machtiging"
        verbose_name_plural = "machtigingen"
        ordering = ["instelling"]
        permissions = [("verzuimloketmelder", "Verzuimloketmelder: mag verzuim melden")]
        constraints = [
            models.UniqueConstraint(
                fields=["gebruiker", "instelling"],
                name="machtiging_eenmaal",
                violation_error_message="Deze gebruiker heeft deze machtiging al.",
            )
        ]

    def __str__(self):
        return f"{self.gebruiker} mag handelen voor {self.instelling_id}"


class InstantieMachtiging(models.Model):
    """A behandelaar (leerplichtambtenaar, RMC-consulent) may work the meldingen of this
    uitvoerende instantie (granted by the beheerder in the admin)."""

    gebruiker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="instantie_machtigingen"
    )
    instantie = models.ForeignKey(
        UitvoerendeInstantie,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="uitvoerende instantie",
    )

    class Meta:
        verbose_name = "machtiging uitvoerende instantie"
        verbose_name_plural = "machtigingen uitvoerende instantie"
        ordering = ["instantie__naam"]
        permissions = [
            ("behandelaar", "Behandelaar: mag meldingen van de uitvoerende instantie behandelen")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["gebruiker", "instantie"],
                name="instantie_machtiging_eenmaal",
                violation_error_message="Deze gebruiker heeft deze machtiging al.",
            )
        ]

    def __str__(self):
        return f"{self.gebruiker} mag behandelen voor {self.instantie}"


class Handeling(models.TextChoices):
    """What someone did when looking at a pupil's data (the inzagelog)."""

    ZOEK_LEERLING = "zoek_leerling", "Zoek leerling"
    LEERLING_OVERZICHT = "leerling_overzicht", "Leerling overzicht"
    REGISTREREN = "registreren", "Verzuimmelding registreren"
    ZOEK_MELDING = "zoek_melding", "Zoek melding (resultaten)"
    MELDING_DETAILS = "melding_details", "Melding details"
    MELDING_WIJZIGEN = "melding_wijzigen", "Melding wijzigen"
    MELDING_INTREKKEN = "melding_intrekken", "Melding intrekken"
    WERKVOORRAAD = "werkvoorraad", "Werkvoorraad (uitvoerende instantie)"
    BEHANDELING = "behandeling", "Behandeling (uitvoerende instantie)"
    KOPPELVLAK = "koppelvlak", "Koppelvlak (API)"
    BEHEER = "beheer", "Beheer"


class Inzage(models.Model):
    """AVG: who looked at which pupil's data, when, for which organisation, and what: so the
    beheerder can answer "who looked at this pupil". A Zoek leerling that found nobody keeps the
    number searched for (`pgn`): someone looked for that person. Kept INZAGE_BEWAARDAGEN days.
    The melding is named by its number only, and forgotten when the melding is anonymised."""

    # No foreign key constraints in the database on this table, on purpose: PostgreSQL checks
    # one by locking the row it points to (FOR KEY SHARE), a write to that row's page, so each
    # look at a list of 25 pupils wrote to 25 pupil rows, the user's and the organisation's:
    # 57% of the entry's cost (0.73 of 1.27 ms) and 4 KB of WAL per list. Every entry is
    # written by the app from the rows it just read; what happens when a user, organisation,
    # koppeling or pupil is deleted stays as declared (on_delete, kept by Django: PROTECT
    # refuses, CASCADE removes the pupil's entries).
    gebruiker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    # The organisation the user acted for: an instelling or an uitvoerende instantie; none for
    # the beheerder in the admin. Their indexes (and the koppeling's) are partial, below.
    instelling = models.ForeignKey(
        Instelling,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    instantie = models.ForeignKey(
        UitvoerendeInstantie,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="uitvoerende instantie",
        db_index=False,
        db_constraint=False,
    )
    # No index of its own: the index (leerling, -tijdstip) serves lookups by leerling, and every
    # index costs on every page view.
    leerling = models.ForeignKey(
        Leerling,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    pgn = models.CharField("gezocht persoonsgebonden nummer", max_length=9, blank=True)
    meldingnummer = models.BigIntegerField(null=True, blank=True)
    tijdstip = models.DateTimeField(auto_now_add=True)
    handeling = models.CharField(max_length=20, choices=Handeling)
    # The step or block looked at; for an API call: method, path and status.
    detail = models.CharField(max_length=200, blank=True)
    # The koppeling that called the API (its own user is `gebruiker`).
    koppeling = models.ForeignKey(
        "koppelvlak.Koppeling",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )

    class Meta:
        verbose_name = "inzage"
        verbose_name_plural = "inzagelog"
        ordering = ["-tijdstip"]
        indexes = [
            models.Index(fields=["leerling", "-tijdstip"]),
            models.Index(fields=["pgn", "-tijdstip"], condition=~Q(pgn=""), name="inzage_pgn"),
            # The daily clean-up by age: rows arrive in time order, so a BRIN index (a few
            # pages, almost free to keep up to date) finds them as well as a B-tree would.
            BrinIndex(fields=["tijdstip"], name="inzage_tijdstip"),
            # Anonymising a melding forgets it here (meldingen.services.meldingen_anonimiseren):
            # without this, every batch would read the whole log, the biggest table.
            models.Index(
                fields=["meldingnummer"],
                condition=Q(meldingnummer__isnull=False),
                name="inzage_meldingnummer",
            ),
            # Each entry names one of these three or none: a partial index holds only the
            # entries that name it, so a school's entry is not also written into the
            # instantie's and the koppeling's index (as a NULL). They serve the admin's filters
            # and the PROTECT check when one is deleted.
            *(
                models.Index(
                    fields=[veld], condition=Q(**{f"{veld}__isnull": False}), name=f"inzage_{veld}"
                )
                for veld in ("instelling", "instantie", "koppeling")
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(leerling__isnull=False) | ~Q(pgn=""),
                name="inzage_wie",
                violation_error_message="Een inzage noemt de leerling of het gezochte nummer.",
            )
        ]

    def __str__(self):
        return f"{self.gebruiker} {self.get_handeling_display()} {self.tijdstip:%d-%m-%Y %H:%M}"
