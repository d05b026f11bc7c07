"""Verzuimmeldingen and what hangs off them.

The rules one row can hold are CheckConstraints; the rule across rows (no overlapping
verzuimperiodes of one leerling among not-withdrawn meldingen) is an ExclusionConstraint; the
meldingnummer comes from a PostgreSQL sequence. Rules that need today's date or other tables
live in `meldingen/regels.py` and are applied by the services.
"""

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import ArrayField, RangeOperators
from django.db import models
from django.db.models import F, Func, Q
from django.db.models.functions import Greatest
from django.utils import timezone

from leerlingen.models import (
    Instelling,
    Leerling,
    Onderwijsaanbieder,
    Onderwijslocatie,
    UitvoerendeInstantie,
    valideer_onderwijsinstelling,
)
from verzuimloket import formaten
from verzuimloket.db import DateRange

from . import limieten

MELDINGNUMMER_SEQUENCE = "meldingen_meldingnummer_seq"

# What an anonymised melding holds where a constraint needs a value (docs/regels.md, Bewaren).
GEANONIMISEERD = "(geanonimiseerd)"
GEANONIMISEERD_EMAIL = "geanonimiseerd@anoniem.invalid"


class VolgendMeldingnummer(Func):
    """`nextval(...)` on the meldingnummer sequence (created in migration 0001, from 4000000)."""

    template = f"nextval('{MELDINGNUMMER_SEQUENCE}')"
    output_field = models.BigIntegerField()

    def __init__(self):
        super().__init__()


class Verzuimsoort(models.TextChoices):
    """In the manual's order (2.4)."""

    V3 = "V3", "16 uren per 4 weken 18-"
    LRV = "LRV", "Langdurig relatief verzuim 18-"
    V4 = "V4", "16 uren per 4 weken 18+"
    RMC = "RMC", "RMC verzuim 18+"
    OVERIG = "O", "Overig verzuim"
    LUXE = "L", "Luxe verzuim"

    @classmethod
    def kort(cls, code: str) -> str:
        """Overview lists show the short label ('16 uren per 4 weken')."""
        label = cls(code).label
        return label.removesuffix(" 18-").removesuffix(" 18+") if code in ("V3", "V4") else label


# The manual's explanation of each soort (2.4), shown with the choice.
VERZUIMSOORT_UITLEG = {
    Verzuimsoort.V3: "Een leerling jonger dan 18 jaar is in een periode van 4 aaneengesloten "
    "schoolweken minimaal 16 uur ongeoorloofd afwezig.",
    Verzuimsoort.LRV: "Een leerling jonger dan 18 jaar is minimaal 4 aaneengesloten schoolweken "
    "(28 kalenderdagen) continu afwezig, en u heeft die dagen gemeld als '16 uren per 4 weken'. "
    "Vanaf dag 29 meldt u LRV.",
    Verzuimsoort.V4: "Een leerling van 18 jaar of ouder is in een periode van 4 aaneengesloten "
    "schoolweken minimaal 16 uur ongeoorloofd afwezig. Deze melding is niet verplicht.",
    Verzuimsoort.RMC: "Een leerling tussen 18 en 23 jaar zonder startkwalificatie is minstens 4 "
    "aaneengesloten schoolweken (28 kalenderdagen) continu afwezig.",
    Verzuimsoort.OVERIG: "Ongeoorloofde afwezigheid, zoals regelmatig spijbelen of structureel "
    "te laat komen.",
    Verzuimsoort.LUXE: "De leerling is zonder toegekend verlof buiten de schoolvakanties op "
    "vakantie gegaan.",
}
ZIEKTEVERZUIM = (
    "Ziekteverzuim is geoorloofd verzuim: dat meldt u niet, u legt de ziekmelding vast in uw "
    "eigen administratie. Vermoedt u dat het om ongeoorloofd verzuim gaat, dan kunt u na overleg "
    "met de leerplichtambtenaar overig verzuim melden."
)


class Status(models.TextChoices):
    GEREGISTREERD = "R", "Geregistreerd"
    IN_BEHANDELING = "B", "In behandeling"
    AFGESLOTEN = "G", "Afgesloten"
    TER_KENNISGEVING = "K", "Ter kennisgeving aangenomen"
    INGETROKKEN = "I", "Ingetrokken"


class Wet(models.TextChoices):
    LEERPLICHTWET = "LPW", "Leerplichtwet"
    RMC = "RMC", "RMC-regelgeving"


