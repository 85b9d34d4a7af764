"""Small hand-made households and units (housing and finance tests, and any other app test)."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

_serial = itertools.count(1)


@pytest.fixture
def muni(reference_db):
    from bosetting.apps.geo.selectors import municipality

    return municipality


@pytest.fixture
def make_household(reference_db, db):
    """``make_household(size, status="settled", municipality="1201", settled_on=...)``."""
    from bosetting.apps.cases.choices import HouseholdType
    from bosetting.apps.cases.models import Household, Person
    from bosetting.apps.geo.selectors import municipality

    def make(
        size: int,
        status: str = "settled",
        number: str | None = "1201",
        settled_on: date | None = None,
        household_type: str | None = None,
    ):
        h = Household.objects.create(
            reference=f"T-{next(_serial):05d}",
            household_type=household_type
            or (HouseholdType.SINGLE if size == 1 else HouseholdType.FAMILY_CHILDREN),
            status=status,
            municipality=municipality(number) if number else None,
            settled_on=settled_on,
            permit_date=date(2014, 1, 1),
        )
        for i in range(size):
            Person.objects.create(
                household=h, birth_year=1980 if i < 2 else 2008, is_principal=i == 0
            )
        return h

    return make


@pytest.fixture
def make_unit(reference_db, db):
    """``make_unit(max_occupants, number="1201", available_from=..., kind="municipal", beds=1)``."""
    from bosetting.apps.geo.selectors import municipality
    from bosetting.apps.housing.models import HousingUnit

    def make(
        max_occupants: int,
        number: str = "1201",
        available_from: date | None = date(2015, 1, 1),
        kind: str = "municipal",
        beds: int = 1,
        **extra,
    ):
        return HousingUnit.objects.create(
            municipality=municipality(number),
            code=f"T-{number}-{next(_serial):05d}",
            kind=kind,
            bedrooms=max(1, max_occupants // 2),
            max_occupants=max_occupants,
            beds=beds,
            zone=f"{number}-01",
            available_from=available_from,
            rent_nok=extra.pop("rent_nok", 8000),
            **extra,
        )

    return make
