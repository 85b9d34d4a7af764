"""Reads of coordination data.

Coordination between the agencies is not personal data: every logged-in user may read the office
pairs, their coordination forms, timelines, agreements and programmes. The joint view of one
municipality (:func:`municipality_overview`) holds aggregates only — counts, never a household or a
person — and is readable by users whose scope covers the municipality.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import F, Prefetch, QuerySet, Sum
from django.utils.translation import gettext as _

from bosetting import clock
from bosetting.apps.accounts.choices import Role
from bosetting.apps.accounts.selectors import county_contacts, office_contacts, scope_for
from bosetting.apps.cases.choices import CaseStatus
from bosetting.apps.cases.selectors import household_status_counts, households_without_unit
from bosetting.apps.coordination.models import (
    FORM_ORDER,
    Agreement,
    CoordinationAssessment,
    CoordinationEvent,
    CoordinationForm,
    JointReport,
    LadderAssessment,
    OfficePair,
    Programme,
    ProgrammeMembership,
)
from bosetting.apps.geo import selectors as geo
from bosetting.apps.housing.choices import UnitKind
from bosetting.apps.housing.selectors import gap_for, unit_summary
from bosetting.apps.matching.selectors import proposal_counts
from bosetting.apps.planning.selectors import decisions_for, reported_settlements, requests_for
from bosetting.engine.rules.pilots import pilot_for
from bosetting.reference.structure import structure_year_for

#: The day the report's regional structures (Table 5.1) describe: the data's day, not today.
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


def current_assessments_of(
    pairs: Collection[OfficePair],
) -> dict[int, dict[str, CoordinationAssessment]]:
    """:func:`current_assessments` of many pairs in one query, by pair id."""
    latest: dict[int, dict[str, CoordinationAssessment]] = defaultdict(dict)
    qs = CoordinationAssessment.objects.filter(pair__in=[p.pk for p in pairs])
    for item in qs.order_by("pair_id", "form", "-as_of", "-pk"):
        latest[item.pair_id].setdefault(item.form, item)
    return latest


def current_ladders_of(pairs: Collection[OfficePair]) -> dict[int, LadderAssessment]:
    """:func:`current_ladder` of many pairs in one query, by pair id (pairs without one left out)."""
    latest: dict[int, LadderAssessment] = {}
    qs = LadderAssessment.objects.filter(pair__in=[p.pk for p in pairs])
    for item in qs.order_by("pair_id", "-as_of", "-pk"):
        latest.setdefault(item.pair_id, item)
    return latest


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
    return (
        CoordinationEvent.objects.filter(pair=pair)
        .prefetch_related("offices")
        .order_by(F("starts_on").asc(nulls_last=True), "pk")
    )


def agreements(pair: OfficePair) -> QuerySet[Agreement]:
    return Agreement.objects.filter(pair=pair).prefetch_related("wheel")


def agreement(pk: int) -> Agreement:
    """An agreement or activity plan with its office pair; raises ``Agreement.DoesNotExist``."""
    return Agreement.objects.select_related("pair").get(pk=pk)


def programmes(office_codes: list[str] | None = None) -> QuerySet[Programme]:
    qs = Programme.objects.select_related("office").prefetch_related(
        Prefetch(
            "memberships",
            queryset=ProgrammeMembership.objects.select_related("municipality"),
            to_attr="member_rows",
        )
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
    for cov in geo.coverages_on(day):
        counties[cov.office.code].add(cov.county.number)
    return counties


def county_offices(day: date | None = None) -> list[dict]:
    """Each 2014 county with the IMDi and Husbanken offices covering it and whether the two maps line
    up there (the offices cover exactly the same counties)."""
    day = day or DEFAULT_DAY
    office_counties = _office_counties(day)
    by_county: dict[str, dict] = {}
    for cov in geo.coverages_on(day).order_by("county__number", "office__code"):
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
        imdi = entry["imdi"][0] if entry["imdi"] else None
        rows.append(
            {**entry, "aligned": aligned, "authority": settlement_authority_periods(number, imdi)}
        )
    return rows


def overlaps(day: date | None = None) -> list[dict]:
    """Counties where the agencies' maps do not line up: one row per county and office pair, naming
    the counties each office covers and the counties only one of them covers."""
    day = day or DEFAULT_DAY
    office_counties = _office_counties(day)
    names = {c.number: c.name for c in geo.counties(structure_year_for(day.year))}
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


def offices():
    """Every regional office of both agencies (``geo``), by agency and code."""
    return geo.regional_offices()


# --- The joint view of one municipality -----------------------------------------------------------
# What IMDi knows beside what Husbanken knows, both agencies' regional offices and contacts, and the
# county governor — the view the report says municipalities never get (L2966–2967, L3017–3022,
# L3338–3340). Aggregates only, read through the owning apps' selectors.

YEARS = (2012, 2013, 2014, 2015)
#: Households proposed to, accepted by or being prepared for the municipality: waiting to move in.
WAITING_STATUSES = (CaseStatus.PROPOSED, CaseStatus.ACCEPTED, CaseStatus.PREPARING)
#: Days ahead in which a unit counts as available in the joint view.
AVAILABLE_WITHIN_DAYS = 90


def settlement_authority_periods(
    county_number: str, imdi_office, day: date | None = None
) -> list[dict]:
    """Who holds the regional settlement role in a county, and when ("bosettingsmyndighet"): IMDi's
    regional office, except while a county-governor pilot runs there (``engine.rules.pilots``, the
    one definition the matching and the lifecycle use too). Rows ``{"holder", "start", "end",
    "current", "sources"}`` in date order; ``start``/``end`` None are open ends; ``current`` marks
    the row that holds on ``day`` (default: the business date)."""
    day = day or clock.today()
    imdi_name = imdi_office.name if imdi_office is not None else "IMDi"
    pilot = pilot_for(county_number)
    if pilot is None:
        return [{"holder": imdi_name, "start": None, "end": None, "current": True, "sources": ()}]
    governor = _("Fylkesmannen i %(county)s") % {"county": pilot.name}
    rows = [
        {"holder": imdi_name, "start": None, "end": pilot.start - timedelta(days=1), "sources": ()},
        {"holder": governor, "start": pilot.start, "end": pilot.end, "sources": pilot.sources},
        {"holder": imdi_name, "start": pilot.end + timedelta(days=1), "end": None, "sources": ()},
    ]
    for row in rows:
        row["current"] = (row["start"] is None or row["start"] <= day) and (
            row["end"] is None or day <= row["end"]
        )
    return rows


def can_view_overview(user, number: str) -> bool:
    scope = scope_for(user)
    return scope.aggregates and scope.covers(number)


def _imdi_side(user, municipality) -> dict:
    years = []
    requests = dict(
        requests_for(user)
        .filter(municipality=municipality, year__in=YEARS)
        .values_list("year")
        .annotate(total=Sum("persons"))
    )
    decisions = dict(
        decisions_for(user)
        .filter(municipality=municipality, year__in=YEARS)
        .values_list("year")
        .annotate(total=Sum("persons"))
    )
    settled = dict(
        reported_settlements(YEARS, municipality.structure_year)
        .filter(municipality=municipality)
        .values_list("year", "persons")
    )
    for year in YEARS:
        years.append(
            {
                "year": year,
                "requested": requests.get(year),
                "decided": decisions.get(year),
                "settled": settled.get(year),
            }
        )
    statuses = household_status_counts(municipality)
    proposals = proposal_counts(municipality)
    return {
        "years": years,
        "households_by_status": [
            {"status": str(label), "code": code, "n": statuses.get(code, 0)}
            for code, label in CaseStatus.choices
            if statuses.get(code)
        ],
        "households_waiting": sum(statuses.get(s, 0) for s in WAITING_STATUSES),
        "households_settled": statuses.get(CaseStatus.SETTLED, 0)
        + statuses.get(CaseStatus.FOLLOW_UP, 0),
        "proposals_sent": proposals["sent"],
        "proposals_declined": proposals["declined"],
        "decline_reasons": proposals["decline_reasons"],
    }


def _husbanken_side(user, municipality, office_codes: list[str]) -> dict:
    today = clock.today()
    units = unit_summary(municipality, today, today + timedelta(days=AVAILABLE_WITHIN_DAYS))
    needing = households_without_unit(municipality, WAITING_STATUSES)
    gap_year = today.year
    try:
        gap = gap_for(user, f"municipality:{municipality.number}", gap_year)
        missing = {band: round(v) for band, v in gap.total.missing.items()}
    except (PermissionDenied, ValueError):  # outside the housing scope, or no data for the year
        missing = None
    named = list(
        ProgrammeMembership.objects.filter(municipality=municipality).select_related(
            "programme", "programme__office"
        )
    )
    return {
        "units_total": units["total"],
        "units_by_kind": [
            {"kind": str(label), "n": units["by_kind"].get(code, 0)}
            for code, label in UnitKind.choices
            if units["by_kind"].get(code)
        ],
        "units_available": units["available"],
        "units_available_window": f"{today:%Y-%m-%d} + {AVAILABLE_WITHIN_DAYS} dager",
        "households_without_unit": needing,
        "housing_gap": sum(missing.values()) if missing else max(needing - units["available"], 0),
        "housing_gap_by_size": missing,
        "housing_gap_year": gap_year,
        "units_synthetic": units["synthetic"],
        "memberships": [
            {
                "programme": m.programme.name,
                "office": m.programme.office.name,
                "agency": m.programme.office.agency,
                "synthetic": m.synthetic,
                "source": m.source,
            }
            for m in named
        ],
        "regional_programmes": [
            {
                "name": p.name,
                "office": p.office.name,
                "agency": p.office.agency,
                "count": p.municipality_count,
                "count_text": p.count_text,
                "source": p.source,
                "members_named": len(p.member_rows),
            }
            for p in programmes(office_codes)
        ],
    }


def _aligned(municipality, imdi, hb) -> bool:
    for row in county_offices():
        if row["county"].number == municipality.county.number:
            return row["aligned"]
    return imdi is not None and hb is not None


def municipality_overview(user, number: str) -> dict:
    """Both agencies' knowledge of one municipality (2014 structure).

    Raises:
        PermissionDenied: the municipality is outside the user's scope.
        ObjectDoesNotExist: no municipality has this number (``geo``'s ``Municipality.DoesNotExist``).
    """
    municipality = geo.municipality(number)
    if not can_view_overview(user, number):
        raise PermissionDenied("Kommunen er utenfor ditt område.")
    offices_of = geo.offices_for_municipality(municipality)
    imdi, hb = offices_of.get("imdi"), offices_of.get("husbanken")
    population = geo.latest_population(municipality)
    pair = (
        OfficePair.objects.filter(imdi_office=imdi, husbanken_office=hb).first()
        if imdi and hb
        else None
    )
    county = municipality.county
    reports = list(JointReport.objects.filter(municipality=municipality).order_by("-year")[:3])
    return {
        "municipality": municipality,
        "population": population[0] if population else None,
        "population_year": population[1] if population else None,
        "offices": {
            "imdi": imdi,
            "husbanken": hb,
            "imdi_contacts": office_contacts(imdi) if imdi else [],
            "husbanken_contacts": office_contacts(hb) if hb else [],
        },
        "county_governor": {
            "county": county,
            "contacts": county_contacts(Role.COUNTY_GOVERNOR, county),
            "pilot": pilot_for(county.number) is not None,
            "pilot_note": _(
                "Fylkesmannen overtar IMDis rolle i bosettingen 2015–2016 (forsøk, "
                "Fafo 2015 L3160–3163)"
            )
            if pilot_for(county.number) is not None
            else "",
        },
        "authority": settlement_authority_periods(county.number, imdi),
        "pair": pair,
        "pair_assessments": current_assessments(pair) if pair else {},
        "pair_ladder": current_ladder(pair) if pair else None,
        "maps_aligned": _aligned(municipality, imdi, hb),
        "imdi": _imdi_side(user, municipality),
        "husbanken": _husbanken_side(
            user, municipality, [o.code for o in (imdi, hb) if o is not None]
        ),
        "joint_reports": reports,
    }


def overview_json(data: dict) -> dict:
    """The overview as plain JSON (for the API)."""

    def office(o):
        return {"code": o.code, "name": o.name, "city": o.city} if o else None

    pair = data["pair"]
    return {
        "municipality": {
            "number": data["municipality"].number,
            "name": data["municipality"].name,
            "county_number": data["municipality"].county.number,
            "county_name": data["municipality"].county.name,
            "population": data["population"],
            "population_year": data["population_year"],
        },
        "offices": {
            "imdi": office(data["offices"]["imdi"]),
            "husbanken": office(data["offices"]["husbanken"]),
            "imdi_contacts": data["offices"]["imdi_contacts"],
            "husbanken_contacts": data["offices"]["husbanken_contacts"],
            "maps_aligned": data["maps_aligned"],
        },
        "county_governor": {
            "county": data["county_governor"]["county"].name,
            "contacts": data["county_governor"]["contacts"],
            "pilot": data["county_governor"]["pilot"],
            "pilot_note": str(data["county_governor"]["pilot_note"]),
        },
        "settlement_authority": [
            {
                "holder": str(row["holder"]),
                "start": row["start"].isoformat() if row["start"] else None,
                "end": row["end"].isoformat() if row["end"] else None,
                "current": row["current"],
                "sources": list(row["sources"]),
            }
            for row in data["authority"]
        ],
        "coordination": {
            "pair": str(pair) if pair else None,
            "forms": {
                form: {"value": a.label, "present": a.present, "degree": a.degree or None}
                for form, a in data["pair_assessments"].items()
            },
            "ladder_level": data["pair_ladder"].level if data["pair_ladder"] else None,
        },
        "imdi": data["imdi"],
        "husbanken": data["husbanken"],
        "joint_reports": [
            {
                "year": r.year,
                **{
                    f: getattr(r, f)
                    for f in (
                        "settled_persons",
                        "family_reunified_persons",
                        "planned_settlement_next_year",
                        "introduction_participants",
                        "municipal_dwellings_total",
                        "dwellings_for_refugees",
                        "dwellings_needed_next_year",
                        "start_loans_to_refugees",
                        "settlement_in_housing_plan",
                        "challenges",
                        "help_wanted",
                    )
                },
            }
            for r in data["joint_reports"]
        ],
    }


# --- reads for knowledge -------------------------------------------------------------------------


def latest_municipal_dwellings(municipality) -> int | None:
    """The municipal housing stock ("kommunale boliger i alt") in the municipality's latest joint
    report that gives it, or None. The joint reports are aggregates: unscoped."""
    return latest_municipal_dwellings_of([municipality.pk]).get(municipality.pk)


def latest_municipal_dwellings_of(municipality_ids: Collection[int]) -> dict[int, int]:
    """:func:`latest_municipal_dwellings` of many municipalities in one query, by municipality id
    (those without a report that gives it are left out)."""
    latest: dict[int, int] = {}
    rows = (
        JointReport.objects.filter(
            municipality_id__in=list(municipality_ids), municipal_dwellings_total__isnull=False
        )
        .order_by("municipality_id", "-year")
        .values_list("municipality_id", "municipal_dwellings_total")
    )
    for municipality_id, total in rows:
        latest.setdefault(municipality_id, total)
    return latest
