"""Hand-made settlement histories for the report tests (small enough to work out by hand)."""

from __future__ import annotations

from datetime import date

import pytest


def make_case(
    reference: str,
    household_type: str,
    persons: int,
    *,
    municipality: str | None = None,
    centre=None,
    **dates,
):
    """A household with ``persons`` members and the given phase dates (model field names)."""
    from tests.factories import HouseholdFactory

    from bosetting.apps.cases.choices import CaseStatus
    from bosetting.apps.cases.models import Person

    return HouseholdFactory(
        reference=reference,
        household_type=household_type,
        status=CaseStatus.SETTLED if dates.get("settled_on") else CaseStatus.READY,
        number=municipality,
        reception_centre=centre,
        birth_years=[1980 + i for i in range(persons)],
        person_sex=Person.Sex.UNKNOWN,
        **{"permit_date": None, "ready_on": None, **dates},
    )


@pytest.fixture
def histories(reference_db, db):
    """Five cases, worked out by hand in the tests.

    Bergen (1201): A family with children, 3 persons, permit 10 Jan 2014, settled 15 Mar 2014
    (64 days); B single, permit 1 Dec 2013, settled 1 Aug 2014 (243 days); D single waiting in a
    reception centre in Bergen since 1 Apr 2014, permit 1 Mar 2014 (long-waiter at year end).
    Oslo (0301): C unaccompanied minor, permit 1 Feb 2014, settled 15 Jun 2014 (134 days);
    E couple waiting (no municipality) in an Oslo centre, permit 1 Oct 2014, ready 1 Nov 2014.
    """
    from tests.factories import ReceptionCentreFactory

    bergen_centre = ReceptionCentreFactory(name="Test mottak Bergen", number="1201")
    oslo_centre = ReceptionCentreFactory(name="Test mottak Oslo", number="0301")
    make_case(
        "A",
        "family_children",
        3,
        municipality="1201",
        case_opened=date(2013, 1, 10),
        permit_date=date(2014, 1, 10),
        ready_on=date(2014, 1, 20),
        settled_on=date(2014, 3, 15),
    )
    make_case(
        "B",
        "single",
        1,
        municipality="1201",
        permit_date=date(2013, 12, 1),
        ready_on=date(2014, 1, 5),
        settled_on=date(2014, 8, 1),
    )
    make_case(
        "C",
        "uam",
        1,
        municipality="0301",
        permit_date=date(2014, 2, 1),
        ready_on=date(2014, 3, 1),
        settled_on=date(2014, 6, 15),
    )
    make_case(
        "D",
        "single",
        1,
        centre=bergen_centre,
        permit_date=date(2014, 3, 1),
        ready_on=date(2014, 4, 1),
    )
    make_case(
        "E",
        "family_no_children",
        2,
        centre=oslo_centre,
        permit_date=date(2014, 10, 1),
        ready_on=date(2014, 11, 1),
    )


@pytest.fixture
def planning_2016(reference_db, db):
    """Requests and decisions for 2016 (a year with no real figures): Bergen in line (350/350),
    Oslo fewer (100/60), Kvinesdal none (20/0), Hammerfest a decision without request (30)."""
    from tests.factories import CouncilDecisionFactory, SettlementRequestFactory

    for number, requested, decided in (
        ("1201", 350, 350),
        ("0301", 100, 60),
        ("1037", 20, 0),
        ("2004", None, 30),
    ):
        if requested is not None:
            SettlementRequestFactory(number=number, year=2016, persons=requested)
        CouncilDecisionFactory(number=number, year=2016, persons=decided)
