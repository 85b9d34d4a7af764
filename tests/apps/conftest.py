"""Small hand-made households and units (housing and finance tests, and any other app test)."""

from __future__ import annotations

from datetime import date

import pytest


@pytest.fixture
def muni(reference_db):
    from bosetting.apps.geo.selectors import municipality

    return municipality


@pytest.fixture
def make_household(reference_db, db):
    """``make_household(size, status="settled", municipality="1201", settled_on=...)``."""
    from tests.factories import HouseholdFactory

    from bosetting.apps.cases.choices import HouseholdType
    from bosetting.apps.cases.models import Person

    def make(
        size: int,
        status: str = "settled",
        number: str | None = "1201",
        settled_on: date | None = None,
        household_type: str | None = None,
    ):
        return HouseholdFactory(
            household_type=household_type
            or (HouseholdType.SINGLE if size == 1 else HouseholdType.FAMILY_CHILDREN),
            status=status,
            number=number,
            settled_on=settled_on,
            permit_date=date(2014, 1, 1),
            ready_on=None,
            birth_years=[1980 if i < 2 else 2008 for i in range(size)],
            person_sex=Person.Sex.UNKNOWN,
        )

    return make


@pytest.fixture
def make_unit(reference_db, db):
    """``make_unit(max_occupants, number="1201", available_from=..., kind="municipal", beds=1)``."""
    from tests.factories import HousingUnitFactory

    def make(
        max_occupants: int,
        number: str = "1201",
        available_from: date | None = date(2015, 1, 1),
        kind: str = "municipal",
        beds: int = 1,
        **extra,
    ):
        return HousingUnitFactory(
            number=number,
            max_occupants=max_occupants,
            available_from=available_from,
            kind=kind,
            beds=beds,
            **extra,
        )

    return make
