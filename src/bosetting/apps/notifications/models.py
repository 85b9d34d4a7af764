"""Notices to users ("varsler") and each user's choice of what comes by e-mail."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bosetting.apps.notifications.choices import NoticeKind


class Notification(models.Model):
    """A notice to one user ("varsel"): what happened or which deadline is near, and where to act.

    One per user, kind and ``key`` (what it is about, e.g. ``proposal:17``): a unique constraint makes
    every notice idempotent, so a deadline scan that runs again never repeats one. The text is made
    from ``kind`` and ``params`` when shown, in the reader's language.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=30, choices=NoticeKind.choices)
    key = models.CharField(max_length=120, help_text=_("What it is about, once per user and kind."))
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=300, blank=True, help_text=_("Where to act (a path)."))
    due_on = models.DateField(null=True, blank=True, help_text=_("The deadline it warns of."))
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "key"], name="notification_once")
        ]
        indexes = [models.Index(fields=["user", "read_at"]), models.Index(fields=["key"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} → {self.user_id}"


class NotificationSettings(models.Model):
    """Which kinds of notice a user also gets by e-mail ("varslingsinnstillinger"). A user without a
    row gets every kind of its role by e-mail."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    email_kinds = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Varslingsinnstillinger {self.user_id}"
