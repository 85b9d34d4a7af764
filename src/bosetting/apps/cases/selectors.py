"""Reads of cases, always scoped by the user (see docs/permissions.md).

- IMDi national: every household.
- IMDi regional: the national queue (households not yet placed in a municipality), households in
  reception centres of its region and households proposed to, agreed with or settled in its
  municipalities.
- Municipal officer: only households proposed to its municipality (a sent proposal), accepted,
  in preparation, submitted for self-settlement or settled there — nothing about other households.
- Husbanken, county governor, analyst: no personal data (aggregates only, see ``status_counts``).

Other apps read cases only through this module; the reads they need in bulk (households for a
matching round, persons counted against decisions, household sizes) are here too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

import numpy as np
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import (
    Case,
    Count,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from bosetting.apps.accounts.choices import Role
from bosetting.apps.accounts.selectors import (
    scope_for,
    sees_as_settlement_authority,
    settlement_powers,
)
from bosetting.apps.cases.choices import CaseStatus, ChecklistItem, HouseholdType, Need
from bosetting.apps.cases.models import CaseChecklist, Household, Person, SelfSettlement
from bosetting.apps.geo.selectors import (
    municipality_numbers_by_id,
    reception_centre_municipality_numbers,
)
from bosetting.engine.lifecycle import (
    AFTER_ACCEPTANCE,
    MUNICIPAL_STATES,
    OPEN_STATES,
    PENDING_STATES,
    SETTLED_STATES,
)
from bosetting.engine.rules.kpi import HOUSEHOLD_TYPES, CaseArrays
from bosetting.engine.rules.kpi.periods import DAYS_PER_MONTH
from bosetting.engine.rules.targets import (
    TARGET_MONTHS_ALL,
    THREE_MONTH_TYPES,
    target_date,
    target_months,
    wait_months,
)

# Re-exported as lists for ``status__in`` filters.
MUNICIPAL_STATUSES = tuple(MUNICIPAL_STATES)
OPEN_STATUSES = tuple(OPEN_STATES)
PENDING_STATUSES = tuple(PENDING_STATES)
SETTLED_STATUSES = tuple(SETTLED_STATES)


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


def case_by_reference(user, reference: str) -> Household | None:
    """The household with this reference in the user's scope, or None."""
    return cases_for(user).filter(reference=reference).first()


def ready_case_by_reference(reference: str) -> Household | None:
    """The interviewed or settlement-ready household with this reference (for reporting a
    self-found home: the municipality knows the reference from the refugee, not from a list)."""
    return Household.objects.filter(
        reference=reference, status__in=[CaseStatus.READY, CaseStatus.INTERVIEWED]
    ).first()


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
    if sees_as_settlement_authority(user):
        return cases_for(user).filter(pk=household.pk).exists()
    return False


def place_of(household: Household) -> tuple[str | None, str | None]:
    """Where a case is: the number of the municipality it is placed in (or None) and of the
    municipality its reception centre lies in (or None)."""
    placed = household.municipality.number if household.municipality_id else None
    centre = household.reception_centre
    return placed, centre.municipality.number if centre is not None else None


def can_handle_as_imdi(user, household: Household | None = None) -> bool:
    """Whether the user acts with IMDi's settlement powers on a case (or, without one, anywhere):
    IMDi national; IMDi's regional office for the cases it sees, except inside a running
    county-governor pilot; a pilot county's county governor for the cases of its county
    (``accounts.selectors.settlement_powers``)."""
    powers = settlement_powers(user)
    if not powers.any:
        return False
    if household is None or powers.numbers is None:
        return True
    return (
        powers.acts_on_case(*place_of(household))
        and cases_for(user).filter(pk=household.pk).exists()
    )


def is_receiving_municipality(user, household: Household) -> bool:
    """A municipal officer of the municipality the household is proposed to / agreed with."""
    scope = scope_for(user)
    return (
        scope.role == Role.MUNICIPAL
        and household.municipality_id is not None
        and scope.covers(household.municipality.number)
    )


# --- the preparation checklist ---------------------------------------------------------------------


def checklist_or_none(household: Household) -> CaseChecklist | None:
    """The household's checklist, if one has been started."""
    return CaseChecklist.objects.filter(household=household).first()


