from django.contrib import admin

from bosetting.apps.jobs.models import WorkerHeartbeat


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ("worker_id", "host", "pid", "started_at", "last_seen", "current_task_id")
    readonly_fields = list_display

    def has_add_permission(self, request) -> bool:
        return False
