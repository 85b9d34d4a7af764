"""A residence permit is refused when its date or household cannot be true: dated after the business
date or before 1990, more than 30 persons, a birth year after the permit."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from bosetting.apps.cases.models import Household
from bosetting.apps.lifecycle import services

pytestmark = pytest.mark.django_db


def _register(user, **changes):
    kwargs = dict(
        reference="UDI-B-1",
        permit_date=date(2015, 1, 2),
        case_opened=None,
        persons=[{"birth_year": 1980, "sex": "f"}],
    )
    return services.do_register_permit(user, **{**kwargs, **changes})


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"permit_date": date(2099, 1, 1)}, "permit_date"),
        ({"permit_date": date(2015, 1, 6)}, "permit_date"),  # the day after the business date
        ({"permit_date": date(1989, 12, 31)}, "permit_date"),
        ({"persons": [{"birth_year": 1980, "sex": "u"}] * 5000}, "persons"),
        ({"persons": [{"birth_year": 1980, "sex": "u"}] * 31}, "persons"),
        ({"persons": [{"birth_year": 2016, "sex": "u"}]}, "persons"),
        ({"persons": [{"birth_year": 1899, "sex": "u"}]}, "persons"),
    ],
)
def test_an_impossible_permit_is_refused_naming_the_field(imdi_officer, changes, field):
    with pytest.raises(ValidationError) as refused:
        _register(imdi_officer, **changes)
    assert list(refused.value.message_dict) == [field]
    assert not Household.objects.filter(reference="UDI-B-1").exists()


def test_a_permit_of_the_business_date_for_30_persons_is_taken(imdi_officer):
    household = _register(
        imdi_officer, permit_date=date(2015, 1, 5), persons=[{"birth_year": 1980, "sex": "u"}] * 30
    )
    assert household.persons.count() == 30