def required_items(household: Household, on: date) -> list[str]:
    """The checklist items this household needs (documented in docs/pipeline.md).

    Always a unit and a GP; the introduction programme when anyone is 18–55; school for children 6–17;
    kindergarten for children 1–5; health follow-up when the case has a health need or note.
    """
    ages = [on.year - p.birth_year for p in household.persons.all()]
    items = [ChecklistItem.HOUSING_UNIT.value]
    if any(18 <= a <= 55 for a in ages):
        items.append(ChecklistItem.INTRO_PROGRAMME.value)
    if any(6 <= a <= 17 for a in ages):
        items.append(ChecklistItem.SCHOOL.value)
    if any(1 <= a <= 5 for a in ages):
        items.append(ChecklistItem.KINDERGARTEN.value)
    items.append(ChecklistItem.GP.value)
    needs = household.needs or []
    if Need.HEALTH_HIGH in needs or Need.DISABILITY in needs or household.health_note:
        items.append(ChecklistItem.HEALTH_FOLLOW_UP.value)
    return items


def missing_items(household: Household, on: date) -> list[str]:
    """Required checklist items not yet done."""
    checklist = checklist_or_none(household)
    return [
        item
        for item in required_items(household, on)
        if checklist is None or not checklist.item_done(item)
    ]


def checklist_progress(households, on: date) -> dict[int, tuple[int, int]]:
    """``{household id: (items done, items required)}`` for many households in one query (their
    persons prefetched): the worklist's progress bars."""
    households = list(households)
    checklists = {
        c.household_id: c
        for c in CaseChecklist.objects.filter(household_id__in=[h.pk for h in households])
    }
    progress = {}
    for h in households:
        required = required_items(h, on)
        checklist = checklists.get(h.pk)
        done = sum(1 for item in required if checklist is not None and checklist.item_done(item))
        progress[h.pk] = (done, len(required))
    return progress


@dataclass
class ChecklistState:
    """The preparation checklist as the case page and the API show it: each item ticked one by one
    (name, label, done, required, who ticked it and when), the required items and those missing."""

    checklist: CaseChecklist | None
    items: list[dict]
    required: list[str]
    missing: list[str]


def checklist_state(household: Household, on: date) -> ChecklistState:
    """The household's checklist on ``on`` (its flat is ``ChecklistItem.HOUSING_UNIT``, chosen
    through the lifecycle; the other items are ticked)."""
    checklist = checklist_or_none(household)
    required = required_items(household, on)
    marks = (checklist.done if checklist else None) or {}
    items = [
        {
            "name": name,
            "label": ChecklistItem(name).label,
            "done": bool(checklist and checklist.item_done(name)),
            "required": name in required,
            "stamp": marks.get(name),
        }
        for name in ChecklistItem.values
        if name != ChecklistItem.HOUSING_UNIT
    ]
    missing = [i for i in required if not (checklist and checklist.item_done(i))]
    return ChecklistState(checklist, items, required, missing)


# --- self-settlements ------------------------------------------------------------------------------


def self_settlements_for(user) -> QuerySet[SelfSettlement]:
    """Self-settlements of households the user may see, or submitted in its municipalities."""
    scope = scope_for(user)
    qs = SelfSettlement.objects.select_related("household", "municipality", "decided_by")
    if not scope.personal_data:
        return qs.none()
    if scope.municipality_numbers is None:
        return qs
    return qs.filter(
        Q(household__in=cases_for(user))
        | Q(municipality__number__in=list(scope.municipality_numbers))
    )


