"""The demo's synthetic economy facts: one row per synthetic settled household, idempotent."""

from __future__ import annotations

from datetime import date

import pytest

from bosetting.apps.finance.models import HouseholdEconomy
from bosetting.apps.finance.services import do_seed_demo_finance

pytestmark = pytest.mark.django_db


def test_seed_gives_every_synthetic_settled_household_facts_once(make_household):
    households = [make_household(2, settled_on=date(2012, 5, 1)) for _ in range(20)]
    for h in households:
        h.synthetic = True
        h.save()
    make_household(1, settled_on=date(2012, 5, 1))  # not synthetic: left alone
    assert do_seed_demo_finance(2014) == 20
    assert do_seed_demo_finance(2014) == 0
    facts = HouseholdEconomy.objects.all()
    assert facts.count() == 20 and all(f.synthetic and f.sensitive for f in facts)
    assert all(f.long_term_low_income is (not f.has_work_income) for f in facts)
