"""KPI definitions of the settlement process ("nøkkeltall for bosetting").

Pure functions over plain records (:class:`CaseRecord`, :class:`RequestRecord`,
:class:`DecisionRecord`, :class:`DeclineRecord`) that define, once, what the
report's Tables 2.1–2.4 and time targets mean. Everything counts persons unless
a function says otherwise. See ``docs/rules.md`` for the definitions.
"""

from __future__ import annotations

from .cases import (
    DEFAULT_LONG_WAIT_THRESHOLD_MONTHS,
    PHASES,
    TIME_TARGETS,
    DurationStats,
    TimeTarget,
    TimeTargetResult,
    long_waiters,
    mean_of_rates,
    months_case_to_settlement,
    months_permit_to_settlement,
    phase_durations,
    settled_per_1000,
    settled_per_1000_by_municipality,
    settled_persons,
    share_settled_within,
    time_target_results,
    waiting_ready_persons,
    waiting_time_stats,
)
from .periods import DAYS_PER_MONTH, Period, add_months, add_months_array
from .planning import (
    DECISION_CLASSES,
    DecisionClass,
    classify_decision,
    classify_municipalities,
    decided_by_municipality,
    decision_class_counts,
    declines_by_reason,
    requested_by_municipality,
    requests_vs_decisions,
)
from .published import PUBLISHED_TABLES
from .records import (
    CASE_DATE_FIELDS,
    HOUSEHOLD_TYPES,
    CaseArrays,
    CaseRecord,
    Cases,
    DecisionRecord,
    DeclineRecord,
    HouseholdType,
    RequestRecord,
    as_case_arrays,
    filter_by_municipalities,
    filter_case_arrays,
)
from .tables import tables

__all__ = [
    "CASE_DATE_FIELDS",
    "DAYS_PER_MONTH",
    "DECISION_CLASSES",
    "DEFAULT_LONG_WAIT_THRESHOLD_MONTHS",
    "HOUSEHOLD_TYPES",
    "PHASES",
    "PUBLISHED_TABLES",
    "TIME_TARGETS",
    "CaseArrays",
    "CaseRecord",
    "Cases",
    "DecisionClass",
    "DecisionRecord",
    "DeclineRecord",
    "DurationStats",
    "HouseholdType",
    "Period",
    "RequestRecord",
    "TimeTarget",
    "TimeTargetResult",
    "add_months",
    "add_months_array",
    "as_case_arrays",
    "classify_decision",
    "classify_municipalities",
    "decided_by_municipality",
    "decision_class_counts",
    "declines_by_reason",
    "filter_by_municipalities",
    "filter_case_arrays",
    "long_waiters",
    "mean_of_rates",
    "months_case_to_settlement",
    "months_permit_to_settlement",
    "phase_durations",
    "requested_by_municipality",
    "requests_vs_decisions",
    "settled_per_1000",
    "settled_per_1000_by_municipality",
    "settled_persons",
    "share_settled_within",
    "tables",
    "time_target_results",
    "waiting_ready_persons",
    "waiting_time_stats",
]