def self_settlement_for(user, pk) -> SelfSettlement:
    """One self-settlement in the user's scope; ``Http404`` outside it."""
    try:
        return self_settlements_for(user).get(pk=pk)
    except (SelfSettlement.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Selvbosettingen finnes ikke, eller du har ikke tilgang.") from exc


# --- aggregates and bulk reads ----------------------------------------------------------------------


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
    scope = scope_for(user)
    if not scope.aggregates:
        return 0
    qs = Person.objects.filter(household__settled_on__year=year)
    if scope.municipality_numbers is not None:
        qs = qs.filter(household__municipality__number__in=list(scope.municipality_numbers))
    return qs.count()


def queue_counts(user) -> dict[str, int]:
    """Settlement-ready households and persons waiting (national figures)."""
    scope = scope_for(user)
    if not scope.aggregates:
        return {"households": 0, "persons": 0}
    ready = Household.objects.filter(status=CaseStatus.READY)
    return {
        "households": ready.count(),
        "persons": Person.objects.filter(household__status=CaseStatus.READY).count(),
    }


def household_sizes(household_ids) -> dict[int, int]:
    """Persons per household, for the given ids (households without persons are 0)."""
    ids = [i for i in household_ids if i is not None]
    sizes = dict.fromkeys(ids, 0)
    sizes.update(
        Person.objects.filter(household_id__in=ids)
        .values_list("household_id")
        .annotate(n=Count("id"))
        .values_list("household_id", "n")
    )
    return sizes


def persons_counted_against_decisions(
    year: int, municipality_ids: list[int]
) -> tuple[dict[int, int], dict[int, int]]:
    """Persons (and unaccompanied-minor persons) counted against each municipality's decision for a
    year: settled there that year, or proposed/accepted/in preparation/self-settlement pending there."""
    used = Q(household__municipality_id__in=municipality_ids) & (
        Q(household__status__in=PENDING_STATUSES) | Q(household__settled_on__year=year)
    )
    persons = dict(
        Person.objects.filter(used)
        .values_list("household__municipality_id")
        .annotate(n=Count("id"))
        .values_list("household__municipality_id", "n")
    )
    uam = dict(
        Person.objects.filter(used, household__household_type=HouseholdType.UAM)
        .values_list("household__municipality_id")
        .annotate(n=Count("id"))
        .values_list("household__municipality_id", "n")
    )
    return persons, uam


def ready_households_for_matching(on: date) -> list[dict]:
    """Settlement-ready households with their members' ages on ``on``, oldest permit first: the
    ``households`` of a matching instance (fields as ``matching.md``, with the family members
    expected through reunification as ``expected_additional_persons``; ``pk`` added; the wishes,
    country group and members' sexes for format /2)."""
    ages: dict[int, list[int]] = defaultdict(list)
    sexes: dict[int, list[str]] = defaultdict(list)
    for hid, birth_year, sex in Person.objects.filter(
        household__status=CaseStatus.READY
    ).values_list("household_id", "birth_year", "sex"):
        ages[hid].append(max(on.year - birth_year, 0))
        sexes[hid].append(sex)
    rows = []
    for hid, reference, htype, permit, needs, ties, expected, wishes, group in (
        Household.objects.filter(status=CaseStatus.READY, permit_date__isnull=False)
        .values_list(
            "pk",
            "reference",
            "household_type",
            "permit_date",
            "needs",
            "ties",
            "expected_reunification_persons",
            "preferences",
            "country_group",
        )
        .order_by("permit_date", "reference")
    ):
        if not ages.get(hid):
            continue
        rows.append(
            {
                "pk": hid,
                "id": reference,
                "ages": ages[hid],
                "permit_date": permit,
                "household_type": htype,
                "needs": [n for n in (needs or []) if n in Need.values],
                "ties": [str(t) for t in (ties or [])],
                "expected_additional_persons": int(expected or 0),
                # matching-v2.md: the refugee's wishes and country group; sexes beside ages.
                "preferences": [str(p) for p in (wishes or [])],
                "group": group or "",
                "sexes": sexes[hid],
            }
        )
    return rows


def household_ids_by_reference(references) -> dict[str, int]:
    """``{reference: pk}`` for the given references."""
    return dict(
        Household.objects.filter(reference__in=list(references)).values_list("reference", "pk")
    )


def households_in_bulk(ids) -> dict[int, Household]:
    """Households by id (no scope: for services that have already checked permission)."""
    return Household.objects.in_bulk(list(ids))


def target_days(household_type: str) -> int:
    """A household's settlement target in whole days (3 or 6 average months: 91 or 183)."""
    return round(target_months(household_type) * DAYS_PER_MONTH)


#: The 12-month target for everybody in whole days (L619–621).
ALL_TARGET_DAYS = round(TARGET_MONTHS_ALL * DAYS_PER_MONTH)


def _waited_expr(on: date):
    """SQL: days from the permit to the settlement, or to ``on`` while waiting (NULL without a
    permit date)."""
    end = Coalesce(EpochDays("settled_on"), Value((on - date(1970, 1, 1)).days))
    return ExpressionWrapper(end - EpochDays("permit_date"), output_field=IntegerField())


def _target_days_expr():
    return Case(
        When(
            household_type__in=sorted(THREE_MONTH_TYPES),
            then=Value(target_days(next(iter(THREE_MONTH_TYPES)))),
        ),
        default=Value(target_days("")),
        output_field=IntegerField(),
    )


def with_waiting(qs: QuerySet[Household], on: date) -> QuerySet[Household]:
    """``qs`` annotated with ``waited_days`` (permit to settlement or ``on``) and ``over_days``
    (days past the household's own target; negative: days left). Not clamped: a household 400 days
    over its target sorts before one 100 days over, however long both have waited."""
    return qs.annotate(waited_days=_waited_expr(on)).annotate(
        over_days=ExpressionWrapper(
            F("waited_days") - _target_days_expr(), output_field=IntegerField()
        )
    )


def over_target(qs: QuerySet[Household], on: date, *, all_months: bool = False):
    """Open households of ``qs`` past their own target (3 or 6 months), or past the 12-month target
    for everybody (``all_months``), on ``on``."""
    keyed = with_waiting(qs.exclude(status__in=SETTLED_STATUSES), on).filter(
        permit_date__isnull=False
    )
    if all_months:
        return keyed.filter(waited_days__gt=ALL_TARGET_DAYS)
    return keyed.filter(over_days__gt=0)


#: The worklist's sortable columns (``?sort=NAME`` ascending, ``?sort=-NAME`` descending).
WORKLIST_SORTS = {
    "sak": "reference",
    "type": "household_type",
    "personer": "n_persons",
    "vedtak": "permit_date",
    "ventet": "waited_days",
    "mal": "over_days",
    "status": "status",
    "sted": "place",
}
#: Most overdue first: the urgency of the queue.
WORKLIST_DEFAULT_SORT = "-mal"


def worklist_sort(value: str | None) -> str:
    """A valid worklist sort (``-`` in front for descending); the default for anything else."""
    if value and value.lstrip("-") in WORKLIST_SORTS and value.count("-") <= 1:
        return value
    return WORKLIST_DEFAULT_SORT


def _worklist_row(h: dict, on: date) -> dict:
    target = target_months(h["household_type"])
    end = h["settled_on"] or on
    wait_days = (end - h["permit_date"]).days if h["permit_date"] else None
    open_case = h["status"] not in SETTLED_STATUSES
    over = None if wait_days is None else wait_days - target_days(h["household_type"])
    return {
        **h,
        "target_months": target,
        "wait_days": wait_days,
        "wait_months": None if h["permit_date"] is None else wait_months(h["permit_date"], end),
        "over_days": over,
        "overdue": open_case and over is not None and over > 0,
        "over_all": open_case and wait_days is not None and wait_days > ALL_TARGET_DAYS,
        "days_left": None if over is None else -over,
        "target_on": None
        if h["permit_date"] is None
        else target_date(h["permit_date"], h["household_type"]),
    }


_WORKLIST_FIELDS = (
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
)


def _worklist_ordered(qs: QuerySet[Household], on: date, sort: str) -> QuerySet[Household]:
    sort = worklist_sort(sort)
    field = WORKLIST_SORTS[sort.lstrip("-")]
    keyed = with_waiting(qs, on).annotate(
        n_persons=Count("persons"),
        place=Coalesce("municipality__name", "reception_centre__name"),
    )
    key = F(field).desc(nulls_last=True) if sort.startswith("-") else F(field).asc(nulls_last=True)
    return keyed.order_by(key, "permit_date", "reference")


def worklist_page(
    qs: QuerySet[Household], on: date, number, per_page: int, sort: str = WORKLIST_DEFAULT_SORT
) -> tuple[Page, int]:
    """One page of the IMDi worklist: the households of ``qs`` in the order ``sort`` (by default
    most days over target first, then the oldest permit, then the reference), as rows with
    overdue flags; and how many of ``qs`` are over their target.

    The order, the count and the overdue count are computed by the database and only the page's
    rows are read, so a page costs the same few queries whatever the size of the queue.
    """
    ordered = _worklist_ordered(qs, on, sort).values_list("pk", flat=True)
    page = Paginator(ordered, per_page).get_page(number)
    ids = list(page.object_list)
    found = {
        h["pk"]: h
        for h in Household.objects.filter(pk__in=ids)
        .annotate(n_persons=Count("persons"))
        .values(*_WORKLIST_FIELDS)
    }
    page.object_list = [_worklist_row(found[pk], on) for pk in ids if pk in found]
    return page, over_target(qs, on).count()


def worklist_rows(
    qs: QuerySet[Household], on: date, sort: str = WORKLIST_DEFAULT_SORT, limit: int | None = None
) -> list[dict]:
    """Every row of the IMDi worklist in the order ``sort`` (the export: the same rows as the
    pages, all of them, up to ``limit``)."""
    rows = _worklist_ordered(qs, on, sort).values(*_WORKLIST_FIELDS)
    if limit is not None:
        rows = rows[:limit]
    return [_worklist_row(h, on) for h in rows]


def audit_visible(user) -> dict[str, QuerySet]:
    """The cases' objects whose audit trail the user may read (registered with the audit log)."""
    if not scope_for(user).personal_data:
        return {}
    households = cases_for(user)
    return {
        "cases.household": households,
        "cases.casechecklist": CaseChecklist.objects.filter(household__in=households),
        "cases.selfsettlement": SelfSettlement.objects.filter(household__in=households),
    }


# --- reads for the command line ---


def totals() -> dict[str, int]:
    """How many households and persons the database holds."""
    return {"households": Household.objects.count(), "persons": Person.objects.count()}


# --- reads for retention ---


def closed_before(day: date) -> QuerySet[Household]:
    """Settled households (settled or in follow-up) settled before ``day`` and not yet anonymised:
    the ones whose personal data the retention period has run out for."""
    return Household.objects.filter(
        status__in=SETTLED_STATUSES, settled_on__lt=day, anonymised_on__isnull=True
    )


# --- reads for reports ---------------------------------------------------------------------------
# The KPI engine's view of every case: unscoped, the reports cut it down to the user's area first.
#
# Area of a case. A settled or proposed case belongs to ``Household.municipality``; a case still
# waiting in reception with no municipality yet belongs to the municipality of its reception centre.
# So the national queue is everybody, and a county's queue is the settlement-ready persons in
# reception centres in that county plus those already proposed to or agreed with its municipalities.
#
# Persons. Every KPI counts persons: a household's size is its number of ``Person`` rows (at least
# 1, because a case always has a principal even when the members are not registered yet).

#: Date columns of a case in the engine's order, with the model field each comes from.
_KPI_DATE_FIELDS: tuple[tuple[str, str], ...] = (
    ("case_opened", "case_opened"),
    ("permit_date", "permit_date"),
    ("notified", "notified_on"),
    ("interview", "interview_on"),
    ("ready", "ready_on"),
    ("proposed", "proposed_on"),
    ("accepted", "accepted_on"),
    ("settled", "settled_on"),
)


class EpochDays(Func):
    """A date column as whole days since 1970-01-01 (NULL stays NULL), computed by the database.

    Integers cross the driver far faster than dates, and numpy turns them into ``datetime64[D]``
    without parsing. Standard SQL date subtraction (PostgreSQL); SQLite stores dates as ISO text
    and counts with ``julianday``.
    """

    template = "(%(expressions)s - DATE '1970-01-01')"
    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) - 2440587.5 AS INTEGER)",
            **extra_context,
        )


