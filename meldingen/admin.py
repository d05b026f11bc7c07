"""Meldingen in the admin: looked up, never changed here.

Meldingen are registered, changed and withdrawn by the school and worked by the uitvoerende
instantie, each on its own side, through the services that hold every rule
(`meldingen/services.py`, `behandeling/services.py`); the admin offers no way around them: no
adding, no deleting, every field and the Terugkoppeling read-only. The one thing the beheerder
may do is the action *Intrekken (Ten onrechte gemeld)*, which goes through
`services.melding_intrekken`. The beheerder's part in the behandeling is granting behandelaars
their machtigingen (leerlingen admin, Gebruiker).
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from leerlingen.admin import InzageInBeheer
from verzuimloket.admin import AlleenLezenMixin

from . import services
from .blokken import BLOKKEN
from .models import (
    GEANONIMISEERD,
    ContactpersoonLeerling,
    Melding,
    MeldingWijziging,
    OndernomenActie,
    RedenIntrekken,
    Terugkoppeling,
    Verzuimdag,
)

# Fields the admin shows through a display method instead of the stored value.
WEERGAVE = {"ondernomen_acties": "acties"}


class ContactpersoonLeerlingInline(AlleenLezenMixin, admin.TabularInline):
    model = ContactpersoonLeerling
    fields = ["volgnummer", "naam", "relatie", "email", "telefoon"]
    readonly_fields = fields
    extra = 0


class VerzuimdagInline(AlleenLezenMixin, admin.TabularInline):
    model = Verzuimdag
    fields = ["datum", "hele_dag", "lesuren", "toelichting"]
    readonly_fields = fields
    extra = 0


class TerugkoppelingInline(AlleenLezenMixin, admin.StackedInline):
    """What the behandelaar reported back (`behandeling.services.terugkoppeling_geven`)."""

    model = Terugkoppeling
    fields = [
        "naam",
        "functie",
        "email",
        "telefoon",
        "datum",
        "instantienaam",
        "toelichting",
        "reden_afgesloten",
    ]
    readonly_fields = fields
    extra = 0


class WijzigingInline(AlleenLezenMixin, admin.TabularInline):
    model = MeldingWijziging
    fields = ["tijdstip", "gebruiker", "blok", "velden"]
    readonly_fields = fields
    extra = 0


@admin.register(Melding)
class MeldingAdmin(InzageInBeheer, admin.ModelAdmin):
    list_display = [
        "nummer",
        "leerling_pgn",
        "soort",
        "status",
        "begindatum",
        "einddatum",
        "instelling",
        "uitvoerende_instantie",
        "melddatum",
    ]
    list_filter = ["status", "soort", "instelling", "wet", "uitvoerende_instantie"]
    search_fields = ["=nummer", "=leerling__pgn"]
    search_help_text = "Zoek op meldingnummer of persoonsgebonden nummer (9 cijfers)."
    list_select_related = ["leerling", "instelling", "uitvoerende_instantie"]
    date_hierarchy = "begindatum"
    inlines = [
        TerugkoppelingInline,
        ContactpersoonLeerlingInline,
        VerzuimdagInline,
        WijzigingInline,
    ]
    actions = ["intrekken_ten_onrechte"]

    def get_readonly_fields(self, request, obj=None):
        alle = [veld.name for veld in Melding._meta.concrete_fields] + ["nummer", "acties"]
        return list(dict.fromkeys(alle))

    def get_fieldsets(self, request, obj=None):
        melding = [
            "nummer",
            "status",
            "leerling",
            "instelling",
            "uitvoerende_instantie",
            "geopend_op",
            "in_behandeling_door",
            "in_behandeling_op",
            "wet",
            "melddatum",
            "versie",
            "geanonimiseerd_op",
        ]
        registratie = [
            "geregistreerd_door",
            "geregistreerd_op",
            "stuur_email_naar_melder",
            "reden_intrekken",
            "toelichting_intrekken",
            "ingetrokken_op",
            "ingetrokken_door",
        ]
        return [
            (None, {"fields": melding}),
            # One fieldset per block of the manual, with the block's own fields; the
            # ondernomen acties as their labels (`acties`), not their codes.
            *(
                (blok.titel, {"fields": [WEERGAVE.get(v, v) for v in blok.velden]})
                for blok in BLOKKEN.values()
            ),
            ("Registratie en intrekking", {"fields": registratie}),
        ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        # No "delete selected": a melding is never deleted.
        acties = super().get_actions(request)
        acties.pop("delete_selected", None)
        return acties

    def meldingnummer_van(self, obj):
        return obj.nummer

    @admin.display(description="ondernomen actie door school")
    def acties(self, obj):
        return ", ".join(OndernomenActie(code).label for code in obj.ondernomen_acties)

    @admin.display(description="persoonsgebonden nummer", ordering="leerling__pgn")
    def leerling_pgn(self, obj):
        return obj.leerling.pgn if obj.leerling_id else GEANONIMISEERD

    def save_model(self, request, obj, form, change):
        """Nothing is saved here: every field is read-only (a posted value is ignored)."""

    @admin.action(description="Intrekken (Ten onrechte gemeld)")
    def intrekken_ten_onrechte(self, request, queryset):
        gelukt = 0
        for melding in queryset.order_by("nummer"):
            try:
                services.melding_intrekken(
                    melding=melding, gebruiker=request.user, reden=RedenIntrekken.TEN_ONRECHTE
                )
            except ValidationError as fout:
                messages.error(request, f"Melding {melding.nummer}: {' '.join(fout.messages)}")
            else:
                gelukt += 1
        if gelukt:
            messages.success(
                request,
                f"{gelukt} melding ingetrokken."
                if gelukt == 1
                else f"{gelukt} meldingen ingetrokken.",
            )


@admin.register(MeldingWijziging)
class MeldingWijzigingAdmin(AlleenLezenMixin, admin.ModelAdmin):
    list_display = ["melding", "blok", "gebruiker", "tijdstip"]
    list_filter = ["blok"]
    search_fields = ["=melding__nummer", "gebruiker__username"]
    list_select_related = ["melding", "gebruiker"]
    date_hierarchy = "tijdstip"
