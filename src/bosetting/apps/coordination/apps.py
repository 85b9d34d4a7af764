from django.apps import AppConfig


class CoordinationConfig(AppConfig):
    """Agreements, activity plans, joint meetings and the coordination ladder."""

    name = "bosetting.apps.coordination"
    label = "coordination"
    default_auto_field = "django.db.models.BigAutoField"
