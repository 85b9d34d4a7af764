"""Reads of notices: always the user's own ("mine varsler")."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import Http404
from django.utils.translation import gettext as _

from bosetting.apps.accounts.selectors import scope_for
from bosetting.apps.notifications.choices import KIND_ROLES, NoticeKind
from bosetting.apps.notifications.models import Notification, NotificationSettings
from bosetting.apps.notifications.texts import words


def _signed_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def notifications_for(user) -> QuerySet[Notification]:
    """The user's own notices, unread first, then newest first."""
    if not _signed_in(user):
        return Notification.objects.none()
    return (
        Notification.objects.filter(user=user)
        .annotate(
            is_read=Case(
                When(read_at__isnull=True, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("is_read", "-created_at", "-pk")
    )


def notification_for(user, pk) -> Notification:
    """One of the user's own notices; ``Http404`` for anyone else's (no existence leak)."""
    try:
        return notifications_for(user).get(pk=pk)
    except (Notification.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(_("Varselet finnes ikke.")) from exc


def unread_count(user) -> int:
    """How many of the user's notices are unread (the header's badge)."""
    if not _signed_in(user):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def unread_by_key(user, keys: Iterable[str]) -> dict[str, int]:
    """``{key: notice id}`` of the user's unread notices about ``keys`` (``proposal:17``…): the task
    list marks the things a notice told the user of and it has not read yet."""
    keys = list(keys)
    if not _signed_in(user) or not keys:
        return {}
    return dict(
        Notification.objects.filter(user=user, read_at__isnull=True, key__in=keys)
        .order_by("created_at")
        .values_list("key", "pk")
    )


@dataclass(frozen=True)
class Shown:
    """A notice as a page or the API shows it: its words in the active language."""

    id: int
    kind: str
    title: str
    body: str
    url: str
    due_on: date | None
    created_at: datetime
    read: bool


def shown(notification: Notification) -> Shown:
    """A notice with its title and body in the active language."""
    title, body = words(notification.kind, notification.params)
    return Shown(
        notification.pk,
        notification.kind,
        title,
        body,
        notification.url,
        notification.due_on,
        notification.created_at,
        notification.read_at is not None,
    )


def kinds_for(user) -> list[str]:
    """The kinds of notice the user's role gets (the settings page offers these)."""
    role = scope_for(user).role
    return [k for k in NoticeKind.values if role in KIND_ROLES[k]]


def email_kinds_for(user) -> set[str]:
    """The kinds the user gets by e-mail: its choice, or every kind of its role."""
    row = NotificationSettings.objects.filter(user=user).first()
    return set(row.email_kinds) if row is not None else set(kinds_for(user))


def email_kinds_by_user(user_ids: Iterable[int]) -> dict[int, set[str]]:
    """``email_kinds_for`` of many users at once; a user without a choice gets every kind (its notices
    are of its role's kinds anyway)."""
    ids = set(user_ids)
    chosen = dict(
        NotificationSettings.objects.filter(user_id__in=ids).values_list("user_id", "email_kinds")
    )
    return {i: set(chosen[i]) if i in chosen else set(NoticeKind.values) for i in ids}
