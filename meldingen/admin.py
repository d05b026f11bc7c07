"""Meldingen in the admin: looked up, hardly changed.

Meldingen are registered, changed and withdrawn through `meldingen/services.py`, which holds
every rule; the admin offers no way around them: no adding, no deleting, every field read-only.
Two things a gemeente stand-in may do here: move the status along the transitions
`meldingen/workflow.py` allows the uitvoerende instantie (never to *Ingetrokken*: that is the
school's, with a reason; use the action, which goes through `services.melding_intrekken`), and
add or edit the Terugkoppeling.
Status changes raise `versie` (a school's concurrent change is then refused) and are logged as
a MeldingWijziging. An anonymised melding (`geanonimiseerd_op`) is read-only altogether.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect

from leerlingen.admin import InzageInBeheer
from verzuimloket.admin import AlleenLezenMixin

from . import services, workflow
from .blokken import BLOKKEN
from .models import (
    GEANONIMISEERD,
    ContactpersoonLeerling,
    Melding,
    MeldingWijziging,
    OndernomenActie,
    RedenIntrekken,
    Status,
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


def _niet_geanonimiseerd(melding) -> bool:
    return melding is None or melding.geanonimiseerd_op is None


class TerugkoppelingInline(admin.StackedInline):
    """What the gemeente reports back; the one thing besides the status the admin may edit."""

    model = Terugkoppeling
    extra = 0
    max_num = 1
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return _niet_geanonimiseerd(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return _niet_geanonimiseerd(obj) and super().has_change_permission(request, obj)


class WijzigingInline(AlleenLezenMixin, admin.TabularInline):
    model = MeldingWijziging
    fields = ["tijdstip", "gebruiker", "blok", "velden"]
    readonly_fields = fields
    extra = 0


class MeldingStatusForm(forms.ModelForm):
    """Only `status` is editable, and only to the statuses the gemeente may set from here."""

    class Meta:
        model = Melding
        fields = ["status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "status" in self.fields:
            self.fields["status"].choices = workflow.instantie_keuzes(self.instance.status)
            self.fields["status"].help_text = (
                "Intrekken doet de school (of de actie 'Intrekken' in het overzicht), met een "
                "reden."
            )

    def clean_status(self):
        nieuw = self.cleaned_data["status"]
        oud = self.instance.status
        if nieuw != oud and not workflow.instantie_mag_overgaan(oud, nieuw):
            raise ValidationError(
                workflow.ONGELDIGE_OVERGANG.format(van=Status(oud).label, naar=Status(nieuw).label),
                code="overgang",
            )
        return nieuw


@admin.register(Melding)
class MeldingAdmin(InzageInBeheer, admin.ModelAdmin):
    form = MeldingStatusForm
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
        if obj is not None and not workflow.is_eindstatus(obj.status) and _niet_geanonimiseerd(obj):
            return [naam for naam in dict.fromkeys(alle) if naam != "status"]
        return list(dict.fromkeys(alle))

    def get_fieldsets(self, request, obj=None):
        melding = [
            "nummer",
            "status",
            "leerling",
            "instelling",
            "uitvoerende_instantie",
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
        """Only the status can change here, through the service (lifecycle, row lock,
        versie, history)."""
        if not change or "status" not in form.changed_data:
            return
        try:
            bijgewerkt = services.status_wijzigen(
                melding=obj, gebruiker=request.user, status=obj.status
            )
        except ValidationError as fout:
            request.status_geweigerd = True
            messages.error(request, " ".join(fout.messages))
            obj.status = Melding.objects.only("status").get(pk=obj.pk).status
            return
        obj.versie = bijgewerkt.versie

    def response_change(self, request, obj):
        # A refused status change must not be followed by Django's "was changed successfully".
        if getattr(request, "status_geweigerd", False):
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

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
