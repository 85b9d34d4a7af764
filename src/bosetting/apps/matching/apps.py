from django.apps import AppConfig


class MatchingConfig(AppConfig):
    """Matching rounds (utsøking): database to engine instance to proposals."""

    name = "bosetting.apps.matching"
    label = "matching"
    default_auto_field = "django.db.models.BigAutoField"
