"""Reads of housing data, always scoped by the user, and who may read and write it.

Who may read and write housing data (documented in docs/housing.md):

- Read units and leases: roles with ``scope.housing`` (IMDi, municipal officers, Husbanken), within
  their municipalities. Household references on leases only for roles with ``scope.personal_data``.
- Write units and leases: municipal officers in their own municipality, and IMDi national.
  Husbanken, IMDi regional offices, county governors and analysts read only (or not at all).
- Book a unit for a household in the settlement process (a reservation when a proposal is sent or
  accepted, the lease when the household is settled): the writers above and the settlement
  authority where it acts (IMDi's regional office; the county governor in a running pilot county).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from bosetting import clock
from bosetting.apps.accounts.choices import Role
from bosetting.apps.accounts.selectors import Scope, scope_for, settlement_powers
from bosetting.apps.housing.areas import AreaError as AreaError  # public: gap_for raises it
from bosetting.apps.housing.areas import default_area_for, resolve_area
from bosetting.apps.housing.availability import active_lease_on, available_within
from bosetting.apps.housing.choices import UnitKind
from bosetting.apps.housing.gap import GapReport, gap_report
from bosetting.apps.housing.models import HousingCareerStep, HousingUnit, Lease
from bosetting.apps.planning.selectors import latest_decision_year
from bosetting.reference.structure import structure_year_for

# --- who may read and write --------------------------------------------------------------------

WRITE_ROLES = frozenset({Role.MUNICIPAL, Role.IMDI_NATIONAL})


def may_read_housing(user) -> bool:
    """Whether ``user`` may see units and leases at all."""
    return scope_for(user).housing


def may_write_housing(user, municipality_number: str | None = None) -> bool:
    """Whether ``user`` may create or change units and leases (in ``municipality_number``)."""
    scope = scope_for(user)
    if scope.role not in WRITE_ROLES or not scope.housing:
        return False
    return municipality_number is None or scope.covers(municipality_number)


def may_book(user, municipality_number: str) -> bool:
    """Whether ``user`` may book (reserve or let) units in a municipality.

    Everyone who may write housing there, and the settlement authority where it acts (IMDi's
    regional office in its area, the county governor in a running pilot county): it decides who is
    settled where, so a flat is reserved when it sends or answers a proposal on a municipality's
    behalf. ``None`` is the system itself (imports, the demo builder).
    """
    if user is None:
        return True
    if may_write_housing(user, municipality_number):
        return True
    return settlement_powers(user).acts_in(municipality_number)


def area_allowed(scope: Scope, numbers: set[str] | frozenset[str]) -> bool:
    """Whether every municipality of an area lies inside the scope (aggregates)."""
    if not scope.aggregates:
        return False
    if scope.municipality_numbers is None:
        return True
    return set(numbers) <= scope.municipality_numbers


# --- units and leases ------------------------------------------------------------------------------


def units_for(user) -> QuerySet[HousingUnit]:
    """Units the user may see: none without housing rights, else those of its municipalities."""
    scope = scope_for(user)
    qs = HousingUnit.objects.select_related("municipality")
    if not scope.housing:
        return qs.none()
    if scope.municipality_numbers is not None:
        qs = qs.filter(municipality__number__in=scope.municipality_numbers)
    return qs


def leases_for(user) -> QuerySet[Lease]:
    """Leases of the units the user may see."""
    scope = scope_for(user)
    qs = Lease.objects.select_related("unit", "unit__municipality", "household")
    if not scope.housing:
        return qs.none()
    if scope.municipality_numbers is not None:
        qs = qs.filter(unit__municipality__number__in=scope.municipality_numbers)
    return qs


def turnover(numbers: set[str] | frozenset[str] | None, years: list[int]) -> list[dict]:
    """Turnover ("gjennomstrømning") of municipal rental units per municipality and year.

    ``moves_out`` = leases on municipal units that ended in the year; ``units`` = municipal units with a
    lease running on 1 January; ``rate`` = moves_out / units (None when there are no such units).
    """
    units = HousingUnit.objects.filter(kind=UnitKind.MUNICIPAL)
    if numbers is not None:
        units = units.filter(municipality__number__in=numbers)
    rows = []
    for year in years:
        first = date(year, 1, 1)
        occupied = dict(
            units.filter(active_lease_on(first))
            .values_list("municipality__number")
            .annotate(n=Count("pk"))
            .values_list("municipality__number", "n")
        )
        ended = dict(
            Lease.objects.contracts()
            .filter(unit__in=units, end__year=year)
            .values_list("unit__municipality__number")
            .annotate(n=Count("pk"))
            .values_list("unit__municipality__number", "n")
        )
        for number in sorted(set(occupied) | set(ended)):
            n_units = occupied.get(number, 0)
            moves = ended.get(number, 0)
            rows.append(
                {
                    "municipality": number,
                    "year": year,
                    "units": n_units,
                    "moves_out": moves,
                    "rate": round(moves / n_units, 3) if n_units else None,
                }
            )
    return rows


def career_for(user, household) -> QuerySet[HousingCareerStep]:
    """A household's career steps, if the user may see that household's personal data."""
    scope = scope_for(user)
    number = household.municipality.number if household.municipality_id else None
    if not scope.personal_data or not scope.covers(number):
        return HousingCareerStep.objects.none()
    return HousingCareerStep.objects.filter(household=household).select_related("unit", "lease")


def gap_for(user, area: str | None = None, year: int | None = None) -> GapReport:
    """The housing gap of an area the user may see (aggregates only); the user's own area by
    default, the latest decision year by default.

    Raises:
        AreaError: the area spec is unknown.
        PermissionDenied: the area reaches outside the user's scope.
    """
    year = year or default_year()
    resolved = resolve_area(area or default_area_for(user), structure_year_for(year))
    if not area_allowed(scope_for(user), resolved.numbers):
        raise PermissionDenied("Området ligger utenfor det du har tilgang til.")
    return gap_report(year, resolved.spec, resolved.label, set(resolved.numbers))


def gap_of_area(area: str = "national", year: int | None = None) -> GapReport:
    """The housing gap of an area, unscoped: for the command line, which runs as the system.

    Raises:
        AreaError: the area spec is unknown.
    """
    year = year or default_year()
    resolved = resolve_area(area, structure_year_for(year))
    return gap_report(year, resolved.spec, resolved.label, set(resolved.numbers))


def default_year() -> int:
    """The planning year to show first: the latest year with council decisions in today's municipal
    structure (else next year). Not a later structure's year: a user's own municipality (Bergen,
    1201, in 2015) would not exist in it."""
    today = clock.today().year
    return latest_decision_year(structure_year_for(today)) or today + 1


def free_units(municipality_ids: list[int], until: date) -> QuerySet[HousingUnit]:
    """Units reported available by ``until`` with a bed that no reservation or lease occupies between
    the day the unit becomes available and ``until``. Annotates ``taken_n``: the rows occupying it
    then (a shared unit keeps its remaining beds)."""
    taken = (
        Lease.objects.occupying()
        .filter(unit=OuterRef("pk"), start__lte=until)
        .filter(Q(end__isnull=True) | Q(end__gt=OuterRef("available_from")))
        .order_by()
        .values("unit")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        HousingUnit.objects.filter(
            municipality_id__in=municipality_ids,
            available_from__isnull=False,
            available_from__lte=until,
        )
        .annotate(taken_n=Coalesce(Subquery(taken, output_field=IntegerField()), 0))
        .filter(
            (Q(kind=UnitKind.SHARED) & Q(taken_n__lt=F("beds")))
            | (~Q(kind=UnitKind.SHARED) & Q(taken_n=0))
        )
    )


def unit_ids_by_code(codes) -> dict[str, int]:
    """``{code: id}`` of the units with these codes."""
    return dict(HousingUnit.objects.filter(code__in=list(codes)).values_list("code", "pk"))


def unit_of(unit_id: int | None) -> HousingUnit | None:
    """A unit by id with its municipality (no scope: for processes that checked permission)."""
    if unit_id is None:
        return None
    return HousingUnit.objects.select_related("municipality").filter(pk=unit_id).first()


def units_to_choose(municipality_id: int, household_id: int, on: date) -> list[dict]:
    """Units a municipality can give a household: its reported-available units that nobody else has
    booked from ``on`` (or from the day they become free), and the household's own reservation."""
    own = set(
        Lease.objects.reservations()
        .filter(household_id=household_id)
        .values_list("unit_id", flat=True)
    )
    rows = (
        available_within(
            HousingUnit.objects.filter(municipality_id=municipality_id),
            on,
            on + timedelta(days=365),
        )
        .order_by("code")
        .values("pk", "code", "kind", "bedrooms", "max_occupants", "zone")[:300]
    )
    units = [r for r in rows if r["pk"] not in own]
    mine = list(
        HousingUnit.objects.filter(pk__in=own).values(
            "pk", "code", "kind", "bedrooms", "max_occupants", "zone"
        )
    )
    return mine + units


