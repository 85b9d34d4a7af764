"""Writes on cases through the API: register a household from its permit, correct it, take a step of
the lifecycle, keep the preparation checklist. The operations join the ``cases`` router (one path per
case for reading and writing) and call the same services as the case pages, so web and API agree on
who may do what (docs/permissions.md) and refuse alike:

- 403: a role that may never (roles without personal data; a municipality registering a permit);
- 404: a case outside the user's scope (no existence leak);
- 409: the case's state forbids the step, the reference exists, the case changed since ``version``
  was read (a versioned edit), the members are corrected after the proposal;
- 422: bad input, naming the field (``body.persons.1.birth_year``).
"""

from typing import Literal

from ninja import Field, Schema
from ninja.responses import Status

from bosetting import clock
from bosetting.api._errors import answers, service_errors
from bosetting.api._fields import Day, Id, Line, MunicipalityNumber, Reference, Text
from bosetting.api.cases import CaseDetailOut, require_personal_data, router
from bosetting.apps.audit.choices import AccessAction
from bosetting.apps.audit.services import do_log_access
from bosetting.apps.cases.choices import CaseStatus, ChecklistItem, Need, Step
from bosetting.apps.cases.selectors import can_see_health_note, case_for, checklist_state
from bosetting.apps.cases.services import (
    MAX_PERSONS,
    do_correct_household,
    do_set_checklist_item,
    do_set_preferences,
    may_keep_checklist,
)
from bosetting.apps.lifecycle.services import (
    allowed_moves,
    do_choose_unit,
    do_event,
    do_register_household,
)
from bosetting.engine.lifecycle import CHECKLIST_STATES

Sex = Literal["f", "m", "u"]


class PersonIn(Schema):
    birth_year: int = Field(..., ge=1900, le=2100)
    sex: Sex = Field("u", description="f, m or u (unknown).")


class CaseIn(Schema):
    reference: Reference
    permit_date: Day = Field(..., description="The residence permit (vedtak om opphold).")
    case_opened: Day | None = None
    persons: list[PersonIn] = Field(
        ..., min_length=1, max_length=MAX_PERSONS, description="The first is the principal."
    )
    reception_centre: Line(150) | None = Field(None, description="The reception centre's name.")
    needs: list[Need] = Field(default_factory=list, max_length=len(Need.values))
    ties: list[MunicipalityNumber] = Field(default_factory=list, max_length=50)
    health_note: Text(2000) = Field(
        "", description="Sensitive: read back only by those whose duty needs it."
    )
    notified_on: Day | None = Field(None, description="The permit was notified (a step taken).")
    interview_on: Day | None = Field(None, description="The settlement interview was held.")
    ready_on: Day | None = Field(None, description="Settlement-ready: in the queue from this day.")


class CaseCorrectionIn(Schema):
    version: int = Field(..., ge=1, description="The case's version as read (else 409).")
    persons: list[PersonIn] | None = Field(None, min_length=1, max_length=MAX_PERSONS)
    needs: list[Need] | None = Field(None, max_length=len(Need.values))
    ties: list[MunicipalityNumber] | None = Field(None, max_length=50)
    health_note: Text(2000) | None = None
    reception_centre: Line(150) | None = Field(None, description='"" clears it.')
    permit_date: Day | None = None
    case_opened: Day | None = None
    note: Text(500) = Field("", description="What is corrected and why (in the audit log).")


class CaseWrittenOut(CaseDetailOut):
    version: int = Field(..., description="Send it back with the next correction or step.")


class StepOut(Schema):
    event: Step
    label: str
    to_status: CaseStatus


class StepIn(Schema):
    event: Step
    on: Day | None = Field(None, description="The day of the step (default: today).")
    note: Text(2000) = ""
    version: int | None = Field(None, ge=1, description="The case's version as read (else 409).")


class ChecklistItemOut(Schema):
    item: ChecklistItem
    label: str
    required: bool
    done: bool
    by: str | None = None
    at: str | None = None


class ChecklistOut(Schema):
    case_id: int
    editable: bool = Field(..., description="The user may tick items now.")
    unit_id: int | None = Field(None, description="The flat chosen (housing_unit).")
    unit_code: str | None = None
    items: list[ChecklistItemOut]
    missing: list[ChecklistItem] = Field(..., description="Required items not done yet.")
    version: int | None = None


class TickIn(Schema):
    item: Literal[tuple(i for i in ChecklistItem.values if i != ChecklistItem.HOUSING_UNIT)]
    done: bool


class ChooseUnitIn(Schema):
    unit_id: Id | None = Field(None, description="A flat in the municipality; null clears it.")


def _read_back(request, household):
    """The case as written, in the access log like every read of a case (and of its health note)."""
    household = case_for(request.user, household.pk)
    do_log_access(request, AccessAction.VIEW_CASE, household, purpose="API")
    if household.health_note and can_see_health_note(request.user, household):
        do_log_access(request, AccessAction.VIEW_HEALTH, household, purpose="API")
    return household


@router.post("", response=answers({201: CaseWrittenOut}, 400, 401, 403, 409, 422))
def register_case(request, payload: CaseIn):
    """Register a household from its residence permit (IMDi). The steps already taken may be given
    with their days (notified, interviewed, settlement-ready): each is taken through the lifecycle,
    so a household registered as settlement-ready is in the queue and in the next matching round.
    A reference that exists is 409. Audited."""
    require_personal_data(request)
    data = payload.dict()
    with service_errors():
        household = do_register_household(
            request.user,
            reference=data["reference"],
            permit_date=data["permit_date"],
            case_opened=data["case_opened"],
            persons=data["persons"],
            reception_centre_name=data["reception_centre"],
            needs=data["needs"],
            ties=data["ties"],
            health_note=data["health_note"],
            notified_on=data["notified_on"],
            interview_on=data["interview_on"],
            ready_on=data["ready_on"],
        )
    return Status(201, _read_back(request, household))


