"""Matching rounds ("utsøkingsrunder"): IMDi starts one (a background task) and polls it.

Other roles get 403. A round the user may not see (another region's) is 404.
"""

from datetime import date, datetime
from typing import Literal

from django.db.models import Count
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from bosetting.api._errors import answers, forbid, service_errors
from bosetting.api._fields import Day, Id, MunicipalityNumber
from bosetting.apps.matching.choices import RoundStatus
from bosetting.apps.matching.selectors import may_see_rounds, round_for, rounds_for
from bosetting.apps.matching.services import do_start_round

PREFIX = "matching-rounds"
router = Router(tags=["matching"])


class RoundIn(Schema):
    as_of: Day = Field(..., description="The day the round matches for (its year's decisions).")
    solver: Literal["optimal", "greedy"] = "optimal"
    time_limit_seconds: float = Field(30.0, gt=0, le=600)
    municipality_numbers: list[MunicipalityNumber] | None = Field(
        None,
        max_length=1000,
        description="Limit to these municipalities (default: the user's whole scope).",
    )


class RoundListOut(Schema):
    """A round in the list: everything but its summary."""

    id: int
    label: str
    as_of: date
    status: RoundStatus
    progress: float
    solver: str
    time_limit_seconds: float
    scope_municipalities: list[str]
    created_at: datetime
    created_by: str | None = Field(None, alias="created_by.username")
    error: str
    proposals: int = Field(0, description="Proposals the round produced.")

    @staticmethod
    def resolve_proposals(obj) -> int:
        # The list annotates the count (one query for all rounds); one round counts its own.
        n_proposals = getattr(obj, "n_proposals", None)
        return obj.proposals.count() if n_proposals is None else n_proposals


class RoundOut(RoundListOut):
    """One round with its summary (the solver's totals)."""

    summary: dict | None


def _require_imdi(request: HttpRequest) -> None:

    if not may_see_rounds(request.user):
        forbid(
            "Bare bosettingsmyndigheten (IMDi, eller fylkesmannen i et forsøksfylke) ser utsøkingsrunder."
        )


@router.post("", response=answers({202: RoundOut}, 400, 401, 403, 422, 429))
def start_round(request, payload: RoundIn):
    """Start a round in the background; poll ``GET /api/matching-rounds/{id}`` for its status."""

    _require_imdi(request)
    with service_errors():
        rnd = do_start_round(
            request.user,
            as_of=payload.as_of,
            solver=payload.solver,
            time_limit=payload.time_limit_seconds,
            municipality_numbers=payload.municipality_numbers,
        )
    return Status(202, rnd)


@router.get("", response=answers({200: list[RoundListOut]}, 401, 403))
def list_rounds(request):
    """The 100 newest rounds the user may see, newest first (IMDi only), without their summaries."""

    _require_imdi(request)
    rounds = rounds_for(request.user).defer("summary").annotate(n_proposals=Count("proposals"))
    return list(rounds.order_by("-created_at", "-id")[:100])


@router.get("/{round_id}", response=answers({200: RoundOut}, 401, 403, 404, 422))
def get_round(request, round_id: Id):
    """A round's status, progress and summary."""

    _require_imdi(request)
    return round_for(request.user, round_id)