class OndernomenActie(models.TextChoices):
    GESPREK_LEERLING = "gesprek_leerling", "Gesprek met leerling"
    GESPREK_OUDER = "gesprek_ouder", "Gesprek met ouder/verzorger"
    TELEFOON_OUDER = "telefoon_ouder", "Telefonisch contact met ouder/verzorger"
    BRIEF = "brief", "Brief gestuurd"
    EMAIL = "email", "E-mail gestuurd"
    ZORGTEAM = "zorgteam", "Besproken in zorg- of ondersteuningsteam"
    JEUGDARTS = "jeugdarts", "Doorverwezen naar jeugdarts/GGD"
    ANDERS = "anders", "Anders"


class AfwijkendAdres(models.TextChoices):
    GEEN = "", "Nee"
    REGULIER = "regulier", "Regulier"
    ALTERNATIEF = "alternatief", "Alternatief"


class RedenIntrekken(models.TextChoices):
    FOUTIEF = "foutief", "Foutief gemeld, nieuwe melding aangemaakt"
    GEEN_INSCHRIJVING = "geen_inschrijving", "Geen inschrijving"
    TEN_ONRECHTE = "ten_onrechte", "Ten onrechte gemeld"
    ANDERS = "anders", "Anders"


class RedenAfgesloten(models.TextChoices):
    HERVAT = "hervat", "Terug naar school, opleiding hervat"
    ANDERE_OPLEIDING = "andere_opleiding", "Inschrijving beëindigd, andere opleiding"
    WERK = "werk", "Inschrijving beëindigd, werk"
    OVERIG = "overig", "Inschrijving beëindigd, overige redenen"
    OVERLEDEN = "overleden", "Inschrijving beëindigd, leerling overleden"
    LANGDURIG_ZIEK = "langdurig_ziek", "Geen verzuim, langdurig ziek"
    LEGITIEM = "legitiem", "Geen verzuim, legitiem afwezig"


def _niet_leeg(veld: str) -> Q:
    return ~Q(**{veld: ""})


class MeldingQuerySet(models.QuerySet):
    def van_instelling(self, instelling):
        """Meldingen the instelling made: the only ones it may open, change or withdraw
        (anonymised ones are nobody's to open any more)."""
        return self.filter(instelling=instelling).niet_geanonimiseerd()

    def niet_geanonimiseerd(self):
        return self.filter(geanonimiseerd_op__isnull=True)

    def niet_ingetrokken(self):
        return self.exclude(status=Status.INGETROKKEN)


