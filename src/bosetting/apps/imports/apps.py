from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    """Imports of council decisions, housing units and permit notifications ("import av filer")."""

    name = "bosetting.apps.imports"
    label = "imports"
    default_auto_field = "django.db.models.BigAutoField"

    def nav_items(self, user) -> list[tuple[str, str]]:
        # Imported here: apps.py is loaded before the models are ready.
        from bosetting.apps.imports.services import kinds_for

        return [("imports:index", _("Import"))] if kinds_for(user) else []
