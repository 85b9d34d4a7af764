"""Groups and the rule "no group worse off" (``matching-v2.md`` §3).

A group's *mean predicted employment* in an assignment is the mean of
``p_employment(h, m)`` over the placed adults (aged 18–55) of its households,
each placed household counting ``adults(h)`` times; adults placed where there
is no prediction are left out. A group with no such adult has no mean, and the
rule cannot bind for it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bosetting.engine.matching.model import FAIRNESS_MIN_PLACED, FAIRNESS_TOLERANCE, Instance


@dataclass(frozen=True)
class GroupFigures:
    """One group's figures in an assignment — "resultat per gruppe".

    Attributes:
        group: The group.
        households: Households of the group in the instance.
        placed: Households of the group placed.
        adults_placed: Placed adults with a prediction (the mean's weight).
        mean_p_employment: Mean predicted employment of those adults, or ``None``.
    """

    group: str
    households: int
    placed: int
    adults_placed: int
    mean_p_employment: float | None


def group_figures(
    instance: Instance, placements: Iterable[tuple[str, str]]
) -> dict[str, GroupFigures]:
    """Per group, the figures of an assignment given as (household id, municipality id)."""
    counts: dict[str, int] = {}
    for h in instance.households:
        if h.group is not None:
            counts[h.group] = counts.get(h.group, 0) + 1
    placed = dict.fromkeys(counts, 0)
    weight = dict.fromkeys(counts, 0)
    total = dict.fromkeys(counts, 0.0)
    for household_id, municipality_id in placements:
        household = instance.household_by_id[household_id]
        if household.group is None:
            continue
        placed[household.group] += 1
        p = instance.p_employment(household_id, municipality_id)
        if p is not None and household.adults:
            weight[household.group] += household.adults
            total[household.group] += p * household.adults
    return {
        g: GroupFigures(
            g, counts[g], placed[g], weight[g], total[g] / weight[g] if weight[g] else None
        )
        for g in sorted(counts)
    }


def protected_groups(instance: Instance, blind: dict[str, GroupFigures]) -> dict[str, float]:
    """The groups the rule binds for, with their outcome-blind mean.

    A group is protected when the rule is on, it is among ``fairness_groups``
    (if given), at least 20 of its households are placed outcome-blind and it
    has a mean there.
    """
    if not instance.fairness:
        return {}
    wanted = set(instance.fairness_groups) if instance.fairness_groups is not None else None
    return {
        g: f.mean_p_employment
        for g, f in blind.items()
        if (wanted is None or g in wanted)
        and f.placed >= FAIRNESS_MIN_PLACED
        and f.mean_p_employment is not None
    }


def fairness_violations(
    instance: Instance, blind: dict[str, GroupFigures], final: dict[str, GroupFigures]
) -> list[str]:
    """Every protected group whose mean fell below its outcome-blind mean (beyond 1e-6)."""
    problems = []
    for g, floor in protected_groups(instance, blind).items():
        mean = final[g].mean_p_employment
        if mean is None or mean < floor - FAIRNESS_TOLERANCE:
            problems.append(f"group {g!r}: mean p_employment {mean} below outcome-blind {floor}")
    return problems


def summary_groups(
    blind: dict[str, GroupFigures], final: dict[str, GroupFigures]
) -> dict[str, dict[str, float | int | None]]:
    """The per-group block of ``SUMMARY.json``."""
    return {
        g: {
            "placed": final[g].placed,
            "mean_p_employment": final[g].mean_p_employment,
            "mean_p_employment_outcome_blind": blind[g].mean_p_employment,
            "placed_outcome_blind": blind[g].placed,
        }
        for g in sorted(final)
    }
