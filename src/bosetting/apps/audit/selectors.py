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
from bosetting.apps.accounts.selectors import scope_for
from bosetting.apps.audit.models import AuditEntry


def may_read_log(user) -> bool:
    scope = scope_for(user)
    return scope.role is not None and scope.role != Role.ANALYST


def _ids(qs) -> QuerySet:
    return qs.annotate(_sid=Cast("pk", output_field=CharField())).values("_sid")


def entries_for(user) -> QuerySet[AuditEntry]:
    """Audit entries the user may read."""
    from bosetting.apps.cases.models import CaseChecklist, SelfSettlement
    from bosetting.apps.cases.selectors import cases_for
    from bosetting.apps.housing.models import HousingUnit, Lease
    from bosetting.apps.matching.selectors import proposals_for, rounds_for
    from bosetting.apps.planning.models import CouncilDecision, SettlementRequest

    scope = scope_for(user)
    qs = AuditEntry.objects.select_related("user")
    if not may_read_log(user):
        return qs.none()
    if scope.role == Role.IMDI_NATIONAL:
        return qs
    numbers = list(scope.municipality_numbers or ())
    q = Q(pk__in=[])
    if scope.personal_data:
        households = cases_for(user)
        q |= Q(object_type="cases.household", object_id__in=_ids(households))
        q |= Q(
            object_type="cases.casechecklist",
            object_id__in=_ids(CaseChecklist.objects.filter(household__in=households)),
        )
        q |= Q(
            object_type="cases.selfsettlement",
            object_id__in=_ids(SelfSettlement.objects.filter(household__in=households)),
        )
        q |= Q(object_type="matching.proposal", object_id__in=_ids(proposals_for(user)))
        q |= Q(object_type="matching.matchinground", object_id__in=_ids(rounds_for(user)))
    if scope.housing:
        units = HousingUnit.objects.filter(municipality__number__in=numbers)
        q |= Q(object_type="housing.housingunit", object_id__in=_ids(units))
        q |= Q(
            object_type="housing.lease", object_id__in=_ids(Lease.objects.filter(unit__in=units))
        )
    if scope.decisions:
        q |= Q(
            object_type="planning.councildecision",
            object_id__in=_ids(CouncilDecision.objects.filter(municipality__number__in=numbers)),
        )
        q |= Q(
            object_type="planning.settlementrequest",
            object_id__in=_ids(SettlementRequest.objects.filter(municipality__number__in=numbers)),
        )
    return qs.filter(q)


def entries_for_objects(user, objects) -> QuerySet[AuditEntry]:
    """The trail of some objects (e.g. a case and its checklist and proposals), within the user's
    scope."""
    q = Q(pk__in=[])
    for obj in objects:
        if obj is None or obj.pk is None:
            continue
        q |= Q(object_type=obj._meta.label_lower, object_id=str(obj.pk))
    return entries_for(user).filter(q)


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
    """Entries as display rows. Sensitive fields (health notes) are shown to IMDi officers only; the
    case page shows the current note to those allowed to see it."""
    hide = scope_for(user).role not in (Role.IMDI_NATIONAL, Role.IMDI_REGIONAL)
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
