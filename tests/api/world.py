"""A few hand-made households, units and proposals on real 2014 municipalities for the API tests:
Bergen 1201 (IMDi Vest, Hordaland 12) and Oslo 0301 (IMDi Øst)."""

from __future__ import annotations

from tests.factories import HouseholdFactory, HousingUnitFactory, ProposalFactory
from tests.factories import municipality as muni

from bosetting.apps.cases.choices import CaseStatus
from bosetting.apps.cases.models import Household
from bosetting.apps.housing.models import HousingUnit
from bosetting.apps.matching.models import Proposal

__all__ = ["make_case", "make_sent_proposal", "make_unit", "muni"]


def make_case(
    status: str = CaseStatus.READY,
    municipality: str | None = None,
    health_note: str = "",
    birth_years=(1980, 2008),
) -> Household:
    return HouseholdFactory(
        household_type="family_children" if len(birth_years) > 1 else "single",
        status=status,
        number=municipality,
        health_note=health_note,
        birth_years=list(birth_years),
    )


def make_unit(number: str) -> HousingUnit:
    return HousingUnitFactory(
        number=number, bedrooms=2, max_occupants=4, zone=f"{number}-1", rent_nok=9000
    )


def make_sent_proposal(number: str, status: str = Proposal.Status.SENT) -> Proposal:
    """A proposal sent to a municipality, its household marked as proposed there."""
    return ProposalFactory(
        number=number,
        status=status,
        household=make_case(CaseStatus.PROPOSED, municipality=number),
        unit=make_unit(number),
    )
