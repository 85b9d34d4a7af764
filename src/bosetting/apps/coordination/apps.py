"""Agreements, activity plans, joint meetings and the coordination ladder."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinationConfig(AppConfig):
    """Agreements, activity plans, joint meetings and the coordination ladder."""

    name = "bosetting.apps.coordination"
    label = "coordination"
    default_auto_field = "django.db.models.BigAutoField"

    def nav_items(self, user) -> list[tuple[str, str]]:
        """Everyone logged in may read coordination; the joint view needs a municipality in scope."""
        # Imported here: an AppConfig module is loaded before the models are ready.
        from bosetting.apps.accounts.selectors import scope_for

        items = [("coordination:index", _("Samordning"))]
        scope = scope_for(user)
        if scope.aggregates and scope.municipality_numbers != frozenset():
            items.append(("coordination:municipality_picker", _("Felles kommunevisning")))
        return items
