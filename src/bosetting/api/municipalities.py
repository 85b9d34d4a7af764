"""The joint view of one municipality: what IMDi knows beside what Husbanken knows.

Refusal policy: 401 without login/token; 403 when the municipality is outside the user's scope
(the overview holds aggregates only, no personal data, so a refusal does not leak anything);
404 for an unknown municipality number. The joint report may be sent only by the municipality itself.
"""

from __future__ import annotations

from typing import Any

from ninja import Field, Router, Schema
from ninja.errors import ValidationError as NinjaValidationError

from bosetting.api._errors import service_errors
from bosetting.apps.coordination import selectors
from bosetting.apps.coordination.services import do_submit_joint_report

PREFIX = "municipalities"
router = Router(tags=["coordination"])


@router.get("/{number}/overview", response=dict[str, Any])
def overview(request, number: str):
    """Requests, decisions, settled, waiting and declines (IMDi) beside housing stock, gap and
    programmes (Husbanken), both regional offices with contacts, the county governor and the
    municipality's joint reports."""
    with service_errors("path"):
        return selectors.overview_json(selectors.municipality_overview(request.user, number))


class JointReportIn(Schema):
    settled_persons: int = Field(..., ge=0)
    family_reunified_persons: int = Field(0, ge=0)
    planned_settlement_next_year: int | None = Field(None, ge=0)
    introduction_participants: int | None = Field(None, ge=0)
    municipal_dwellings_total: int | None = Field(None, ge=0)
    dwellings_for_refugees: int | None = Field(None, ge=0)
    dwellings_needed_next_year: int | None = Field(None, ge=0)
    start_loans_to_refugees: int | None = Field(None, ge=0)
    settlement_in_housing_plan: bool = False
    challenges: str = ""
    help_wanted: str = ""


@router.put("/{number}/joint-reports/{year}", response=dict[str, Any])
def put_joint_report(request, number: str, year: int, payload: JointReportIn):
    """The municipality's one report to both agencies for a year (created or replaced). Only the
    municipality itself may send it (403 otherwise)."""
    if not 2000 <= year <= 2100:
        raise NinjaValidationError([{"loc": ("path", "year"), "msg": "must be 2000–2100"}])
    with service_errors("body"):
        report = do_submit_joint_report(request.user, number, year, payload.dict())
    return {"municipality": number, "year": report.year, **payload.dict()}
