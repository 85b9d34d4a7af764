from django.apps import AppConfig


class AuditConfig(AppConfig):
    """Audit trail of every change: who, when, before and after."""

    name = "bosetting.apps.audit"
    label = "audit"
    default_auto_field = "django.db.models.BigAutoField"
