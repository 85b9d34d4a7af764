from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """KPIs, the report's tables, dashboards, maps and the monthly report."""

    name = "bosetting.apps.reports"
    label = "reports"
    default_auto_field = "django.db.models.BigAutoField"
