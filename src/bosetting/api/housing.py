"""Housing units ("boliger"): ``GET|POST /api/units``, ``GET|PATCH /api/units/{id}``.

Reading needs housing rights (IMDi, municipal officers, Husbanken; within their municipalities); county
governors and analysts get 403. Writing: municipal officers in their own municipality and IMDi
national; other roles get 403. A unit outside the reader's scope is 404. POST and PATCH run the model's
rules (``full_clean``), so a negative rent or a unit for nobody is 422 naming the field.
"""

from datetime import date
from typing import Annotated

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status

from bosetting import clock
from bosetting.api._errors import answers, forbid, service_errors, validation_422
from bosetting.api._fields import MAX_NOK, Day, Id, Line, MunicipalityNumber
from bosetting.api._paging import Page
from bosetting.apps.geo.selectors import municipalities
from bosetting.apps.housing.choices import UnitKind
from bosetting.apps.housing.selectors import (
    available_within,
    may_read_housing,
    may_write_housing,
    units_for,
)
from bosetting.apps.housing.services import do_create_unit, do_update_unit
from bosetting.reference.structure import structure_year_for

PREFIX = "units"
router = Router(tags=["housing"])

NO_HOUSING = "Rollen din gir ikke tilgang til boliger."
NO_HOUSING_WRITE = "Rollen din kan ikke registrere eller endre boliger."
MAX_OCCUPANTS = 100
"""More people than any unit (a shared one included) houses: a typing slip."""


class UnitOut(Schema):
    id: int
    code: str
    municipality_number: str = Field(..., alias="municipality.number")
    municipality_name: str = Field(..., alias="municipality.name")
    kind: UnitKind
    bedrooms: int
    max_occupants: int
    beds: int
    zone: str
    accessible: bool
    available_from: date | None
    rent_nok: int | None
    flag_damp_mould: bool
    flag_unsuitable_children: bool
    flag_heavy_environment: bool
    synthetic: bool
    version: int = Field(
        ..., description="Send it back with a change: a unit changed since is 409."
    )


Occupants = Annotated[int, Field(le=MAX_OCCUPANTS)]


class UnitIn(Schema):
    municipality: MunicipalityNumber = Field(
        ..., description="Kommunenummer (the municipal structure of the business date's year)."
    )
    code: Line(40)
    kind: UnitKind
    bedrooms: int = Field(..., ge=0, le=MAX_OCCUPANTS)
    max_occupants: Occupants
    beds: Occupants = 1
    zone: Line(40)
    accessible: bool = False
    available_from: Day | None = None
    rent_nok: int | None = Field(None, le=MAX_NOK, description="Monthly rent; never negative.")
    flag_damp_mould: bool = False
    flag_unsuitable_children: bool = False
    flag_heavy_environment: bool = False


class UnitPatch(Schema):
    kind: UnitKind | None = None
    bedrooms: Occupants | None = None
    max_occupants: Occupants | None = None
    beds: Occupants | None = None
    zone: Line(40) | None = None
    accessible: bool | None = None
    available_from: Day | None = None
    rent_nok: int | None = Field(None, le=MAX_NOK)
    flag_damp_mould: bool | None = None
    flag_unsuitable_children: bool | None = None
    flag_heavy_environment: bool | None = None
    version: Id | None = Field(
        None, description="The `version` read; 409 if someone changed the unit since."
    )


class UnitFilters(Schema):
    municipality: MunicipalityNumber | None = None
    kind: UnitKind | None = None
    available: bool | None = Field(
        None, description="Only units available (reported free and not let) by `available_by`."
    )
    available_by: Day | None = Field(None, description="Default: today (the demo's business date).")
    min_occupants: int | None = Field(None, ge=0, le=MAX_OCCUPANTS)


def _require_housing(request: HttpRequest) -> None:
    if not may_read_housing(request.user):
        forbid(NO_HOUSING)


@router.get("", response=answers({200: list[UnitOut]}, 401, 403, 422))
@paginate(Page)
def list_units(request: HttpRequest, filters: Query[UnitFilters]):
    """Units in the user's scope, filtered by municipality, kind, availability and size."""
    _require_housing(request)
    qs = units_for(request.user)
    if filters.municipality:
        qs = qs.filter(municipality__number=filters.municipality)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.min_occupants:
        qs = qs.filter(max_occupants__gte=filters.min_occupants)
    if filters.available is not None:
        day = filters.available_by or clock.today()
        free = available_within(qs, day, day).values("pk")
        qs = qs.filter(pk__in=free) if filters.available else qs.exclude(pk__in=free)
    return qs


@router.post("", response=answers({201: UnitOut}, 400, 401, 403, 422))
def create_unit(request: HttpRequest, payload: UnitIn):
    """Register a unit. Municipal officers only in their own municipality."""
    if not may_write_housing(request.user):
        forbid(NO_HOUSING_WRITE)
    structure_year = structure_year_for(clock.today().year)
    municipality = municipalities(structure_year).filter(number=payload.municipality).first()
    if municipality is None:
        raise validation_422(ValidationError({"municipality": "Ukjent kommunenummer."}))
    fields = payload.dict(exclude={"municipality"})
    with service_errors():
        unit = do_create_unit(request.user, municipality, **fields)
    return Status(201, unit)


def _unit_or_404(request: HttpRequest, unit_id: Id):
    _require_housing(request)
    unit = units_for(request.user).filter(pk=unit_id).first()
    if unit is None:
        raise HttpError(404, "Boligen finnes ikke, eller du har ikke tilgang til den.")
    return unit


@router.get("/{unit_id}", response=answers({200: UnitOut}, 401, 403, 404, 422))
def get_unit(request: HttpRequest, unit_id: Id):
    return _unit_or_404(request, unit_id)


@router.patch("/{unit_id}", response=answers({200: UnitOut}, 400, 401, 403, 404, 409, 422))
def update_unit(request: HttpRequest, unit_id: Id, payload: UnitPatch):
    """Change a unit's fields (those sent)."""
    unit = _unit_or_404(request, unit_id)
    if not may_write_housing(request.user):
        forbid(NO_HOUSING_WRITE)
    with service_errors():
        changes = payload.dict(exclude_unset=True)
        version = changes.pop("version", None)
        return do_update_unit(request.user, unit, expected_version=version, **changes)
