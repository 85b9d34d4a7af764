"""Write audit entries. Every service that changes an audited object calls ``do_record``."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models, transaction

from bosetting.apps.audit.choices import AccessAction
from bosetting.apps.audit.models import AccessEntry, AuditEntry
from bosetting.apps.audit.versioning import VERSION_FIELDS


def _plain(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The concrete field values of a model instance, JSON-ready."""
    return {f.attname: _plain(getattr(obj, f.attname)) for f in obj._meta.concrete_fields}


def _entry(user, action: str, obj: models.Model, before, after, note: str) -> AuditEntry:
    """An unsaved entry; with both snapshots given only the changed fields are kept."""
    if before is not None and after is not None:
        # The version bookkeeping (versioning.VERSION_FIELDS) is the entry's own who and when.
        changed = {
            k
            for k in set(before) | set(after)
            if before.get(k) != after.get(k) and k not in VERSION_FIELDS
        }
        before = {k: before.get(k) for k in sorted(changed)}
        after = {k: after.get(k) for k in sorted(changed)}
    is_user = user is not None and getattr(user, "is_authenticated", False)
    return AuditEntry(
        user=user if is_user else None,
        username=user.get_username() if is_user else "system",
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        before=_plain(before),
        after=_plain(after),
        note=note,
    )


def do_record(
    user,
    action: str,
    obj: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
) -> AuditEntry:
    """Record one change. ``before``/``after`` default to nothing / the object's current snapshot."""
    if after is None and action != "delete":
        after = snapshot(obj)
    entry = _entry(user, action, obj, before, after, note)
    entry.save()
    return entry


def do_record_many(
    user,
    action: str,
    rows: Iterable[tuple[Any, ...]],
    note: str = "",
) -> int:
    """Record many changes in one insert (bulk operations): ``rows`` are ``(obj, before, after)`` or
    ``(obj, before, after, row_note)``; ``after`` None means the object's current snapshot, and a
    row's own note (an import's "rad N") is added to ``note``. Returns the number of entries."""
    entries = []
    for obj, before, after, *own in rows:
        text = " ".join(part for part in (note, *own) if part)
        entries.append(
            _entry(user, action, obj, before, snapshot(obj) if after is None else after, text)
        )
    AuditEntry.objects.bulk_create(entries, batch_size=1000)
    return len(entries)


def record_access_change(sender, actor, action, obj, before=None, after=None, note="", **kwargs):
    """``accounts.services.access_changed``: a change of who has access goes into the change log, in
    the same transaction as the change."""
    do_record(actor, action, obj, before=before, after=after, note=note)


def _client_ip(request) -> str | None:
    """The client's address (the proxy's first X-Forwarded-For entry when behind one)."""
    if request is None:
        return None
    if settings.BOSETTING_PROXY_COUNT:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def do_log_access(
    request,
    action: str,
    obj: models.Model | None = None,
    *,
    purpose: str = "",
    user=None,
    username: str = "",
) -> AccessEntry:
    """Record a read of personal data, an export or a login in the access log ("tilgangslogg").

    ``request`` gives the user and address (``user`` overrides it); ``username`` names who tried when
    there is no user (a failed login); ``obj`` is the object read; ``purpose`` says why (the page or
    export it happened through). Entries are never changed or deleted."""
    user = user if user is not None else getattr(request, "user", None)
    is_user = user is not None and getattr(user, "is_authenticated", False)
    return AccessEntry.objects.create(
        user=user if is_user else None,
        username=user.get_username() if is_user else username[:150],
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        purpose=purpose[:100],
        ip_address=_client_ip(request),
    )


def log_login(sender, request, user, **kwargs) -> None:
    """``user_logged_in``: the login is in the access log."""
    do_log_access(request, AccessAction.LOGIN, purpose="innlogging", user=user)


def log_logout(sender, request, user, **kwargs) -> None:
    """``user_logged_out``: the logout is in the access log."""
    if user is not None:
        do_log_access(request, AccessAction.LOGOUT, purpose="utlogging", user=user)


def log_login_failed(sender, credentials, request=None, **kwargs) -> None:
    """``user_login_failed``: the attempt is in the access log, with the username tried."""
    do_log_access(
        request,
        AccessAction.LOGIN_FAILED,
        purpose="innlogging",
        username=str((credentials or {}).get("username", "")),
    )


#: Keys whose values audit entries of anonymised objects no longer show.
REDACTED_KEYS = frozenset(
    {
        "reference",
        "health_note",
        "needs",
        "ties",
        "note",
        "decision_note",
        "decline_text",
        "explanation",
        "expected_reunification_persons",
        "expected_reunification_on",
        "expected_reunification_source",
    }
)
REDACTED = "[anonymisert]"


def _redacted(values):
    if not isinstance(values, dict):
        return values
    return {k: (REDACTED if k in REDACTED_KEYS else v) for k, v in values.items()}


@transaction.atomic
def do_redact_entries(object_type: str, object_ids: list) -> int:
    """Redact the personal values in the change log of anonymised objects: the who, when and which
    fields stay; the values of :data:`REDACTED_KEYS` and the object's name go."""
    entries = list(
        AuditEntry.objects.filter(
            object_type=object_type, object_id__in=[str(i) for i in object_ids]
        )
    )
    for entry in entries:
        entry.before = _redacted(entry.before)
        entry.after = _redacted(entry.after)
        entry.object_repr = f"ANON-{entry.object_id}"
    AuditEntry.objects.bulk_update(entries, ["before", "after", "object_repr"], batch_size=1000)
    return len(entries)
