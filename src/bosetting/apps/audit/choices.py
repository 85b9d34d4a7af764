"""Enumerations of the audit log that other apps use ("tilgangshendelser")."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessAction(models.TextChoices):
    """What an access-log entry records ("tilgangshendelse")."""

    VIEW_CASE = "view_case", _("Så en sak")
    VIEW_HEALTH = "view_health", _("Så helseopplysninger")
    EXPORT = "export", _("Eksporterte")
    LOGIN = "login", _("Logget inn")
    LOGIN_FAILED = "login_failed", _("Mislykket innlogging")
    LOGOUT = "logout", _("Logget ut")
