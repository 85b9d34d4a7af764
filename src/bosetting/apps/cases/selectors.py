"""Reads of cases, always scoped by the user (see docs/permissions.md).

- IMDi national: every household.
- IMDi regional: the national queue (households not yet placed in a municipality), households in
  reception centres of its region and households proposed to, agreed with or settled in its
  municipalities.
- Municipal officer: only households proposed to its municipality (a sent proposal), accepted,
  in preparation, submitted for self-settlement or settled there — nothing about other households.
- Husbanken, county governor, analyst: no personal data (aggregates only, see ``status_counts``).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from bosetting.apps.accounts.choices import Role
from bosetting.apps.accounts.selectors import scope_for
from bosetting.apps.cases.choices import CaseStatus, HouseholdType
from bosetting.apps.cases.models import Household

# Statuses in which a municipality has a household "in hand" (proposed to it or later).
MUNICIPAL_STATUSES = (
    CaseStatus.PROPOSED,
    CaseStatus.ACCEPTED,
    CaseStatus.PREPARING,
    CaseStatus.SELF_SETTLEMENT_PENDING,
    CaseStatus.SETTLED,
    CaseStatus.FOLLOW_UP,
)
# After acceptance the receiving municipality may read the health note.
AFTER_ACCEPTANCE = (
    CaseStatus.ACCEPTED,
    CaseStatus.PREPARING,
    CaseStatus.SETTLED,
    CaseStatus.FOLLOW_UP,
)
OPEN_STATUSES = (
    CaseStatus.PERMIT_GRANTED,
    CaseStatus.NOTIFIED,
    CaseStatus.INTERVIEWED,
    CaseStatus.READY,
)
# The demo world is Norway at the turn of 2014/2015: its "today" starts on the demo round's day.
DEMO_TODAY = date(2015, 1, 5)
MONTH_DAYS = 30.4375


def case_today() -> date:
    """The business date: today, or in a demo database 5 January 2015 plus the days since it was built."""
    from bosetting.apps.geo.models import DemoWorld

    world = DemoWorld.objects.only("created_at").first()
    if world is None:
        return timezone.localdate()
    elapsed = (timezone.now() - world.created_at).days
    return DEMO_TODAY + timedelta(days=max(elapsed, 0))


def target_months(household_type: str, has_children: bool | None = None) -> int:
    """The national settlement target: 3 months for families with children and UAM, 6 for others."""
    if household_type in (HouseholdType.FAMILY_CHILDREN, HouseholdType.UAM) or has_children:
        return 3
    return 6


def priority(permit_date: date | None, household_type: str, on: date) -> float:
    """Waiting time relative to the target (1.0 = at target), as the matching engine's p(h)."""
    if permit_date is None:
        return 0.0
    wait_months = (on - permit_date).days / MONTH_DAYS
    return min(max(wait_months / target_months(household_type), 0.0), 3.0)


def cases_for(user) -> QuerySet[Household]:
    """The households a user may see individually."""
    scope = scope_for(user)
    qs = Household.objects.select_related("municipality", "reception_centre")
    if not scope.personal_data:
        return qs.none()
    if scope.municipality_numbers is None:
        return qs
    numbers = list(scope.municipality_numbers)
    if scope.role == Role.MUNICIPAL:
        return qs.filter(municipality__number__in=numbers, status__in=MUNICIPAL_STATUSES)
    return qs.filter(
        Q(municipality__isnull=True)
        | Q(municipality__number__in=numbers)
        | Q(reception_centre__municipality__number__in=numbers)
    )


