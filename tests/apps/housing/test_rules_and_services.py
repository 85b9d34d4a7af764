"""The stock's rules: refused with a message naming the field, the same through model and service."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from bosetting.apps.audit.models import AuditEntry
from bosetting.apps.housing.choices import LeaseOutcome
from bosetting.apps.housing.models import HousingCareerStep, HousingUnit, Lease
from bosetting.apps.housing.services import (
    do_book,
    do_create_unit,
    do_record_lease_outcome,
    do_seed_demo_careers,
    do_update_unit,
)

pytestmark = pytest.mark.django_db


def test_an_overlapping_lease_on_one_unit_is_refused(make_unit, municipal_officer):
    unit = make_unit(4)
    do_book(municipal_officer, unit, start=date(2015, 1, 1), end=date(2018, 1, 1))
    with pytest.raises(ValidationError) as err:
        do_book(municipal_officer, unit, start=date(2017, 6, 1), end=date(2020, 6, 1))
    assert "start" in err.value.message_dict
    assert "overlapper" in err.value.message_dict["start"][0]
    assert Lease.objects.filter(unit=unit).count() == 1


def test_a_lease_may_start_the_day_the_previous_one_ends(make_unit, municipal_officer):
    unit = make_unit(4)
    do_book(municipal_officer, unit, start=date(2015, 1, 1), end=date(2018, 1, 1))
    do_book(municipal_officer, unit, start=date(2018, 1, 1))
    assert Lease.objects.filter(unit=unit).count() == 2


def test_an_open_ended_lease_blocks_every_later_lease(make_unit, municipal_officer):
    unit = make_unit(4)
    do_book(municipal_officer, unit, start=date(2015, 1, 1))
    with pytest.raises(ValidationError):
        do_book(municipal_officer, unit, start=date(2030, 1, 1))


def test_over_occupancy_is_refused(make_unit, make_household, municipal_officer):
    unit = make_unit(4)
    family = make_household(6, status="accepted")
    with pytest.raises(ValidationError) as err:
        do_book(municipal_officer, unit, family, start=date(2015, 1, 1))
    assert "Overbelegg" in err.value.message_dict["household"][0]


def test_shared_housing_takes_one_tenant_per_bed(make_unit, make_household, municipal_officer):
    flat = make_unit(2, kind="shared", beds=2)
    for _ in range(2):
        do_book(municipal_officer, flat, make_household(1), start=date(2015, 1, 1))
    with pytest.raises(ValidationError) as err:
        do_book(municipal_officer, flat, make_household(1), start=date(2015, 2, 1))
    assert "sengeplass" in err.value.message_dict["start"][0]


def test_negative_rent_is_refused_by_the_model_and_the_database(muni, municipal_officer):
    with pytest.raises(ValidationError) as err:
        do_create_unit(
            municipal_officer,
            muni("1201"),
            code="neg",
            kind="municipal",
            bedrooms=2,
            max_occupants=4,
            zone="1201-01",
            rent_nok=-1,
        )
    assert "rent_nok" in err.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        HousingUnit.objects.create(
            municipality=muni("1201"),
            code="neg2",
            kind="municipal",
            bedrooms=1,
            max_occupants=0,
            zone="z",
        )


def test_a_lease_ending_before_it_starts_is_refused(make_unit, municipal_officer):
    with pytest.raises(ValidationError) as err:
        do_book(municipal_officer, make_unit(2), start=date(2015, 1, 1), end=date(2014, 1, 1))
    assert "end" in err.value.message_dict


def test_municipal_officers_create_units_only_in_their_own_municipality(
    muni, municipal_officer, husbanken_advisor
):
    fields = dict(code="ok", kind="municipal", bedrooms=2, max_occupants=4, zone="z", rent_nok=9000)
    unit = do_create_unit(municipal_officer, muni("1201"), **fields)
    assert AuditEntry.objects.filter(
        object_type="housing.housingunit", object_id=str(unit.pk)
    ).exists()
    with pytest.raises(PermissionDenied):
        do_create_unit(municipal_officer, muni("0301"), **{**fields, "code": "no"})
    with pytest.raises(PermissionDenied):
        do_create_unit(husbanken_advisor, muni("1201"), **{**fields, "code": "no2"})


def test_updating_a_unit_is_audited_with_before_and_after(make_unit, municipal_officer):
    unit = make_unit(4)
    do_update_unit(municipal_officer, unit, rent_nok=9500, flag_damp_mould=True)
    entry = AuditEntry.objects.get(object_type="housing.housingunit", action="update")
    assert entry.before == {"flag_damp_mould": False, "rent_nok": 8000}
    assert entry.after == {"flag_damp_mould": True, "rent_nok": 9500}


def test_an_outcome_ends_the_lease_and_adds_a_career_step(
    make_unit, make_household, municipal_officer
):
    family = make_household(3, settled_on=date(2012, 3, 1))
    lease = do_book(
        municipal_officer, make_unit(4), family, start=date(2012, 3, 1), end=date(2015, 3, 1)
    )
    do_record_lease_outcome(
        municipal_officer, lease, LeaseOutcome.BOUGHT_START_LOAN, date(2015, 1, 15)
    )
    lease.refresh_from_db()
    assert lease.end == date(2015, 1, 15) and lease.outcome == "bought_start_loan"
    steps = list(
        HousingCareerStep.objects.filter(household=family).values_list("tenure", "start_loan")
    )
    assert steps == [("municipal_rental", False), ("owned", True)]


def test_a_renewal_adds_a_new_three_year_lease(make_unit, make_household, municipal_officer):
    family = make_household(2, settled_on=date(2012, 3, 1))
    lease = do_book(
        municipal_officer, make_unit(2), family, start=date(2012, 3, 1), end=date(2015, 3, 1)
    )
    do_record_lease_outcome(municipal_officer, lease, LeaseOutcome.RENEWED, date(2015, 1, 10))
    assert list(Lease.objects.filter(household=family).values_list("start", "end")) == [
        (date(2012, 3, 1), date(2015, 3, 1)),
        (date(2015, 3, 1), date(2018, 3, 1)),
    ]


def test_demo_careers_start_with_the_first_lease(make_unit, make_household):
    household = make_household(2, settled_on=date(2013, 4, 1))
    unit = make_unit(2, kind="private_sublet")
    Lease.objects.create(unit=unit, household=household, start=date(2013, 4, 1), synthetic=True)
    assert do_seed_demo_careers() == 1
    assert do_seed_demo_careers() == 0
    step = HousingCareerStep.objects.get(household=household)
    assert (step.on, step.tenure, step.synthetic) == (date(2013, 4, 1), "private_sublet", True)
