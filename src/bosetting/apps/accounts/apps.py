from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Users, roles and their scope (IMDi national/regional, municipality, Husbanken, county governor, analyst)."""

    name = "bosetting.apps.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def nav_items(self, user) -> list[tuple[str, str]]:
        # Imported here: an AppConfig module is loaded before the models are ready.
        from bosetting.apps.accounts.selectors import may_manage_access

        return [("accounts:access", _("Tilganger"))] if may_manage_access(user) else []

    def ready(self) -> None:
        # Imported here: the user model and the services need the models, ready only now.
        from django.contrib.auth import get_user_model
        from django.db.models.signals import pre_save

        from bosetting.apps.accounts import checks  # noqa: F401 - registers the system checks
        from bosetting.apps.accounts.services import revoke_tokens_on_password_change

        pre_save.connect(
            revoke_tokens_on_password_change,
            sender=get_user_model(),
            dispatch_uid="accounts.revoke_tokens_on_password_change",
        )