def unit_bookings(unit: HousingUnit) -> QuerySet[Lease]:
    """A unit's booking calendar: reservations and leases (released reservations left out)."""
    return unit.leases.occupying().select_related("household").order_by("start", "bed")


def reservation_of(household_id: int, unit_id: int) -> Lease | None:
    """The household's reservation of a unit, if it holds one."""
    return Lease.objects.reservations().filter(household_id=household_id, unit_id=unit_id).first()


def booking_of(household_id: int, unit_id: int | None) -> Lease | None:
    """The household's booking of a unit that holds it: its lease, else its reservation (the
    settlement agreement names the rent and the lease's end)."""
    if unit_id is None:
        return None
    rows = Lease.objects.occupying().filter(household_id=household_id, unit_id=unit_id)
    return rows.contracts().order_by("-start").first() or rows.order_by("-start").first()


def audit_visible(user) -> dict[str, QuerySet]:
    """Units and bookings whose audit trail the user may read (registered with the audit log)."""
    if not scope_for(user).housing:
        return {}
    units = units_for(user)
    return {"housing.housingunit": units, "housing.lease": Lease.objects.filter(unit__in=units)}


# --- reads for the command line ---


def totals() -> dict[str, int]:
    """How many units the database holds."""
    return {"units": HousingUnit.objects.count()}


