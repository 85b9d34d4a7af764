"""Reads of money matters, scoped by the user.

- Grant schedules, Husbanken's instruments and the housing-allowance calculator are public rules:
  every signed-in user may use them (the rates are dated rules in ``bosetting.engine.rules``).
- Projections per municipality are aggregates: any role whose scope covers the municipality.
- Start-loan candidates and household economy are personal and sensitive: only roles that may see the
  household's personal data (its municipality, IMDi in scope) — never Husbanken, county governors or
  analysts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied

from bosetting.apps.accounts.selectors import scope_for
from bosetting.apps.cases.selectors import cases_for
from bosetting.apps.finance.models import HouseholdEconomy
from bosetting.apps.finance.projection import Projection, project
from bosetting.apps.housing.selectors import leases_ending_for
from bosetting.engine.rules import husbanken
from bosetting.engine.rules.grants import INTEGRATION_CATEGORIES, GrantSchedule, GrantTable
from bosetting.engine.rules.housing_allowance import (
    HousingAllowanceEstimate,
    HousingAllowanceRules,
)
from bosetting.engine.rules.kpi.periods import add_months


def may_see_municipality_money(user, number: str) -> bool:
    """Whether the user may see a municipality's money aggregates (grant projections)."""
    scope = scope_for(user)
    return scope.aggregates and scope.covers(number)


def grant_schedules(table: GrantTable | None = None) -> list[GrantSchedule]:
    """Every integration-grant schedule in the rule data: each budget year x each category."""
    table = table or GrantTable.default()
    return [table.schedule(y, c) for y in table.budget_years() for c in INTEGRATION_CATEGORIES]


def allowance_estimate(
    income_nok: int,
    housing_cost_nok: int,
    household_size: int,
    year: int,
    cap_group: str | None = None,
    municipality: str | None = None,
    adapted_dwelling: bool = False,
) -> HousingAllowanceEstimate:
    """Bostøtte estimate; the cap group comes from ``cap_group`` or, failing that, the municipality
    name (in the year's parameters), else "ordinary"."""
    rules = HousingAllowanceRules.default()
    group = cap_group or "ordinary"
    if not cap_group and municipality and rules.params(year) is not None:
        group = rules.cap_group_for_municipality(municipality, year)
    return rules.estimate(
        income_nok,
        housing_cost_nok,
        household_size,
        year,
        cap_group=group,
        adapted_dwelling=adapted_dwelling,
    )


def allowance_years() -> list[int]:
    """The years the housing-allowance rules hold parameters for."""
    return HousingAllowanceRules.default().years()


def projection_for(
    user,
    number: str,
    start_year: int,
    years: int = 5,
    table: GrantTable | None = None,
    *,
    assume: bool = True,
) -> Projection:
    """Integration-grant projection for a municipality the user may see (aggregates); ``assume``:
    the stated even-split assumption where a yearly rate is not published."""
    if not may_see_municipality_money(user, number):
        raise PermissionDenied("Kommunen ligger utenfor det du har tilgang til.")
    return project(number, start_year, years, table, assume=assume)


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
    scope = scope_for(user)
    if not scope.personal_data or not scope.covers(number):
        raise PermissionDenied("Listen inneholder personopplysninger du ikke har tilgang til.")
    leases = leases_ending_for(user, number, as_of, add_months(as_of, within_months))
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


def economy_facts(household, economy: HouseholdEconomy | None, on: date) -> dict[str, Any]:
    """The economic facts shown for a household (None where not known or nothing is stored), with
    its whole months in Norway on ``on`` and when the facts were last updated."""
    shown = economy or HouseholdEconomy(household=household)
    return {
        "has_work_income": shown.has_work_income,
        "yearly_income_nok": shown.yearly_income_nok,
        "arrived_in_norway_on": shown.arrived_in_norway_on,
        "can_get_ordinary_bank_loan": shown.can_get_ordinary_bank_loan,
        "can_service_loan": shown.can_service_loan,
        "long_term_low_income": shown.long_term_low_income,
        "months_in_norway": shown.months_in_norway(on),
        "updated_on": shown.updated_on,
    }
