from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    """Households, persons and the settlement pipeline."""

    name = "bosetting.apps.cases"
    label = "cases"
    default_auto_field = "django.db.models.BigAutoField"

    def nav_items(self, user) -> list[tuple[str, str]]:
        from bosetting.apps.accounts.selectors import scope_for

        scope = scope_for(user)
        if scope.role is None:
            return []
        if scope.personal_data:
            return [("cases:worklist", _("Saker"))]
        return [("cases:worklist", _("Saksoversikt"))]
