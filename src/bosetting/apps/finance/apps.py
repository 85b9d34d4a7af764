from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    """Grants, loans and allowances for households and municipalities."""

    name = "bosetting.apps.finance"
    label = "finance"
    default_auto_field = "django.db.models.BigAutoField"

    def nav_items(self, user) -> list[tuple[str, str]]:
        # Imported here: apps.py is loaded before the models are ready.
        from bosetting.apps.accounts.selectors import scope_for

        if scope_for(user).role is None:
            return []
        return [("finance:index", _("Økonomi"))]
