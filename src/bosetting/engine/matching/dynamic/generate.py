"""Synthetic streams: a year of arrivals and flats — "syntetisk år" (``bosetting match-stream``).

Built on :func:`~bosetting.engine.matching.generate.generate_instance`, so households, flats and
municipalities have the same realistic shape; then households become settlement-ready on days spread
over the period (a little more in autumn, as in the report's monthly figures), each some weeks after
its residence permit, and flats free up on days spread over the period too. Capacities are for the
whole period, a little short of the year's demand. Everything is synthetic.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from bosetting.engine.matching.generate import add_v2, generate_instance
from bosetting.engine.matching.model import FORMAT_V2

DEFAULT_START = date(2015, 1, 1)
BATCH_DAYS = 30


def _month_weight(day: date) -> float:
    # More arrivals in the second half-year (the report's 2015 autumn peak, softened).
    return 1.0 + 0.5 * (day.month >= 7)


def generate_stream(
    seed: int,
    households: int,
    municipalities: int,
    units: int,
    months: int = 12,
    *,
    start: date = DEFAULT_START,
    batch_days: int = BATCH_DAYS,
    v2: bool = False,
) -> dict[str, Any]:
    """A stream document (``matching-v2.md`` §4): same arguments, same stream.

    Args:
        seed: Random seed.
        households: Households arriving over the period.
        municipalities: Municipalities with a decision for the period.
        units: Flats freeing up over the period.
        months: Length of the period (batches every ``batch_days``).
        start: First day of the period.
        batch_days: Days between batches.
        v2: Also add predicted outcomes, wishes and groups.

    Raises:
        ValueError: for a period of less than one month or sizes the instance generator refuses.
    """
    if months < 1:
        raise ValueError("months must be >= 1")
    data = generate_instance(seed, households, municipalities, units, as_of=start)
    if v2:
        data = add_v2(data, seed, fairness=False)
    rng = random.Random(f"stream-{seed}")
    end = start + timedelta(days=months * batch_days - 1)
    span = (end - start).days
    days = [start + timedelta(days=d) for d in range(span + 1)]
    weights = [_month_weight(d) for d in days]
    for h in data["households"]:
        ready = rng.choices(days, weights=weights)[0]
        h["ready_date"] = ready.isoformat()
        h["permit_date"] = (ready - timedelta(days=int(rng.expovariate(1 / 45)))).isoformat()
    for u in data["units"]:
        u["available_from"] = (start + timedelta(days=rng.randint(-20, span))).isoformat()
    data["format"] = FORMAT_V2
    data["as_of"] = start.isoformat()
    data["period_start"] = start.isoformat()
    data["period_end"] = end.isoformat()
    data["batch_days"] = batch_days
    return data
