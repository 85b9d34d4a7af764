"""Knowledge API: the good-practice library, full-text search and comparable-municipality search.

Refusal policy: 401 without login/token; every logged-in user may read; adding an example needs
IMDi, Husbanken or the municipality itself with the municipality in scope (403 otherwise); 404 for
an unknown example or municipality; 422 names a bad field.
"""

from __future__ import annotations

from typing import Any

from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from bosetting.api._errors import answers, service_errors
from bosetting.api._fields import Count, Line, MunicipalityNumber, Slug, Text
from bosetting.api._paging import DEFAULT_PAGE, MAX_PAGE
from bosetting.apps.knowledge import selectors
from bosetting.apps.knowledge.services import do_save_example

PREFIX = "knowledge"
router = Router(tags=["knowledge"])


class ExampleOut(Schema):
    slug: str
    title: str
    municipality_number: str
    municipality_name: str
    problem: str
    solution: str
    organisation: str
    instruments: list[str]
    results: str
    population: int | None
    population_note: str
    settled_per_year: int | None
    settled_note: str
    immigrant_share_pct: float | None
    municipal_dwellings: int | None
    housing_note: str
    labour_market: str
    economy: str
    intro_to_work_pct: float | None
    source: str
    citations: dict[str, str]
    verification: list[dict[str, Any]]
    synthetic: bool


class SearchHit(Schema):
    rank: float
    example: ExampleOut


class FeatureOut(Schema):
    feature: str
    label: str
    target: str
    other: str
    dz: float | None
    closeness: str


class ComparableOut(Schema):
    distance: float
    similarity: float
    close: list[str]
    far: list[str]
    features: list[FeatureOut]
    example: ExampleOut


class ExampleIn(Schema):
    municipality: MunicipalityNumber
    title: Line(200)
    problem: Text(10_000)
    solution: Text(10_000)
    organisation: Text(10_000) = ""
    instruments: list[Line(200)] = Field([], max_length=50)
    results: Text(10_000) = ""
    population: Count | None = None
    settled_per_year: Count | None = None
    municipal_dwellings: Count | None = None
    labour_market: Text(10_000) = ""
    economy: Text(10_000) = ""
    source: Line(200) = ""


def _out(item) -> dict:
    data = {f: getattr(item, f) for f in ExampleOut.model_fields if hasattr(item, f)}
    data["municipality_number"] = item.municipality.number
    data["municipality_name"] = item.municipality.name
    return data


@router.get("/examples", response=answers({200: list[SearchHit]}, 401, 422))
def examples(
    request,
    q: Line(200, description="Full-text search.") = "",
    limit: int = Query(DEFAULT_PAGE, ge=1, le=MAX_PAGE, description="At most this many (1 … 500)."),
):
    """Examples, best match first when ``q`` is given (PostgreSQL text search or the SQLite
    fallback); at most ``limit``."""
    hits = selectors.search(q, limit=limit)
    return [{"rank": rank, "example": _out(item)} for item, rank in hits]


@router.get("/examples/{slug}", response=answers({200: ExampleOut}, 401, 404, 422))
def example(request, slug: Slug):
    with service_errors("path"):
        return _out(selectors.example(slug))


@router.post("/examples", response=answers({201: ExampleOut}, 400, 401, 403, 404, 422))
def create_example(request, payload: ExampleIn):
    """Add an example for a municipality in the user's scope."""
    values = payload.dict()
    number = values.pop("municipality")
    with service_errors("body"):
        item = do_save_example(request.user, number, values)
    return Status(201, _out(item))


@router.get("/comparable/{number}", response=answers({200: list[ComparableOut]}, 401, 404, 422))
def comparable(request, number: MunicipalityNumber, limit: int = Query(10, ge=1, le=100)):
    """Examples from the municipalities most like ``number`` (size, settlement volume, housing
    stock, labour market: standardised, weighted distance), nearest first, with what is close and
    what is far."""
    with service_errors("path"):
        results = selectors.comparable_examples(number, limit=limit)
    return [{**r, "example": _out(r["example"])} for r in results]
