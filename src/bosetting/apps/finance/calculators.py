"""Thin reads over the engine's rules for the pages and the API (no rates here)."""

from __future__ import annotations

from bosetting.engine.rules.housing_allowance import (
    HousingAllowanceEstimate,
    HousingAllowanceRules,
)


def allowance_estimate(
    income_nok: int,
    housing_cost_nok: int,
    household_size: int,
    year: int,
    cap_group: str | None = None,
    municipality: str | None = None,
    adapted_dwelling: bool = False,
) -> HousingAllowanceEstimate:
    """Bostøtte estimate; the cap group comes from ``cap_group`` or, failing that, the municipality
    name (in the year's parameters), else "ordinary"."""
    rules = HousingAllowanceRules.default()
    group = cap_group or "ordinary"
    if not cap_group and municipality and rules.params(year) is not None:
        group = rules.cap_group_for_municipality(municipality, year)
    return rules.estimate(
        income_nok,
        housing_cost_nok,
        household_size,
        year,
        cap_group=group,
        adapted_dwelling=adapted_dwelling,
    )
