"""The finance API: rule figures from the engine, unknown where the data lacks them, rights."""

from __future__ import annotations

from datetime import date

import pytest
from tests.clock import on_business_day

pytestmark = [pytest.mark.django_db, on_business_day]


def _as(client, user):
    client.force_login(user)
    return client


def test_the_2014_adult_integration_grant_is_669_600_over_five_years(client, analyst):
    rows = _as(client, analyst).get("/api/finance/grants?budget_year=2014&category=adult").json()
    assert len(rows) == 1
    assert rows[0]["total_nok"] == 669_600 and rows[0]["known"] is True
    assert rows[0]["yearly_nok"] == [None] * 5 and rows[0]["reason"]


def test_a_budget_year_without_figures_is_unknown(client, analyst):
    rows = _as(client, analyst).get("/api/finance/grants?budget_year=2014&category=uam").json()
    assert rows[0]["total_nok"] is None and rows[0]["known"] is False


def test_building_rental_units_in_2014_gets_up_to_40_percent(client, husbanken_advisor):
    c = _as(client, husbanken_advisor)
    data = c.get("/api/finance/rental-units?n_units=5&cost_per_unit_nok=3000000&year=2014").json()
    assert data["total_cost_nok"] == 15_000_000
    assert data["grant_nok"] == 6_000_000 and data["loan_need_nok"] == 9_000_000
    unknown = c.get(
        "/api/finance/rental-units?n_units=5&cost_per_unit_nok=3000000&year=2019"
    ).json()
    assert unknown["known"] is False and unknown["grant_nok"] is None


def test_basic_loan_covers_up_to_80_percent_in_2014(client, husbanken_advisor):
    data = _as(client, husbanken_advisor).get("/api/finance/basic-loan?cost_nok=2500000&year=2014")
    assert data.json()["max_loan_nok"] == 2_000_000


def test_start_loan_eligibility_check_names_the_failing_condition(client, municipal_officer):
    body = {"can_get_ordinary_bank_loan": False, "can_service_loan": True, "has_work_income": False}
    data = _as(client, municipal_officer).post(
        "/api/finance/eligibility", body, content_type="application/json"
    )
    result = data.json()
    assert result["eligible"] is False
    assert [c["code"] for c in result["conditions"] if c["met"] is False] == ["work_income"]


def test_housing_allowance_year_without_parameters_is_unknown(client, analyst):
    c = _as(client, analyst)
    data = c.get(
        "/api/finance/housing-allowance?income_nok=200000&housing_cost_nok=90000&household_size=3&year=2031"
    ).json()
    assert data["known"] is False and data["allowance_annual_nok"] is None


def test_projection_needs_the_municipality_in_scope(client, make_household, husbanken_advisor):
    make_household(2, number="1201", settled_on=date(2014, 3, 1))
    c = _as(client, husbanken_advisor)
    data = c.get("/api/finance/projection?municipality=1201&start_year=2015").json()
    assert data["excluded_years"] == [] and data["years"][0]["assumed"]
    assert data["assumption"]["even_split"] is True
    url = "/api/finance/projection?municipality=1201&start_year=2015&assume_even_split=false"
    assert c.get(url).json()["excluded_years"] == [2015, 2016, 2017, 2018]
    assert c.get("/api/finance/projection?municipality=0301&start_year=2015").status_code == 403


def test_start_loan_candidates_are_personal_data(client, municipal_officer, husbanken_advisor):
    ok = _as(client, municipal_officer).get(
        "/api/finance/start-loan-candidates?municipality=1201&as_of=2015-01-05"
    )
    assert ok.status_code == 200 and ok.json() == []
    refused = _as(client, husbanken_advisor).get(
        "/api/finance/start-loan-candidates?municipality=1201"
    )
    assert refused.status_code == 403


def test_housing_allowance_estimate_for_a_known_year_shows_its_steps(client, analyst):
    data = (
        _as(client, analyst)
        .get(
            "/api/finance/housing-allowance?income_nok=200000&housing_cost_nok=120000"
            "&household_size=4&year=2022&municipality=Oslo"
        )
        .json()
    )
    assert data["known"] is True and data["cap_group"] == "oslo"
    assert data["allowance_annual_nok"] >= 0 and len(data["steps"]) == 5
