"""IMDi's requests to municipalities (anmodning): read within the user's scope (every role that sees
decisions), registered by IMDi only — the same services and rules as the planning pages."""

from datetime import date
from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from bosetting.api._errors import answers, service_errors
from bosetting.api._fields import Day, Id, MunicipalityNumber, Year
from bosetting.api._paging import Page
from bosetting.apps.planning.selectors import requests_for
from bosetting.apps.planning.services import do_register_request

PREFIX = "requests"
MAX_PERSONS = 100_000
"""More persons than any municipality could be asked to settle in a year: a typing slip."""
router = Router(tags=["requests"])


class RequestOut(Schema):
    id: int
    municipality_number: str = Field(..., alias="municipality.number")
    municipality_name: str = Field(..., alias="municipality.name")
    year: int
    persons: int
    uam_persons: int = Field(..., description="Of which unaccompanied minors.")
    period_start: int | None
    period_years: int
    sent_on: date | None
    supplementary: bool
    provenance: str
    version: int = Field(..., description="Goes up with every change.")


class RequestFilters(Schema):
    year: Year | None = None
    municipality: MunicipalityNumber | None = None
    supplementary: bool | None = None


class RequestIn(Schema):
    municipality_number: MunicipalityNumber
    year: Year
    persons: int = Field(..., ge=0, le=MAX_PERSONS, description="Persons per year.")
    uam_persons: int = Field(0, ge=0, le=MAX_PERSONS, description="Of which unaccompanied minors.")
    sent_on: Day | None = None
    period_years: Literal[1, 3] = Field(1, description="3: one row per year from ``year``.")
    supplementary: bool = Field(False, description="A supplementary request (tilleggsanmodning).")
    replace: bool = Field(
        False,
        description="Replace requests already registered for these years (else 409 naming them).",
    )


@router.get("", response=answers({200: list[RequestOut]}, 401, 422))
@paginate(Page)
def list_requests(request, filters: Query[RequestFilters]):
    """Requests within the user's scope, by year and municipality."""
    qs = requests_for(request.user)
    if filters.year is not None:
        qs = qs.filter(year=filters.year)
    if filters.municipality:
        qs = qs.filter(municipality__number=filters.municipality)
    if filters.supplementary is not None:
        qs = qs.filter(supplementary=filters.supplementary)
    return qs.order_by("year", "municipality__number", "id")


@router.get("/{request_id}", response=answers({200: RequestOut}, 401, 404, 422))
def get_request(request, request_id: Id):
    """One request; 404 outside the user's scope."""
    return get_object_or_404(requests_for(request.user), pk=request_id)


@router.post("", response=answers({201: list[RequestOut]}, 400, 401, 403, 409, 422))
def register_request(request, payload: RequestIn):
    """Register a request: IMDi within its scope (else 403). A three-year request creates one row per
    year. A year that has a request already is 409 naming it, and nothing is written, unless
    ``replace`` is true. Audited."""
    with service_errors():
        rows = do_register_request(request.user, **payload.dict())
    return Status(201, list(requests_for(request.user).filter(pk__in=[r.pk for r in rows])))
