"""Proposals ("forslag om bosetting"): list within scope; the receiving municipality accepts or declines.

Roles without personal data get 403; a proposal the user may not see is 404; answering one that is
not (or no longer) waiting for an answer is 422 with the reason; an illegal case step is 409.
"""

from datetime import date

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from bosetting.api._errors import answers, service_errors
from bosetting.api._fields import Id, MunicipalityNumber, Text
from bosetting.api._paging import Page
from bosetting.api.cases import require_personal_data
from bosetting.apps.lifecycle.services import do_accept_proposal, do_decline_proposal
from bosetting.apps.matching.choices import DeclineReason, ProposalStatus
from bosetting.apps.matching.selectors import proposal_for, proposals_for

PREFIX = "proposals"
router = Router(tags=["proposals"])


class ProposalOut(Schema):
    id: int
    round_id: int
    case_id: int = Field(..., alias="household_id")
    case_reference: str = Field(..., alias="household.reference")
    municipality_number: str = Field(..., alias="municipality.number")
    municipality_name: str = Field(..., alias="municipality.name")
    unit_code: str | None = Field(None, alias="unit.code")
    score: float
    status: ProposalStatus
    sent_on: date | None
    decided_on: date | None
    decline_reason: str
    decline_text: str
    explanation: dict


class ProposalFilters(Schema):
    status: ProposalStatus | None = None
    municipality: MunicipalityNumber | None = None
    round: Id | None = None


class DeclineIn(Schema):
    reason: DeclineReason
    text: Text(2000, description="Required when the reason is «other».") = ""


@router.get("", response=answers({200: list[ProposalOut]}, 401, 403, 422))
@paginate(Page)
def list_proposals(request, filters: Query[ProposalFilters]):
    """Proposals the user may see (a municipality: only those sent to it, never drafts)."""

    require_personal_data(request)
    qs = proposals_for(request.user)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.municipality:
        qs = qs.filter(municipality__number=filters.municipality)
    if filters.round is not None:
        qs = qs.filter(round_id=filters.round)
    return qs.defer("round__summary").order_by("-round_id", "-score", "id")


@router.get("/{proposal_id}", response=answers({200: ProposalOut}, 401, 403, 404, 422))
def get_proposal(request, proposal_id: Id):

    require_personal_data(request)
    return proposal_for(request.user, proposal_id)


def _answer(request, proposal_id: Id, call):

    require_personal_data(request)
    proposal_for(request.user, proposal_id)  # 404 when the user may not see it
    with service_errors():
        call()
    return proposal_for(request.user, proposal_id)


@router.post("/{proposal_id}/accept", response=answers({200: ProposalOut}, 401, 403, 404, 409, 422))
def accept_proposal(request, proposal_id: Id):
    """The receiving municipality (or IMDi on its behalf) accepts a sent proposal."""

    return _answer(request, proposal_id, lambda: do_accept_proposal(request.user, proposal_id))


@router.post(
    "/{proposal_id}/decline", response=answers({200: ProposalOut}, 400, 401, 403, 404, 409, 422)
)
def decline_proposal(request, proposal_id: Id, payload: DeclineIn):
    """The receiving municipality declines with a reason code (and text); the case returns to the
    queue with its waiting time intact."""

    return _answer(
        request,
        proposal_id,
        lambda: do_decline_proposal(request.user, proposal_id, payload.reason, payload.text),
    )
