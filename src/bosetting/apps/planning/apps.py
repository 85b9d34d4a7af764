"""National need, requests (anmodning) and council decisions (vedtak)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    """National need, requests (anmodning) and council decisions (vedtak)."""

    name = "bosetting.apps.planning"
    label = "planning"
    default_auto_field = "django.db.models.BigAutoField"

    def nav_items(self, user) -> list[tuple[str, str]]:
        from bosetting.apps.accounts.selectors import scope_for

        if not scope_for(user).decisions:
            return []
        return [("planning:plans", _("Planår")), ("planning:index", _("Anmodninger og vedtak"))]

    def ready(self) -> None:
        # Imported here: selectors need the models, which are ready only now.
        from bosetting.apps.audit.registry import register_visible
        from bosetting.apps.planning.registry import register_approval_hook
        from bosetting.apps.planning.selectors import audit_visible
        from bosetting.apps.planning.tasks import enqueue_request_letters

        register_visible(audit_visible)
        # An approved plan's request letters are made in the background (planning.tasks).
        register_approval_hook(enqueue_request_letters)