class Melding(models.Model):
    nummer = models.BigIntegerField(
        "meldingnummer", unique=True, db_default=VolgendMeldingnummer(), editable=False
    )
    # NULL only once the melding is anonymised (`geanonimiseerd_op`).
    leerling = models.ForeignKey(
        Leerling, on_delete=models.PROTECT, null=True, related_name="meldingen"
    )
    instelling = models.ForeignKey(
        Instelling,
        on_delete=models.PROTECT,
        related_name="meldingen",
        verbose_name="meldende instelling",
    )
    melddatum = models.DateField()
    status = models.CharField(max_length=1, choices=Status, default=Status.GEREGISTREERD)
    wet = models.CharField(max_length=3, choices=Wet)
    uitvoerende_instantie = models.ForeignKey(
        UitvoerendeInstantie, on_delete=models.PROTECT, related_name="meldingen"
    )

    # Stap 1: Leerling
    leerling_email = models.EmailField("e-mail", blank=True)
    leerling_telefoon = models.CharField(
        "telefoon", max_length=20, blank=True, validators=[formaten.valideer_telefoon]
    )
    afwijkend_adres = models.CharField(
        "afwijkend adres", max_length=11, choices=AfwijkendAdres, blank=True, default=""
    )
    straatnaam = models.CharField(max_length=limieten.MAX_STRAATNAAM, blank=True)
    huisnummer = models.PositiveIntegerField(null=True, blank=True)
    huisletter = models.CharField(max_length=1, blank=True)
    huisnummertoevoeging = models.CharField(max_length=10, blank=True)
    postcode = models.CharField(max_length=6, blank=True)
    aanduiding_locatie = models.CharField(max_length=limieten.MAX_AANDUIDING_LOCATIE, blank=True)
    plaatsnaam = models.CharField(max_length=limieten.MAX_PLAATSNAAM, blank=True)

    # Stap 2: Verzuim
    begindatum = models.DateField()
    einddatum = models.DateField(null=True, blank=True)
    soort = models.CharField(max_length=3, choices=Verzuimsoort)
    vermoedelijke_reden = models.CharField(max_length=limieten.MAX_VERMOEDELIJKE_REDEN)
    toelichting = models.CharField(max_length=limieten.MAX_TOELICHTING, blank=True)
    actie_gewenst = models.BooleanField()
    toelichting_actie_gewenst = models.CharField(max_length=limieten.MAX_TOELICHTING, blank=True)
    met_prioriteit = models.BooleanField("met prioriteit oppakken", default=False)
    aanbieder = models.ForeignKey(
        Onderwijsaanbieder, on_delete=models.PROTECT, verbose_name="onderwijsaanbieder"
    )
    locatie = models.ForeignKey(
        Onderwijslocatie, on_delete=models.PROTECT, verbose_name="onderwijslocatie"
    )
    contactpersoon_naam = models.CharField("naam", max_length=limieten.MAX_NAAM)
    contactpersoon_functie = models.CharField(
        "functie", max_length=limieten.MAX_FUNCTIE, blank=True
    )
    contactpersoon_email = models.EmailField("e-mail")
    contactpersoon_telefoon = models.CharField(
        "telefoon", max_length=20, blank=True, validators=[formaten.valideer_telefoon]
    )

    # Stap 3: Lesuren
    alle_lessen_gemist = models.BooleanField(default=True)

    # Stap 4: Acties school
    ondernomen_acties = ArrayField(
        models.CharField(max_length=20, choices=OndernomenActie),
        verbose_name="ondernomen actie door school",
    )
    toelichting_acties = models.CharField(
        "toelichting ondernomen acties", max_length=limieten.MAX_TOELICHTING, blank=True
    )

    # Stap 5: Overzicht
    stuur_email_naar_melder = models.BooleanField(default=False)

    # Intrekken
    reden_intrekken = models.CharField(
        "reden melding intrekken", max_length=20, choices=RedenIntrekken, blank=True
    )
    toelichting_intrekken = models.CharField(
        max_length=limieten.MAX_TOELICHTING_INTREKKEN, blank=True
    )
    ingetrokken_op = models.DateTimeField(null=True, blank=True)
    ingetrokken_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    # The uitvoerende instantie: who took it in behandeling and when, and when a behandelaar of
    # the current instantie first opened it (until then it is *Nieuw* in the werkvoorraad;
    # doorsturen makes it new again at the next instantie).
    in_behandeling_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    in_behandeling_op = models.DateTimeField(null=True, blank=True)
    geopend_op = models.DateTimeField(null=True, blank=True)

    geregistreerd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    geregistreerd_op = models.DateTimeField(auto_now_add=True)
    # The wizard's draft id: registering the same draft twice (a double click arriving as two
    # concurrent requests) returns the first melding instead of making a second.
    concept = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # Optimistic locking: every change raises it; a save with a stale versie is refused.
    versie = models.PositiveIntegerField(default=1)
    # When the melding last changed: set by every save (`save`), read by the API's list and
    # feed (gewijzigdSinds, the cursor). Opening it is not a change.
    gewijzigd_op = models.DateTimeField(default=timezone.now, editable=False)
    # Two years after the later of melddatum and einddatum every personal field is cleared.
    geanonimiseerd_op = models.DateTimeField(null=True, blank=True, editable=False)

    objects = MeldingQuerySet.as_manager()

    class Meta:
        verbose_name = "verzuimmelding"
        verbose_name_plural = "verzuimmeldingen"
        ordering = ["-nummer"]
        indexes = [
            # Zoek melding: an instelling's meldingen newest first, with what the search
            # filters on (status, uitvoerende instantie) in the index itself, so a page and its
            # capped count (verzuimloket/paginering.py) read the index only.
            models.Index(
                fields=["instelling", "-nummer"],
                include=["status", "uitvoerende_instantie"],
                condition=Q(geanonimiseerd_op__isnull=True),
                name="melding_zoeken",
            ),
            # Zoek melding with a status: counting a school's Geregistreerd meldingen through
            # melding_zoeken read all 10,803 of its entries to find 965 (2 ms a page).
            models.Index(
                fields=["instelling", "status", "-nummer"],
                condition=Q(geanonimiseerd_op__isnull=True),
                name="melding_zoeken_status",
            ),
            # The werkvoorraad: an instantie's meldingen, by status or all, newest first. Only
            # the ones not anonymised: at national scale most rows are, and never listed.
            models.Index(
                fields=["uitvoerende_instantie", "status", "-nummer"],
                condition=Q(geanonimiseerd_op__isnull=True),
                name="melding_werkvoorraad_status",
            ),
            # With the other filters' columns included, so counting and finding the numbers
            # filtered on soort or begindatum reads the index alone: it read the rows, at the
            # largest instantie 33,736 of them (72 ms to count none; 2 ms from the index).
            models.Index(
                fields=["uitvoerende_instantie", "-nummer"],
                include=["status", "soort", "begindatum"],
                condition=Q(geanonimiseerd_op__isnull=True),
                name="melding_werkvoorraad_filters",
            ),
            # The werkvoorraad filtered on a school: without it PostgreSQL combined the
            # instantie's index (68,388 entries at the largest) with the school's, 13.6 ms for
            # a school with one melding there; the capped count read the school's 720.
            models.Index(
                fields=["uitvoerende_instantie", "instelling", "-nummer"],
                condition=Q(geanonimiseerd_op__isnull=True),
                name="melding_werkvoorraad_school",
            ),
            models.Index(fields=["leerling", "-begindatum"]),
            # The API's list and feed: an organisation's meldingen in the order they changed.
            models.Index(
                fields=["instelling", "gewijzigd_op", "nummer"],
                condition=Q(geanonimiseerd_op__isnull=True),
                name="melding_gewijzigd_instelling",
            ),
            models.Index(
                fields=["uitvoerende_instantie", "gewijzigd_op", "nummer"],
                condition=Q(geanonimiseerd_op__isnull=True),
                name="melding_gewijzigd_instantie",
            ),
            # The daily anonymising (services.meldingen_anonimiseren): the not yet anonymised
            # meldingen by the later of melddatum and einddatum (GREATEST skips a NULL
            # einddatum), so a day's run reads only that day's due rows, not all of them.
            models.Index(
                Greatest("melddatum", "einddatum"),
                condition=Q(geanonimiseerd_op__isnull=True),
                name="melding_anonimiseren",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(einddatum__isnull=True) | Q(einddatum__gte=F("begindatum")),
                name="melding_einddatum_na_begindatum",
                violation_error_message="De einddatum mag niet voor de begindatum liggen.",
            ),
            models.CheckConstraint(
                condition=Q(begindatum__lte=F("melddatum")),
                name="melding_begindatum_niet_na_melddatum",
                violation_error_message="De begindatum mag niet in de toekomst liggen.",
            ),
            ExclusionConstraint(
                name="melding_geen_overlap",
                expressions=[
                    ("leerling", RangeOperators.EQUAL),
                    (DateRange(F("begindatum"), F("einddatum")), RangeOperators.OVERLAPS),
                ],
                condition=~Q(status=Status.INGETROKKEN),
                violation_error_message="De verzuimperiode valt (deels) samen met een andere "
                "melding voor deze leerling.",
            ),
            models.CheckConstraint(
                condition=~Q(soort__in=[Verzuimsoort.V3, Verzuimsoort.V4])
                | Q(einddatum__isnull=False),
                name="melding_einddatum_bij_16_uren",
                violation_error_message="Bij 16 uren per 4 weken is de einddatum verplicht.",
            ),
            models.CheckConstraint(
                condition=_niet_leeg("vermoedelijke_reden"),
                name="melding_vermoedelijke_reden",
                violation_error_message="Vul de vermoedelijke reden in.",
            ),
            models.CheckConstraint(
                condition=Q(actie_gewenst=True) | _niet_leeg("toelichting_actie_gewenst"),
                name="melding_toelichting_bij_geen_actie",
                violation_error_message="Licht toe waarom geen actie gewenst is.",
            ),
            models.CheckConstraint(
                condition=Q(met_prioriteit=False) | Q(actie_gewenst=True),
                name="melding_prioriteit_alleen_bij_actie",
                violation_error_message="Met prioriteit oppakken kan alleen als actie gewenst is.",
            ),
            models.CheckConstraint(
                condition=_niet_leeg("contactpersoon_naam") & _niet_leeg("contactpersoon_email"),
                name="melding_contactpersoon_school",
                violation_error_message="Vul naam en e-mail van de contactpersoon in.",
            ),
            models.CheckConstraint(
                condition=Q(ondernomen_acties__len__gte=1),
                name="melding_minstens_een_actie",
                violation_error_message="Kies minimaal één ondernomen actie.",
            ),
            models.CheckConstraint(
                condition=~Q(ondernomen_acties__contains=[OndernomenActie.ANDERS])
                | _niet_leeg("toelichting_acties"),
                name="melding_toelichting_bij_actie_anders",
                violation_error_message="Licht de ondernomen actie 'Anders' toe.",
            ),
            models.CheckConstraint(
                condition=(
                    Q(afwijkend_adres=AfwijkendAdres.GEEN)
                    & Q(straatnaam="", huisnummer__isnull=True, postcode="")
                    & Q(aanduiding_locatie="", plaatsnaam="")
                )
                | (
                    Q(afwijkend_adres=AfwijkendAdres.REGULIER)
                    & _niet_leeg("straatnaam")
                    & Q(huisnummer__isnull=False)
                    & Q(postcode__regex=r"^[1-9][0-9]{3}[A-Z]{2}$")
                    & Q(aanduiding_locatie="")
                )
                | (
                    Q(afwijkend_adres=AfwijkendAdres.ALTERNATIEF)
                    & _niet_leeg("aanduiding_locatie")
                    & _niet_leeg("plaatsnaam")
                    & Q(straatnaam="", huisnummer__isnull=True, postcode="")
                ),
                name="melding_afwijkend_adres_volledig",
                violation_error_message="Vul het afwijkende adres volledig in.",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=Status.INGETROKKEN)
                    & _niet_leeg("reden_intrekken")
                    & Q(ingetrokken_op__isnull=False)
                    & (
                        ~Q(reden_intrekken=RedenIntrekken.ANDERS)
                        | _niet_leeg("toelichting_intrekken")
                    )
                )
                | (
                    ~Q(status=Status.INGETROKKEN)
                    & Q(reden_intrekken="", toelichting_intrekken="", ingetrokken_op__isnull=True)
                ),
                name="melding_intrekken_met_reden",
                violation_error_message="Een ingetrokken melding heeft een reden "
                "(en bij Anders een toelichting).",
            ),
            models.CheckConstraint(
                condition=Q(leerling__isnull=False, geanonimiseerd_op__isnull=True)
                | Q(leerling__isnull=True, geanonimiseerd_op__isnull=False),
                name="melding_leerling_tenzij_geanonimiseerd",
                violation_error_message="Alleen een geanonimiseerde melding is zonder leerling.",
            ),
            models.CheckConstraint(
                condition=Q(nummer__gte=4000000),
                name="melding_nummer_vanaf_4000000",
                violation_error_message="Meldingnummers beginnen bij 4000000.",
            ),
        ]

    def __str__(self):
        return f"Melding {self.nummer}"

    def save(self, *args, **kwargs):
        # Every save is a change (the services save nothing else), also one that names only
        # some fields.
        self.gewijzigd_op = timezone.now()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "gewijzigd_op"}
        super().save(*args, **kwargs)

    def clean(self):
        valideer_onderwijsinstelling(self)

    @property
    def soort_kort(self) -> str:
        return Verzuimsoort.kort(self.soort)


