from django.contrib import admin

from bosetting.apps.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "username", "action", "object_type", "object_id", "object_repr")
    list_filter = ("action", "object_type")
    search_fields = ("object_repr", "username", "object_id")
    readonly_fields = [f.name for f in AuditEntry._meta.fields]
