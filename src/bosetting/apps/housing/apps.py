from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HousingConfig(AppConfig):
    """Housing units, leases, availability, turnover and housing career."""

    name = "bosetting.apps.housing"
    label = "housing"
    default_auto_field = "django.db.models.BigAutoField"

    def nav_items(self, user) -> list[tuple[str, str]]:
        # Imported here: apps.py is loaded before the models are ready.
        from bosetting.apps.accounts.selectors import scope_for

        scope = scope_for(user)
        items = []
        if scope.housing:
            items.append(("housing:units", _("Boliger")))
        if scope.aggregates:
            items.append(("housing:gap", _("Boliggap")))
        return items

    def ready(self) -> None:
        # Imported here: selectors need the models, which are ready only now.
        from bosetting.apps.audit.registry import register_visible
        from bosetting.apps.housing import selectors
        from bosetting.apps.housing.notices import leases_ending
        from bosetting.apps.notifications.registry import register_deadlines
        from bosetting.apps.planning.registry import register_source

        register_visible(selectors.audit_visible)
        register_deadlines(leases_ending)
        # The planning year reads the housing free in each municipality (planning sits below
        # housing and may not import it).
        register_source("free_housing", selectors.free_persons_by_municipality)
