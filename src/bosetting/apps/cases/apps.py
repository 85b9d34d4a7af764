from django.apps import AppConfig


class CasesConfig(AppConfig):
    """Households, persons and their records (the register of cases). Their moves belong to the
    lifecycle app."""

    name = "bosetting.apps.cases"
    label = "cases"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Imported here: selectors need the models, which are ready only now.
        from bosetting.apps.audit.registry import register_visible
        from bosetting.apps.cases import selectors
        from bosetting.apps.cases.notices import self_settlements_due
        from bosetting.apps.notifications.registry import register_deadlines
        from bosetting.apps.planning.registry import register_source

        register_visible(selectors.audit_visible)
        register_deadlines(self_settlements_due)
        # The planning year's forecast reads the settlements so far and the queues (planning sits
        # below cases and may not import it).
        register_source("settled", selectors.settled_persons_until)
        register_source("queues", selectors.forecast_queues)
