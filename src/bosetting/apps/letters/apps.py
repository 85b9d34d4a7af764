from django.apps import AppConfig


class LettersConfig(AppConfig):
    """Letters as PDF ("brev"): made from live data, archived on their object, downloadable."""

    name = "bosetting.apps.letters"
    label = "letters"
    default_auto_field = "django.db.models.BigAutoField"
