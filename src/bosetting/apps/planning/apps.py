from django.apps import AppConfig


class PlanningConfig(AppConfig):
    """National need, requests (anmodning) and council decisions (vedtak)."""

    name = "bosetting.apps.planning"
    label = "planning"
    default_auto_field = "django.db.models.BigAutoField"
