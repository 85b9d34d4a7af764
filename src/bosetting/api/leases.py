"""Leases ("leiekontrakter"): ``GET|POST /api/leases``, ``POST /api/leases/{id}/outcome``.

Same rights as units. Household references are served only to roles that may see personal data
(IMDi, municipal officers); for Husbanken ``household_reference`` is always null.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from bosetting.api._errors import answers, forbid, service_errors, validation_422
from bosetting.api._fields import (
    MAX_NOK,
    Day,
    Id,
    MunicipalityNumber,
    Offset,
    Reference,
    Text,
)
from bosetting.api._paging import DEFAULT_PAGE, MAX_PAGE
from bosetting.api.housing import NO_HOUSING_WRITE, _require_housing
from bosetting.apps.accounts.selectors import scope_for
from bosetting.apps.cases.selectors import cases_for
from bosetting.apps.housing.choices import LeaseOutcome
from bosetting.apps.housing.selectors import leases_for, may_write_housing, units_for
from bosetting.apps.housing.services import do_book, do_record_lease_outcome

PREFIX = "leases"
router = Router(tags=["housing"])


class LeaseOut(Schema):
    id: int
    unit_id: int
    unit_code: str
    municipality_number: str
    start: date
    end: date | None
    notice_months: int
    rent_nok: int | None
    outcome: str
    outcome_on: date | None
    household_reference: str | None = Field(
        None, description="Only for roles that may see personal data."
    )
    synthetic: bool
    version: int = Field(
        ..., description="Send it back with an outcome: a lease changed since is 409."
    )


class LeaseIn(Schema):
    unit_id: Id
    household_reference: Reference | None = None
    start: Day
    end: Day | None = None
    notice_months: int = Field(3, ge=0, le=24)
    rent_nok: int | None = Field(None, ge=0, le=MAX_NOK, description="Monthly rent.")


class OutcomeIn(Schema):
    outcome: LeaseOutcome
    on: Day
    new_end: Day | None = None
    note: Text(2000) = ""
    version: Id | None = Field(
        None, description="The lease's `version` read; 409 if someone changed it since."
    )


class LeasePage(Schema):
    count: int
    items: list[LeaseOut]


class LeaseFilters(Schema):
    limit: int = Field(DEFAULT_PAGE, ge=1, le=MAX_PAGE, description="Rows per page (1 … 500).")
    offset: Offset = 0
    municipality: MunicipalityNumber | None = None
    unit_id: Id | None = None
    active_on: Day | None = None
    ending_before: Day | None = None


def _out(lease, personal: bool) -> dict:
    return {
        "id": lease.pk,
        "unit_id": lease.unit_id,
        "unit_code": lease.unit.code,
        "municipality_number": lease.unit.municipality.number,
        "start": lease.start,
        "end": lease.end,
        "notice_months": lease.notice_months,
        "rent_nok": lease.rent_nok,
        "outcome": lease.outcome,
        "outcome_on": lease.outcome_on,
        "household_reference": lease.household.reference
        if personal and lease.household_id
        else None,
        "synthetic": lease.synthetic,
        "version": lease.version,
    }


@router.get("", response=answers({200: LeasePage}, 401, 403, 422))
def list_leases(request: HttpRequest, filters: Query[LeaseFilters]):
    _require_housing(request)
    qs = leases_for(request.user)
    if filters.municipality:
        qs = qs.filter(unit__municipality__number=filters.municipality)
    if filters.unit_id:
        qs = qs.filter(unit_id=filters.unit_id)
    if filters.active_on:
        qs = qs.filter(start__lte=filters.active_on).filter(
            Q(end__isnull=True) | Q(end__gt=filters.active_on)
        )
    if filters.ending_before:
        qs = qs.filter(end__lt=filters.ending_before)
    personal = scope_for(request.user).personal_data
    page = qs[filters.offset : filters.offset + filters.limit]
    return {"count": qs.count(), "items": [_out(lease, personal) for lease in page]}


@router.post("", response=answers({201: LeaseOut}, 400, 401, 403, 409, 422))
def create_lease(request: HttpRequest, payload: LeaseIn):
    """Let a unit (to a household). Overlap and over-occupancy are 422 naming the field."""
    _require_housing(request)
    if not may_write_housing(request.user):
        forbid(NO_HOUSING_WRITE)
    unit = units_for(request.user).filter(pk=payload.unit_id).first()
    if unit is None:
        raise validation_422(ValidationError({"unit_id": "Boligen finnes ikke i ditt område."}))
    household = None
    if payload.household_reference:
        household = cases_for(request.user).filter(reference=payload.household_reference).first()
        if household is None:
            raise validation_422(
                ValidationError({"household_reference": "Husholdningen finnes ikke i ditt område."})
            )
    with service_errors():
        lease = do_book(
            request.user,
            unit,
            household,
            start=payload.start,
            end=payload.end,
            notice_months=payload.notice_months,
            rent_nok=payload.rent_nok,
        )
    return Status(201, _out(lease, True))


@router.post("/{lease_id}/outcome", response=answers({200: LeaseOut}, 400, 401, 403, 404, 409, 422))
def record_outcome(request: HttpRequest, lease_id: Id, payload: OutcomeIn):
    """Record how a lease ended (renewed, moved to private rental, bought with start loan, …)."""
    _require_housing(request)
    lease = leases_for(request.user).filter(pk=lease_id).first()
    if lease is None:
        raise HttpError(404, "Kontrakten finnes ikke, eller du har ikke tilgang til den.")
    if not may_write_housing(request.user):
        forbid(NO_HOUSING_WRITE)
    with service_errors():
        lease = do_record_lease_outcome(
            request.user,
            lease,
            payload.outcome,
            payload.on,
            new_end=payload.new_end,
            note=payload.note,
            expected_version=payload.version,
        )
    return _out(lease, True)