class ContactpersoonLeerling(models.Model):
    """At most five per melding: the volgnummer 1..5 is unique per melding."""

    melding = models.ForeignKey(Melding, on_delete=models.CASCADE, related_name="contactpersonen")
    volgnummer = models.PositiveSmallIntegerField()
    naam = models.CharField(max_length=limieten.MAX_NAAM)
    relatie = models.CharField("relatie tot leerling", max_length=limieten.MAX_RELATIE, blank=True)
    email = models.EmailField("e-mail", blank=True)
    telefoon = models.CharField(max_length=20, blank=True, validators=[formaten.valideer_telefoon])

    class Meta:
        verbose_name = "contactpersoon leerling"
        verbose_name_plural = "contactpersonen leerling"
        ordering = ["melding", "volgnummer"]
        constraints = [
            models.UniqueConstraint(
                fields=["melding", "volgnummer"], name="contactpersoon_volgnummer_uniek"
            ),
            models.CheckConstraint(
                condition=Q(volgnummer__gte=1, volgnummer__lte=limieten.MAX_CONTACTPERSONEN),
                name="contactpersoon_maximaal_vijf",
                violation_error_message="Er is ruimte voor maximaal vijf contactpersonen.",
            ),
            models.CheckConstraint(
                condition=_niet_leeg("naam"),
                name="contactpersoon_naam",
                violation_error_message="Vul de naam van de contactpersoon in.",
            ),
        ]

    def __str__(self):
        return self.naam


