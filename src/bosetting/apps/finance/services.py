"""Writes of finance data: household economy facts, and the demo world's synthetic facts."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from bosetting import clock
from bosetting.apps.accounts.selectors import scope_for
from bosetting.apps.audit.services import do_record, snapshot
from bosetting.apps.cases.selectors import cases_for, settled_demo_households
from bosetting.apps.finance.models import HouseholdEconomy

ECONOMY_FIELDS = (
    "has_work_income",
    "yearly_income_nok",
    "arrived_in_norway_on",
    "can_get_ordinary_bank_loan",
    "can_service_loan",
    "long_term_low_income",
)


@transaction.atomic
def do_set_economy(user, household, on: date | None = None, **facts: Any) -> HouseholdEconomy:
    """Set a household's economic facts (sensitive), as of ``on`` (default: the business date).
    Only its municipality's officers and IMDi in scope."""
    scope = scope_for(user)
    if not scope.personal_data or not cases_for(user).filter(pk=household.pk).exists():
        raise PermissionDenied(
            "Du kan ikke registrere økonomiske opplysninger for denne husholdningen."
        )
    unknown = set(facts) - set(ECONOMY_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: "Ukjent felt."})
    economy, created = HouseholdEconomy.objects.select_for_update().get_or_create(
        household=household
    )
    before = None if created else snapshot(economy)
    for name, value in facts.items():
        setattr(economy, name, value)
    economy.updated_on = on or clock.today()
    economy.full_clean()
    economy.save()
    do_record(user, "create" if created else "update", economy, before, snapshot(economy))
    return economy


@transaction.atomic
def do_seed_demo_finance(seed: int = 2014) -> int:
    """Demo world: synthetic economic facts for every synthetic settled household. Idempotent.

    Work income grows with time in Norway (about 15 % of those settled in 2014, 30 % in 2013, 45 % in
    2012); few can get ordinary bank credit; time in Norway runs from the asylum case's opening.
    Returns the number of rows created.
    """
    if HouseholdEconomy.objects.filter(synthetic=True).exists():
        return 0
    rng = np.random.default_rng(seed + 6)
    work_share = {2012: 0.45, 2013: 0.30, 2014: 0.15}
    households = settled_demo_households()
    n = len(households)
    share = np.array([work_share.get(settled.year, 0.5) for _, settled, _ in households])
    works = rng.random(n) < share
    income = np.where(works, rng.integers(260_000, 560_000, n), rng.integers(140_000, 220_000, n))
    bank = rng.random(n) < 0.95
    r = rng.random(n)
    rows = []
    for i, (pk, settled_on, opened) in enumerate(households):
        if works[i]:
            service = True if r[i] < 0.6 else False if r[i] < 0.85 else None
        else:
            service = False if r[i] < 0.7 else None
        rows.append(
            HouseholdEconomy(
                household_id=pk,
                has_work_income=bool(works[i]),
                yearly_income_nok=int(income[i]),
                arrived_in_norway_on=opened or settled_on,
                can_get_ordinary_bank_loan=False if bank[i] else None,
                can_service_loan=service,
                long_term_low_income=not bool(works[i]),
                updated_on=date(2014, 12, 31),
                synthetic=True,
            )
        )
    HouseholdEconomy.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


# --- retention ---


@transaction.atomic
def do_delete_economies(household_ids: list[int]) -> int:
    """Delete the economic facts of anonymised households (incomes and loan conditions)."""
    deleted, _per_model = HouseholdEconomy.objects.filter(household_id__in=household_ids).delete()
    return deleted
