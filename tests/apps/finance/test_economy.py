"""Household economy facts: sensitive, entered by the municipality, feeding the start-loan check."""

from __future__ import annotations

from datetime import date

import pytest
from tests.clock import on_business_day

from bosetting.apps.audit.models import AuditEntry
from bosetting.apps.finance.models import HouseholdEconomy

pytestmark = [pytest.mark.django_db, on_business_day]


def _as(client, user):
    client.force_login(user)
    return client


def test_municipality_sets_facts_through_the_api_and_gets_the_check(
    client, make_household, municipal_officer
):
    household = make_household(3, settled_on=date(2012, 1, 1))
    body = {"has_work_income": True, "can_get_ordinary_bank_loan": False, "can_service_loan": True}
    response = _as(client, municipal_officer).put(
        f"/api/finance/economy/{household.reference}", body, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["start_loan"]["eligible"] is True
    assert HouseholdEconomy.objects.get(household=household).has_work_income is True
    assert AuditEntry.objects.filter(object_type="finance.householdeconomy").exists()


def test_husbanken_gets_403_and_another_municipality_404(
    client, make_household, husbanken_advisor, other_municipal_officer
):
    household = make_household(2, settled_on=date(2013, 1, 1))
    url = f"/api/finance/economy/{household.reference}"
    assert _as(client, husbanken_advisor).get(url).status_code == 403
    assert _as(client, other_municipal_officer).get(url).status_code == 404


def test_economy_page_saves_the_form(client, make_household, municipal_officer):
    household = make_household(2, settled_on=date(2013, 1, 1))
    c = _as(client, municipal_officer)
    response = c.post(
        f"/okonomi/husholdning/{household.pk}/",
        {"has_work_income": "no", "can_service_loan": "", "yearly_income_nok": 180000},
    )
    assert response.status_code == 302
    economy = HouseholdEconomy.objects.get(household=household)
    assert economy.has_work_income is False and economy.can_service_loan is None
    page = c.get(f"/okonomi/husholdning/{household.pk}/").content.decode()
    assert "Fyller ikke vilkårene" in page


def test_career_step_form_records_a_move(client, make_household, municipal_officer):
    from bosetting.apps.housing.models import HousingCareerStep

    household = make_household(2, settled_on=date(2013, 1, 1))
    response = _as(client, municipal_officer).post(
        f"/boliger/karriere/{household.pk}/trinn/",
        {"on": "2015-02-01", "tenure": "private_rental"},
    )
    assert response.status_code == 302
    assert HousingCareerStep.objects.get(household=household).tenure == "private_rental"
