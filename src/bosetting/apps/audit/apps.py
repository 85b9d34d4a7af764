from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """Audit trail of every change: who, when, before and after."""

    name = "bosetting.apps.audit"
    label = "audit"
    default_auto_field = "django.db.models.BigAutoField"

    def nav_items(self, user) -> list[tuple[str, str]]:
        # Imported here: an AppConfig module is loaded before the models are ready.
        from bosetting.apps.audit.selectors import may_read_log

        return [("audit:log", _("Endringslogg"))] if may_read_log(user) else []

    def ready(self) -> None:
        # Imported here: the services need the models, ready only now.
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

        from bosetting.apps.accounts.selectors import visible_access_objects
        from bosetting.apps.accounts.services import access_changed
        from bosetting.apps.audit.registry import register_visible
        from bosetting.apps.audit.services import (
            log_login,
            log_login_failed,
            log_logout,
            record_access_change,
        )

        # Who has access (accounts, below audit): every grant, change and revocation is recorded, and
        # an administrator reads the history of the access it manages.
        access_changed.connect(record_access_change, dispatch_uid="audit.record_access_change")
        register_visible(visible_access_objects)
        user_logged_in.connect(log_login, dispatch_uid="audit.log_login")
        user_logged_out.connect(log_logout, dispatch_uid="audit.log_logout")
        user_login_failed.connect(log_login_failed, dispatch_uid="audit.log_login_failed")
