from django.apps import AppConfig


class HousingConfig(AppConfig):
    """Housing units, leases, availability, turnover and housing career."""

    name = "bosetting.apps.housing"
    label = "housing"
    default_auto_field = "django.db.models.BigAutoField"
