"""The policy simulator's web page: runs of the simulation engine as background tasks."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SimulationConfig(AppConfig):
    """The policy simulator ("politikksimulator") page and its stored runs."""

    name = "bosetting.apps.simulation"
    label = "simulation"
    default_auto_field = "django.db.models.BigAutoField"

    def nav_items(self, user) -> list[tuple[str, str]]:
        """Any logged-in role may run simulations (aggregates only)."""
        # Imported here: an AppConfig module is loaded before the models are ready.
        from bosetting.apps.accounts.selectors import role_of

        if role_of(user) is None and not getattr(user, "is_superuser", False):
            return []
        return [("simulation:index", _("Simulator"))]
