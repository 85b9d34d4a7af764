from django.apps import AppConfig


class CasesConfig(AppConfig):
    """Households, persons and the settlement pipeline."""

    name = "bosetting.apps.cases"
    label = "cases"
    default_auto_field = "django.db.models.BigAutoField"
