"""Detecting concurrent edits ("samtidige endringer").

A model that users edit through forms or the API inherits :class:`Versioned`. Every write through a
service bumps ``version`` and stamps who changed it and when. A form or API call carries the version it
read; if the object has changed since, :func:`check_version` refuses with "changed by X at T, reload"
instead of silently overwriting the other person's change.
"""

from __future__ import annotations

from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from bosetting.errors import Conflict


class Versioned(models.Model):
    """Abstract: a version counter and the last change's author and time."""

    version = models.PositiveIntegerField(default=1, editable=False)
    changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    changed_by = models.CharField(max_length=150, blank=True, editable=False)

    class Meta:
        abstract = True


class ConcurrentEdit(Conflict):
    """Someone else changed the object after the user read it."""


VERSION_FIELDS = ("version", "changed_at", "changed_by")


def check_version(obj: Versioned, expected: int | None) -> None:
    """Refuse when ``expected`` (the version the user read) is not the object's current version.

    ``None`` means the caller did not say which version it read (a system write): no check.

    Raises:
        ConcurrentEdit: naming who changed it and when.
    """
    if expected is None or int(expected) == obj.version:
        return
    when = (
        formats.date_format(timezone.localtime(obj.changed_at), "SHORT_DATETIME_FORMAT")
        if obj.changed_at
        else _("ukjent tid")
    )
    raise ConcurrentEdit(
        _("Endret av %(who)s %(when)s etter at du åpnet siden. Last siden på nytt og prøv igjen.")
        % {"who": obj.changed_by or _("en annen bruker"), "when": when}
    )


def bump(obj: Versioned, user) -> list[str]:
    """Stamp a change on ``obj`` (before saving it); returns the fields to add to ``update_fields``."""
    is_user = user is not None and getattr(user, "is_authenticated", False)
    obj.version = (obj.version or 0) + 1
    obj.changed_at = timezone.now()
    obj.changed_by = user.get_username() if is_user else "system"
    return list(VERSION_FIELDS)
