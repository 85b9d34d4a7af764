"""The municipality's list of tenants whose lease ends soon and who may qualify for a start loan."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from bosetting.apps.finance.models import HouseholdEconomy
from bosetting.apps.finance.selectors import start_loan_candidates
from bosetting.apps.housing.models import Lease
from bosetting.engine.rules.husbanken import StartLoanPolicy

pytestmark = pytest.mark.django_db
AS_OF = date(2015, 1, 5)


@pytest.fixture
def tenants(make_household, make_unit):
    """Five Bergen tenants and one in Oslo:

    - A: lease ends in March, works, can service a loan, no bank loan -> eligible;
    - B: lease ends in May, no work income -> fails the work condition (left out);
    - C: lease ends in June, works, loan-servicing ability unknown -> undecided (listed);
    - D: lease ends in 2016 -> not soon;
    - E: lease ended in March but the outcome is recorded already -> done;
    - O: Oslo tenant like A -> another municipality.
    """

    def tenant(ref, end, works, service, number="1201", outcome=""):
        h = make_household(3, number=number, settled_on=date(2012, 1, 10))
        h.reference = ref
        h.save()
        unit = make_unit(4, number=number, available_from=end)
        Lease.objects.create(
            unit=unit,
            household=h,
            start=date(2012, 1, 10),
            end=end,
            outcome=outcome,
            outcome_on=end if outcome else None,
        )
        HouseholdEconomy.objects.create(
            household=h,
            has_work_income=works,
            can_get_ordinary_bank_loan=False,
            can_service_loan=service,
            arrived_in_norway_on=date(2011, 1, 1),
        )
        return h

    tenant("A", date(2015, 3, 1), True, True)
    tenant("B", date(2015, 5, 1), False, True)
    tenant("C", date(2015, 6, 30), True, None)
    tenant("D", date(2016, 2, 1), True, True)
    tenant("E", date(2015, 3, 1), True, True, outcome="renewed")
    tenant("O", date(2015, 3, 1), True, True, number="0301")


def test_candidates_are_those_whose_lease_ends_within_six_months_and_who_may_qualify(
    tenants, municipal_officer
):
    rows = start_loan_candidates(municipal_officer, "1201", AS_OF)
    assert [(r.reference, r.status) for r in rows] == [("A", "eligible"), ("C", "undecided")]
    assert rows[0].months_in_norway == 48
    assert [c.code for c in rows[1].result.unknown] == ["can_service_loan"]


def test_the_list_can_show_those_who_fail_a_condition(tenants, municipal_officer):
    rows = start_loan_candidates(municipal_officer, "1201", AS_OF, include_not_eligible=True)
    assert [(r.reference, r.status) for r in rows] == [
        ("A", "eligible"),
        ("B", "not_eligible"),
        ("C", "undecided"),
    ]
    assert [c.code for c in rows[1].result.unmet] == ["work_income"]


def test_a_local_time_in_norway_threshold_removes_newcomers(tenants, municipal_officer):
    policy = StartLoanPolicy(min_months_in_norway=60)
    assert start_loan_candidates(municipal_officer, "1201", AS_OF, policy=policy) == []


def test_husbanken_and_other_municipalities_may_not_see_the_list(
    tenants, husbanken_advisor, other_municipal_officer, analyst
):
    for user in (husbanken_advisor, other_municipal_officer, analyst):
        with pytest.raises(PermissionDenied):
            start_loan_candidates(user, "1201", AS_OF)