_NAT = np.iinfo(np.int64).min
#: Day number standing for a missing date in the query (far outside any real date).
_MISSING_DAY = -99_999_999


def _date_column(values: list[int]) -> np.ndarray:
    """Days since the epoch (``_MISSING_DAY`` for missing) -> ``datetime64[D]`` with NaT."""
    column = np.array(values, dtype=np.int64)
    column[column == _MISSING_DAY] = _NAT
    return column.view("datetime64[D]")


def case_arrays(numbers: Collection[str] | None = None) -> CaseArrays:
    """All cases in the municipalities ``numbers`` (None = all), in the KPI engine's column form.

    One query for the cases (dates as day numbers, no joins), one grouped count of persons, and two
    small lookups (municipality and reception centre -> municipality number). Unscoped: the caller
    passes the municipalities the user may see.
    """
    qs = Household.objects.all()
    if numbers is not None:
        numbers = list(numbers)
        qs = qs.filter(
            Q(municipality__number__in=numbers)
            | Q(municipality__isnull=True, reception_centre__municipality__number__in=numbers)
        )
    date_annotations = {
        f"d_{name}": Coalesce(EpochDays(field), Value(_MISSING_DAY))
        for name, field in _KPI_DATE_FIELDS
    }
    query = (
        qs.order_by()
        .annotate(**date_annotations)
        .values_list(
            "id",
            "reference",
            "municipality_id",
            "reception_centre_id",
            "household_type",
            "self_settled",
            *date_annotations,
        )
    )
    # The ORM builds (and scopes) the query; the rows are fetched as the driver gives them, which
    # skips Django's per-cell converters (a third of the time on 50,000 cases).
    try:
        sql, params = query.query.sql_with_params()
    except EmptyResultSet:  # an empty area: no query to run
        rows = []
    else:
        with connections[query.db].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
    sizes = dict(
        Person.objects.order_by()
        .values("household_id")
        .annotate(n=Count("id"))
        .values_list("household_id", "n")
    )
    muni_number = municipality_numbers_by_id()
    centre_number = reception_centre_municipality_numbers()
    n_fixed = 6
    if not rows:
        columns: list[list] = [[] for _ in range(n_fixed + len(_KPI_DATE_FIELDS))]
    else:
        columns = [list(c) for c in zip(*rows, strict=True)]
    ids, refs, muni_ids, centre_ids, types, self_settled = columns[:n_fixed]
    code = {name: i for i, name in enumerate(HOUSEHOLD_TYPES)}
    return CaseArrays(
        case_id=np.array(refs, dtype=object),
        municipality=np.array(
            [
                muni_number[m] if m is not None else centre_number.get(c)
                for m, c in zip(muni_ids, centre_ids, strict=True)
            ],
            dtype=object,
        ),
        household=np.array([code.get(t, 0) for t in types], dtype=np.int8),
        persons=np.array([max(1, sizes.get(i, 1)) for i in ids], dtype=np.int64),
        self_settled=np.array(self_settled, dtype=bool),
        **{
            name: _date_column(columns[n_fixed + i])
            for i, (name, _field) in enumerate(_KPI_DATE_FIELDS)
        },
    )


