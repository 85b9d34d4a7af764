"""Feasibility (F1–F5), global constraints (G1–G5) and the score of the contract.

These functions are the reference implementation: the solvers work on an
aggregated model for speed, and every result they return is checked against
:func:`check_assignment` and scored with :func:`score`.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from bosetting.engine.matching.model import OUTCOME_SCALE, Household, Instance, Unit

SCORE_REL_TOL = 1e-9
"""Relative tolerance used by :func:`check_assignment` when it compares reported scores."""


@dataclass(frozen=True)
class ScoreParts:
    """The weighted terms of ``s(h,u)`` — "poengdeler".

    Attributes:
        settle: ``size(h) * w.settle``.
        wait: ``size(h) * w.wait * p(h)``.
        ties: ``w.ties`` if the unit's municipality is among the household's ties.
        labour: ``w.labour * labour_index(m) * adults(h)``.
        fit: ``w.fit * fit(h,u)``.
        outcome: ``w.outcome * 100 * p_employment(h,m) * adults(h)`` (format /2).
        preference: ``w.preference * (k - r + 1) / k`` for the r-th of k wishes (format /2).
    """

    settle: float
    wait: float
    ties: float
    labour: float
    fit: float
    outcome: float = 0.0
    preference: float = 0.0

    @property
    def total(self) -> float:
        """The score ``s(h,u)``: the sum of the parts (the /1 terms first, in their order)."""
        return (
            self.settle
            + self.wait
            + self.ties
            + self.labour
            + self.fit
            + self.outcome
            + self.preference
        )

    @property
    def other_than_outcome(self) -> float:
        """Every term but the outcome term ("the other score terms" of the benchmark)."""
        return self.settle + self.wait + self.ties + self.labour + self.fit + self.preference


def fit(household: Household, unit: Unit) -> float:
    """``fit(h,u)``: ``housing_size / max_occupants`` for ordinary units (the size with the family
    expected through reunification), 1.0 for shared ones."""
    if unit.shared:
        return 1.0
    return household.housing_size / unit.max_occupants


def score_parts(instance: Instance, household: Household, unit: Unit) -> ScoreParts:
    """The weighted terms of the score of placing ``household`` in ``unit``."""
    w = instance.weights
    municipality = instance.municipality_by_id[unit.municipality]
    size = household.size
    tied = unit.municipality in household.ties
    outcome = 0.0
    if w.outcome > 0:
        p = instance.p_employment(household.id, unit.municipality)
        if p is not None:
            outcome = w.outcome * OUTCOME_SCALE * p * household.adults
    preference = 0.0
    if w.preference > 0 and household.preferences:
        preference = w.preference * household.preference_share(unit.municipality)
    return ScoreParts(
        settle=size * w.settle,
        wait=size * w.wait * household.priority(instance.as_of),
        ties=w.ties if tied else 0.0,
        labour=w.labour * municipality.labour_index * household.adults,
        fit=w.fit * fit(household, unit),
        outcome=outcome,
        preference=preference,
    )


def score(instance: Instance, household: Household, unit: Unit) -> float:
    """``s(h,u)`` of the contract (whether or not the pair is feasible)."""
    return score_parts(instance, household, unit).total


def rule_failures(instance: Instance, household: Household, unit: Unit) -> list[tuple[str, str]]:
    """Every feasibility rule F1–F5 the pair breaks, as ``(rule, explanation)``."""
    failures: list[tuple[str, str]] = []
    municipality = instance.municipality_by_id[unit.municipality]
    if unit.available_from > instance.horizon_end:
        failures.append(
            (
                "F1",
                f"unit is free from {unit.available_from}, after the horizon {instance.horizon_end}",
            )
        )
    if unit.shared:
        if not household.may_share:
            failures.append(
                (
                    "F2",
                    "shared unit takes only one adult (18+) who is not a minor and expects no family",
                )
            )
    elif household.housing_size > unit.max_occupants:
        expected = household.expected_additional_persons
        with_family = f" ({household.size} + {expected} expected)" if expected else ""
        failures.append(
            (
                "F2",
                f"{household.housing_size} persons{with_family} exceed max_occupants "
                f"{unit.max_occupants}",
            )
        )
    if "accessible" in household.needs and not unit.accessible:
        failures.append(("F3", "household needs an accessible unit"))
    missing = [n for n in household.needs if n != "accessible" and n not in municipality.services]
    if missing:
        failures.append(("F4", f"municipality does not provide {', '.join(missing)}"))
    if household.uam and household.size > municipality.capacity_uam:
        failures.append(
            (
                "F5",
                f"{household.size} unaccompanied minors exceed capacity_uam {municipality.capacity_uam}",
            )
        )
    return failures


def failed_rules(instance: Instance, household: Household, unit: Unit) -> list[str]:
    """The feasibility rules (``"F1"`` … ``"F5"``) the pair breaks; empty when feasible."""
    return [rule for rule, _ in rule_failures(instance, household, unit)]


def feasible(instance: Instance, household: Household, unit: Unit) -> bool:
    """Whether ``household`` may be placed in ``unit`` (F1–F5)."""
    return not rule_failures(instance, household, unit)


def _pair(item: Any) -> tuple[str, str, str | None, float | None]:
    if isinstance(item, tuple | list):
        return str(item[0]), str(item[1]), None, None
    return (
        item.household_id,
        item.unit_id,
        getattr(item, "municipality_id", None),
        getattr(item, "score", None),
    )


def check_assignment(instance: Instance, assignments: Iterable[Any]) -> list[str]:
    """Every violation of F1–F5 and G1–G5 in a set of placements.

    Args:
        instance: The instance.
        assignments: ``Assignment`` objects (``household_id``, ``unit_id`` and, if
            present, ``municipality_id`` and ``score`` are checked) or
            ``(household_id, unit_id)`` pairs.

    Returns:
        One line per violation, empty when the assignment is valid.
    """
    problems: list[str] = []
    households_seen: Counter[str] = Counter()
    unit_load: Counter[str] = Counter()
    persons_in: Counter[str] = Counter()
    uam_in: Counter[str] = Counter()
    zone_load: Counter[tuple[str, str]] = Counter()
    for item in assignments:
        household_id, unit_id, municipality_id, reported = _pair(item)
        household = instance.household_by_id.get(household_id)
        unit = instance.unit_by_id.get(unit_id)
        if household is None:
            problems.append(f"unknown household {household_id!r}")
            continue
        if unit is None:
            problems.append(f"unknown unit {unit_id!r}")
            continue
        label = f"{household_id} -> {unit_id}"
        if municipality_id is not None and municipality_id != unit.municipality:
            problems.append(
                f"{label}: municipality {municipality_id!r} but the unit lies in {unit.municipality!r}"
            )
        for rule, text in rule_failures(instance, household, unit):
            problems.append(f"{rule} {label}: {text}")
        if reported is not None:
            expected = score(instance, household, unit)
            if not math.isclose(reported, expected, rel_tol=SCORE_REL_TOL, abs_tol=SCORE_REL_TOL):
                problems.append(f"{label}: score {reported!r} but the formula gives {expected!r}")
        households_seen[household_id] += 1
        unit_load[unit_id] += 1
        persons_in[unit.municipality] += household.size
        if household.uam:
            uam_in[unit.municipality] += household.size
        zone_load[(unit.municipality, unit.zone)] += 1

    for household_id, count in households_seen.items():
        if count > 1:
            problems.append(f"G1 household {household_id!r} is placed {count} times")
    for unit_id, count in unit_load.items():
        unit = instance.unit_by_id[unit_id]
        if count > unit.slots:
            limit = f"beds {unit.beds}" if unit.shared else "one household"
            problems.append(f"G2 unit {unit_id!r} takes {count} households, more than {limit}")
    for municipality_id, persons in persons_in.items():
        municipality = instance.municipality_by_id[municipality_id]
        if persons > municipality.capacity_persons:
            problems.append(
                f"G3 municipality {municipality_id!r}: {persons} persons placed, "
                f"capacity_persons {municipality.capacity_persons}"
            )
    for municipality_id, persons in uam_in.items():
        municipality = instance.municipality_by_id[municipality_id]
        if persons > municipality.capacity_uam:
            problems.append(
                f"G4 municipality {municipality_id!r}: {persons} unaccompanied minors placed, "
                f"capacity_uam {municipality.capacity_uam}"
            )
    if instance.zone_cap is not None:
        for (municipality_id, zone), count in zone_load.items():
            if count > instance.zone_cap:
                problems.append(
                    f"G5 zone {zone!r} in {municipality_id!r}: {count} households placed, "
                    f"zone_cap {instance.zone_cap}"
                )
    return problems
