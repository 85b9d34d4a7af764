"""The joint municipality overview counts cases, proposals and housing as aggregates."""

from datetime import date

import pytest
from tests.clock import on_business_day

from bosetting.apps.cases.choices import CaseStatus
from bosetting.apps.cases.models import Household
from bosetting.apps.coordination.selectors import municipality_overview, overview_json
from bosetting.apps.geo.models import Municipality
from bosetting.apps.housing.models import HousingUnit
from bosetting.apps.matching.models import MatchingRound, Proposal

pytestmark = [pytest.mark.django_db, on_business_day]


def _household(ref: str, status: str, municipality: Municipality) -> Household:
    return Household.objects.create(
        reference=ref,
        household_type="single",
        status=status,
        permit_date=date(2014, 6, 1),
        municipality=municipality,
    )


@pytest.fixture
def askoy_cases(reference_db):
    askoy = Municipality.objects.get(structure_year=2014, number="1247")
    waiting = [_household(f"OV-{i}", CaseStatus.ACCEPTED, askoy) for i in range(3)]
    _household("OV-9", CaseStatus.SETTLED, askoy)
    rnd = MatchingRound.objects.create(as_of=date(2015, 1, 5))
    Proposal.objects.create(round=rnd, household=waiting[0], municipality=askoy, score=1.0,
                            status="declined", decline_reason="housing_size")  # fmt: skip
    Proposal.objects.create(round=rnd, household=waiting[1], municipality=askoy, score=1.0,
                            status="accepted")  # fmt: skip
    HousingUnit.objects.create(municipality=askoy, code="OV-U1", kind="municipal", bedrooms=2,
                               max_occupants=4, beds=4, zone="z1")  # fmt: skip
    return askoy


def test_overview_counts_waiting_settled_declines_and_units(askoy_cases, imdi_regional_officer):
    data = municipality_overview(imdi_regional_officer, "1247")
    assert data["imdi"]["households_waiting"] == 3
    assert data["imdi"]["households_settled"] == 1
    assert data["imdi"]["proposals_sent"] == 2 and data["imdi"]["proposals_declined"] == 1
    assert data["imdi"]["decline_reasons"][0]["n"] == 1
    assert data["husbanken"]["units_total"] == 1
    assert data["husbanken"]["households_without_unit"] == 3


def test_overview_json_has_no_case_references(askoy_cases, husbanken_advisor):
    body = overview_json(municipality_overview(husbanken_advisor, "1247"))
    assert "OV-" not in str(body)
    assert body["imdi"]["households_waiting"] == 3
