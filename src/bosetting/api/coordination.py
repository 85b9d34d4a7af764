"""Coordination API: office pairs with their coordination forms (Table 5.2), timelines, agreements,
the ladder and municipal programmes.

Refusal policy: 401 without login/token; every logged-in user may read; writes (assessments,
timeline entries) only by IMDi or Husbanken staff of the office pair (IMDi national: all pairs),
otherwise 403; 404 for an unknown pair; 422 names a bad field.
"""

from __future__ import annotations

import datetime as dt

from ninja import Field, Router, Schema
from ninja.responses import Status

from bosetting.api._errors import answers, service_errors
from bosetting.api._fields import Day, Id, Line, Slug, Text
from bosetting.apps.coordination import selectors
from bosetting.apps.coordination.services import (
    do_add_agreement,
    do_add_event,
    do_add_wheel_item,
    do_record_assessment,
)

PREFIX = "coordination"
router = Router(tags=["coordination"])


class CellOut(Schema):
    form: str
    label: str
    present: bool | None
    degree: str | None
    printed_value: str
    footnote: str
    as_of: dt.date
    source: str


class PairOut(Schema):
    slug: str
    region: str
    imdi_office: str
    husbanken_office: str
    name: str
    ladder_level: int | None
    ladder_lower_bound: bool | None
    forms: dict[str, CellOut]


class CoordinationEventOut(Schema):
    id: int
    kind: str
    form: str
    title: str
    description: str
    starts_on: dt.date | None
    ends_on: dt.date | None
    when_text: str
    times_per_year: str
    source: str


class WheelOut(Schema):
    title: str
    month: int | None
    times_per_year: str
    source: str


class AgreementOut(Schema):
    kind: str
    status: str
    title: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    period_note: str
    content: str
    source: str
    wheel: list[WheelOut]


class PairDetailOut(PairOut):
    timeline: list[CoordinationEventOut]
    agreements: list[AgreementOut]


class AssessmentIn(Schema):
    form: Line(40)
    present: bool | None = None
    degree: Line(10) = ""
    as_of: Day
    source: Line(200) = ""


class EventIn(Schema):
    kind: Line(30)
    title: Line(300)
    starts_on: Day | None = None
    description: Text(10_000) = ""
    form: Line(40) = ""


class AgreementIn(Schema):
    kind: Line(20)
    status: Line(20)
    title: Line(200)
    valid_from: Day | None = None
    valid_to: Day | None = None
    content: Text(20_000) = ""


class AgreementCreatedOut(AgreementOut):
    id: int


class WheelIn(Schema):
    title: Line(200)
    month: int | None = Field(None, ge=1, le=12)
    times_per_year: Line(20) = ""


class ProgrammeOut(Schema):
    name: str
    kind: str
    office: str
    agency: str
    municipality_count: int | None
    count_text: str
    status_note: str
    overlap_note: str
    source: str
    members: list[str]
    members_note: str


def _cell(a) -> dict:
    return {
        "form": a.form,
        "label": a.label,
        "present": a.present,
        "degree": a.degree or None,
        "printed_value": a.printed_value,
        "footnote": a.footnote,
        "as_of": a.as_of,
        "source": a.source,
    }


def _pair_out(pair, assessments: dict | None = None, ladders: dict | None = None) -> dict:
    """A pair's row; a list passes every pair's assessments and ladder steps, read in bulk."""
    if assessments is None or ladders is None:
        assessments = selectors.current_assessments_of([pair])
        ladders = selectors.current_ladders_of([pair])
    ladder = ladders.get(pair.pk)
    return {
        "slug": pair.slug,
        "region": pair.region,
        "imdi_office": pair.imdi_office.code,
        "husbanken_office": pair.husbanken_office.code,
        "name": str(pair),
        "ladder_level": ladder.level if ladder else None,
        "ladder_lower_bound": ladder.lower_bound if ladder else None,
        "forms": {f: _cell(a) for f, a in assessments.get(pair.pk, {}).items()},
    }


def _pair(slug: str):
    return selectors.pair_by_slug(slug)


