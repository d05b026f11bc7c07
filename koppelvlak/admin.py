"""Koppelingen in the beheer: make one for an instelling or an uitvoerende instantie (the key is
shown once, on the page after saving), give it an expiry, revoke it. The key itself is never
stored, only its hash; a lost key means a new koppeling."""

from django.contrib import admin, messages
from django.utils.html import format_html

from .models import Koppeling
from .services import koppeling_aanmaken, koppeling_intrekken

SLEUTEL_EENMAAL = (
    "De sleutel van koppeling “{naam}” is: {sleutel} — bewaar hem nu veilig in de software die "
    "hem gebruikt: hij wordt niet opgeslagen en is hierna niet meer te zien."
)


@admin.register(Koppeling)
class KoppelingAdmin(admin.ModelAdmin):
    list_display = [
        "naam",
        "instelling",
        "instantie",
        "prefix",
        "aangemaakt_op",
        "verloopt_op",
        "laatst_gebruikt_op",
        "status",
    ]
    list_filter = ["instelling", "instantie"]
    search_fields = ["naam", "=prefix", "=instelling__instellingscode", "instantie__naam"]
    list_select_related = ["instelling", "instantie"]
    readonly_fields = ["prefix", "aangemaakt_op", "laatst_gebruikt_op", "ingetrokken_op"]
    actions = ["intrekken"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["naam", "instelling", "instantie", "verloopt_op"]
        return [
            "naam",
            "prefix",
            "instelling",
            "instantie",
            "verloopt_op",
            *self.readonly_fields[1:],
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        # The organisation is what the key may see: changing it would hand one school's
        # meldingen to another's software. Make a new koppeling instead.
        vast = ["prefix", "instelling", "instantie", *self.readonly_fields[1:]]
        return [*vast, "naam", "verloopt_op"] if obj.is_ingetrokken else vast

    @admin.display(description="status")
    def status(self, obj):
        if obj.is_ingetrokken:
            return format_html("<strong>{}</strong>", "ingetrokken")
        if obj.is_verlopen:
            return "verlopen"
        return "actief"

    def save_model(self, request, obj, form, change):
        if change:
            obj.save()
            return
        koppeling, sleutel = koppeling_aanmaken(
            naam=obj.naam,
            instelling=obj.instelling,
            instantie=obj.instantie,
            verloopt_op=obj.verloopt_op,
        )
        obj.pk = koppeling.pk
        obj.gebruiker = koppeling.gebruiker
        obj.prefix = koppeling.prefix
        obj.sleutel_hash = koppeling.sleutel_hash
        messages.warning(request, SLEUTEL_EENMAAL.format(naam=koppeling.naam, sleutel=sleutel))

    @admin.action(description="Geselecteerde koppelingen intrekken")
    def intrekken(self, request, queryset):
        for koppeling in queryset:
            koppeling_intrekken(koppeling=koppeling)
        messages.success(request, f"{queryset.count()} koppeling(en) ingetrokken.")

    def has_delete_permission(self, request, obj=None):
        # The inzagelog names the koppeling: revoke it, never delete it.
        return False
