"""Reads of the planning year (re-exported by ``selectors``): the plan with its distribution, and
the follow-up as decisions come in — Table 2.3 and 2.4 live for the year, the expected decision of
the councils that have not decided, the places still missing against the need, and the list of
municipalities for supplementary requests ranked by the plan's criteria.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from bosetting.apps.accounts.selectors import scope_for
from bosetting.apps.geo.selectors import municipalities
from bosetting.apps.planning.forecasting import YearForecast, records_before, year_records
from bosetting.apps.planning.models import PlanAllocation, SettlementPlan, SettlementRequest
from bosetting.engine.forecast import ExpectedDecision, expected_decision, history_of
from bosetting.engine.planning import largest_remainder
from bosetting.engine.rules.kpi import classify_decision
from bosetting.reference.structure import structure_year_for

CLASSES = ("in_line", "fewer", "none", "no_decision")


def plan_of(year: int) -> SettlementPlan | None:
    """The planning year for ``year``, or None."""
    return SettlementPlan.objects.filter(year=year).first()


def plan_years() -> list[int]:
    """The years with a planning year, newest first."""
    return list(SettlementPlan.objects.order_by("-year").values_list("year", flat=True))


def allocations_for(user, plan: SettlementPlan):
    """The plan's rows the user may see (its scope's municipalities), by number."""
    scope = scope_for(user)
    rows = plan.allocations.select_related("municipality", "municipality__county").order_by(
        "municipality__number"
    )
    if not scope.decisions:
        return rows.none()
    if scope.municipality_numbers is not None:
        rows = rows.filter(municipality__number__in=scope.municipality_numbers)
    return rows


def allocation_for(user, pk: int) -> PlanAllocation:
    """One row of a plan the user may see; raises ``PlanAllocation.DoesNotExist``."""
    scope = scope_for(user)
    if not scope.decisions:
        raise PlanAllocation.DoesNotExist
    row = PlanAllocation.objects.select_related("plan", "municipality").get(pk=pk)
    if not scope.covers(row.municipality.number):
        raise PlanAllocation.DoesNotExist
    return row


@dataclass(frozen=True)
class CountyTotal:
    """A county's figures in the plan or the follow-up."""

    number: str
    name: str
    proposed: int = 0
    persons: int = 0
    requested: int = 0
    decided: int = 0
    expected: float = 0.0
    forecast: float = 0.0


def plan_totals(plan: SettlementPlan) -> dict[str, int]:
    """The plan's sums over every municipality: proposed, current figure and the difference."""
    rows = list(plan.allocations.values_list("proposed_persons", "persons", "adjusted"))
    total = sum(p for _, p, _ in rows)
    return {
        "proposed": sum(p for p, _, _ in rows),
        "persons": total,
        "difference": total - plan.need_persons,
        "adjusted": sum(1 for _, _, a in rows if a),
        "municipalities": sum(1 for _, p, _ in rows if p > 0),
    }


def county_totals(plan: SettlementPlan) -> list[CountyTotal]:
    """The plan by county (every county, whatever the user's scope: sums are not personal)."""
    totals: dict[str, list] = {}
    for number, name, proposed, persons in plan.allocations.values_list(
        "municipality__county__number",
        "municipality__county__name",
        "proposed_persons",
        "persons",
    ):
        entry = totals.setdefault(number, [name, 0, 0])
        entry[1] += proposed
        entry[2] += persons
    return [
        CountyTotal(number, name, proposed=proposed, persons=persons)
        for number, (name, proposed, persons) in sorted(totals.items())
    ]


def requests_of_plan(plan_id: int) -> list[SettlementRequest]:
    """The requests an approved plan created (for the request letters)."""
    plan = SettlementPlan.objects.get(pk=plan_id)
    if plan.approved_on is None:
        return []
    return list(
        SettlementRequest.objects.filter(
            year__in=range(plan.year, plan.year + plan.period_years),
            supplementary=False,
            period_start=plan.year,
            sent_on=plan.approved_on,
            municipality__plan_allocations__plan=plan,
        )
        .select_related("municipality")
        .order_by("municipality__number", "year")
    )


