"""The planning year's rules: distributing the national need by explicit, weighted criteria.

Pure Python; see :mod:`bosetting.engine.planning.distribution`.
"""

from bosetting.engine.planning.distribution import (
    CRITERIA,
    MAX_NEED,
    Allocation,
    Contribution,
    Distribution,
    DistributionError,
    MunicipalityCriteria,
    check_inputs,
    distribute,
    largest_remainder,
    spread_difference,
)

__all__ = [
    "CRITERIA",
    "MAX_NEED",
    "Allocation",
    "Contribution",
    "Distribution",
    "DistributionError",
    "MunicipalityCriteria",
    "check_inputs",
    "distribute",
    "largest_remainder",
    "spread_difference",
]
