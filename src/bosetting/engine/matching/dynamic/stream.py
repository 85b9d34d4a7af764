"""A year of decisions (``matching-v2.md`` §4): the stream, the value of a placement, the checker.

A stream is a /2 instance whose households carry a ``ready_date`` and whose
capacities are for the whole period; batches run every ``batch_days`` from
``period_start``. :func:`check_decisions` is the referee of every policy: it
replays the decisions in date order and names each that breaks a rule —
including the information rule (a household placed before it was ready, a unit
used before it was usable), so a policy that peeks is caught.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cached_property
from os import PathLike
from pathlib import Path
from typing import Any

from bosetting.engine.matching.model import DAYS_PER_MONTH, Household, Instance, Unit
from bosetting.engine.matching.parse import InstanceError, parse_stream_parts
from bosetting.engine.matching.rules import rule_failures, score

DISCOUNT_PER_MONTH = 0.9
"""Each month of extra waiting keeps 90 % of a placement's value."""


@dataclass(frozen=True)
class Decision:
    """One final placement made by a policy at a batch — "vedtak i en runde".

    Attributes:
        household_id: The household.
        unit_id: The unit.
        municipality_id: The unit's municipality.
        batch_date: The batch that placed it.
        value: ``v(h,u,t)``.
    """

    household_id: str
    unit_id: str
    municipality_id: str
    batch_date: date
    value: float


@dataclass(frozen=True)
class Stream:
    """Households and flats arriving over a period — "et år med bosetting".

    Attributes:
        instance: Municipalities (capacities for the period), units, households
            (each with ``ready_date``), weights and the /2 additions.
        period_start: First day of the period.
        period_end: Last day of the period.
        batch_days: Days between batches.
    """

    instance: Instance
    period_start: date
    period_end: date
    batch_days: int

    @cached_property
    def batch_dates(self) -> tuple[date, ...]:
        """``period_start + k·batch_days`` up to ``period_end``."""
        out = []
        day = self.period_start
        while day <= self.period_end:
            out.append(day)
            day += timedelta(days=self.batch_days)
        return tuple(out)

    def first_batch_on_or_after(self, day: date) -> int | None:
        """Index of the first batch on or after ``day`` (``None`` past the last)."""
        offset = (day - self.period_start).days
        k = max(0, math.ceil(offset / self.batch_days))
        return k if k < len(self.batch_dates) else None

    def ready_batch(self, household: Household) -> int | None:
        """The first batch at which the household may be placed."""
        assert household.ready_date is not None
        return self.first_batch_on_or_after(household.ready_date)

    def usable_batch(self, unit: Unit) -> int | None:
        """The first batch at which the unit is usable (``available_from ≤ t + horizon``)."""
        return self.first_batch_on_or_after(
            unit.available_from - timedelta(days=self.instance.horizon_days)
        )

    def usable(self, unit: Unit, day: date) -> bool:
        """Whether the unit is usable at a batch on ``day``."""
        return unit.available_from <= day + timedelta(days=self.instance.horizon_days)


def discount(household: Household, day: date) -> float:
    """``0.9 ^ ((t − ready_date) / 30.4375)``."""
    assert household.ready_date is not None
    return DISCOUNT_PER_MONTH ** ((day - household.ready_date).days / DAYS_PER_MONTH)


def score_at_ready(instance: Instance, household: Household, unit: Unit) -> float:
    """``s(h,u | as_of = ready_date(h))``."""
    assert household.ready_date is not None
    return score(replace(instance, as_of=household.ready_date), household, unit)


def value(stream: Stream, household: Household, unit: Unit, day: date) -> float:
    """``v(h,u,t) = s(h,u | as_of = ready_date(h)) · 0.9 ^ ((t − ready_date(h)) / 30.4375)``."""
    return score_at_ready(stream.instance, household, unit) * discount(household, day)


