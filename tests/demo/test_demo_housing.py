"""The demo world's housing: careers seeded, the gap shows the large-unit shortage, candidates exist."""

from __future__ import annotations

from datetime import date

import pytest

from bosetting.apps.cases.choices import CaseStatus
from bosetting.apps.cases.models import Household
from bosetting.apps.finance.models import HouseholdEconomy
from bosetting.apps.housing.models import HousingCareerStep

pytestmark = pytest.mark.django_db


def test_every_settled_demo_household_has_a_first_career_step_and_economy(demo_world_db):
    settled = Household.objects.filter(status=CaseStatus.SETTLED, synthetic=True).count()
    assert HousingCareerStep.objects.filter(synthetic=True).count() == settled
    assert HouseholdEconomy.objects.filter(synthetic=True).count() == settled


def test_national_gap_2015_lacks_units_for_large_families(demo_world_db):
    from bosetting.apps.housing.areas import resolve_area
    from bosetting.apps.housing.gap import gap_report

    area = resolve_area("national")
    report = gap_report(2015, area.spec, area.label, set(area.numbers))
    assert report.total.missing["5+"] > 0
    # every waiting household is shared out (capacity 2015 exceeds the waiting)
    assert sum(report.total.waiting.values()) == pytest.approx(
        sum(report.waiting_households.values()), rel=1e-6
    )


def test_bergen_has_start_loan_candidates_in_the_demo(demo_world_db):
    from django.contrib.auth import get_user_model

    from bosetting.apps.finance.selectors import start_loan_candidates

    officer = get_user_model().objects.get(username="kommune.1201")
    rows = start_loan_candidates(officer, "1201", date(2015, 1, 5))
    assert rows and all(r.status in ("eligible", "undecided") for r in rows)
    assert all(date(2015, 1, 5) <= r.lease_end <= date(2015, 7, 5) for r in rows)