class Verzuimdag(models.Model):
    melding = models.ForeignKey(Melding, on_delete=models.CASCADE, related_name="verzuimdagen")
    datum = models.DateField()
    hele_dag = models.BooleanField(default=True)
    lesuren = ArrayField(models.PositiveSmallIntegerField(), default=list, blank=True)
    toelichting = models.CharField(max_length=limieten.MAX_TOELICHTING, blank=True)

    class Meta:
        verbose_name = "verzuimdag"
        verbose_name_plural = "verzuimdagen"
        ordering = ["melding", "datum"]
        constraints = [
            models.UniqueConstraint(
                fields=["melding", "datum"],
                name="verzuimdag_eenmaal_per_datum",
                violation_error_message="Deze dag is al toegevoegd.",
            ),
            models.CheckConstraint(
                condition=(Q(hele_dag=True) & Q(lesuren=[]))
                | (
                    Q(hele_dag=False)
                    & Q(lesuren__len__gte=1)
                    & Q(lesuren__contained_by=list(limieten.LESUREN))
                ),
                name="verzuimdag_lesuren",
                violation_error_message="Kies bij 'Hele dag: Nee' minimaal één lesuur (1 tot en "
                "met 12).",
            ),
        ]

    def __str__(self):
        return f"{self.datum:%d-%m-%Y}"


