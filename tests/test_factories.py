"""The factories make consistent synthetic objects (other tests build on that)."""

from __future__ import annotations

from datetime import date

import pytest

from bosetting.apps.cases.choices import CaseStatus, HouseholdType
from tests.factories import (
    HouseholdFactory,
    HousingUnitFactory,
    LeaseFactory,
    PersonFactory,
    ProposalFactory,
)

pytestmark = pytest.mark.django_db


def test_a_household_has_its_members_with_the_first_as_principal(reference_db):
    h = HouseholdFactory(ages=(40, 38, 10))
    persons = list(h.persons.order_by("pk"))
    assert [p.birth_year for p in persons] == [1975, 1977, 2005]
    assert [p.is_principal for p in persons] == [True, False, False]
    assert h.household_type == HouseholdType.FAMILY_CHILDREN
    assert HouseholdFactory(ages=(16,)).household_type == HouseholdType.UAM
    assert HouseholdFactory(ages=(30,)).household_type == HouseholdType.SINGLE
    PersonFactory(household=h, birth_year=2014)
    assert h.size == 4


def test_references_and_codes_are_unique_and_start_again_in_every_test(reference_db):
    households = HouseholdFactory.create_batch(3)
    assert [h.reference for h in households] == ["T-00001", "T-00002", "T-00003"]
    assert HousingUnitFactory(number="0301").code == "T-0301-00001"
    zones = [HousingUnitFactory(spread_zones=True).zone for _ in range(3)]
    assert sorted(zones) == ["1201-0", "1201-1", "1201-2"]


def test_a_lease_houses_a_settled_household_in_the_units_municipality(reference_db):
    lease = LeaseFactory(unit=HousingUnitFactory(number="0301"), start=date(2014, 3, 1))
    assert lease.household.status == CaseStatus.SETTLED
    assert lease.household.municipality.number == lease.unit.municipality.number == "0301"
    assert lease.household.settled_on == date(2014, 3, 1) < lease.end
    assert lease.rent_nok == lease.unit.rent_nok


def test_a_sent_proposal_is_in_a_round_for_its_municipality(reference_db):
    proposal = ProposalFactory(number="0301")
    assert proposal.round.scope_municipalities == ["0301"]
    assert proposal.household.status == CaseStatus.PROPOSED
    assert proposal.household.municipality == proposal.municipality == proposal.unit.municipality
