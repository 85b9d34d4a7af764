"""Reads of the audit trail, scoped by the user.

IMDi national sees every entry. Everyone else sees entries about objects it may see itself: cases,
checklists, self-settlements and proposals in its scope (roles with personal data), housing units and
leases of its area (roles with housing), council decisions and requests of its area (roles with
decisions), and — for IMDi regional — its matching rounds. Analysts see aggregates only: no log.
"""

from __future__ import annotations

from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast

from bosetting.apps.accounts.choices import Role
from bosetting.apps.accounts.selectors import scope_for, sees_as_settlement_authority
from bosetting.apps.audit.models import AccessEntry, AuditEntry
from bosetting.apps.audit.registry import visible_objects


def may_read_log(user) -> bool:
    scope = scope_for(user)
    return scope.role is not None and scope.role != Role.ANALYST


def _ids(qs) -> QuerySet:
    return qs.annotate(_sid=Cast("pk", output_field=CharField())).values("_sid")


def entries_for(user) -> QuerySet[AuditEntry]:
    """Audit entries the user may read: IMDi national everything, everyone else the entries about
    objects the owning apps say it may see (``registry``)."""
    scope = scope_for(user)
    qs = AuditEntry.objects.select_related("user")
    if not may_read_log(user):
        return qs.none()
    if scope.role == Role.IMDI_NATIONAL:
        return qs
    q = Q(pk__in=[])
    for object_type, objects in visible_objects(user).items():
        q |= Q(object_type=object_type, object_id__in=_ids(objects))
    return qs.filter(q)


def entries_for_objects(user, objects) -> QuerySet[AuditEntry]:
    """The trail of some objects (e.g. a case and its checklist and proposals), within the user's
    scope: the same entries as ``entries_for(user)`` about these objects, but each owning app is
    asked only whether the user may see these few objects, not for all it may see."""
    wanted: dict[str, dict[str, object]] = {}  # object type -> {object id as stored: pk}
    for obj in objects:
        if obj is None or obj.pk is None:
            continue
        wanted.setdefault(obj._meta.label_lower, {})[str(obj.pk)] = obj.pk
    qs = AuditEntry.objects.select_related("user")
    if not wanted or not may_read_log(user):
        return qs.none()
    visible = None if scope_for(user).role == Role.IMDI_NATIONAL else visible_objects(user)
    q = Q(pk__in=[])
    for object_type, ids in wanted.items():
        if visible is None:
            q |= Q(object_type=object_type, object_id__in=list(ids))
        elif object_type in visible:
            seen = visible[object_type].filter(pk__in=list(ids.values()))
            q |= Q(object_type=object_type, object_id__in=_ids(seen))
    return qs.filter(q)


def filtered(qs: QuerySet[AuditEntry], params) -> QuerySet[AuditEntry]:
    """Apply the log page's filters (object type, object id, user name, action)."""
    if params.get("type"):
        qs = qs.filter(object_type=params["type"])
    if params.get("id"):
        qs = qs.filter(object_id=str(params["id"]))
    if params.get("user"):
        qs = qs.filter(username__icontains=params["user"])
    if params.get("action"):
        qs = qs.filter(action=params["action"])
    return qs


def object_types(qs: QuerySet[AuditEntry]) -> list[str]:
    return sorted(set(qs.values_list("object_type", flat=True).distinct()))


SENSITIVE_FIELDS = ("health_note",)
REDACTED = "[skjult]"


def _redact(values, hide: bool):
    if not hide or not isinstance(values, dict):
        return values
    return {k: (REDACTED if k in SENSITIVE_FIELDS and v else v) for k, v in values.items()}


def rows(user, entries) -> list[dict]:
    """Entries as display rows. Sensitive fields (health notes) are shown to IMDi officers (and a
    running pilot's county governor, who holds IMDi's role) only; the case page shows the current
    note to those allowed to see it."""
    hide = not sees_as_settlement_authority(user)
    return [
        {
            "at": e.at,
            "username": e.username,
            "action": e.action,
            "object_type": e.object_type,
            "object_id": e.object_id,
            "object_repr": e.object_repr,
            "before": _redact(e.before, hide),
            "after": _redact(e.after, hide),
            "note": e.note,
        }
        for e in entries
    ]


def access_entries_for(user) -> QuerySet[AccessEntry]:
    """Access-log entries the user may read: IMDi national every entry; everyone else the reads of
    objects it may see (the same registry as the change log) and its own logins."""
    scope = scope_for(user)
    qs = AccessEntry.objects.select_related("user")
    if not may_read_log(user):
        return qs.none()
    if scope.role == Role.IMDI_NATIONAL:
        return qs
    q = Q(user=user)
    for object_type, objects in visible_objects(user).items():
        q |= Q(object_type=object_type, object_id__in=_ids(objects))
    return qs.filter(q)
