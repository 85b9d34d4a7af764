"""Case KPIs: settled, waiting, time targets, waiting times and phase durations.

Every function counts **persons** (the report's unit, Tables 2.1 and 2.2),
takes any subset of cases (the caller does the area filtering) and any period,
and returns ``None`` for a share, mean or median that has nothing to be
computed over, never 0.

Definitions that the report leaves open, and the choice made here:

* "Within N months of the permit" means ``settled <= add_months(permit, N)``
  in calendar months (see :mod:`.periods`). Settling exactly on that day counts
  as within; one day later does not.
* A case is "settled by day d" when ``settled <= d``; it is "waiting,
  settlement-ready, at d" when ``ready <= d`` and it is not settled by d.
* "Long-waiting" ("lengeventende", Table 2.1) is **not defined in the report**
  (digest §1). Here it is a person waiting settlement-ready at d whose permit
  is more than ``threshold_months`` calendar months before d
  (``d > add_months(permit, threshold_months)``), 6 by default. Get IMDi's own
  definition before comparing with the published row.
* Persons with no permit date cannot be placed against a time target, so they
  are left out of shares and long-waiter counts (but still counted as settled
  or waiting).
* Durations with the end before the start are data errors: they are left out
  of means and medians and reported as ``excluded_persons``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .periods import DAYS_PER_MONTH, DateArray, Period, add_months_array, to_day
from .records import CaseArrays, Cases, HouseholdType, as_case_arrays

#: The six phases of a case, as (name, start field, end field).
PHASES: tuple[tuple[str, str, str], ...] = (
    ("permit_to_notified", "permit_date", "notified"),
    ("notified_to_interview", "notified", "interview"),
    ("interview_to_ready", "interview", "ready"),
    ("ready_to_proposed", "ready", "proposed"),
    ("proposed_to_accepted", "proposed", "accepted"),
    ("accepted_to_settled", "accepted", "settled"),
)

DEFAULT_LONG_WAIT_THRESHOLD_MONTHS = 6


@dataclass(frozen=True, slots=True)
class TimeTarget:
    """A national time target for settlement ("måltall for rask bosetting").

    Attributes:
        name: Code of the target.
        months: Calendar months after the permit.
        household_types: The households it applies to; None = everyone.
        target_share: Share of persons that should be settled within the time.
        source: Where the report states it.
    """

    name: str
    months: int
    household_types: tuple[HouseholdType, ...] | None
    target_share: float
    source: str


#: The report's targets (L619–623, digest §3.3). The three-month target for
#: families with children and unaccompanied minors is stated as an ambition
#: with no share; it is read here as "all of them" (1.0).
TIME_TARGETS: tuple[TimeTarget, ...] = (
    TimeTarget("all_within_6_months", 6, None, 0.70, "L619–621"),
    TimeTarget("all_within_12_months", 12, None, 1.0, "L619–621"),
    TimeTarget("family_children_within_3_months", 3, ("family_children",), 1.0, "L621–623"),
    TimeTarget("uam_within_3_months", 3, ("uam",), 1.0, "L621–623"),
)


@dataclass(frozen=True, slots=True)
class DurationStats:
    """Person-weighted duration statistics over a set of cases.

    Attributes:
        count_persons: Persons the statistics are computed over.
        mean_days: Person-weighted mean, or None when ``count_persons`` is 0.
        median_days: Median of the person-expanded durations (each case repeated
            once per person; the mean of the two middle values for an even
            count), or None when ``count_persons`` is 0.
        excluded_persons: Persons left out because the end date is before the start.
    """

    count_persons: int
    mean_days: float | None
    median_days: float | None
    excluded_persons: int = 0

    @property
    def mean_months(self) -> float | None:
        """Mean in average months (days / 30.4375)."""
        return None if self.mean_days is None else self.mean_days / DAYS_PER_MONTH

    @property
    def median_months(self) -> float | None:
        """Median in average months (days / 30.4375)."""
        return None if self.median_days is None else self.median_days / DAYS_PER_MONTH


@dataclass(frozen=True, slots=True)
class TimeTargetResult:
    """How a set of settled persons did against one :class:`TimeTarget`.

    Attributes:
        target: The target.
        share: Share settled within the time, or None when nobody counted.
        persons_counted: Persons settled in the period, in the target's
            households, with a permit date.
        met: Whether ``share >= target.target_share``; None when ``share`` is None.
    """

    target: TimeTarget
    share: float | None
    persons_counted: int
    met: bool | None


def _in_period(values: DateArray, period: Period) -> npt.NDArray[np.bool_]:
    return (values >= to_day(period.start)) & (values <= to_day(period.end))


def _settled_by(arrays: CaseArrays, at: dt.date) -> npt.NDArray[np.bool_]:
    return arrays.settled <= to_day(at)


def _waiting_mask(arrays: CaseArrays, at: dt.date) -> npt.NDArray[np.bool_]:
    return (arrays.ready <= to_day(at)) & ~_settled_by(arrays, at)


def settled_persons(cases: Cases, period: Period, *, include_self_settled: bool = True) -> int:
    """Persons settled in ``period`` ("antall bosatte", Table 2.1 row 1).

    Args:
        cases: Cases or their column form.
        period: Settlement days counted (ends included).
        include_self_settled: Also count self-settled persons (default True).

    Returns:
        The number of persons, 0 when none settled.
    """
    arrays = as_case_arrays(cases)
    mask = _in_period(arrays.settled, period)
    if not include_self_settled:
        mask &= ~arrays.self_settled
    return int(arrays.persons[mask].sum())


def waiting_ready_persons(cases: Cases, at: dt.date) -> int:
    """Persons settlement-ready and not settled at day ``at`` ("bosettingsklare i mottak").

    ``ready <= at`` and not ``settled <= at``. Table 2.1 row 2 uses ``at`` = 31 December.
    """
    arrays = as_case_arrays(cases)
    return int(arrays.persons[_waiting_mask(arrays, at)].sum())


def share_settled_within(
    cases: Cases,
    period: Period,
    months: int,
    *,
    household_types: Collection[str] | None = None,
) -> float | None:
    """Share of persons settled in ``period`` who settled within ``months`` of the permit.

    Args:
        cases: Cases or their column form.
        period: Settlement days counted.
        months: Calendar months after the permit (6, 3 or 12 for the targets).
        household_types: Only these household types; None = all.

    Returns:
        A share in [0, 1] over persons with a permit date, or None when no such
        person settled in the period. Table 2.1 row 3 is this with months=6, in percent.
    """
    if months < 0:
        raise ValueError("months must be >= 0")
    arrays = as_case_arrays(cases)
    mask = _in_period(arrays.settled, period) & ~np.isnat(arrays.permit_date)
    if household_types is not None:
        mask &= arrays.household_mask(household_types)
    denominator = int(arrays.persons[mask].sum())
    if denominator == 0:
        return None
    deadline = add_months_array(arrays.permit_date[mask], months)
    within = arrays.settled[mask] <= deadline
    return int(arrays.persons[mask][within].sum()) / denominator


def time_target_results(
    cases: Cases, period: Period, targets: tuple[TimeTarget, ...] = TIME_TARGETS
) -> list[TimeTargetResult]:
    """Each time target with the share achieved by persons settled in ``period``."""
    arrays = as_case_arrays(cases)
    results = []
    for target in targets:
        mask = _in_period(arrays.settled, period) & ~np.isnat(arrays.permit_date)
        if target.household_types is not None:
            mask &= arrays.household_mask(target.household_types)
        share = share_settled_within(
            arrays, period, target.months, household_types=target.household_types
        )
        results.append(
            TimeTargetResult(
                target=target,
                share=share,
                persons_counted=int(arrays.persons[mask].sum()),
                met=None if share is None else share >= target.target_share,
            )
        )
    return results


def long_waiters(
    cases: Cases, at: dt.date, threshold_months: int = DEFAULT_LONG_WAIT_THRESHOLD_MONTHS
) -> int:
    """Persons waiting settlement-ready at ``at`` more than ``threshold_months`` after the permit.

    The report does not define "lengeventende" (Table 2.1 row 4); the threshold
    is ours and configurable. Persons with no permit date are not counted.
    """
    if threshold_months < 0:
        raise ValueError("threshold_months must be >= 0")
    arrays = as_case_arrays(cases)
    mask = _waiting_mask(arrays, at) & ~np.isnat(arrays.permit_date)
    overdue = to_day(at) > add_months_array(arrays.permit_date[mask], threshold_months)
    return int(arrays.persons[mask][overdue].sum())


def _duration_stats(
    start: DateArray, end: DateArray, persons: npt.NDArray[np.int64]
) -> DurationStats:
    present = ~np.isnat(start) & ~np.isnat(end)
    days = (end[present] - start[present]).astype(np.int64)
    weights = persons[present]
    negative = days < 0
    excluded = int(weights[negative].sum())
    days, weights = days[~negative], weights[~negative]
    count = int(weights.sum())
    if count == 0:
        return DurationStats(0, None, None, excluded)
    mean = float(np.average(days, weights=weights))
    median = float(np.median(np.repeat(days, weights)))
    return DurationStats(count, mean, median, excluded)


def waiting_time_stats(
    cases: Cases,
    period: Period,
    *,
    start_field: str = "permit_date",
    end_field: str = "settled",
) -> DurationStats:
    """Duration from ``start_field`` to ``end_field`` for cases whose end falls in ``period``.

    Args:
        cases: Cases or their column form.
        period: Days on which the end event is counted.
        start_field: A date field of :class:`CaseRecord` ("permit_date", "case_opened", ...).
        end_field: A later date field (default "settled").

    Returns:
        Person-weighted :class:`DurationStats`; mean and median None when empty.
    """
    arrays = as_case_arrays(cases)
    start, end = getattr(arrays, start_field), getattr(arrays, end_field)
    mask = _in_period(end, period)
    return _duration_stats(start[mask], end[mask], arrays.persons[mask])


def months_permit_to_settlement(cases: Cases, period: Period) -> DurationStats:
    """Waiting from residence permit to settlement for persons settled in ``period`` (Table 2.2 row 1)."""
    return waiting_time_stats(cases, period, start_field="permit_date")


def months_case_to_settlement(cases: Cases, period: Period) -> DurationStats:
    """Waiting from case creation to settlement for persons settled in ``period`` (Table 2.2 row 2)."""
    return waiting_time_stats(cases, period, start_field="case_opened")


def phase_durations(cases: Cases, period: Period) -> dict[str, DurationStats]:
    """Duration of each of the six phases (:data:`PHASES`), for phases that ended in ``period``.

    A case counts in a phase when both its dates are recorded and the phase's
    end date lies in the period, so unfinished cases contribute the phases
    they have completed.
    """
    arrays = as_case_arrays(cases)
    return {
        name: waiting_time_stats(arrays, period, start_field=start, end_field=end)
        for name, start, end in PHASES
    }


def settled_per_1000(cases: Cases, period: Period, population: int) -> float | None:
    """Persons settled in ``period`` per 1,000 inhabitants of the area the cases cover.

    Returns None when ``population`` is not positive.
    """
    if population <= 0:
        return None
    return settled_persons(cases, period) * 1000 / population


def settled_per_1000_by_municipality(
    cases: Cases, period: Period, population: Mapping[str, int]
) -> dict[str, float | None]:
    """:func:`settled_per_1000` for every municipality in ``population``.

    Municipalities with no settled cases get 0.0; those whose population is
    not positive get None. Cases in municipalities absent from ``population``
    are ignored.
    """
    arrays = as_case_arrays(cases)
    mask = _in_period(arrays.settled, period) & np.array(
        [m is not None for m in arrays.municipality], dtype=bool
    )
    settled: dict[str, int] = {}
    if mask.any():
        codes, inverse = np.unique(arrays.municipality[mask].astype(str), return_inverse=True)
        sums = np.bincount(inverse, weights=arrays.persons[mask])
        settled = {str(c): int(s) for c, s in zip(codes, sums, strict=True)}
    return {m: (settled.get(m, 0) * 1000 / p if p > 0 else None) for m, p in population.items()}


def mean_of_rates(rates: Mapping[str, float | None]) -> float | None:
    """Unweighted mean of per-municipality rates, skipping None.

    The report's "1,47 settled per 1,000 across municipalities" (L2126) is an
    average of this kind; it does not say whether all municipalities or only
    settling ones were included, so the caller chooses the set.
    """
    values = [v for v in rates.values() if v is not None]
    return sum(values) / len(values) if values else None
