"""Admin building blocks both apps use; and the throttle counters, read-only."""

from django.contrib import admin

from .models import Teller


class AlleenLezenMixin:
    """Shown, never added, changed or deleted (logs, history)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Teller)
class TellerAdmin(AlleenLezenMixin, admin.ModelAdmin):
    list_display = ["sleutel", "venster", "aantal"]
    search_fields = ["sleutel"]
    date_hierarchy = "venster"
