from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Users, roles and their scope (IMDi national/regional, municipality, Husbanken, county governor, analyst)."""

    name = "bosetting.apps.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"