# --- reads for coordination ----------------------------------------------------------------------


def unit_summary(municipality, start: date, end: date) -> dict:
    """A municipality's housing register as counts (unscoped aggregates: no unit, no tenant):
    ``total``, ``by_kind`` (``{kind: n}``), ``available`` between ``start`` and ``end`` (see
    :func:`available_within`) and whether any unit is ``synthetic`` (demo data)."""
    units = HousingUnit.objects.filter(municipality=municipality)
    return {
        "total": units.count(),
        "by_kind": dict(units.values_list("kind").annotate(n=Count("pk"))),
        "available": available_within(units, start, end).count(),
        "synthetic": units.filter(synthetic=True).exists(),
    }


# --- reads for knowledge -------------------------------------------------------------------------


def municipal_unit_count(municipality) -> tuple[int, bool]:
    """How many municipal rental units a municipality has in the register, and whether any of them
    is synthetic (demo data). Unscoped: a count of dwellings, not personal data."""
    return municipal_unit_counts([municipality.pk]).get(municipality.pk, (0, False))


def municipal_unit_counts(municipality_ids: Collection[int]) -> dict[int, tuple[int, bool]]:
    """:func:`municipal_unit_count` of many municipalities in one query, by municipality id
    (municipalities without municipal units are left out)."""
    rows = (
        HousingUnit.objects.filter(
            municipality_id__in=list(municipality_ids), kind=UnitKind.MUNICIPAL
        )
        .values("municipality_id")
        .annotate(n=Count("pk"), n_synthetic=Count("pk", filter=Q(synthetic=True)))
        .order_by()
    )
    return {r["municipality_id"]: (r["n"], r["n_synthetic"] > 0) for r in rows}


# --- reads for finance ---


def leases_ending_for(user, number: str, start: date, end: date) -> QuerySet[Lease]:
    """Leases of households in municipality ``number`` that end between ``start`` and ``end`` (both
    included) with no outcome recorded yet, soonest first, annotated with ``persons`` (the
    household's size). Only leases the user may see (``leases_for``)."""
    return (
        leases_for(user)
        .contracts()
        .filter(
            unit__municipality__number=number,
            household__isnull=False,
            outcome="",
            end__gte=start,
            end__lte=end,
        )
        .annotate(persons=Count("household__persons"))
        .order_by("end", "household__reference")
    )