@dataclass
class FollowUpRow:
    """One municipality in the follow-up: its request, decision and what is expected."""

    number: str
    name: str
    county: str
    requested: int | None
    decided: int | None
    classification: str
    expected: ExpectedDecision | None = None
    forecast: float | None = None
    score: float = 0.0
    supplementary: int = 0

    @property
    def score_pct(self) -> float:
        """The municipality's share of the country by the plan's criteria, in percent."""
        return 100 * self.score

    @property
    def expected_persons(self) -> float:
        """The decided persons, or for a council without a decision the expected ones."""
        if self.decided is not None:
            return float(self.decided)
        return self.expected.persons if self.expected else 0.0


@dataclass
class FollowUp:
    """The year's decisions against its requests and need (Table 2.3 and 2.4 live)."""

    year: int
    need: int | None
    rows: list[FollowUpRow]
    counties: list[CountyTotal]
    counts: dict[str, int]
    requested: int
    decided: int
    expected_undecided: float
    supplementary: list[FollowUpRow] = field(default_factory=list)
    forecast: YearForecast | None = None

    @property
    def expected_total(self) -> float:
        """Decided plus what the councils without a decision are expected to decide."""
        return self.decided + self.expected_undecided

    @property
    def missing(self) -> float | None:
        """Places still missing against the need after the expected decisions (None without a
        need)."""
        return None if self.need is None else max(self.need - self.expected_total, 0.0)


def follow_up(
    user, year: int, today: date, forecast: YearForecast | None = None, supplementary: int = 25
) -> FollowUp:
    """Requests against decisions for ``year`` in the user's scope, by municipality, county and
    nationally; the expected decision of every council without one (from its own record); the
    places missing against the plan's need; and up to ``supplementary`` municipalities for
    supplementary requests: councils that decided in line with their request, ranked by the
    plan's criteria (their score), each with its share of the missing places."""
    scope = scope_for(user)
    structure_year = structure_year_for(year)
    plan = plan_of(year)
    munis = municipalities(structure_year).select_related("county").order_by("number")
    if not scope.decisions:
        munis = munis.none()
    elif scope.municipality_numbers is not None:
        munis = munis.filter(number__in=scope.municipality_numbers)
    this_year = {r.number: r for r in year_records(structure_year, [year])}
    history = history_of(records_before(year, today))
    scores = dict(plan.allocations.values_list("municipality__number", "score")) if plan else {}
    predicted = {r.number: r.settled for r in forecast.rows} if forecast else {}
    rows: list[FollowUpRow] = []
    for m in munis:
        record = this_year.get(m.number)
        requested = record.requested if record else None
        decided = record.decided if record else None
        if requested is None and decided is None and (plan is None or m.number not in scores):
            continue
        row = FollowUpRow(
            number=m.number,
            name=m.name,
            county=m.county.name,
            requested=requested,
            decided=decided,
            classification=classify_decision(requested, decided),
            forecast=predicted.get(m.number),
            score=scores.get(m.number, 0.0),
        )
        if decided is None and requested:
            row.expected = expected_decision(requested, history.get(m.number, {}).values())
        rows.append(row)
    counts = dict.fromkeys(CLASSES, 0)
    for row in rows:
        if row.requested or row.decided is not None:
            counts[row.classification] += 1
    counties: dict[str, CountyTotal] = {}
    for row in rows:
        c = counties.get(row.county) or CountyTotal(row.county, row.county)
        counties[row.county] = CountyTotal(
            c.number,
            c.name,
            requested=c.requested + (row.requested or 0),
            decided=c.decided + (row.decided or 0),
            expected=c.expected + row.expected_persons,
            forecast=c.forecast + (row.forecast or 0.0),
        )
    result = FollowUp(
        year=year,
        need=plan.need_persons if plan else None,
        rows=rows,
        counties=sorted(counties.values(), key=lambda c: c.name),
        counts=counts,
        requested=sum(r.requested or 0 for r in rows),
        decided=sum(r.decided or 0 for r in rows),
        expected_undecided=sum(r.expected.persons for r in rows if r.expected),
        forecast=forecast,
    )
    result.supplementary = _supplementary(rows, result.missing or 0.0, supplementary)
    return result


def _supplementary(rows: list[FollowUpRow], missing: float, limit: int) -> list[FollowUpRow]:
    willing = [r for r in rows if r.classification == "in_line" and r.decided]
    willing.sort(key=lambda r: (-r.score, -(r.decided or 0), r.number))
    chosen = willing[:limit]
    if chosen and missing > 0:
        weights = {r.number: (r.score or 0.0) or 1.0 for r in chosen}
        shares = largest_remainder(round(missing), weights)
        for row in chosen:
            row.supplementary = shares[row.number]
    return chosen