@router.get("/pairs", response=answers({200: list[PairOut]}, 401))
def pairs(request):
    """Every office pair with its current value per coordination form and its ladder step."""
    pairs = list(selectors.office_pairs())
    assessments = selectors.current_assessments_of(pairs)
    ladders = selectors.current_ladders_of(pairs)
    return [_pair_out(p, assessments, ladders) for p in pairs]


@router.get("/pairs/{slug}", response=answers({200: PairDetailOut}, 401, 404, 422))
def pair(request, slug: Slug):
    """One office pair (``hb-vest--imdi-vest``) with its timeline and agreements (annual wheel)."""
    with service_errors("path"):
        found = _pair(slug)
    return {
        **_pair_out(found),
        "timeline": list(selectors.timeline(found)),
        "agreements": [
            {
                **{f: getattr(a, f) for f in AgreementOut.model_fields if f != "wheel"},
                "wheel": list(a.wheel.all()),
            }
            for a in selectors.agreements(found)
        ],  # fmt: skip
    }


@router.post("/pairs/{slug}/assessments", response=answers({201: CellOut}, 400, 401, 403, 404, 422))
def add_assessment(request, slug: Slug, payload: AssessmentIn):
    """Record a newer assessment of one coordination form (staff of the pair)."""
    with service_errors("path"):
        found = _pair(slug)
    with service_errors("body"):
        obj = do_record_assessment(
            request.user, found, payload.form, payload.present, payload.degree, payload.as_of,
            payload.source,
        )  # fmt: skip
    return Status(201, _cell(obj))


@router.post(
    "/pairs/{slug}/events", response=answers({201: CoordinationEventOut}, 400, 401, 403, 404, 422)
)
def add_event(request, slug: Slug, payload: EventIn):
    """Add a dated entry to the pair's timeline (staff of the pair)."""
    with service_errors("path"):
        found = _pair(slug)
    with service_errors("body"):
        obj = do_add_event(
            request.user, found, payload.kind, payload.title, payload.starts_on,
            payload.description, payload.form,
        )  # fmt: skip
    return Status(201, obj)


@router.post(
    "/pairs/{slug}/agreements",
    response=answers({201: AgreementCreatedOut}, 400, 401, 403, 404, 422),
)
def add_agreement(request, slug: Slug, payload: AgreementIn):
    """Register a cooperation agreement or activity plan with its period (staff of the pair)."""
    with service_errors("path"):
        found = _pair(slug)
    with service_errors("body"):
        obj = do_add_agreement(request.user, found, **payload.dict())
    return Status(
        201,
        {
            **{f: getattr(obj, f) for f in AgreementCreatedOut.model_fields if f != "wheel"},
            "wheel": [],
        },
    )


@router.post(
    "/agreements/{agreement_id}/wheel", response=answers({201: WheelOut}, 400, 401, 403, 404, 422)
)
def add_wheel_item(request, agreement_id: Id, payload: WheelIn):
    """Add a recurring activity to an agreement's annual wheel (staff of the pair)."""
    with service_errors("path"):
        agreement = selectors.agreement(agreement_id)
    with service_errors("body"):
        obj = do_add_wheel_item(request.user, agreement, **payload.dict())
    return Status(201, obj)


@router.get("/programmes", response=answers({200: list[ProgrammeOut]}, 401))
def programmes(request):
    """Both agencies' municipal programmes with printed counts; members only where named."""
    rows = []
    for p in selectors.programmes():
        members = [
            m.municipality.number + (" (syntetisk)" if m.synthetic else "") for m in p.member_rows
        ]
        rows.append(
            {
                "name": p.name,
                "kind": p.kind,
                "office": p.office.code,
                "agency": p.office.agency,
                "municipality_count": p.municipality_count,
                "count_text": p.count_text,
                "status_note": p.status_note,
                "overlap_note": p.overlap_note,
                "source": p.source,
                "members": members,
                "members_note": "" if members else "Medlemskap er ikke i dataene.",
            }
        )
    return rows
