"""Money pages: rule figures shown with «ukjent» where unknown, and who may open what."""

from __future__ import annotations

from datetime import date

import pytest
from tests.clock import on_business_day

pytestmark = [pytest.mark.django_db, on_business_day]


def _as(client, user):
    client.force_login(user)
    return client


def test_grant_schedule_page_shows_669_600_for_2014_adults(client, analyst):
    page = _as(client, analyst).get("/okonomi/integreringstilskudd/").content.decode()
    assert "669\u00a0600 kr" in page and "ukjent" in page


def test_rental_units_form_shows_grant_and_loan_need(client, husbanken_advisor):
    page = _as(client, husbanken_advisor).get(
        "/okonomi/husbanken/?n_units=10&cost_per_unit_nok=2500000&year=2014"
    )
    text = page.content.decode()
    assert "25\u00a0000\u00a0000 kr" in text and "10\u00a0000\u00a0000 kr" in text
    assert "15\u00a0000\u00a0000 kr" in text


def test_eligibility_form_names_unknown_conditions(client, municipal_officer):
    page = _as(client, municipal_officer).get(
        "/okonomi/husbanken/?instrument=start_loan&can_get_ordinary_bank_loan=no&has_work_income=yes"
        "&require_work_income=on"
    )
    text = page.content.decode()
    assert "Ikke avgjort" in text and "Ukjent" in text


def test_allowance_calculator_says_ukjent_for_a_year_without_parameters(client, analyst):
    page = _as(client, analyst).get(
        "/okonomi/bostotte/?income_nok=200000&housing_cost_nok=100000&household_size=2&year=2014"
    )
    assert 'data-testid="allowance-unknown"' in page.content.decode()


def test_projection_page_marks_assumed_years_and_unknown_ones_without_the_assumption(
    client, make_household, municipal_officer
):
    make_household(2, number="1201", settled_on=date(2014, 3, 1))
    text = (
        _as(client, municipal_officer)
        .get("/okonomi/prognose/?municipality=1201&start_year=2015")
        .content.decode()
    )
    assert 'data-testid="assumed"' in text and "Antakelse" in text
    assert "Holdt utenfor" not in text
    text = (
        _as(client, municipal_officer)
        .get("/okonomi/prognose/?municipality=1201&start_year=2015&no_assumption=on")
        .content.decode()
    )
    assert "ukjent" in text and "Holdt utenfor" in text
    assert "1\u00a0339\u00a0200 kr" in text  # reference: 2 adults x 669 600 (2014 rates)
    other = _as(client, municipal_officer).get("/okonomi/prognose/?municipality=0301")
    assert other.status_code == 403


def test_candidates_page_is_refused_to_husbanken_and_open_to_the_municipality(
    client, husbanken_advisor, municipal_officer
):
    assert _as(client, husbanken_advisor).get("/okonomi/startlan/").status_code == 403
    page = _as(client, municipal_officer).get("/okonomi/startlan/")
    assert page.status_code == 200 and 'data-testid="candidate-table"' in page.content.decode()


def test_menu_has_economy_for_every_role(client, county_governor):
    assert 'href="/okonomi/"' in _as(client, county_governor).get("/").content.decode()
