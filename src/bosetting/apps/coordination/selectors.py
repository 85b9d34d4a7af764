"""Reads of coordination data. Coordination between the agencies is not personal data: every
logged-in user may read it. The municipality overview lives in ``overview.py`` (scoped)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Prefetch, QuerySet

from bosetting.apps.coordination.models import (
    FORM_ORDER,
    Agreement,
    CoordinationAssessment,
    CoordinationEvent,
    CoordinationForm,
    LadderAssessment,
    OfficePair,
    Programme,
)
from bosetting.apps.geo.models import County, RegionalOffice
from bosetting.apps.geo.selectors import coverages_on

DEFAULT_DAY = date(2014, 12, 31)


def office_pairs() -> QuerySet[OfficePair]:
    return OfficePair.objects.select_related("imdi_office", "husbanken_office")


def pair_by_slug(slug: str) -> OfficePair:
    """The pair ``<husbanken code>--<imdi code>``; raises ``OfficePair.DoesNotExist``."""
    hb, _, imdi = slug.partition("--")
    return office_pairs().get(husbanken_office__code=hb, imdi_office__code=imdi)


def current_assessments(
    pair: OfficePair, on: date | None = None
) -> dict[str, CoordinationAssessment]:
    """The latest assessment of each coordination form for a pair (on or before ``on``)."""
    qs = CoordinationAssessment.objects.filter(pair=pair)
    if on is not None:
        qs = qs.filter(as_of__lte=on)
    latest: dict[str, CoordinationAssessment] = {}
    for item in qs.order_by("form", "-as_of", "-pk"):
        latest.setdefault(item.form, item)
    return latest


def assessment_history(pair: OfficePair) -> QuerySet[CoordinationAssessment]:
    return CoordinationAssessment.objects.filter(pair=pair).order_by("form", "as_of", "pk")


def current_ladder(pair: OfficePair) -> LadderAssessment | None:
    return LadderAssessment.objects.filter(pair=pair).order_by("-as_of", "-pk").first()


def coordination_matrix(on: date | None = None) -> list[dict]:
    """Table 5.2 as rows: each office pair with its current value per coordination form, ladder."""
    rows = []
    for pair in office_pairs():
        current = current_assessments(pair, on)
        ladder = current_ladder(pair)
        rows.append(
            {
                "pair": pair,
                "cells": [current.get(form) for form in FORM_ORDER],
                "by_form": current,
                "ladder": ladder,
            }
        )
    return rows


def form_labels() -> list[tuple[str, str]]:
    return list(CoordinationForm.choices)


def timeline(pair: OfficePair) -> QuerySet[CoordinationEvent]:
    """Dated entries first (by date), then undated ones."""
    from django.db.models import F

    return (
        CoordinationEvent.objects.filter(pair=pair)
        .prefetch_related("offices")
        .order_by(F("starts_on").asc(nulls_last=True), "pk")
    )


def agreements(pair: OfficePair) -> QuerySet[Agreement]:
    return Agreement.objects.filter(pair=pair).prefetch_related("wheel")


def programmes(office_codes: list[str] | None = None) -> QuerySet[Programme]:
    qs = Programme.objects.select_related("office").prefetch_related(
        Prefetch("memberships", to_attr="member_rows")
    )
    if office_codes is not None:
        qs = qs.filter(office__code__in=office_codes)
    return qs


def programmes_by_region() -> list[dict]:
    """Programmes grouped by part of the country, with IMDi's and Husbanken's side by side."""
    groups: dict[str, dict[str, list[Programme]]] = defaultdict(
        lambda: {"imdi": [], "husbanken": []}
    )
    for prog in programmes():
        groups[prog.office.part_of_country][prog.office.agency].append(prog)
    order = ["øst", "sør", "vest", "midt", "nord"]
    return [{"region": r, **groups[r]} for r in order if r in groups]


# --- Table 5.1: regional structures -------------------------------------------------------------


def _office_counties(day: date) -> dict[str, set[str]]:
    counties: dict[str, set[str]] = defaultdict(set)
    for cov in coverages_on(day):
        counties[cov.office.code].add(cov.county.number)
    return counties


def county_offices(day: date | None = None) -> list[dict]:
    """Each 2014 county with the IMDi and Husbanken offices covering it and whether the two maps line
    up there (the offices cover exactly the same counties)."""
    day = day or DEFAULT_DAY
    office_counties = _office_counties(day)
    by_county: dict[str, dict] = {}
    for cov in coverages_on(day).order_by("county__number", "office__code"):
        entry = by_county.setdefault(
            cov.county.number,
            {"county": cov.county, "imdi": [], "husbanken": [], "partial": []},
        )
        entry[cov.office.agency].append(cov.office)
        if cov.partial:
            entry["partial"].append({"office": cov.office, "area_note": cov.area_note})
    rows = []
    for number in sorted(by_county):
        entry = by_county[number]
        aligned = all(
            office_counties[i.code] == office_counties[h.code]
            for i in entry["imdi"]
            for h in entry["husbanken"]
        )
        rows.append({**entry, "aligned": aligned})
    return rows


def overlaps(day: date | None = None) -> list[dict]:
    """Counties where the agencies' maps do not line up: one row per county and office pair, naming
    the counties each office covers and the counties only one of them covers."""
    day = day or DEFAULT_DAY
    office_counties = _office_counties(day)
    names = {c.number: c.name for c in County.objects.filter(structure_year=2014)}
    rows = []
    for entry in county_offices(day):
        if entry["aligned"]:
            continue
        for imdi in entry["imdi"]:
            for hb in entry["husbanken"]:
                i_set, h_set = office_counties[imdi.code], office_counties[hb.code]
                if i_set == h_set:
                    continue
                rows.append(
                    {
                        "county_number": entry["county"].number,
                        "county_name": entry["county"].name,
                        "part_of_country": hb.part_of_country,
                        "imdi_office": imdi.code,
                        "imdi_office_name": imdi.name,
                        "husbanken_office": hb.code,
                        "husbanken_office_name": hb.name,
                        "imdi_counties": sorted(i_set),
                        "husbanken_counties": sorted(h_set),
                        "only_imdi": [names.get(n, n) for n in sorted(i_set - h_set)],
                        "only_husbanken": [names.get(n, n) for n in sorted(h_set - i_set)],
                        "partial": [p["area_note"] for p in entry["partial"]],
                    }
                )
    return rows


def offices() -> QuerySet[RegionalOffice]:
    return RegionalOffice.objects.all()