def parse_stream(data: Any) -> Stream:
    """Validate a decoded stream document.

    Raises:
        InstanceError: naming the first offending field (a ``ready_date``
            outside the period, a ``batch_days`` of 0 …).
    """
    instance, fields = parse_stream_parts(data)
    for key in ("period_start", "period_end", "batch_days"):
        if key not in fields:
            raise InstanceError(f"{key}: required field missing")
    start = _date(fields["period_start"], "period_start")
    end = _date(fields["period_end"], "period_end")
    if end < start:
        raise InstanceError(f"period_end: {end} is before period_start {start}")
    days = fields["batch_days"]
    if not isinstance(days, int) or isinstance(days, bool) or days < 1:
        raise InstanceError("batch_days: must be an integer >= 1")
    for i, h in enumerate(instance.households):
        assert h.ready_date is not None
        if not start <= h.ready_date <= end:
            raise InstanceError(
                f"households[{i}].ready_date: {h.ready_date} is outside the period {start}..{end}"
            )
    return Stream(instance, start, end, days)


def _date(value: Any, path: str) -> date:
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise InstanceError(f"{path}: not a date (expected YYYY-MM-DD)")


def load_stream(path: str | PathLike[str]) -> Stream:
    """Read and validate a stream file (UTF-8 JSON).

    Raises:
        InstanceError: for an unreadable file, bad JSON or an invalid stream.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InstanceError(f"stream: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise InstanceError(f"stream: cannot read {str(path)!r}: {exc.strerror or exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InstanceError(
            f"stream: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None
    return parse_stream(data)


def check_decisions(stream: Stream, decisions: Iterable[Decision]) -> list[str]:
    """Every broken rule in a policy's decisions, replayed in date order.

    Checks the information rule (ready, usable, a batch date of the period),
    that placements are final (a household once, a unit within its slots over
    the whole period), F2–F5 at the batch, G3/G4 over the period, G5 per batch,
    and that each reported value is ``v(h,u,t)``.
    """
    inst = stream.instance
    batches = set(stream.batch_dates)
    problems: list[str] = []
    placed: Counter[str] = Counter()
    unit_load: Counter[str] = Counter()
    persons: Counter[str] = Counter()
    minors: Counter[str] = Counter()
    zone_load: Counter[tuple[date, str, str]] = Counter()
    for d in sorted(decisions, key=lambda d: (d.batch_date, d.household_id)):
        household = inst.household_by_id.get(d.household_id)
        unit = inst.unit_by_id.get(d.unit_id)
        label = f"{d.household_id} -> {d.unit_id} at {d.batch_date}"
        if household is None or unit is None:
            problems.append(f"{label}: unknown household or unit")
            continue
        if d.batch_date not in batches:
            problems.append(f"{label}: not a batch date of the period")
        assert household.ready_date is not None
        if household.ready_date > d.batch_date:
            problems.append(
                f"information rule {label}: household ready only on {household.ready_date}"
            )
        if not stream.usable(unit, d.batch_date):
            problems.append(f"information rule {label}: unit free only from {unit.available_from}")
        if d.municipality_id != unit.municipality:
            problems.append(
                f"{label}: municipality {d.municipality_id!r}, unit in {unit.municipality!r}"
            )
        batch = replace(inst, as_of=d.batch_date)
        for rule, text in rule_failures(batch, household, unit):
            if rule != "F1":
                problems.append(f"{rule} {label}: {text}")
        expected = value(stream, household, unit, d.batch_date)
        if not math.isclose(d.value, expected, rel_tol=1e-9, abs_tol=1e-9):
            problems.append(f"{label}: value {d.value!r} but v(h,u,t) is {expected!r}")
        placed[d.household_id] += 1
        unit_load[d.unit_id] += 1
        persons[unit.municipality] += household.size
        if household.uam:
            minors[unit.municipality] += household.size
        zone_load[(d.batch_date, unit.municipality, unit.zone)] += 1
    problems += [f"G1 household {h!r} placed {n} times" for h, n in placed.items() if n > 1]
    for u, n in unit_load.items():
        if n > inst.unit_by_id[u].slots:
            problems.append(f"G2 unit {u!r} takes {n} households over the period")
    for m, n in persons.items():
        if n > inst.municipality_by_id[m].capacity_persons:
            problems.append(f"G3 municipality {m!r}: {n} persons over the period")
    for m, n in minors.items():
        if n > inst.municipality_by_id[m].capacity_uam:
            problems.append(f"G4 municipality {m!r}: {n} unaccompanied minors over the period")
    if inst.zone_cap is not None:
        for (day, m, z), n in zone_load.items():
            if n > inst.zone_cap:
                problems.append(f"G5 zone {z!r} in {m!r}: {n} households in the batch of {day}")
    return problems
