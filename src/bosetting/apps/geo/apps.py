from django.apps import AppConfig


class GeoConfig(AppConfig):
    """Municipalities, counties, regional offices of both agencies, reception centres."""

    name = "bosetting.apps.geo"
    label = "geo"
    default_auto_field = "django.db.models.BigAutoField"
