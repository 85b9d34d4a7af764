"""The forecast during the year: settled so far plus what remains ("hittil i år + resten").

At the start of the year the forecast is the model's. As settlements are registered it becomes,
per municipality,

    final = settled so far + remaining,

where *remaining* is the model's forecast times the share of a year's settlements that usually
comes after the current month (``SEASONAL_SHARE``; municipalities settle most towards the end of
the year), then bounded by what the database knows:

* the queue matched to the municipality — households proposed to, accepted by or in preparation
  in it and not settled yet — are counted as settled this year (a floor: they are nearly so);
* its free housing — when the municipality keeps its flats in the system, the persons its flats
  free by 31 December can take bound the part of the remainder not yet matched;
* the national queue — the remainder not yet matched, summed over all municipalities, cannot
  exceed the persons settlement-ready in reception now plus those who will become so in the rest
  of the year (``expected_ready``); where it would, every municipality's part is scaled down.

The 10–90 % band moves the same way: settled so far is certain, the remainder keeps its band.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bosetting.engine.forecast.model import Forecast

# Share of a year's settlements in each month (January first). Councils release their places
# over the year, heavier towards its end: in 2014, 6,874 were settled by the end of November and
# 7,784 in the whole year (88 %; Tabell 2.1 and IMDi's figures) — the simulator's release profile.
SEASONAL_SHARE = (0.06, 0.07, 0.07, 0.08, 0.08, 0.08, 0.07, 0.08, 0.09, 0.09, 0.11, 0.12)


def share_by_month(months_done: float) -> float:
    """Share of a year's settlements usually done after ``months_done`` months (0–12; fractions
    interpolate within the month)."""
    months_done = min(max(months_done, 0.0), 12.0)
    whole = int(months_done)
    done = sum(SEASONAL_SHARE[:whole])
    if whole < 12:
        done += (months_done - whole) * SEASONAL_SHARE[whole]
    return done / sum(SEASONAL_SHARE)


@dataclass(frozen=True)
class InYear:
    """One municipality's forecast for the year as of a day in it."""

    number: str
    settled_so_far: int
    matched: int
    remaining: float
    settled: float
    p10: float
    p90: float


def in_year(
    forecasts: Sequence[Forecast],
    months_done: float,
    settled_so_far: Mapping[str, int] | None = None,
    matched: Mapping[str, int] | None = None,
    free_capacity: Mapping[str, int] | None = None,
    ready_queue: int | None = None,
    expected_ready: float = 0.0,
) -> list[InYear]:
    """The forecasts as of ``months_done`` months into the year (see the module docstring).

    Args:
        forecasts: the model's forecasts for the whole year.
        months_done: months of the year gone (0 at 1 January, 12 at 31 December).
        settled_so_far: persons settled so far this year, by municipality.
        matched: persons matched to each municipality and not settled yet (the municipality's
            queue).
        free_capacity: persons the free flats of each municipality can take by 31 December; a
            municipality missing here keeps no flats in the system and is not bounded.
        ready_queue: persons settlement-ready and not matched, nationally; None = not bounded.
        expected_ready: persons expected to become settlement-ready in the rest of the year.
    """
    settled_so_far = settled_so_far or {}
    matched = matched or {}
    free_capacity = free_capacity or {}
    left = 1.0 - share_by_month(months_done)
    parts: dict[str, tuple[float, float, float]] = {}
    for f in forecasts:
        floor = float(matched.get(f.number, 0))
        bounded = []
        for value in (f.p10, f.settled, f.p90):
            rest = max(value * left - floor, 0.0)
            if f.number in free_capacity:
                rest = min(rest, float(free_capacity[f.number]))
            bounded.append(rest)
        parts[f.number] = (bounded[0], bounded[1], bounded[2])
    scale = 1.0
    if ready_queue is not None:
        total = sum(p[1] for p in parts.values())
        pool = max(ready_queue + expected_ready, 0.0)
        if total > pool:
            scale = pool / total if total else 1.0
    result = []
    for f in forecasts:
        so_far = int(settled_so_far.get(f.number, 0))
        floor = int(matched.get(f.number, 0))
        low, mid, high = (scale * p for p in parts[f.number])
        result.append(
            InYear(
                number=f.number,
                settled_so_far=so_far,
                matched=floor,
                remaining=floor + mid,
                settled=so_far + floor + mid,
                p10=so_far + floor + low,
                p90=so_far + floor + high,
            )
        )
    return result
