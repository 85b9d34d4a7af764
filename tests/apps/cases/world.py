"""A small hand-made world for case and matching tests: a few households, units and decisions on the
real 2014 municipalities (Bergen 1201, Askøy 1247 in IMDi Vest; Oslo 0301 in IMDi Øst)."""

from __future__ import annotations

from datetime import date
from itertools import count

from bosetting.apps.cases.choices import CaseStatus, HouseholdType
from bosetting.apps.cases.models import Household, Person
from bosetting.apps.geo.models import Municipality, ReceptionCentre
from bosetting.apps.housing.models import HousingUnit
from bosetting.apps.planning.models import CouncilDecision

_serial = count(1)


def muni(number: str) -> Municipality:
    return Municipality.objects.get(structure_year=2014, number=number)


def make_household(
    status: str = CaseStatus.READY,
    *,
    ages=(34, 6),
    permit_date: date = date(2014, 6, 1),
    household_type: str | None = None,
    municipality: str | None = None,
    needs=(),
    ties=(),
    health_note: str = "",
    centre: ReceptionCentre | None = None,
    on: date = date(2015, 1, 5),
) -> Household:
    if household_type is None:
        if all(a < 18 for a in ages):
            household_type = HouseholdType.UAM
        elif len(ages) == 1:
            household_type = HouseholdType.SINGLE
        elif any(a < 18 for a in ages):
            household_type = HouseholdType.FAMILY_CHILDREN
        else:
            household_type = HouseholdType.FAMILY_NO_CHILDREN
    h = Household.objects.create(
        reference=f"T-{next(_serial):05d}",
        household_type=household_type,
        status=status,
        permit_date=permit_date,
        ready_on=date(2014, 7, 1) if status != CaseStatus.PERMIT_GRANTED else None,
        municipality=muni(municipality) if municipality else None,
        needs=list(needs),
        ties=list(ties),
        health_note=health_note,
        reception_centre=centre,
    )
    Person.objects.bulk_create(
        [
            Person(household=h, birth_year=on.year - a, sex="f", is_principal=i == 0)
            for i, a in enumerate(ages)
        ]
    )
    return h


def make_unit(
    number: str,
    *,
    max_occupants: int = 4,
    kind: str = "municipal",
    available: date | None = date(2015, 1, 1),
    accessible: bool = False,
    zone: str | None = None,
    beds: int = 1,
) -> HousingUnit:
    n = next(_serial)
    return HousingUnit.objects.create(
        municipality=muni(number),
        code=f"t-{number}-{n:05d}",
        kind=kind,
        bedrooms=max(1, max_occupants // 2),
        max_occupants=max_occupants,
        beds=beds,
        zone=zone or f"{number}-{n % 3}",
        accessible=accessible,
        available_from=available,
        rent_nok=9000,
    )


def make_decision(number: str, persons: int = 10, uam: int = 0, year: int = 2015):
    return CouncilDecision.objects.create(
        municipality=muni(number), year=year, persons=persons, uam_persons=uam
    )
