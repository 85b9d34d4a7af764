"""The joint view of one municipality: what IMDi knows beside what Husbanken knows.

Refusal policy: 401 without login/token; 403 when the municipality is outside the user's scope
(the overview holds aggregates only, no personal data, so a refusal does not leak anything);
404 for an unknown municipality number. The joint report may be sent only by the municipality itself.
"""

from __future__ import annotations

from typing import Annotated, Any

from ninja import Field, Router, Schema

from bosetting.api._errors import answers, service_errors
from bosetting.api._fields import Count, MunicipalityNumber, Text
from bosetting.apps.coordination import selectors
from bosetting.apps.coordination.services import do_submit_joint_report

PREFIX = "municipalities"
router = Router(tags=["coordination"])

ReportYear = Annotated[int, Field(ge=2000, le=2100)]


@router.get("/{number}/overview", response=answers({200: dict[str, Any]}, 401, 403, 404, 422))
def overview(request, number: MunicipalityNumber):
    """Requests, decisions, settled, waiting and declines (IMDi) beside housing stock, gap and
    programmes (Husbanken), both regional offices with contacts, the county governor and the
    municipality's joint reports."""
    with service_errors("path"):
        return selectors.overview_json(selectors.municipality_overview(request.user, number))


class JointReportIn(Schema):
    settled_persons: Count
    family_reunified_persons: Count = 0
    planned_settlement_next_year: Count | None = None
    introduction_participants: Count | None = None
    municipal_dwellings_total: Count | None = None
    dwellings_for_refugees: Count | None = None
    dwellings_needed_next_year: Count | None = None
    start_loans_to_refugees: Count | None = None
    settlement_in_housing_plan: bool = False
    challenges: Text(10_000) = ""
    help_wanted: Text(10_000) = ""


@router.put(
    "/{number}/joint-reports/{year}",
    response=answers({200: dict[str, Any]}, 400, 401, 403, 404, 422),
)
def put_joint_report(request, number: MunicipalityNumber, year: ReportYear, payload: JointReportIn):
    """The municipality's one report to both agencies for a year (created or replaced). Only the
    municipality itself may send it (403 otherwise)."""
    with service_errors("body"):
        report = do_submit_joint_report(request.user, number, year, payload.dict())
    return {"municipality": number, "year": report.year, **payload.dict()}