class Terugkoppeling(models.Model):
    """What the gemeente reports back (shown as *Terugkoppeling behandelaar*)."""

    melding = models.OneToOneField(Melding, on_delete=models.CASCADE, related_name="terugkoppeling")
    naam = models.CharField(max_length=limieten.MAX_NAAM)
    functie = models.CharField(max_length=limieten.MAX_FUNCTIE, blank=True)
    email = models.EmailField("e-mail", blank=True)
    telefoon = models.CharField(max_length=20, blank=True, validators=[formaten.valideer_telefoon])
    datum = models.DateField("datum terugkoppeling")
    instantienaam = models.CharField(
        "uitvoerende instantienaam", max_length=limieten.MAX_INSTANTIENAAM
    )
    toelichting = models.CharField(max_length=limieten.MAX_TOELICHTING_TERUGKOPPELING, blank=True)
    reden_afgesloten = models.CharField(
        "reden melding afgesloten", max_length=20, choices=RedenAfgesloten, blank=True
    )

    class Meta:
        verbose_name = "terugkoppeling behandelaar"
        verbose_name_plural = "terugkoppelingen behandelaar"

    def __str__(self):
        return f"Terugkoppeling op {self.melding}"


class MeldingWijziging(models.Model):
    """One saved change of a melding: who, when, and which fields from what to what."""

    melding = models.ForeignKey(Melding, on_delete=models.CASCADE, related_name="wijzigingen")
    gebruiker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    tijdstip = models.DateTimeField(auto_now_add=True)
    blok = models.CharField(max_length=40)
    # [{"veld": "Einddatum", "oud": "", "nieuw": "10-02-2025"}, ...], labels as shown on screen.
    velden = models.JSONField(default=list)

    class Meta:
        verbose_name = "wijziging"
        verbose_name_plural = "wijzigingen"
        ordering = ["-tijdstip", "-pk"]

    def __str__(self):
        return f"{self.blok} gewijzigd op {self.tijdstip:%d-%m-%Y %H:%M}"


class AantalPerStatus(models.Model):
    """How many live (not anonymised) meldingen an uitvoerende instantie has in a status: the
    werkvoorraad shows these counts on every request. Kept by triggers on the melding table
    (migration 0012: one upsert per statement, from its transition tables), so whatever
    writes a melding (the services, the admin, a bulk update, COPY) keeps them right; counting
    on every request read a large gemeente's 30,000 index entries each time (6 ms), growing with
    the years. Never written by the application."""

    instantie = models.ForeignKey(
        UitvoerendeInstantie, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    status = models.CharField(max_length=1, choices=Status)
    aantal = models.IntegerField()

    class Meta:
        verbose_name = "aantal per status"
        verbose_name_plural = "aantallen per status"
        constraints = [
            models.UniqueConstraint(
                fields=["instantie", "status"], name="aantal_per_status_eenmaal"
            ),
        ]

    def __str__(self):
        return f"{self.get_status_display()}: {self.aantal}"


def constraint_melding(naam: str) -> str:
    """The message of a database constraint of these models, for a form that shows the same
    rule next to its field before the database would refuse it."""
    for model in (Melding, ContactpersoonLeerling, Verzuimdag):
        for constraint in model._meta.constraints:
            if constraint.name == naam:
                return str(constraint.violation_error_message)
    raise LookupError(naam)
