"""Good-practice library and comparable-municipality search."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    """Good-practice library and comparable-municipality search."""

    name = "bosetting.apps.knowledge"
    label = "knowledge"
    default_auto_field = "django.db.models.BigAutoField"

    def nav_items(self, user) -> list[tuple[str, str]]:
        """Every logged-in user may read the library."""
        return [("knowledge:index", _("Gode eksempler"))]
