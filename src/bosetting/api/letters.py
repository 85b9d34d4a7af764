"""Letters as PDF ("brev"): made from live data by the service of the object's app, archived on the
object, and downloadable by whoever may see that object (its request, case or proposal).

- ``kind=request``: IMDi's request to a municipality (``object_id`` a request's id; IMDi only);
- ``kind=agreement``: the settlement agreement (a case's id; IMDi and the receiving municipality,
  once the agreement is made — 409 before);
- ``kind=proposal``: the notice to a municipality of a proposal (a proposal's id; never a draft).
"""

from datetime import date, datetime

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from bosetting.api._errors import answers, service_errors
from bosetting.api._fields import Id
from bosetting.api._paging import Page
from bosetting.api.cases import require_personal_data
from bosetting.apps.audit.choices import AccessAction
from bosetting.apps.audit.services import do_log_access
from bosetting.apps.cases.selectors import case_for
from bosetting.apps.letters.choices import LetterKind
from bosetting.apps.letters.selectors import letter_for, letters_for
from bosetting.apps.lifecycle.services import do_make_agreement_letter
from bosetting.apps.matching.services import do_make_proposal_letter
from bosetting.apps.planning.services import do_make_request_letter

PREFIX = "letters"
router = Router(tags=["letters"])

MAKERS = {
    LetterKind.REQUEST: do_make_request_letter,
    LetterKind.AGREEMENT: do_make_agreement_letter,
    LetterKind.PROPOSAL: do_make_proposal_letter,
}


class LetterOut(Schema):
    id: int
    kind: LetterKind
    object_type: str = Field(..., description="planning.settlementrequest, cases.household, …")
    object_id: int
    municipality_number: str | None = Field(None, alias="municipality.number")
    title: str
    dated: date = Field(..., description="The letter's date (the business date it was made).")
    made_at: datetime
    made_by: str = Field(..., alias="made_by_name")
    pages: int
    size_bytes: int
    sha256: str
    pdf_url: str = Field(..., description="GET it for the PDF.")

    @staticmethod
    def resolve_pdf_url(obj) -> str:
        return f"/api/letters/{obj.pk}/pdf"


class LetterFilters(Schema):
    kind: LetterKind | None = None
    object_id: Id | None = Field(None, description="The request, case or proposal.")


class LetterIn(Schema):
    kind: LetterKind
    object_id: Id


@router.get("", response=answers({200: list[LetterOut]}, 401, 422))
@paginate(Page)
def list_letters(request, filters: Query[LetterFilters]):
    """The letters the user may see (those about objects it may see), newest first."""
    qs = letters_for(request.user)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.object_id is not None:
        qs = qs.filter(object_id=filters.object_id)
    return qs


@router.post("", response=answers({201: LetterOut}, 400, 401, 403, 404, 409, 422))
def make_letter(request, payload: LetterIn):
    """Make a letter from the object as it stands and archive it (a new version each time). Audited
    on the object. A case or proposal outside the user's scope is 404, as when reading it."""
    if payload.kind in (LetterKind.AGREEMENT, LetterKind.PROPOSAL):
        require_personal_data(request)
    if payload.kind == LetterKind.AGREEMENT:
        case_for(request.user, payload.object_id)  # 404 outside the scope
    with service_errors():
        letter = MAKERS[payload.kind](request.user, payload.object_id)
    return Status(201, letter_for(request.user, letter.pk))


@router.get("/{letter_id}", response=answers({200: LetterOut}, 401, 404, 422))
def get_letter(request, letter_id: Id):
    """One letter's record; 404 when the user may not see its object."""
    return letter_for(request.user, letter_id)


@router.get(
    "/{letter_id}/pdf",
    response=answers({200: None}, 401, 404, 422),
    openapi_extra={"responses": {200: {"content": {"application/pdf": {}}}}},
)
def get_letter_pdf(request, letter_id: Id):
    """The PDF as it was made (``application/pdf``); in the access log."""
    letter = letter_for(request.user, letter_id)
    do_log_access(request, AccessAction.EXPORT, letter, purpose="API")
    response = HttpResponse(bytes(letter.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{letter.filename}"'
    return response
