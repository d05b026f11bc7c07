"""Beheer of the registers, the routing and the machtigingen.

The beheerder grants the role (group *verzuimloketmelder*) and the machtigingen on one screen:
the user admin with a Machtiging inline. Every database constraint is also checked by the
forms (Django validates model constraints), and inline formsets check overlaps among their own
rows, which the database would otherwise only refuse with an error page.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html

from verzuimloket import formaten
from verzuimloket.admin import AlleenLezenMixin

from .models import (
    AlternatieveRoutering,
    Gemeente,
    Handeling,
    Inschrijving,
    InstantieMachtiging,
    Instelling,
    Inzage,
    Leerling,
    Machtiging,
    Onderwijsaanbieder,
    Onderwijslocatie,
    PostcodeGebied,
    UitvoerendeInstantie,
)
from .services import inzage_vastleggen, inzagen_vastleggen


class InzageInBeheer:
    """AVG: the beheerder's looks at pupil data are logged too: the change page of a record
    (its pupil), and a list page (the pupils it lists). `leerling_id_van(obj)` names the pupil."""

    def leerling_id_van(self, obj):
        return obj.leerling_id

    def meldingnummer_van(self, obj):
        return None

    def change_view(self, request, object_id, form_url="", extra_context=None):
        antwoord = super().change_view(request, object_id, form_url, extra_context)
        obj = getattr(antwoord, "context_data", {}).get("original")
        if obj is not None and self.leerling_id_van(obj) is not None:
            inzage_vastleggen(
                gebruiker=request.user,
                instelling=None,
                handeling=Handeling.BEHEER,
                leerling_id=self.leerling_id_van(obj),
                meldingnummer=self.meldingnummer_van(obj),
                detail=self.model._meta.verbose_name,
            )
        return antwoord

    def changelist_view(self, request, extra_context=None):
        antwoord = super().changelist_view(request, extra_context)
        lijst = getattr(antwoord, "context_data", {}).get("cl")
        if lijst is not None:
            inzagen_vastleggen(
                gebruiker=request.user,
                instelling=None,
                handeling=Handeling.BEHEER,
                getoond=[
                    (self.leerling_id_van(obj), self.meldingnummer_van(obj))
                    for obj in lijst.result_list
                ],
            )
        return antwoord


OVERLAP_POSTCODES = "Deze postcodegebieden overlappen elkaar."
OVERLAP_HOOFDINSCHRIJVING = "Deze leerling heeft in deze periode al een hoofdinschrijving."


def _te_bewaren(formset):
    """The cleaned data of the inline rows that will be saved (not empty, not deleted)."""
    return [
        form.cleaned_data
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


# --- RIO: instellingen, aanbieders, locaties ------------------------------------------------


class OnderwijsaanbiederInline(admin.TabularInline):
    model = Onderwijsaanbieder
    extra = 0
    show_change_link = True


@admin.register(Instelling)
class InstellingAdmin(admin.ModelAdmin):
    list_display = ["instellingscode", "naam", "plaats"]
    search_fields = ["instellingscode", "naam", "plaats"]
    list_filter = ["plaats"]
    inlines = [OnderwijsaanbiederInline]

    def get_readonly_fields(self, request, obj=None):
        # The code is the primary key: changing it would create a second instelling.
        return ["instellingscode"] if obj else []


class OnderwijslocatieInline(admin.TabularInline):
    model = Onderwijslocatie
    extra = 0


@admin.register(Onderwijsaanbieder)
class OnderwijsaanbiederAdmin(admin.ModelAdmin):
    list_display = ["code", "naam", "instelling"]
    search_fields = ["code", "naam", "instelling__instellingscode", "instelling__naam"]
    list_filter = ["instelling"]
    list_select_related = ["instelling"]
    autocomplete_fields = ["instelling"]
    inlines = [OnderwijslocatieInline]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj else []


@admin.register(Onderwijslocatie)
class OnderwijslocatieAdmin(admin.ModelAdmin):
    list_display = ["code", "postcode", "huisnummer", "aanbieder", "instelling"]
    search_fields = ["code", "postcode", "aanbieder__code", "aanbieder__naam"]
    list_filter = ["aanbieder__instelling"]
    list_select_related = ["aanbieder__instelling"]
    autocomplete_fields = ["aanbieder"]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj else []

    @admin.display(description="instelling", ordering="aanbieder__instelling")
    def instelling(self, obj):
        return obj.aanbieder.instelling_id


# --- Routing: instanties, gemeenten, postcodegebieden --------------------------------------


@admin.register(UitvoerendeInstantie)
class UitvoerendeInstantieAdmin(admin.ModelAdmin):
    list_display = ["naam", "email", "wil_email"]
    search_fields = ["naam", "email"]
    list_filter = ["wil_email"]


class PostcodeGebiedFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        gebieden = sorted(
            (rij["van"], rij["tot"])
            for rij in _te_bewaren(self)
            if rij.get("van") is not None and rij.get("tot") is not None
        )
        for (_, vorige_tot), (van, _) in zip(gebieden, gebieden[1:], strict=False):
            if van <= vorige_tot:
                raise ValidationError(OVERLAP_POSTCODES, code="overlap")


class PostcodeGebiedInline(admin.TabularInline):
    model = PostcodeGebied
    formset = PostcodeGebiedFormSet
    extra = 0


class AlternatieveRouteringInline(admin.TabularInline):
    model = AlternatieveRoutering
    extra = 0
    autocomplete_fields = ["instantie"]


@admin.register(Gemeente)
class GemeenteAdmin(admin.ModelAdmin):
    list_display = ["naam", "leerplicht_instantie", "rmc_instantie", "postcodes"]
    search_fields = ["naam", "leerplicht_instantie__naam", "rmc_instantie__naam"]
    list_filter = ["leerplicht_instantie", "rmc_instantie"]
    list_select_related = ["leerplicht_instantie", "rmc_instantie"]
    autocomplete_fields = ["leerplicht_instantie", "rmc_instantie"]
    inlines = [PostcodeGebiedInline, AlternatieveRouteringInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("postcodegebieden")

    @admin.display(description="postcodes")
    def postcodes(self, obj):
        return ", ".join(f"{g.van}-{g.tot}" for g in obj.postcodegebieden.all())


@admin.register(PostcodeGebied)
class PostcodeGebiedAdmin(admin.ModelAdmin):
    list_display = ["van", "tot", "gemeente"]
    search_fields = ["gemeente__naam", "van", "tot"]
    list_filter = ["gemeente"]
    list_select_related = ["gemeente"]
    autocomplete_fields = ["gemeente"]


@admin.register(AlternatieveRoutering)
class AlternatieveRouteringAdmin(admin.ModelAdmin):
    list_display = ["gemeente", "categorie", "instantie"]
    search_fields = ["gemeente__naam", "instantie__naam"]
    list_filter = ["categorie", "gemeente"]
    list_select_related = ["gemeente", "instantie"]
    autocomplete_fields = ["gemeente", "instantie"]


# --- ROD: leerlingen and inschrijvingen ------------------------------------------------------


class InschrijvingForm(forms.ModelForm):
    class Meta:
        model = Inschrijving
        fields = [
            "leerling",
            "instelling",
            "aanbieder",
            "locatie",
            "begindatum",
            "einddatum",
            "hoofdinschrijving",
        ]


class InschrijvingFormSet(forms.BaseInlineFormSet):
    """Two overlapping hoofdinschrijvingen typed on one screen: refuse them here, as the
    exclusion constraint `inschrijving_een_hoofdinschrijving` would."""

    def clean(self):
        super().clean()
        perioden = [
            (rij["begindatum"], rij.get("einddatum"))
            for rij in _te_bewaren(self)
            if rij.get("hoofdinschrijving") and rij.get("begindatum")
        ]
        for i, (begin_a, eind_a) in enumerate(perioden):
            for begin_b, eind_b in perioden[i + 1 :]:
                if (eind_b is None or begin_a <= eind_b) and (eind_a is None or begin_b <= eind_a):
                    raise ValidationError(OVERLAP_HOOFDINSCHRIJVING, code="overlap")


class InschrijvingInline(admin.TabularInline):
    model = Inschrijving
    form = InschrijvingForm
    formset = InschrijvingFormSet
    extra = 0
    autocomplete_fields = ["instelling", "aanbieder", "locatie"]


class LeerlingForm(forms.ModelForm):
    """PGN and postcode may be typed as people write them ("999 999 989", "9712 HN"); the
    model stores them compact."""

    class Meta:
        model = Leerling
        fields = [
            "pgn",
            "naam",
            "geboortedatum",
            "geslacht",
            "startkwalificatie",
            "straatnaam",
            "huisnummer",
            "huisletter",
            "huisnummertoevoeging",
            "postcode",
            "plaatsnaam",
            "woonland",
        ]
        field_classes = {"pgn": forms.CharField, "postcode": forms.CharField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pgn"].max_length = 20
        self.fields["pgn"].widget.attrs["maxlength"] = "20"
        self.fields["postcode"].max_length = 7
        self.fields["postcode"].widget.attrs["maxlength"] = "7"
        for naam in ("pgn", "postcode"):
            self.fields[naam].validators = [
                v for v in self.fields[naam].validators if not hasattr(v, "limit_value")
            ]

    def clean_pgn(self):
        return formaten.valideer_pgn(self.cleaned_data["pgn"])

    def clean_postcode(self):
        postcode = self.cleaned_data["postcode"]
        return formaten.valideer_postcode(postcode) if postcode else ""


@admin.register(Leerling)
class LeerlingAdmin(InzageInBeheer, admin.ModelAdmin):
    form = LeerlingForm

    def leerling_id_van(self, obj):
        return obj.pk

    list_display = ["pgn", "pgn_soort", "naam", "geboortedatum", "postcode", "woonland"]
    search_fields = ["pgn", "naam", "postcode"]
    list_filter = ["startkwalificatie", "woonland", "geslacht", "inschrijvingen__instelling"]
    date_hierarchy = "geboortedatum"
    inlines = [InschrijvingInline]
    readonly_fields = ["inzagelog"]
    fieldsets = [
        (None, {"fields": ["pgn", "naam", "geboortedatum", "geslacht", "startkwalificatie"]}),
        ("AVG", {"fields": ["inzagelog"]}),
        (
            "Adres",
            {
                "fields": [
                    "straatnaam",
                    ("huisnummer", "huisletter", "huisnummertoevoeging"),
                    "postcode",
                    "plaatsnaam",
                    "woonland",
                ]
            },
        ),
    ]

    def get_search_results(self, request, queryset, search_term):
        # Find a pupil by a PGN typed with spaces, dots or dashes too.
        queryset, dubbel = super().get_search_results(request, queryset, search_term)
        compact = formaten.compact_pgn(search_term)
        if compact.isdigit() and compact != search_term:
            queryset |= self.model.objects.filter(pgn=compact)
        return queryset, dubbel

    @admin.display(description="soort nummer")
    def pgn_soort(self, obj):
        return obj.pgn_afkorting

    @admin.display(description="wie keek naar deze leerling")
    def inzagelog(self, obj):
        if obj is None or not obj.pk:
            return "-"
        url = reverse("admin:leerlingen_inzage_changelist")
        return format_html('<a href="{}?q={}">Inzagelog van {}</a>', url, obj.pgn, obj.pgn)


@admin.register(Inschrijving)
class InschrijvingAdmin(InzageInBeheer, admin.ModelAdmin):
    form = InschrijvingForm
    list_display = [
        "leerling",
        "instelling",
        "aanbieder",
        "locatie",
        "begindatum",
        "einddatum",
        "hoofdinschrijving",
    ]
    search_fields = ["leerling__pgn", "leerling__naam", "instelling__instellingscode"]
    list_filter = ["hoofdinschrijving", "instelling"]
    list_select_related = ["leerling", "instelling", "aanbieder", "locatie"]
    autocomplete_fields = ["leerling", "instelling", "aanbieder", "locatie"]
    date_hierarchy = "begindatum"


# --- Machtigingen and the user admin ---------------------------------------------------------


@admin.register(Machtiging)
class MachtigingAdmin(admin.ModelAdmin):
    list_display = ["gebruiker", "instelling"]
    search_fields = ["gebruiker__username", "instelling__instellingscode", "instelling__naam"]
    list_filter = ["instelling"]
    list_select_related = ["gebruiker", "instelling"]
    autocomplete_fields = ["gebruiker", "instelling"]


class MachtigingInline(admin.TabularInline):
    model = Machtiging
    fk_name = "gebruiker"
    extra = 0
    autocomplete_fields = ["instelling"]
    verbose_name = "machtiging"
    verbose_name_plural = (
        "machtigingen: instellingscodes waarvoor deze gebruiker mag handelen "
        "(samen met de groep 'verzuimloketmelder' onder Rechten)"
    )


class InstantieMachtigingInline(admin.TabularInline):
    model = InstantieMachtiging
    fk_name = "gebruiker"
    extra = 0
    autocomplete_fields = ["instantie"]
    verbose_name = "machtiging uitvoerende instantie"
    verbose_name_plural = (
        "machtigingen uitvoerende instantie: waarvan deze gebruiker de meldingen mag behandelen "
        "(samen met de groep 'behandelaar' onder Rechten)"
    )


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class GebruikerAdmin(UserAdmin):
    """Django's user admin plus the machtigingen: role (group *verzuimloketmelder* or
    *behandelaar*, under Rechten), instellingscodes and uitvoerende instanties are granted on one
    screen."""

    inlines = [MachtigingInline, InstantieMachtigingInline]
    list_display = ["username", "email", "is_staff", "rol", "instellingscodes", "instanties"]
    list_filter = [*UserAdmin.list_filter, "machtigingen__instelling"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related("machtigingen", "instantie_machtigingen__instantie", "groups")
            .annotate(aantal_machtigingen=Count("machtigingen"))
        )

    @admin.display(description="rol")
    def rol(self, obj):
        return ", ".join(
            groep.name
            for groep in obj.groups.all()
            if groep.name in ("verzuimloketmelder", "behandelaar")
        )

    @admin.display(description="machtigingen", ordering="aantal_machtigingen")
    def instellingscodes(self, obj):
        return ", ".join(m.instelling_id for m in obj.machtigingen.all())

    @admin.display(description="uitvoerende instanties")
    def instanties(self, obj):
        return ", ".join(m.instantie.naam for m in obj.instantie_machtigingen.all())

    def get_inline_instances(self, request, obj=None):
        # Not on the first "add user" step (username and password only).
        return super().get_inline_instances(request, obj) if obj else []


@admin.register(Inzage)
class InzageAdmin(AlleenLezenMixin, admin.ModelAdmin):
    """AVG: "who looked at this pupil" — search the PGN: the looks at the pupil's data and the
    searches for the number (also those that found nobody)."""

    list_display = [
        "tijdstip",
        "gebruiker",
        "instelling",
        "instantie",
        "koppeling",
        "leerling",
        "pgn",
        "meldingnummer",
        "handeling",
        "detail",
    ]
    list_filter = ["handeling", "instelling", "instantie", "koppeling"]
    search_fields = ["=leerling__pgn", "=pgn", "gebruiker__username", "=meldingnummer"]
    search_help_text = "Zoek op persoonsgebonden nummer, gebruikersnaam of meldingnummer."
    list_select_related = ["gebruiker", "instelling", "instantie", "koppeling", "leerling"]
    date_hierarchy = "tijdstip"

    def get_search_results(self, request, queryset, search_term):
        # A PGN typed with spaces, dots or dashes.
        compact = formaten.compact_pgn(search_term)
        if compact.isdigit() and compact != search_term:
            search_term = compact
        return super().get_search_results(request, queryset, search_term)
