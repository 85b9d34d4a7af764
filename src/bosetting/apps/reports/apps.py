from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """KPIs, the report's tables, dashboards, maps and the monthly report ("rapporter")."""

    name = "bosetting.apps.reports"
    label = "reports"
    default_auto_field = "django.db.models.BigAutoField"

    def nav_items(self, user) -> list[tuple[str, str]]:
        """Dashboards are aggregates: every role sees them within its scope."""
        # Imported here: an AppConfig module is loaded before the models are ready.
        from bosetting.apps.accounts.selectors import scope_for

        scope = scope_for(user)
        if scope.role is None or not scope.aggregates:
            return []
        return [
            ("reports:dashboard", _("Nøkkeltall")),
            ("reports:map", _("Kart")),
            ("reports:tables", _("Tabeller")),
        ]