# --- reads for coordination ----------------------------------------------------------------------
# Counts of households in one municipality: aggregates, no household or person (unscoped; the
# joint municipality view checks that the municipality is in the user's scope).


def household_status_counts(municipality) -> dict[str, int]:
    """Households per status whose municipality is ``municipality``."""
    return dict(
        Household.objects.filter(municipality=municipality)
        .values_list("status")
        .annotate(n=Count("pk"))
    )


def households_without_unit(municipality, statuses: Collection[str]) -> int:
    """Households in ``municipality`` in one of ``statuses`` that have no housing unit yet."""
    return Household.objects.filter(
        municipality=municipality, status__in=tuple(statuses), unit__isnull=True
    ).count()


# --- reads for housing ---


def settled_persons_by_municipality(year: int, structure_year: int) -> dict[str, int]:
    """``{municipality number: persons}`` of the households settled in ``year`` in the municipalities
    of a structure. Aggregates, no user scope (the housing gap)."""
    return dict(
        Person.objects.filter(
            household__settled_on__year=year,
            household__municipality__structure_year=structure_year,
        )
        .values_list("household__municipality__number")
        .annotate(n=Count("pk"))
        .values_list("household__municipality__number", "n")
    )


# --- reads for planning (registered with ``planning.registry`` in ``CasesConfig.ready``) ----------


