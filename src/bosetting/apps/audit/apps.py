from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """Audit trail of every change: who, when, before and after."""

    name = "bosetting.apps.audit"
    label = "audit"
    default_auto_field = "django.db.models.BigAutoField"

    def nav_items(self, user) -> list[tuple[str, str]]:
        from bosetting.apps.audit.selectors import may_read_log

        return [("audit:log", _("Endringslogg"))] if may_read_log(user) else []
