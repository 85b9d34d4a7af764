from django.contrib import admin

from bosetting.apps.audit.models import AccessEntry, AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "username", "action", "object_type", "object_id", "object_repr")
    list_filter = ("action", "object_type")
    search_fields = ("object_repr", "username", "object_id")
    readonly_fields = [f.name for f in AuditEntry._meta.fields]


@admin.register(AccessEntry)
class AccessEntryAdmin(admin.ModelAdmin):
    """The access log, read-only: nobody adds, changes or deletes an entry here."""

    list_display = ("at", "username", "action", "object_repr", "purpose", "ip_address")
    list_filter = ("action", "object_type")
    search_fields = ("object_repr", "username", "object_id")
    readonly_fields = [f.name for f in AccessEntry._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
