from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    """Good-practice library and comparable-municipality search."""

    name = "bosetting.apps.knowledge"
    label = "knowledge"
    default_auto_field = "django.db.models.BigAutoField"
