"""Self-settlement ("selvbosetting"): a municipality reports a private rental a refugee found, IMDi
approves or rejects it before the landlord's offer lapses — through the lifecycle's services, with the
permission matrix of the web pages.

Reading is personal data: Husbanken, county governors and analysts get 403; a self-settlement outside
the user's scope is 404. Submitting names the household by its case reference (a municipality learns it
from the refugee; it cannot see the household before): only an interviewed or settlement-ready one.
"""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status

from bosetting.api._errors import answers, forbid, service_errors
from bosetting.api._fields import Day, Id, MunicipalityNumber, Nok, Reference, Text
from bosetting.api._paging import Page
from bosetting.api.cases import require_personal_data
from bosetting.apps.accounts.choices import Role
from bosetting.apps.accounts.selectors import scope_for, settlement_powers
from bosetting.apps.cases.choices import SelfSettlementStatus
from bosetting.apps.cases.selectors import (
    ready_case_by_reference,
    self_settlement_for,
    self_settlements_for,
)
from bosetting.apps.lifecycle.services import (
    do_decide_self_settlement,
    do_submit_self_settlement,
)

PREFIX = "self-settlements"
router = Router(tags=["self-settlements"])


class SelfSettlementOut(Schema):
    id: int
    case_id: int = Field(..., alias="household_id")
    case_reference: str = Field(..., alias="household.reference")
    municipality_number: str = Field(..., alias="municipality.number")
    municipality_name: str = Field(..., alias="municipality.name")
    lease_offer_deadline: date = Field(..., description="IMDi must decide before this day.")
    rent_nok: int = Field(..., description="Monthly rent.")
    note: str
    status: SelfSettlementStatus
    submitted_at: datetime
    decided_at: datetime | None
    decision_note: str


class SelfSettlementFilters(Schema):
    status: SelfSettlementStatus | None = None
    municipality: MunicipalityNumber | None = None


class SelfSettlementIn(Schema):
    case_reference: Reference
    municipality_number: MunicipalityNumber | None = Field(
        None, description="IMDi names the municipality; a municipality reports in its own."
    )
    lease_offer_deadline: Day
    rent_nok: Nok
    note: Text(2000) = ""


class SelfSettlementDecisionIn(Schema):
    approve: bool
    note: Text(2000) = ""


@router.get("", response=answers({200: list[SelfSettlementOut]}, 401, 403, 422))
@paginate(Page)
def list_self_settlements(request, filters: Query[SelfSettlementFilters]):
    """Self-settlements the user may see, the nearest deadline first."""
    require_personal_data(request)
    qs = self_settlements_for(request.user)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.municipality:
        qs = qs.filter(municipality__number=filters.municipality)
    return qs.order_by("lease_offer_deadline", "id")


@router.get("/{self_settlement_id}", response=answers({200: SelfSettlementOut}, 401, 403, 404, 422))
def get_self_settlement(request, self_settlement_id: Id):
    """One self-settlement; 404 outside the user's scope."""
    require_personal_data(request)
    return self_settlement_for(request.user, self_settlement_id)


@router.post("", response=answers({201: SelfSettlementOut}, 400, 401, 403, 404, 409, 422))
def submit_self_settlement(request, payload: SelfSettlementIn):
    """Report a self-found private rental: an officer of the municipality where it lies, or the
    settlement authority (IMDi, or a pilot county's county governor in its county), naming the
    municipality. The household must be interviewed or settlement-ready (404 if no such case); the
    offer's deadline may not have passed (422)."""
    scope = scope_for(request.user)
    if scope.role != Role.MUNICIPAL and not settlement_powers(request.user).any:
        forbid("Rollen din kan ikke melde selvbosetting.")
    if scope.role == Role.MUNICIPAL:
        number = next(iter(sorted(scope.municipality_numbers or ())), "")
    else:
        number = payload.municipality_number or ""
    household = ready_case_by_reference(payload.case_reference)
    if household is None:
        raise HttpError(
            404, f"Fant ingen bosettingsklar sak med referansen {payload.case_reference}."
        )
    with service_errors():
        if not number:
            raise ValidationError({"municipality_number": "Oppgi kommunen boligen ligger i."})
        ss = do_submit_self_settlement(
            request.user,
            household,
            number,
            payload.lease_offer_deadline,
            payload.rent_nok,
            payload.note,
        )
    return Status(201, self_settlement_for(request.user, ss.pk))


@router.post(
    "/{self_settlement_id}/decision",
    response=answers({200: SelfSettlementOut}, 400, 401, 403, 404, 409, 422),
)
def decide_self_settlement(request, self_settlement_id: Id, payload: SelfSettlementDecisionIn):
    """IMDi approves or rejects (403 for anyone else). Approval after the offer's deadline, or a
    decision on one already decided, is 409."""
    require_personal_data(request)
    ss = self_settlement_for(request.user, self_settlement_id)
    with service_errors():
        do_decide_self_settlement(request.user, ss.pk, payload.approve, payload.note)
    return self_settlement_for(request.user, ss.pk)
