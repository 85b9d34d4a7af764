"""Housing allowance (bostøtte) estimate: the breakdown checked by hand."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bosetting.engine.rules.housing_allowance import (
    HousingAllowanceDataError,
    HousingAllowanceRules,
    estimate_housing_allowance,
)


def test_family_of_three_breakdown_by_hand() -> None:
    e = estimate_housing_allowance(300_000, 120_000, 3, 2022)
    assert e.known and e.status == "estimated"
    # weight 1 + 0.13 x 2 = 1.26; 300 000 / 1.26 = 238 095.24 -> 238 095
    # (Husbanken's guide gives the same example: 300 000 : 1,26 = 238 095)
    assert e.income_weight == pytest.approx(1.26)
    assert e.weighted_income_nok == 238_095
    # income part: 0.1644 x (238 095 - 110 866) = 0.1644 x 127 229 = 20 916.4476
    assert e.own_share_income_part_nok == pytest.approx(20_916.4476)
    # progressive: (238 095 - 195 221) // 1 205 = 42 874 // 1 205 = 35 -> 36 steps
    #   rate 36 x 0.27 % = 9.72 %; 238 095 x 0.0972 = 23 142.834
    assert e.own_share_progressive_nok == pytest.approx(23_142.834)
    # own share: 22 487 + 20 916.4476 + 23 142.834 = 66 546.2816
    assert e.own_share_nok == pytest.approx(66_546.2816)
    # cap for 3 persons, ordinary municipality: 108 263 < rent 120 000
    assert e.cap_nok == 108_263
    assert e.approved_housing_cost_nok == 108_263
    # 0.737 x (108 263 - 66 546.2816) = 0.737 x 41 716.7184 = 30 745.22 -> 30 745
    assert e.allowance_annual_nok == 30_745
    # 30 745 / 12 = 2 562.08 -> 2 562
    assert e.allowance_monthly_nok == 2_562
    assert len(e.steps) == 5


def test_single_person_in_oslo_gets_the_higher_cap() -> None:
    e = estimate_housing_allowance(150_000, 100_000, 1, 2022, cap_group="oslo")
    # weighted income 150 000 (weight 1); no progressive term (<= 195 220)
    # own share: 22 487 + 0.1644 x (150 000 - 110 866) = 22 487 + 6 433.6296 = 28 920.6296
    assert e.own_share_progressive_nok == 0
    assert e.own_share_nok == pytest.approx(28_920.6296)
    # cap: 78 237 + 24 900 = 103 137 > rent, so the whole rent is approved
    assert e.cap_nok == 103_137
    assert e.approved_housing_cost_nok == 100_000
    # 0.737 x (100 000 - 28 920.6296) = 0.737 x 71 079.3704 = 52 385.50 -> 52 385
    assert e.allowance_annual_nok == 52_385


def test_without_income_only_the_minimum_own_share_is_deducted() -> None:
    e = estimate_housing_allowance(0, 30_000, 1, 2022)
    # 0.737 x (30 000 - 22 487) = 0.737 x 7 513 = 5 537.08 -> 5 537
    assert e.own_share_nok == 22_487
    assert e.allowance_annual_nok == 5_537


def test_amounts_below_the_minimum_monthly_payment_are_not_paid() -> None:
    e = estimate_housing_allowance(0, 23_300, 1, 2022)
    # 0.737 x (23 300 - 22 487) = 0.737 x 813 = 599.18 -> 599 a year = 50 a month < 51
    assert e.calculated_annual_nok == 599
    assert e.below_minimum_payment is True
    assert e.allowance_annual_nok == 0


def test_an_adapted_dwelling_raises_the_cap() -> None:
    plain = estimate_housing_allowance(100_000, 200_000, 2, 2022)
    adapted = estimate_housing_allowance(100_000, 200_000, 2, 2022, adapted_dwelling=True)
    # 97 404 + 5 093 = 102 497; 0.737 x 5 093 = 3 753.5 more before rounding
    assert adapted.cap_nok == plain.cap_nok + 5_093 == 102_497
    assert adapted.allowance_annual_nok - plain.allowance_annual_nok in (3_753, 3_754)


def test_municipality_names_map_to_cap_groups() -> None:
    rules = HousingAllowanceRules.default()
    assert rules.cap_group_for_municipality("Bærum", 2022) == "large_cities"
    assert rules.cap_group_for_municipality("oslo", 2022) == "oslo"
    assert rules.cap_group_for_municipality("Sandnes", 2022) == "pressure_area"
    assert rules.cap_group_for_municipality("Kvinesdal", 2022) == "ordinary"


def test_2014_is_unknown_and_says_why() -> None:
    e = estimate_housing_allowance(200_000, 90_000, 2, 2014)
    assert e.known is False
    assert e.allowance_annual_nok is None
    assert e.reason is not None and "2014" in e.reason
    missing = estimate_housing_allowance(200_000, 90_000, 2, 1999)
    assert missing.known is False and missing.reason is not None


def test_bad_inputs_are_refused() -> None:
    with pytest.raises(ValueError, match="household_size"):
        estimate_housing_allowance(1, 1, 0, 2022)
    with pytest.raises(ValueError, match="cap group"):
        estimate_housing_allowance(1, 1, 1, 2022, cap_group="tromsø")


def test_a_parameter_file_missing_a_field_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ha.toml"
    path.write_text("[years.2030]\nknown = true\nstatus = 'estimated'\nsources = ['x']\n")
    with pytest.raises(HousingAllowanceDataError, match="2030: missing field"):
        HousingAllowanceRules.from_toml(path)


incomes = st.integers(min_value=0, max_value=800_000)
costs = st.integers(min_value=0, max_value=300_000)
sizes = st.integers(min_value=1, max_value=9)


@given(incomes, incomes, costs, sizes)
def test_more_income_never_gives_more_allowance(a: int, b: int, cost: int, size: int) -> None:
    low, high = sorted((a, b))
    assert (
        estimate_housing_allowance(high, cost, size, 2022).calculated_annual_nok
        <= estimate_housing_allowance(low, cost, size, 2022).calculated_annual_nok  # type: ignore[operator]
    )


@given(incomes, costs, costs, sizes)
def test_higher_housing_costs_never_give_less_and_the_cap_bounds_it(
    income: int, a: int, b: int, size: int
) -> None:
    low, high = sorted((a, b))
    e_low = estimate_housing_allowance(income, low, size, 2022)
    e_high = estimate_housing_allowance(income, high, size, 2022)
    assert e_high.calculated_annual_nok >= e_low.calculated_annual_nok  # type: ignore[operator]
    assert 0 <= e_high.calculated_annual_nok <= round(0.737 * e_high.cap_nok) + 1  # type: ignore[operator]


@given(incomes, costs, sizes)
def test_a_larger_household_never_gets_less(income: int, cost: int, size: int) -> None:
    smaller = estimate_housing_allowance(income, cost, size, 2022)
    larger = estimate_housing_allowance(income, cost, size + 1, 2022)
    assert larger.calculated_annual_nok >= smaller.calculated_annual_nok  # type: ignore[operator]
