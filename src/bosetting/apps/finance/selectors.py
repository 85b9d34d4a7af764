"""Reads of money matters, scoped by the user.

- Grant schedules, Husbanken's instruments and the housing-allowance calculator are public rules:
  every signed-in user may use them.
- Projections per municipality are aggregates: any role whose scope covers the municipality.
- Start-loan candidates and household economy are personal and sensitive: only roles that may see the
  household's personal data (its municipality, IMDi in scope) — never Husbanken, county governors or
  analysts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Count

from bosetting.apps.accounts.selectors import scope_for
from bosetting.apps.finance.models import HouseholdEconomy
from bosetting.engine.rules import husbanken
from bosetting.engine.rules.grants import INTEGRATION_CATEGORIES, GrantSchedule, GrantTable


def may_see_municipality_money(user, number: str) -> bool:
    scope = scope_for(user)
    return scope.aggregates and scope.covers(number)


def grant_schedules(table: GrantTable | None = None) -> list[GrantSchedule]:
    """Every integration-grant schedule in the rule data: each budget year x each category."""
    table = table or GrantTable.default()
    return [table.schedule(y, c) for y in table.budget_years() for c in INTEGRATION_CATEGORIES]


def projection_for(user, number: str, start_year: int, years: int = 5, table=None):
    """Integration-grant projection for a municipality the user may see (aggregates)."""
    from bosetting.apps.finance.projection import project

    if not may_see_municipality_money(user, number):
        raise PermissionDenied("Kommunen ligger utenfor det du har tilgang til.")
    return project(number, start_year, years, table)


def month_add(day: date, months: int) -> date:
    """``day`` plus whole months (day clipped to the month's length)."""
    import calendar

    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass
class Candidate:
    """A tenant whose lease ends soon, with the start-loan check ("kandidat for startlån")."""

    lease_id: int
    household_id: int
    reference: str
    persons: int
    unit_code: str
    unit_kind: str
    lease_end: date
    months_in_norway: int | None
    has_work_income: bool | None
    result: husbanken.EligibilityResult

    @property
    def status(self) -> str:
        return {True: "eligible", False: "not_eligible", None: "undecided"}[self.result.eligible]


def start_loan_candidates(
    user,
    number: str,
    as_of: date,
    within_months: int = 6,
    policy: husbanken.StartLoanPolicy | None = None,
    include_not_eligible: bool = False,
) -> list[Candidate]:
    """Tenants in ``number`` whose lease ends within ``within_months`` of ``as_of`` (no outcome yet),
    checked against the start-loan conditions; those who fail a condition are left out unless
    ``include_not_eligible``. Personal data: refused for roles that may not see the households."""
    from bosetting.apps.housing.models import Lease

    scope = scope_for(user)
    if not scope.personal_data or not scope.covers(number):
        raise PermissionDenied("Listen inneholder personopplysninger du ikke har tilgang til.")
    until = month_add(as_of, within_months)
    leases = (
        Lease.objects.filter(
            unit__municipality__number=number,
            household__isnull=False,
            outcome="",
            end__gte=as_of,
            end__lte=until,
        )
        .select_related("unit", "household")
        .annotate(persons=Count("household__persons"))
        .order_by("end", "household__reference")
    )
    economies = {
        e.household_id: e
        for e in HouseholdEconomy.objects.filter(
            household_id__in=[lease.household_id for lease in leases]
        ).select_related("household")
    }
    rows = []
    for lease in leases:
        economy = economies.get(lease.household_id)
        months = economy.months_in_norway(as_of) if economy else None
        if months is None and lease.household.settled_on:
            months = HouseholdEconomy(household=lease.household).months_in_norway(as_of)
        finances = husbanken.HouseholdFinances(
            can_get_ordinary_bank_loan=economy.can_get_ordinary_bank_loan if economy else None,
            can_service_loan=economy.can_service_loan if economy else None,
            long_term_low_income=economy.long_term_low_income if economy else None,
            has_work_income=economy.has_work_income if economy else None,
            months_in_norway=months,
        )
        result = husbanken.check_start_loan(finances, policy)
        if result.eligible is False and not include_not_eligible:
            continue
        rows.append(
            Candidate(
                lease_id=lease.pk,
                household_id=lease.household_id,
                reference=lease.household.reference,
                persons=lease.persons,
                unit_code=lease.unit.code,
                unit_kind=lease.unit.kind,
                lease_end=lease.end,
                months_in_norway=months,
                has_work_income=finances.has_work_income,
                result=result,
            )
        )
    return rows


def economy_for(user, household) -> HouseholdEconomy | None:
    """A household's economic facts, if the user may see its personal data."""
    from bosetting.apps.cases.selectors import cases_for

    if not cases_for(user).filter(pk=household.pk).exists():
        return None
    return HouseholdEconomy.objects.filter(household=household).first()


def household_start_loan_check(household, economy: HouseholdEconomy | None, as_of: date):
    """The start-loan check of one household from its stored facts (unknown where not stored)."""
    if economy is None:
        economy = HouseholdEconomy(household=household)
    finances = husbanken.HouseholdFinances(
        can_get_ordinary_bank_loan=economy.can_get_ordinary_bank_loan,
        can_service_loan=economy.can_service_loan,
        long_term_low_income=economy.long_term_low_income,
        has_work_income=economy.has_work_income,
        months_in_norway=economy.months_in_norway(as_of),
    )
    return husbanken.check_start_loan(finances)