@router.patch("/{case_id}", response=answers({200: CaseWrittenOut}, 400, 401, 403, 404, 409, 422))
def correct_case(request, case_id: Id, payload: CaseCorrectionIn):
    """Correct a household's record (IMDi handling the case): only the fields given change. The
    members only before the household is proposed (409 after); the health note only by those who
    may read it (403). 409 when the case changed since ``version``. Audited with before and after."""
    require_personal_data(request)
    household = case_for(request.user, case_id)
    data = payload.dict(exclude_unset=True)
    with service_errors():
        do_correct_household(
            request.user,
            household.pk,
            expected_version=data.pop("version"),
            reception_centre_name=data.pop("reception_centre", None),
            note=data.pop("note", ""),
            **data,
        )
    return _read_back(request, household)


class PreferencesIn(Schema):
    preferences: list[MunicipalityNumber] = Field(
        ..., max_length=5, description="Wished municipalities, most wanted first (at most five)."
    )
    country_group: Line(40) | None = Field(
        None, description="Country-of-origin group; left as it is when not given."
    )


@router.put(
    "/{case_id}/preferences",
    response=answers({200: CaseWrittenOut}, 400, 401, 403, 404, 409, 422),
)
def set_preferences(request, case_id: Id, payload: PreferencesIn):
    """Record the refugee's wishes from the settlement interview (IMDi handling the case), before the
    case is proposed (409 after); an unknown or repeated municipality is 422. Audited. The matching
    score counts them, and a proposal's explanation names a wish ("1. ønske")."""
    require_personal_data(request)
    household = case_for(request.user, case_id)
    with service_errors():
        do_set_preferences(request.user, household.pk, payload.preferences, payload.country_group)
    return _read_back(request, household)


@router.get("/{case_id}/transitions", response=answers({200: list[StepOut]}, 401, 403, 404, 422))
def list_steps(request, case_id: Id):
    """The plain steps the user may take on the case now (proposals, their answers and
    self-settlement have endpoints of their own)."""
    require_personal_data(request)
    household = case_for(request.user, case_id)
    return [
        {"event": t.event.value, "label": str(Step(t.event).label), "to_status": t.target.value}
        for t in allowed_moves(request.user, household)
    ]


@router.post(
    "/{case_id}/transitions",
    response=answers({200: CaseWrittenOut}, 400, 401, 403, 404, 409, 422),
)
def take_step(request, case_id: Id, payload: StepIn):
    """Take one step of the lifecycle (the transition table in docs/lifecycle.md): 409 naming the
    case's status when the table does not allow it, or naming the endpoint for steps that have one;
    403 when the user's role may not take it on this case."""
    require_personal_data(request)
    household = case_for(request.user, case_id)
    with service_errors():
        do_event(
            request.user,
            household,
            payload.event,
            on=payload.on,
            note=payload.note,
            expected_version=payload.version,
        )
    return _read_back(request, household)


def _checklist(request, household) -> dict:
    on = household.settled_on or clock.today()
    state = checklist_state(household, on)
    checklist = state.checklist
    unit = checklist.housing_unit if checklist else None
    return {
        "case_id": household.pk,
        "editable": household.status in CHECKLIST_STATES
        and may_keep_checklist(request.user, household),
        "unit_id": unit.pk if unit else None,
        "unit_code": unit.code if unit else None,
        "items": [
            {
                "item": row["name"],
                "label": str(row["label"]),
                "required": row["required"],
                "done": row["done"],
                "by": (row["stamp"] or {}).get("by"),
                "at": (row["stamp"] or {}).get("at"),
            }
            for row in state.items
        ],
        "missing": state.missing,
        "version": checklist.version if checklist else None,
    }


@router.get("/{case_id}/checklist", response=answers({200: ChecklistOut}, 401, 403, 404, 422))
def get_checklist(request, case_id: Id):
    """The preparation checklist: which items the household needs, which are done (by whom, when)."""
    require_personal_data(request)
    return _checklist(request, case_for(request.user, case_id))


@router.post(
    "/{case_id}/checklist", response=answers({200: ChecklistOut}, 400, 401, 403, 404, 409, 422)
)
def tick_item(request, case_id: Id, payload: TickIn):
    """Tick or untick one item (the receiving municipality and IMDi, while the case is accepted or in
    preparation; 409 otherwise). One item per call, so two officers never undo each other's ticks."""
    require_personal_data(request)
    household = case_for(request.user, case_id)
    with service_errors():
        do_set_checklist_item(request.user, household.pk, payload.item, payload.done)
    return _checklist(request, case_for(request.user, case_id))


@router.put(
    "/{case_id}/checklist/unit",
    response=answers({200: ChecklistOut}, 400, 401, 403, 404, 409, 422),
)
def choose_unit(request, case_id: Id, payload: ChooseUnitIn):
    """Choose the flat (or clear it): the old reservation is released and the flat reserved for the
    household — 409 if someone else has booked it; 422 if it lies in another municipality."""
    require_personal_data(request)
    household = case_for(request.user, case_id)
    with service_errors():
        do_choose_unit(request.user, household, payload.unit_id)
    return _checklist(request, case_for(request.user, case_id))
