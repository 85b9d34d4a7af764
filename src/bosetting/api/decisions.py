"""Council decisions (vedtak): list within the user's scope, register (municipality itself or IMDi)."""

from datetime import date
from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from bosetting.api._errors import answers, service_errors
from bosetting.api._fields import Day, Id, MunicipalityNumber, Text, Year
from bosetting.api._paging import Page
from bosetting.apps.planning.selectors import decisions_for, with_requested_persons
from bosetting.apps.planning.services import do_register_decision
from bosetting.engine.rules.kpi import classify_decision

PREFIX = "decisions"
MAX_PERSONS = 100_000
"""More persons than any municipality could settle in a year: a typing slip."""
router = Router(tags=["decisions"])


class DecisionOut(Schema):
    id: int
    municipality_number: str = Field(..., alias="municipality.number")
    municipality_name: str = Field(..., alias="municipality.name")
    year: int
    persons: int
    uam_persons: int
    decided_on: date | None
    period_start: int | None
    period_years: int
    note: str
    provenance: str
    requested_persons: int | None = Field(
        None, description="IMDi's request(s) to the municipality for the year, summed."
    )
    classification: str = Field(
        ..., description="Table 2.4: in_line, fewer, none (decided to settle none)."
    )

    @staticmethod
    def resolve_classification(obj) -> str:

        return classify_decision(getattr(obj, "requested_persons", None), obj.persons)


class DecisionFilters(Schema):
    year: Year | None = None
    municipality: MunicipalityNumber | None = None
    provenance: Literal["real", "demo", "entered", "imported"] | None = None


class DecisionIn(Schema):
    municipality_number: MunicipalityNumber
    replace: bool = Field(
        False,
        description="Replace decisions already registered for these years (else 409 naming them).",
    )
    year: Year
    persons: int = Field(
        ..., ge=0, le=MAX_PERSONS, description="Persons per year (0: decided to settle none)."
    )
    uam_persons: int = Field(0, ge=0, le=MAX_PERSONS, description="Of which unaccompanied minors.")
    decided_on: Day | None = None
    period_years: Literal[1, 3] = Field(1, description="3: one row per year from ``year``.")
    note: Text(2000) = ""


@router.get("", response=answers({200: list[DecisionOut]}, 401, 422))
@paginate(Page)
def list_decisions(request, filters: Query[DecisionFilters]):
    """Council decisions within the user's scope (every role with a scope may read them)."""

    qs = decisions_for(request.user)
    if filters.year is not None:
        qs = qs.filter(year=filters.year)
    if filters.municipality:
        qs = qs.filter(municipality__number=filters.municipality)
    if filters.provenance:
        qs = qs.filter(provenance=filters.provenance)
    return with_requested_persons(qs.order_by("year", "municipality__number", "id"))


@router.get("/{decision_id}", response=answers({200: DecisionOut}, 401, 404, 422))
def get_decision(request, decision_id: Id):
    """One decision; 404 outside the user's scope."""

    return get_object_or_404(with_requested_persons(decisions_for(request.user)), pk=decision_id)


@router.post("", response=answers({201: list[DecisionOut]}, 400, 401, 403, 409, 422))
def register_decision(request, payload: DecisionIn):
    """Register a council decision: the municipality itself, or IMDi within its scope (else 403). A
    three-year decision creates one row per year. A year that has a decision already is 409 with a
    message naming it, and nothing is written, unless ``replace`` is true. Audited."""

    with service_errors():
        rows = do_register_decision(request.user, **payload.dict())
    return Status(
        201,
        list(
            with_requested_persons(decisions_for(request.user)).filter(pk__in=[r.pk for r in rows])
        ),
    )