def settled_persons_until(year: int, until: date, structure_year: int) -> dict[str, int]:
    """``{municipality number: persons}`` settled in ``year`` up to and including ``until`` in the
    municipalities of a structure. Aggregates, no user scope (the forecast)."""
    return dict(
        Person.objects.filter(
            household__settled_on__year=year,
            household__settled_on__lte=until,
            household__municipality__structure_year=structure_year,
        )
        .values_list("household__municipality__number")
        .annotate(n=Count("pk"))
        .values_list("household__municipality__number", "n")
    )


def forecast_queues(structure_year: int) -> tuple[dict[str, int], int]:
    """The forecast's queues in one read: ``{municipality number: persons}`` proposed to, accepted
    by, in preparation in or self-settling in a municipality of a structure and not settled yet
    (each municipality's queue), and the persons settlement-ready and not matched, nationally.
    Aggregates, no user scope."""
    matched: dict[str, int] = defaultdict(int)
    ready = 0
    qs = Household.objects.filter(
        Q(
            status__in=PENDING_STATUSES,
            settled_on__isnull=True,
            municipality__structure_year=structure_year,
        )
        | Q(status=CaseStatus.READY)
    )
    rows = qs.annotate(n=Count("persons")).values_list("n", "municipality__number", "status")
    for persons, number, status in rows.order_by():
        if status == CaseStatus.READY:
            ready += persons
        else:
            matched[number] += persons
    return dict(matched), ready


