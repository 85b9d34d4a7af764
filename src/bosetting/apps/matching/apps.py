from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    """Matching rounds (utsøking): database to engine instance to proposals."""

    name = "bosetting.apps.matching"
    label = "matching"
    default_auto_field = "django.db.models.BigAutoField"

    def nav_items(self, user) -> list[tuple[str, str]]:
        from bosetting.apps.matching.selectors import may_see_rounds

        return [("matching:rounds", _("Utsøking"))] if may_see_rounds(user) else []

    def ready(self) -> None:
        # Imported here: selectors need the models, which are ready only now.
        from bosetting.apps.audit.registry import register_visible
        from bosetting.apps.matching.notices import answers_due
        from bosetting.apps.matching.selectors import audit_visible
        from bosetting.apps.notifications.registry import register_deadlines

        register_visible(audit_visible)
        register_deadlines(answers_due)