def case_for(user, pk) -> Household:
    """One household in the user's scope; ``Http404`` outside it (no existence leak)."""
    try:
        return cases_for(user).get(pk=pk)
    except (Household.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Saken finnes ikke, eller du har ikke tilgang til den.") from exc


def can_see_health_note(user, household: Household) -> bool:
    """Health notes: IMDi officers handling the case; the receiving municipality after acceptance."""
    scope = scope_for(user)
    if not scope.personal_data:
        return False
    if scope.role == Role.MUNICIPAL:
        return (
            household.municipality_id is not None
            and scope.covers(household.municipality.number)
            and household.status in AFTER_ACCEPTANCE
        )
    if scope.role in (Role.IMDI_NATIONAL, Role.IMDI_REGIONAL):
        return cases_for(user).filter(pk=household.pk).exists()
    return False


def can_handle_as_imdi(user, household: Household | None = None) -> bool:
    """IMDi national, or IMDi regional with the household in its scope."""
    scope = scope_for(user)
    if scope.role == Role.IMDI_NATIONAL:
        return True
    if scope.role == Role.IMDI_REGIONAL:
        return household is None or cases_for(user).filter(pk=household.pk).exists()
    return False


def is_receiving_municipality(user, household: Household) -> bool:
    """A municipal officer of the municipality the household is proposed to / agreed with."""
    scope = scope_for(user)
    return (
        scope.role == Role.MUNICIPAL
        and household.municipality_id is not None
        and scope.covers(household.municipality.number)
    )


def status_counts(user) -> dict[str, dict[str, int]]:
    """Households and persons per status in the user's area (aggregates; no rows of persons)."""
    scope = scope_for(user)
    if not scope.aggregates:
        return {}
    qs = Household.objects.all()
    if scope.municipality_numbers is not None:
        numbers = list(scope.municipality_numbers)
        qs = qs.filter(
            Q(municipality__number__in=numbers)
            | Q(municipality__isnull=True, reception_centre__municipality__number__in=numbers)
        )
    rows = qs.values("status").annotate(
        households=Count("id", distinct=True), persons=Count("persons")
    )
    return {r["status"]: {"households": r["households"], "persons": r["persons"]} for r in rows}


def settled_persons_in_year(user, year: int) -> int:
    """Persons settled in a year in the user's area (a KPI: "bosatt i år")."""
    from bosetting.apps.cases.models import Person

    scope = scope_for(user)
    if not scope.aggregates:
        return 0
    qs = Person.objects.filter(household__settled_on__year=year)
    if scope.municipality_numbers is not None:
        qs = qs.filter(household__municipality__number__in=list(scope.municipality_numbers))
    return qs.count()


def queue_counts(user) -> dict[str, int]:
    """Settlement-ready households/persons waiting, and how many are past their target."""
    from bosetting.apps.cases.models import Person

    scope = scope_for(user)
    if not scope.aggregates:
        return {"households": 0, "persons": 0}
    ready = Household.objects.filter(status=CaseStatus.READY)
    return {
        "households": ready.count(),
        "persons": Person.objects.filter(household__status=CaseStatus.READY).count(),
    }


def worklist_rows(qs: QuerySet[Household], on: date) -> list[dict]:
    """Rows for the IMDi worklist sorted by priority (most overdue first), with overdue flags."""
    rows = []
    for h in qs.annotate(n_persons=Count("persons")).values(
        "pk",
        "reference",
        "household_type",
        "status",
        "permit_date",
        "ready_on",
        "n_persons",
        "municipality__name",
        "reception_centre__name",
        "settled_on",
    ):
        target = target_months(h["household_type"])
        end = h["settled_on"] or on
        wait_days = (end - h["permit_date"]).days if h["permit_date"] else None
        p = priority(h["permit_date"], h["household_type"], end)
        open_case = h["status"] not in (CaseStatus.SETTLED, CaseStatus.FOLLOW_UP)
        rows.append(
            {
                **h,
                "target_months": target,
                "wait_days": wait_days,
                "wait_months": None if wait_days is None else wait_days / MONTH_DAYS,
                "priority": p,
                "overdue": open_case and wait_days is not None and p >= 1.0,
                "days_left": None if wait_days is None else round(target * MONTH_DAYS) - wait_days,
            }
        )
    rows.sort(key=lambda r: (-r["priority"], r["permit_date"] or on, r["reference"]))
    return rows
