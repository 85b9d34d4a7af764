from django.contrib import admin

from bosetting.apps.imports.models import ImportBatch


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ("created_at", "kind", "filename", "status", "created_by")
    list_filter = ("kind", "status")
    exclude = ("content",)
    readonly_fields = (
        "kind",
        "filename",
        "size",
        "created_by",
        "status",
        "task_id",
        "stage",
        "done",
        "total",
        "error",
        "report",
        "imported_at",
        "purged_at",
    )
