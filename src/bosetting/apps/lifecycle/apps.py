from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LifecycleConfig(AppConfig):
    """The settlement lifecycle ("bosettingsforløpet"): the one owner of a case's moves, its
    worklists and the case page. No tables of its own: it drives cases, housing and matching."""

    name = "bosetting.apps.lifecycle"
    label = "lifecycle"
    default_auto_field = "django.db.models.BigAutoField"

    def nav_items(self, user) -> list[tuple[str, str]]:
        # Imported here: an AppConfig module is loaded before the models are ready.
        from bosetting.apps.accounts.selectors import scope_for

        scope = scope_for(user)
        if scope.role is None:
            return []
        if scope.personal_data:
            return [("lifecycle:worklist", _("Saker"))]
        return [("lifecycle:worklist", _("Saksoversikt"))]
