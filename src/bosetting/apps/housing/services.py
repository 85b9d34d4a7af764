"""Writes of housing data: units, leases, lease outcomes and housing-career steps.

Every write checks permission (``permissions.may_write_housing``), runs ``full_clean()`` so that the
model's rules apply (the same ones the import and the API meet), and is recorded in the audit log.
Refusals raise ``PermissionDenied``; invalid data raises ``ValidationError`` naming the field.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from bosetting.apps.audit.services import do_record, snapshot
from bosetting.apps.housing.choices import TENURE_FOR_KIND, LeaseOutcome, Tenure
from bosetting.apps.housing.models import HousingCareerStep, HousingUnit, Lease
from bosetting.apps.housing.permissions import may_write_housing

UNIT_FIELDS = (
    "code",
    "kind",
    "bedrooms",
    "max_occupants",
    "beds",
    "zone",
    "accessible",
    "available_from",
    "rent_nok",
    "flag_damp_mould",
    "flag_unsuitable_children",
    "flag_heavy_environment",
)

#: The career step an outcome leads to (None: the household leaves the municipality's view).
OUTCOME_TENURE = {
    LeaseOutcome.MOVED_PRIVATE_RENTAL: Tenure.PRIVATE_RENTAL,
    LeaseOutcome.BOUGHT_START_LOAN: Tenure.OWNED,
    LeaseOutcome.BOUGHT_OTHER: Tenure.OWNED,
    LeaseOutcome.LEASE_TO_OWN: Tenure.LEASE_TO_OWN,
    LeaseOutcome.MOVED_MUNICIPAL: Tenure.MUNICIPAL_RENTAL,
}

THREE_YEARS = timedelta(days=3 * 365)


def _refuse(message: str) -> None:
    raise PermissionDenied(message)


@transaction.atomic
def do_create_unit(user, municipality, **fields: Any) -> HousingUnit:
    """Create a unit in ``municipality``; only municipal officers there and IMDi national may."""
    if not may_write_housing(user, municipality.number):
        _refuse("Du kan ikke registrere boliger i denne kommunen.")
    unknown = set(fields) - set(UNIT_FIELDS) - {"synthetic"}
    if unknown:
        raise ValidationError({sorted(unknown)[0]: "Ukjent felt."})
    unit = HousingUnit(municipality=municipality, **fields)
    unit.full_clean()
    unit.save()
    do_record(user, "create", unit)
    return unit


@transaction.atomic
def do_update_unit(user, unit: HousingUnit, **changes: Any) -> HousingUnit:
    """Change fields of a unit (not its municipality)."""
    if not may_write_housing(user, unit.municipality.number):
        _refuse("Du kan ikke endre boliger i denne kommunen.")
    unit = HousingUnit.objects.select_for_update().get(pk=unit.pk)
    before = snapshot(unit)
    for name, value in changes.items():
        if name not in UNIT_FIELDS:
            raise ValidationError({name: "Feltet kan ikke endres her."})
        setattr(unit, name, value)
    unit.full_clean()
    unit.save()
    do_record(user, "update", unit, before, snapshot(unit))
    return unit


@transaction.atomic
def do_create_lease(
    user,
    unit: HousingUnit,
    household=None,
    *,
    start: date,
    end: date | None = None,
    notice_months: int = 3,
    rent_nok: int | None = None,
) -> Lease:
    """Let ``unit`` (to ``household``) from ``start``; refuses overlap and over-occupancy.

    The unit row is locked so that two concurrent leases cannot both pass the overlap check. A lease
    with a household starts (or continues) its housing career.
    """
    if not may_write_housing(user, unit.municipality.number):
        _refuse("Du kan ikke registrere leiekontrakter i denne kommunen.")
    unit = HousingUnit.objects.select_for_update().select_related("municipality").get(pk=unit.pk)
    lease = Lease(
        unit=unit,
        household=household,
        start=start,
        end=end,
        notice_months=notice_months,
        rent_nok=unit.rent_nok if rent_nok is None else rent_nok,
    )
    lease.full_clean()
    lease.save()
    do_record(user, "create", lease)
    if household is not None:
        _career_step(user, household, start, TENURE_FOR_KIND[unit.kind], unit=unit, lease=lease)
    return lease


def _career_step(user, household, on: date, tenure: str, **extra: Any) -> HousingCareerStep:
    step, created = HousingCareerStep.objects.get_or_create(
        household=household,
        on=on,
        tenure=tenure,
        defaults={"municipality_id": household.municipality_id, **extra},
    )
    if created:
        do_record(user, "create", step)
    return step


@transaction.atomic
def do_record_lease_outcome(
    user, lease: Lease, outcome: str, on: date, *, new_end: date | None = None, note: str = ""
) -> Lease:
    """Record how a lease ended ("utfall"): renewed, moved to private rental, bought with start loan, …

    A renewal ends nothing and adds a new lease from the old end (or ``on``) to ``new_end`` (default
    three years later). Every other outcome ends the lease on ``on`` (if it ran longer) and adds the
    career step the outcome leads to.
    """
    if outcome not in LeaseOutcome.values:
        raise ValidationError({"outcome": "Ukjent utfall."})
    if not may_write_housing(user, lease.unit.municipality.number):
        _refuse("Du kan ikke registrere utfall for denne kommunen.")
    lease = (
        Lease.objects.select_for_update(of=("self",))
        .select_related("unit", "household")
        .get(pk=lease.pk)
    )
    if lease.outcome:
        raise ValidationError({"outcome": "Utfallet er allerede registrert."})
    before = snapshot(lease)
    lease.outcome = outcome
    lease.outcome_on = on
    if lease.end is None or (outcome != LeaseOutcome.RENEWED and lease.end > on):
        lease.end = on
    lease.full_clean()
    lease.save()
    do_record(user, "outcome", lease, before, snapshot(lease), note=note)
    if outcome == LeaseOutcome.RENEWED:
        start = lease.end or on
        do_create_lease(
            user,
            lease.unit,
            lease.household,
            start=start,
            end=new_end or start + THREE_YEARS,
            notice_months=lease.notice_months,
            rent_nok=lease.rent_nok,
        )
    elif lease.household_id and outcome in OUTCOME_TENURE:
        _career_step(
            user,
            lease.household,
            on,
            OUTCOME_TENURE[outcome],
            start_loan=outcome == LeaseOutcome.BOUGHT_START_LOAN,
            note=note[:200],
        )
    return lease


@transaction.atomic
def do_record_career_step(
    user, household, on: date, tenure: str, *, start_loan: bool = False, note: str = ""
) -> HousingCareerStep:
    """Record a step of a household's housing career by hand (e.g. a move the municipality learns of)."""
    number = household.municipality.number if household.municipality_id else None
    if not may_write_housing(user, number):
        _refuse("Du kan ikke registrere boligkarriere for denne husholdningen.")
    step = HousingCareerStep(
        household=household,
        on=on,
        tenure=tenure,
        municipality_id=household.municipality_id,
        start_loan=start_loan,
        note=note,
    )
    step.full_clean()
    step.save()
    do_record(user, "create", step)
    return step


@transaction.atomic
def do_seed_demo_careers() -> int:
    """Demo world: the first step of every synthetic settled household's housing career.

    Each household with a synthetic lease starts its career on the lease's first day in the tenure its
    unit gives (municipal rental, sublet private, self-found private, shared). Idempotent.
    Returns the number of steps created.
    """
    if HousingCareerStep.objects.filter(synthetic=True).exists():
        return 0
    rows = Lease.objects.filter(synthetic=True, household__isnull=False).values_list(
        "pk", "household_id", "unit_id", "unit__kind", "unit__municipality_id", "start"
    )
    steps = [
        HousingCareerStep(
            household_id=household_id,
            on=start,
            tenure=TENURE_FOR_KIND[kind],
            municipality_id=municipality_id,
            unit_id=unit_id,
            lease_id=lease_id,
            note="Første bolig (demo)",
            synthetic=True,
        )
        for lease_id, household_id, unit_id, kind, municipality_id, start in rows
    ]
    HousingCareerStep.objects.bulk_create(steps, batch_size=2000)
    return len(steps)
