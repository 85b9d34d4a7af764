"""A few hand-made households, units and proposals on real 2014 municipalities for the API tests:
Bergen 1201 (IMDi Vest, Hordaland 12) and Oslo 0301 (IMDi Øst)."""

from __future__ import annotations

from datetime import date
from itertools import count

from bosetting.apps.cases.choices import CaseStatus
from bosetting.apps.cases.models import Household, Person
from bosetting.apps.geo.models import Municipality
from bosetting.apps.housing.models import HousingUnit
from bosetting.apps.matching.models import MatchingRound, Proposal

_serial = count(1)


def muni(number: str) -> Municipality:
    return Municipality.objects.get(structure_year=2014, number=number)


def make_case(
    status: str = CaseStatus.READY,
    municipality: str | None = None,
    health_note: str = "",
    birth_years=(1980, 2008),
) -> Household:
    household = Household.objects.create(
        reference=f"API-{next(_serial):05d}",
        household_type="family_children" if len(birth_years) > 1 else "single",
        status=status,
        permit_date=date(2014, 6, 1),
        ready_on=date(2014, 7, 1),
        municipality=muni(municipality) if municipality else None,
        health_note=health_note,
    )
    Person.objects.bulk_create(
        [
            Person(household=household, birth_year=y, sex="f", is_principal=i == 0)
            for i, y in enumerate(birth_years)
        ]
    )
    return household


def make_unit(number: str) -> HousingUnit:
    return HousingUnit.objects.create(
        municipality=muni(number),
        code=f"api-{number}-{next(_serial):05d}",
        kind="municipal",
        bedrooms=2,
        max_occupants=4,
        zone=f"{number}-1",
        available_from=date(2015, 1, 1),
        rent_nok=9000,
    )


def make_sent_proposal(number: str, status: str = Proposal.Status.SENT) -> Proposal:
    """A proposal sent to a municipality, its household marked as proposed there."""
    rnd = MatchingRound.objects.create(
        as_of=date(2015, 1, 5), status=MatchingRound.Status.SENT, scope_municipalities=[number]
    )
    household = make_case(CaseStatus.PROPOSED, municipality=number)
    return Proposal.objects.create(
        round=rnd,
        household=household,
        municipality=muni(number),
        unit=make_unit(number),
        score=1.5,
        status=status,
        sent_on=date(2015, 1, 5),
    )
