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
    from bosetting.apps.cases.choices import CaseStatus
    from bosetting.apps.cases.models import Household, Person
    from bosetting.apps.geo.models import Municipality

    muni = (
        Municipality.objects.get(structure_year=2014, number=municipality) if municipality else None
    )
    status = CaseStatus.SETTLED if dates.get("settled_on") else CaseStatus.READY
    h = Household.objects.create(
        reference=reference,
        household_type=household_type,
        status=status,
        municipality=muni,
        reception_centre=centre,
        **dates,
    )
    for i in range(persons):
        Person.objects.create(household=h, birth_year=1980 + i, is_principal=i == 0)
    return h


def _delete_order(model, seen: set) -> list:
    """``model`` and every model that refers to it (transitively), those that refer first."""
    order = []
    for rel in model._meta.related_objects:
        related = rel.through if rel.many_to_many else rel.related_model
        if related not in seen:
            seen.add(related)
            order += _delete_order(related, seen)
    return [*order, model]


def clear_cases() -> None:
    """Empty the case register inside the test's transaction (rolled back after the test).

    The session's demo world may already be loaded when these tests run; the hand-made histories
    must be the only cases. Every table that refers to a case (proposals, leases, events …) is
    emptied too, with plain DELETEs, so the foreign keys still hold when the test ends.
    """
    from django.db import connection

    from bosetting.apps.cases.models import Household

    with connection.cursor() as cursor:
        for model in _delete_order(Household, {Household}):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


@pytest.fixture
def histories(reference_db, db):
    """Five cases, worked out by hand in the tests.

    Bergen (1201): A family with children, 3 persons, permit 10 Jan 2014, settled 15 Mar 2014
    (64 days); B single, permit 1 Dec 2013, settled 1 Aug 2014 (243 days); D single waiting in a
    reception centre in Bergen since 1 Apr 2014, permit 1 Mar 2014 (long-waiter at year end).
    Oslo (0301): C unaccompanied minor, permit 1 Feb 2014, settled 15 Jun 2014 (134 days);
    E couple waiting (no municipality) in an Oslo centre, permit 1 Oct 2014, ready 1 Nov 2014.
    """
    from bosetting.apps.geo.models import Municipality, ReceptionCentre

    clear_cases()
    bergen_centre = ReceptionCentre.objects.create(
        name="Test mottak Bergen",
        municipality=Municipality.objects.get(structure_year=2014, number="1201"),
        synthetic=True,
    )
    oslo_centre = ReceptionCentre.objects.create(
        name="Test mottak Oslo",
        municipality=Municipality.objects.get(structure_year=2014, number="0301"),
        synthetic=True,
    )
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
    from bosetting.apps.geo.models import Municipality
    from bosetting.apps.planning.models import CouncilDecision, SettlementRequest

    def m(number):
        return Municipality.objects.get(structure_year=2014, number=number)

    for number, requested, decided in (
        ("1201", 350, 350),
        ("0301", 100, 60),
        ("1037", 20, 0),
        ("2004", None, 30),
    ):
        if requested is not None:
            SettlementRequest.objects.create(municipality=m(number), year=2016, persons=requested)
        CouncilDecision.objects.create(municipality=m(number), year=2016, persons=decided)
