"""Reads of requests and decisions, scoped by the user."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Avg, IntegerField, Max, OuterRef, QuerySet, Subquery, Sum

from bosetting.apps.accounts.selectors import scope_for
from bosetting.apps.geo.selectors import municipalities
from bosetting.apps.planning.models import CouncilDecision, ReportedSettlement, SettlementRequest
from bosetting.engine.rules.kpi import DecisionRecord, RequestRecord, classify_decision
from bosetting.reference.structure import structure_year_for


def _scoped(qs: QuerySet, user) -> QuerySet:
    scope = scope_for(user)
    if not scope.decisions:
        return qs.none()
    if scope.municipality_numbers is not None:
        qs = qs.filter(municipality__number__in=scope.municipality_numbers)
    return qs


def decisions_for(user) -> QuerySet[CouncilDecision]:
    return _scoped(CouncilDecision.objects.select_related("municipality"), user)


def requests_for(user) -> QuerySet[SettlementRequest]:
    return _scoped(SettlementRequest.objects.select_related("municipality"), user)


def period_rows(req: SettlementRequest) -> list[SettlementRequest]:
    """The rows of a request's period, by year (one row for a one-year request)."""
    if req.period_start is None or req.period_years <= 1:
        return [req]
    return list(
        SettlementRequest.objects.filter(
            municipality=req.municipality,
            supplementary=req.supplementary,
            period_start=req.period_start,
            period_years=req.period_years,
        ).order_by("year")
    )


# --- The overview per year (requests, decisions and Table 2.4 per municipality) ---------------------

TABLE_2_4_CLASSES = ("in_line", "fewer", "none", "no_decision")


@dataclass
class PlanningRow:
    """One municipality's request and decision for a year, with its Table 2.4 class."""

    number: str
    name: str
    county: str
    requested: int | None
    decided: int | None
    decided_uam: int | None
    decided_on: date | None
    period: str
    provenance: str
    classification: str
    decision_id: int | None
    request_id: int | None
    decision_real: bool = False  # IMDi's published figures are not edited
    request_real: bool = False


@dataclass
class PlanningOverview:
    year: int
    rows: list[PlanningRow]
    counts: dict[str, int]  # Table 2.4: municipalities per class
    requested_total: int
    decided_total: int


def planning_years(user) -> list[int]:
    """The years with a request or a decision in the user's scope, newest first."""
    years = set(requests_for(user).values_list("year", flat=True)) | set(
        decisions_for(user).values_list("year", flat=True)
    )
    return sorted(years, reverse=True)


def planning_overview(
    user,
    year: int,
    county_number: str | None = None,
    municipality_numbers: set[str] | None = None,
) -> PlanningOverview:
    """Every municipality in the user's scope (in the structure of ``year``) with its request and
    decision for the year; a municipality without a decision row is ``no_decision`` (Table 2.4)."""
    scope = scope_for(user)
    if not scope.decisions:
        return PlanningOverview(year, [], dict.fromkeys(TABLE_2_4_CLASSES, 0), 0, 0)
    munis = municipalities(structure_year_for(year))
    if scope.municipality_numbers is not None:
        munis = munis.filter(number__in=scope.municipality_numbers)
    if county_number:
        munis = munis.filter(county__number=county_number)
    if municipality_numbers is not None:
        munis = munis.filter(number__in=municipality_numbers)
    requests: dict[int, list[SettlementRequest]] = {}
    for r in requests_for(user).filter(year=year, municipality__in=munis):
        requests.setdefault(r.municipality_id, []).append(r)
    decisions = {
        d.municipality_id: d for d in decisions_for(user).filter(year=year, municipality__in=munis)
    }
    rows = []
    for m in munis.order_by("number"):
        reqs = sorted(requests.get(m.pk, []), key=lambda r: r.supplementary)
        requested = sum(r.persons for r in reqs) if reqs else None
        d = decisions.get(m.pk)
        rows.append(
            PlanningRow(
                number=m.number,
                name=m.name,
                county=m.county.name,
                requested=requested,
                decided=d.persons if d else None,
                decided_uam=d.uam_persons if d else None,
                decided_on=d.decided_on if d else None,
                period=(
                    f"{d.period_start}–{d.period_start + d.period_years - 1}"
                    if d and d.period_start and d.period_years > 1
                    else ""
                ),
                provenance=d.get_provenance_display() if d else "",
                classification=classify_decision(requested, d.persons if d else None),
                decision_id=d.pk if d else None,
                request_id=reqs[0].pk if reqs else None,
                decision_real=bool(d and d.provenance == "real"),
                request_real=bool(reqs and reqs[0].provenance == "real"),
            )
        )
    counts = dict.fromkeys(TABLE_2_4_CLASSES, 0)
    for row in rows:
        counts[row.classification] += 1
    return PlanningOverview(
        year=year,
        rows=rows,
        counts=counts,
        requested_total=sum(r.requested or 0 for r in rows),
        decided_total=sum(r.decided or 0 for r in rows),
    )


def decisions_in_year(year: int, numbers: list[str] | None = None) -> QuerySet[CouncilDecision]:
    """Every council decision for a year in that year's municipal structure (no user scope: for
    processes such as a matching round that have checked permission already)."""
    qs = CouncilDecision.objects.filter(
        year=year, municipality__structure_year=structure_year_for(year)
    ).select_related("municipality")
    if numbers:
        qs = qs.filter(municipality__number__in=numbers)
    return qs


