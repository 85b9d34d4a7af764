"""The demo world's municipal plans for 2015 and 2016: IMDi's requests and the councils' decisions.

Our data hold the real requests and decisions up to 2014 only, so the plans for 2015 and 2016 are
drawn (synthetic, provenance ``demo``) to reproduce what the report publishes for them, per December
2014: Table 2.3's national totals (10,639 requested / 6,479 decided for 2015, 10,013 / 5,071 for 2016)
and Table 2.4's classes for 2015 (129 in line with the request, 162 fewer, 21 none, 116 without a
decision), with the six case municipalities deciding what the report says they decided. Pure Python
and numpy; ``world.py`` stores the result through the planning app.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from bosetting.demo.calibration import (
    CASE_MUNICIPALITIES,
    CLASS_WEIGHTS,
    CLASSES_2015,
    PLAN_TOTALS,
)
from bosetting.engine.rules.kpi import classify_decision

FEWER_SHARE_RANGE = (0.3, 0.95)
ATTEMPTS = 200


class PlanError(ValueError):
    """The published totals cannot be drawn from these requests (never with the shipped data)."""


@dataclass
class Plans:
    """Requested and decided persons per municipality number, per year; a municipality missing from
    ``decided[year]`` has no decision registered for that year."""

    requested: dict[int, dict[str, int]] = field(default_factory=dict)
    decided: dict[int, dict[str, int]] = field(default_factory=dict)

    def classes(self, year: int) -> dict[str, str]:
        """Each municipality's Table 2.4 class for ``year``."""
        return {
            n: classify_decision(r, self.decided[year].get(n))
            for n, r in self.requested[year].items()
        }


def scale_to(values: Mapping[str, int], total: int) -> dict[str, int]:
    """``values`` scaled to sum exactly ``total`` (largest remainder), each at least 1."""
    base = sum(values.values())
    exact = {k: v * total / base for k, v in values.items()}
    out = {k: max(1, int(x)) for k, x in exact.items()}
    order = sorted(exact, key=lambda k: (exact[k] - int(exact[k]), k), reverse=True)
    i = 0
    while sum(out.values()) != total:
        key = order[i % len(order)]
        step = 1 if sum(out.values()) < total else -1
        if out[key] + step >= 1:
            out[key] += step
        i += 1
    return out


def _weighted_sample(rng, pool: list[str], weights: list[float], k: int) -> list[str]:
    if k <= 0:
        return []
    p = np.asarray(weights, dtype=float)
    chosen = rng.choice(len(pool), size=k, replace=False, p=p / p.sum())
    return [pool[i] for i in sorted(chosen)]


def _fewer_decisions(rng, requested: Mapping[str, int], target: int) -> dict[str, int] | None:
    """Decisions below each request, at least 1, adding up to ``target`` (None if impossible)."""
    if not requested:
        return {} if target == 0 else None
    numbers = sorted(requested)
    low, high = len(numbers), sum(requested[n] - 1 for n in numbers)
    if not low <= target <= high:
        return None
    share = {n: rng.uniform(*FEWER_SHARE_RANGE) for n in numbers}

    def decided(scale: float) -> dict[str, int]:
        return {
            n: min(max(1, round(requested[n] * share[n] * scale)), requested[n] - 1)
            for n in numbers
        }

    lo, hi = 0.0, 10.0
    for _ in range(60):
        mid = (lo + hi) / 2
        if sum(decided(mid).values()) < target:
            lo = mid
        else:
            hi = mid
    out = decided(hi)
    # Rounding: step single municipalities within their bounds until the total is exact.
    for n in sorted(numbers, key=lambda n: -requested[n]) * 3:
        gap = target - sum(out.values())
        if gap == 0:
            break
        step = 1 if gap > 0 else -1
        if 1 <= out[n] + step <= requested[n] - 1:
            out[n] += step
    return out if sum(out.values()) == target else None


def draw_plans(
    rng: np.random.Generator,
    requested_2014: Mapping[str, int],
    decided_2014: Mapping[str, int | None],
) -> Plans:
    """Requests and decisions for 2015 and 2016 (see the module docstring).

    Args:
        rng: The demo world's random generator.
        requested_2014: Real 2014 requests by municipality number (every municipality was requested
            from 2014, L579–584).
        decided_2014: Real 2014 decisions (a municipality missing or None: no decision).

    Raises:
        PlanError: no draw reproduces the totals (cannot happen with the shipped data).
    """
    plans = Plans()
    req_2015_total, dec_2015_total = PLAN_TOTALS[2015]
    req_2016_total, dec_2016_total = PLAN_TOTALS[2016]
    req15 = scale_to(requested_2014, req_2015_total)
    plans.requested[2015] = req15
    plans.requested[2016] = scale_to(req15, req_2016_total)

    fixed = {n: c.decided for n, c in CASE_MUNICIPALITIES.items() if n in req15 and c.decided}
    left = dict(CLASSES_2015)
    for n, d in fixed.items():
        left[classify_decision(req15[n], d)] -= 1
    before = {n: classify_decision(r, decided_2014.get(n)) for n, r in requested_2014.items()}
    others = sorted(n for n in req15 if n not in fixed)
    for _attempt in range(ATTEMPTS):
        pool = list(others)
        no_decision = _weighted_sample(
            rng, pool, [CLASS_WEIGHTS[before[n]]["no_decision"] for n in pool], left["no_decision"]
        )
        pool = [n for n in pool if n not in set(no_decision)]
        none = _weighted_sample(
            rng, pool, [CLASS_WEIGHTS[before[n]]["none"] for n in pool], left["none"]
        )
        pool = [n for n in pool if n not in set(none)]
        willing = {
            n: (decided_2014.get(n) or 0) / requested_2014[n] + rng.normal(0.0, 0.15) for n in pool
        }
        ranked = sorted(pool, key=lambda n: (-willing[n], n))
        in_line = ranked[: left["in_line"]]
        fewer = ranked[left["in_line"] :]
        decided = {**fixed, **{n: req15[n] for n in in_line}, **dict.fromkeys(none, 0)}
        rest = _fewer_decisions(
            rng, {n: req15[n] for n in fewer}, dec_2015_total - sum(decided.values())
        )
        if rest is not None and len(fewer) == left["fewer"]:
            plans.decided[2015] = {**decided, **rest}
            break
    else:
        raise PlanError("no draw of the 2015 decisions reproduces Tables 2.3 and 2.4")

    # 2016: the case municipalities' multi-year decisions, those that settle none, and as many other
    # three-year decisions as reach Table 2.3's total (the last one for part of its yearly figure).
    decided16 = {n: d for n, d in fixed.items()}
    decided16.update({n: 0 for n, d in plans.decided[2015].items() if d == 0})
    target = dec_2016_total - sum(decided16.values())
    candidates = [n for n, d in plans.decided[2015].items() if d > 0 and n not in fixed]
    total = 0
    for i in rng.permutation(len(candidates)):
        n = candidates[int(i)]
        value = min(plans.decided[2015][n], target - total)
        if value <= 0:
            break
        decided16[n] = value
        total += value
    plans.decided[2016] = decided16
    return plans
