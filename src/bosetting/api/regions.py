"""Regions API: which IMDi and Husbanken office covers each county and municipality (Table 5.1),
and where the two maps do not line up.

Refusal policy: 401 without login/token; regional structures are public reference data, so every
logged-in user may read them; 404 for an unknown municipality.
"""

from __future__ import annotations

from ninja import Query, Router, Schema

from bosetting.api._errors import answers, service_errors
from bosetting.api._fields import Day, MunicipalityNumber
from bosetting.apps.coordination import selectors as coordination
from bosetting.apps.geo import selectors as geo

PREFIX = "regions"
router = Router(tags=["coordination"])


class OfficeOut(Schema):
    code: str
    name: str
    agency: str
    city: str
    part_of_country: str


class OverlapOut(Schema):
    county_number: str
    county_name: str
    part_of_country: str
    imdi_office: str
    imdi_office_name: str
    husbanken_office: str
    husbanken_office_name: str
    imdi_counties: list[str]
    husbanken_counties: list[str]
    only_imdi: list[str]
    only_husbanken: list[str]
    partial: list[str]


class CountyOut(Schema):
    county_number: str
    county_name: str
    imdi_offices: list[str]
    husbanken_offices: list[str]
    partial: list[str]
    aligned: bool


@router.get("/offices", response=answers({200: list[OfficeOut]}, 401))
def offices(request):
    """The twelve regional offices of the two agencies."""
    return list(coordination.offices())


@router.get("/overlaps", response=answers({200: list[OverlapOut]}, 401, 422))
def overlaps(request, on: Day | None = Query(None, description="Structure valid on this day.")):
    """Counties where the IMDi office and the Husbanken office do not cover the same counties
    (e.g. Vestfold: Husbanken sør but IMDi Øst; Buskerud: Husbanken sør but IMDi Indre Øst)."""
    return coordination.overlaps(on)


@router.get("/counties", response=answers({200: list[CountyOut]}, 401, 422))
def counties(request, on: Day | None = Query(None)):
    """Every 2014 county with both agencies' offices and whether the maps line up there."""
    return [
        {
            "county_number": row["county"].number,
            "county_name": row["county"].name,
            "imdi_offices": [o.code for o in row["imdi"]],
            "husbanken_offices": [o.code for o in row["husbanken"]],
            "partial": [p["area_note"] for p in row["partial"]],
            "aligned": row["aligned"],
        }
        for row in coordination.county_offices(on)
    ]


@router.get(
    "/municipalities/{number}",
    response=answers({200: dict[str, OfficeOut | None]}, 401, 404, 422),
)
def municipality_offices(request, number: MunicipalityNumber):
    """The IMDi and Husbanken office covering one municipality (2014 structure)."""
    with service_errors("path"):
        found = geo.offices_for_municipality(geo.municipality(number))
    return {"imdi": found.get("imdi"), "husbanken": found.get("husbanken")}