def _sizes_and_numbers(qs: QuerySet[Household]) -> list[tuple[int, int, str | None]]:
    return list(
        qs.annotate(n=Count("persons"))
        .values_list("n", "expected_reunification_persons", "municipality__number")
        .order_by()
    )


def pending_household_sizes() -> list[tuple[int, int, str | None]]:
    """``(persons, housing size, municipality number)`` of every household proposed to, accepted by,
    in preparation in or self-settling in a municipality and not settled yet; the housing size counts
    the family members expected through reunification too. Aggregates, no user scope (the housing
    gap)."""
    return [
        (n, n + expected, number)
        for n, expected, number in _sizes_and_numbers(
            Household.objects.filter(
                status__in=PENDING_STATUSES, settled_on__isnull=True, municipality__isnull=False
            )
        )
    ]


def ready_household_sizes() -> list[tuple[int, int]]:
    """``(persons, housing size)`` of each settlement-ready household, nationally (the housing gap's
    waiting queue); the housing size counts the family members expected through reunification."""
    return [
        (n, n + expected)
        for n, expected, _ in _sizes_and_numbers(Household.objects.filter(status=CaseStatus.READY))
    ]


def settled_household_sizes(first_year: int, last_year: int) -> list[int]:
    """Persons in each household settled in ``first_year``..``last_year``, nationally (the housing
    gap's household-size mix)."""
    settled = Household.objects.filter(
        settled_on__year__gte=first_year, settled_on__year__lte=last_year
    )
    return [n for n, _expected, _number in _sizes_and_numbers(settled)]


# --- reads for finance ---


def settled_person_counts(
    numbers, first_year: int, last_year: int
) -> list[tuple[int, str, int, int]]:
    """Persons of the households settled in ``first_year``..``last_year`` in the municipalities
    ``numbers`` (None = all), counted as ``(year settled, household type, birth year, persons)``.
    Aggregates, no user scope: for callers that checked permission (the grant projection)."""
    qs = Person.objects.filter(
        household__settled_on__year__gte=first_year, household__settled_on__year__lte=last_year
    )
    if numbers is not None:
        qs = qs.filter(household__municipality__number__in=numbers)
    return list(
        qs.values_list("household__settled_on__year", "household__household_type", "birth_year")
        .annotate(n=Count("pk"))
        .order_by()
    )


def settled_demo_households() -> list[tuple[int, date, date | None]]:
    """``(id, settled on, case opened)`` of every synthetic settled household, by id (the demo
    world's economic facts)."""
    return list(
        Household.objects.filter(
            synthetic=True, status=CaseStatus.SETTLED, settled_on__isnull=False
        )
        .values_list("pk", "settled_on", "case_opened")
        .order_by("pk")
    )


# --- reads for imports ---


@dataclass(frozen=True)
class RegisteredPermit:
    """What a case holds of its permit notification: dates and persons (birth year, sex, principal)."""

    permit_date: date | None
    case_opened: date | None
    persons: list[tuple[int, str, bool]]


def registered_permit(reference: str) -> RegisteredPermit | None:
    """The permit notification registered under a case reference, or None. No user scope: the permit
    import must know a reference whatever municipality holds the case; nothing else is given."""
    household = Household.objects.filter(reference=reference).first()
    if household is None:
        return None
    return RegisteredPermit(
        household.permit_date,
        household.case_opened,
        [(p.birth_year, p.sex, p.is_principal) for p in household.persons.all()],
    )
