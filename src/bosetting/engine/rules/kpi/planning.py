"""Planning KPIs: requests against decisions, decision classes, declines.

Counts are **persons** (settlement places, "bosettingsplasser") for requests
and decisions, **municipalities** for the decision classes (Table 2.4), and
**decline records** for declines.

Classification rule (Table 2.4). Every municipality in the universe lands in
exactly one class, so the four classes add up to the universe (428 in the
report's 2014 and 2015 columns):

* no decision registered (no record, or all records ``decided=None``) -> ``no_decision``;
* decided 0 -> ``none`` ("bosetter ikke");
* requested > 0 and decided >= requested -> ``in_line`` ("i tråd med anmodning");
* requested > 0 and 0 < decided < requested -> ``fewer`` ("færre enn anmodning");
* **not requested** (no request record, or requested 0) and decided > 0 ->
  ``in_line``: it decided at least what it was asked for (nothing). The report
  never meets this case: from May 2014 every municipality was requested
  (L579–584), so its columns have none.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from typing import Literal, get_args

from .periods import Period
from .records import DecisionRecord, DeclineRecord, RequestRecord

DecisionClass = Literal["in_line", "fewer", "none", "no_decision"]
#: The classes in the order of Table 2.4.
DECISION_CLASSES: tuple[DecisionClass, ...] = get_args(DecisionClass)


def requested_by_municipality(requests: Iterable[RequestRecord], year: int) -> dict[str, int]:
    """Persons requested per municipality for ``year`` (records for the same municipality added)."""
    totals: dict[str, int] = defaultdict(int)
    for r in requests:
        if r.year == year:
            totals[r.municipality] += r.requested
    return dict(totals)


def decided_by_municipality(
    decisions: Iterable[DecisionRecord], year: int
) -> dict[str, int | None]:
    """Persons decided per municipality for ``year``.

    Registered decisions for the same municipality are added; a municipality
    whose records are all ``decided=None`` maps to None (no decision registered).
    """
    totals: dict[str, int | None] = {}
    for d in decisions:
        if d.year != year:
            continue
        current = totals.get(d.municipality)
        if d.decided is None:
            totals.setdefault(d.municipality, None)
        else:
            totals[d.municipality] = (current or 0) + d.decided
    return totals


def requests_vs_decisions(
    requests: Iterable[RequestRecord],
    decisions: Iterable[DecisionRecord],
    years: Iterable[int],
) -> dict[int, dict[str, int | None]]:
    """Requested and decided persons per year (Table 2.3).

    Returns:
        ``{year: {"requested": int | None, "decided": int | None}}``. "requested"
        is None when there is no request record for the year; "decided" is None
        when no decision is registered for the year.
    """
    requests, decisions = list(requests), list(decisions)
    result: dict[int, dict[str, int | None]] = {}
    for year in years:
        requested = requested_by_municipality(requests, year)
        decided = [v for v in decided_by_municipality(decisions, year).values() if v is not None]
        result[year] = {
            "requested": sum(requested.values()) if requested else None,
            "decided": sum(decided) if decided else None,
        }
    return result


def classify_decision(requested: int | None, decided: int | None) -> DecisionClass:
    """The Table 2.4 class of one municipality (see the module docstring for the rule)."""
    if decided is None:
        return "no_decision"
    if decided == 0:
        return "none"
    if not requested or decided >= requested:
        return "in_line"
    return "fewer"


def classify_municipalities(
    requests: Iterable[RequestRecord],
    decisions: Iterable[DecisionRecord],
    year: int,
    municipalities: Collection[str] | None = None,
) -> dict[str, DecisionClass]:
    """The Table 2.4 class of every municipality for ``year``.

    Args:
        requests: Request records (any years; only ``year`` is used).
        decisions: Decision records (any years; only ``year`` is used).
        year: The settlement year.
        municipalities: The universe to classify (e.g. all 428 of 2014).
            Municipalities with no records are ``no_decision``. None = every
            municipality that has a request or decision record for the year.

    Raises:
        ValueError: a record names a municipality outside ``municipalities``.
    """
    requested = requested_by_municipality(requests, year)
    decided = decided_by_municipality(decisions, year)
    if municipalities is None:
        universe = set(requested) | set(decided)
    else:
        universe = set(municipalities)
        stray = (set(requested) | set(decided)) - universe
        if stray:
            raise ValueError(
                f"records for {year} name municipalities outside the universe: "
                f"{', '.join(sorted(stray))}"
            )
    return {m: classify_decision(requested.get(m), decided.get(m)) for m in sorted(universe)}


def decision_class_counts(
    requests: Iterable[RequestRecord],
    decisions: Iterable[DecisionRecord],
    year: int,
    municipalities: Collection[str] | None = None,
) -> dict[str, int]:
    """Number of municipalities per class for ``year``, plus ``total`` (Table 2.4)."""
    classes = classify_municipalities(requests, decisions, year, municipalities)
    counts: dict[str, int] = dict.fromkeys(DECISION_CLASSES, 0)
    for c in classes.values():
        counts[c] += 1
    return {**counts, "total": len(classes)}


def declines_by_reason(
    declines: Iterable[DeclineRecord], period: Period | None = None
) -> dict[str, dict[str, int]]:
    """Decline records per municipality and reason code.

    Args:
        declines: Decline records.
        period: Only declines dated in this period; None = all.

    Returns:
        ``{municipality: {reason_code: count}}``; counts are records, not persons.
    """
    result: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for d in declines:
        if period is not None and not period.contains(d.date):
            continue
        result[d.municipality][d.reason_code] += 1
    return {m: dict(reasons) for m, reasons in sorted(result.items())}
