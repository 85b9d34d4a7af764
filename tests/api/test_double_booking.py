"""Two households in one flat (security finding 1): a lease over a reservation, a reservation over a
lease, and settling afterwards — each is refused with what holds the flat, and nothing is written."""

from __future__ import annotations

from datetime import date

import pytest
from tests.apps.cases.world import make_household, make_unit

from bosetting.apps.cases.choices import CaseStatus
from bosetting.apps.cases.models import CaseChecklist
from bosetting.apps.housing.choices import BookingStatus
from bosetting.apps.housing.models import Lease
from bosetting.apps.housing.services import do_book
from bosetting.apps.lifecycle import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def reserved(reference_db):
    """A flat in Bergen reserved for an accepted household (as accepting a proposal leaves it)."""
    unit = make_unit("1201", max_occupants=4)
    h = make_household(CaseStatus.ACCEPTED, ages=(35, 5), municipality="1201")
    h.unit = unit
    h.save()
    do_book(None, unit, h, start=date(2015, 1, 5), status=BookingStatus.RESERVED)
    return unit, h


def test_the_api_refuses_a_lease_on_a_flat_reserved_for_an_accepted_household(api_as, reserved):
    unit, h = reserved
    response = api_as("municipal_officer").post(
        "/api/leases", {"unit_id": unit.pk, "start": "2015-02-01", "end": "2018-02-01"}
    )
    assert response.status_code == 422
    assert "reservasjon" in str(response.json()) and h.reference in str(response.json())
    assert Lease.objects.filter(unit=unit).count() == 1


def test_the_checklist_refuses_a_flat_with_a_running_lease(municipal_officer, reference_db):
    unit = make_unit("1201", max_occupants=4)
    do_book(None, unit, start=date(2014, 6, 1), end=date(2017, 6, 1))
    h = make_household(CaseStatus.ACCEPTED, ages=(35,), municipality="1201")
    with pytest.raises(Exception, match="leiekontrakt"):
        services.do_choose_unit(municipal_officer, h, unit.pk)
    h.refresh_from_db()
    assert h.unit is None and not Lease.objects.filter(household=h).exists()


def test_settling_into_a_flat_let_to_someone_else_is_refused(municipal_officer, reference_db):
    unit = make_unit("1201", max_occupants=4)
    do_book(None, unit, start=date(2014, 6, 1), end=date(2017, 6, 1))
    h = make_household(CaseStatus.PREPARING, ages=(35,), municipality="1201")
    h.unit = unit  # as if the flat had been promised without a booking
    h.save()
    CaseChecklist.objects.create(household=h, housing_unit=unit, intro_programme=True, gp=True)
    with pytest.raises(Exception, match="overlapper"):
        services.do_settle(municipal_officer, h, date(2015, 2, 1))
    h.refresh_from_db()
    assert h.status == CaseStatus.PREPARING
    assert Lease.objects.filter(unit=unit).count() == 1
