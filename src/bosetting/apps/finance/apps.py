from django.apps import AppConfig


class FinanceConfig(AppConfig):
    """Grants, loans and allowances for households and municipalities."""

    name = "bosetting.apps.finance"
    label = "finance"
    default_auto_field = "django.db.models.BigAutoField"
