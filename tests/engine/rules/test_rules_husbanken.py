"""Husbanken's instruments: rental-housing grant, basic loan, eligibility."""

from __future__ import annotations

import pytest

from bosetting.engine.rules.husbanken import (
    HouseholdFinances,
    StartLoanPolicy,
    basic_loan_limit,
    check_establishment_grant,
    check_start_loan,
    rental_units_cost_and_grant,
)


def test_five_rental_dwellings_in_2014_get_up_to_40_percent() -> None:
    f = rental_units_cost_and_grant(5, 3_000_000, 2014)
    # cost 5 x 3 000 000 = 15 000 000; grant 40 % = 6 000 000; loan need 9 000 000
    assert f.total_cost_nok == 15_000_000
    assert f.grant_share == 0.40
    assert f.grant_nok == 6_000_000
    assert f.loan_need_nok == 9_000_000
    assert f.source is not None and "L755" in f.source


def test_the_grant_share_of_another_year_is_unknown() -> None:
    f = rental_units_cost_and_grant(2, 2_500_000, 2013)
    assert f.known is False
    assert f.total_cost_nok == 5_000_000  # the cost is still known
    assert f.grant_nok is None and f.loan_need_nok is None
    assert f.reason is not None and "2013" in f.reason


def test_negative_inputs_are_refused() -> None:
    with pytest.raises(ValueError):
        rental_units_cost_and_grant(-1, 100, 2014)


def test_basic_loan_covers_up_to_80_percent_of_a_new_home() -> None:
    limit = basic_loan_limit(3_500_000, 2014)
    # 0.8 x 3 500 000 = 2 800 000
    assert limit.max_loan_nok == 2_800_000
    assert limit.applies_to == "individuals building a new dwelling"
    assert basic_loan_limit(3_500_000, 2020).known is False


WORKING_BUYER = HouseholdFinances(
    can_get_ordinary_bank_loan=False,
    can_service_loan=True,
    long_term_low_income=True,
    has_work_income=True,
    months_in_norway=40,
)


def test_a_working_household_the_bank_turns_down_qualifies_for_a_start_loan() -> None:
    result = check_start_loan(WORKING_BUYER)
    assert result.eligible is True
    assert {c.code for c in result.conditions} == {
        "no_ordinary_bank_loan",
        "can_service_loan",
        "work_income",
    }


def test_a_household_the_bank_would_finance_does_not_need_a_start_loan() -> None:
    household = HouseholdFinances(
        can_get_ordinary_bank_loan=True, can_service_loan=True, has_work_income=True
    )
    result = check_start_loan(household)
    assert result.eligible is False
    assert [c.code for c in result.unmet] == ["no_ordinary_bank_loan"]


def test_unknown_facts_leave_the_answer_open() -> None:
    result = check_start_loan(HouseholdFinances(can_get_ordinary_bank_loan=False))
    assert result.eligible is None
    assert {c.code for c in result.unknown} == {"can_service_loan", "work_income"}


def test_local_policy_conditions_are_marked_as_ours() -> None:
    policy = StartLoanPolicy(require_work_income=True, min_months_in_norway=24)
    result = check_start_loan(WORKING_BUYER, policy)
    basis = {c.code: c.basis for c in result.conditions}
    assert basis["no_ordinary_bank_loan"] == "husbanken"
    assert basis["can_service_loan"] == "husbanken"
    assert basis["work_income"] == "local_policy"
    assert basis["time_in_norway"] == "local_policy"
    assert all(c.source for c in result.conditions)


def test_time_in_norway_threshold() -> None:
    policy = StartLoanPolicy(min_months_in_norway=24)
    newcomer = HouseholdFinances(
        can_get_ordinary_bank_loan=False,
        can_service_loan=True,
        has_work_income=True,
        months_in_norway=10,
    )
    assert check_start_loan(newcomer, policy).eligible is False
    # without the local threshold the same household qualifies
    assert check_start_loan(newcomer).eligible is True


def test_without_the_work_requirement_a_household_without_work_can_qualify() -> None:
    household = HouseholdFinances(
        can_get_ordinary_bank_loan=False, can_service_loan=True, has_work_income=False
    )
    assert check_start_loan(household).eligible is False
    assert check_start_loan(household, StartLoanPolicy(require_work_income=False)).eligible is True


def test_establishment_grant_also_needs_long_term_low_income() -> None:
    assert check_establishment_grant(WORKING_BUYER).eligible is True
    better_off = HouseholdFinances(
        can_get_ordinary_bank_loan=False,
        can_service_loan=True,
        long_term_low_income=False,
        has_work_income=True,
    )
    result = check_establishment_grant(better_off)
    assert result.eligible is False
    assert [c.code for c in result.unmet] == ["long_term_low_income"]
    # the grant goes with a start loan: a household that fails the loan fails the grant
    assert (
        check_establishment_grant(HouseholdFinances(can_get_ordinary_bank_loan=True)).eligible
        is False
    )