def decision_of(municipality_id: int, year: int) -> CouncilDecision | None:
    """A municipality's council decision for a year, or None when it has registered none."""
    return CouncilDecision.objects.filter(municipality_id=municipality_id, year=year).first()


def latest_decision_year(structure_year: int | None = None) -> int | None:
    """The latest year any council decision is registered for (of ``structure_year``'s
    municipalities only, when given)."""
    qs = CouncilDecision.objects.all()
    if structure_year is not None:
        qs = qs.filter(municipality__structure_year=structure_year)
    return qs.aggregate(y=Max("year"))["y"]


def audit_visible(user) -> dict[str, QuerySet]:
    """Decisions and requests whose audit trail the user may read (registered with the audit log)."""
    if not scope_for(user).decisions:
        return {}
    return {
        "planning.councildecision": decisions_for(user),
        "planning.settlementrequest": requests_for(user),
    }


def reported_settlements(years, structure_year: int) -> QuerySet[ReportedSettlement]:
    """IMDi's published settled counts per municipality for some years (real figures)."""
    return ReportedSettlement.objects.filter(
        year__in=list(years), municipality__structure_year=structure_year
    ).select_related("municipality")


def requests_in_year(year: int) -> QuerySet[SettlementRequest]:
    """Every request for a year in that year's municipal structure (no user scope)."""
    return SettlementRequest.objects.filter(
        year=year, municipality__structure_year=structure_year_for(year)
    ).select_related("municipality")


# --- reads for the command line ---


def totals() -> dict[str, int]:
    """How many requests and decisions the database holds."""
    return {
        "requests": SettlementRequest.objects.count(),
        "decisions": CouncilDecision.objects.count(),
    }


def with_requested_persons(decisions: QuerySet[CouncilDecision]) -> QuerySet[CouncilDecision]:
    """Decisions annotated with ``requested_persons``: what IMDi requested of the municipality for
    the same year (all requests of that year summed; None when there was none)."""
    requested = (
        SettlementRequest.objects.filter(
            municipality=OuterRef("municipality"), year=OuterRef("year")
        )
        .values("municipality")
        .annotate(total=Sum("persons"))
        .values("total")
    )
    return decisions.annotate(requested_persons=Subquery(requested, output_field=IntegerField()))


# --- reads for reports ---------------------------------------------------------------------------
# Requests and decisions of whole areas as the KPI engine's records: aggregates per municipality,
# unscoped (the reports pass the municipalities the user may see).


def request_records(
    structure_year: int, numbers: Collection[str] | None = None
) -> list[RequestRecord]:
    """IMDi's requests ("anmodninger") to the municipalities of a structure (all, or those among
    ``numbers``, given in that structure), as engine records."""
    qs = SettlementRequest.objects.filter(municipality__structure_year=structure_year)
    if numbers is not None:
        qs = qs.filter(municipality__number__in=list(numbers))
    return [
        RequestRecord(number, year, persons)
        for number, year, persons in qs.order_by().values_list(
            "municipality__number", "year", "persons"
        )
    ]


def decision_records(
    structure_year: int, numbers: Collection[str] | None = None
) -> list[DecisionRecord]:
    """Council decisions ("vedtak") of the municipalities of a structure (all, or those among
    ``numbers``), as engine records; a municipality with no row has no decision."""
    qs = CouncilDecision.objects.filter(municipality__structure_year=structure_year)
    if numbers is not None:
        qs = qs.filter(municipality__number__in=list(numbers))
    return [
        DecisionRecord(number, year, persons)
        for number, year, persons in qs.order_by().values_list(
            "municipality__number", "year", "persons"
        )
    ]


# --- reads for knowledge -------------------------------------------------------------------------
# IMDi's published settled counts: real, public figures per municipality (unscoped).


def mean_reported_settled(years: Iterable[int], structure_year: int) -> dict[int, float]:
    """Mean persons settled per year over ``years`` per municipality id (IMDi's published counts)."""
    return {
        row["municipality_id"]: row["mean"]
        for row in ReportedSettlement.objects.filter(
            year__in=list(years), municipality__structure_year=structure_year
        )
        .values("municipality_id")
        .annotate(mean=Avg("persons"))
    }


def reported_settlement(municipality, year: int) -> ReportedSettlement | None:
    """IMDi's published settled count of a municipality for a year, or None."""
    return ReportedSettlement.objects.filter(municipality=municipality, year=year).first()


# --- reads for finance ---


def decided_persons_by_year(number: str, first_year: int, last_year: int) -> dict[int, int]:
    """``{year: persons}`` of the council decisions of municipality ``number`` for
    ``first_year``..``last_year``, each year in its own municipal structure. No user scope: for
    callers that checked permission (the grant projection)."""
    rows = CouncilDecision.objects.filter(
        municipality__number=number, year__gte=first_year, year__lte=last_year
    ).values_list("year", "municipality__structure_year", "persons")
    return {
        year: persons
        for year, structure_year, persons in rows.order_by("year")
        if structure_year == structure_year_for(year)
    }
