"""The settlement model's standing numbers ("mål og frister"), each defined once.

Every other module — the matching engine, the KPI definitions, the web app, the demo builder and the
simulator — imports these instead of writing the number again.

* Time targets (report L619–623, digest §3.3): 70 % of refugees settled within 6 months of the
  residence permit and all within 12; families with children and unaccompanied minors within 3.
* The first lease of a municipal dwelling runs three years ("en bolig for tre år i første omgang",
  L1821–1822).
* A municipality answers a proposal within two weeks of it being sent. The report sets no such
  deadline; it recommends "tentative deadlines" between the agencies (L1168–1169), and this is ours.
"""

from __future__ import annotations

import datetime as dt

from bosetting.engine.rules.kpi.periods import DAYS_PER_MONTH, add_months

TARGET_MONTHS_CHILDREN = 3
"""Families with children and unaccompanied minors: settled within 3 months (L621–623)."""

TARGET_MONTHS_OTHERS = 6
"""Everybody else: 70 % settled within 6 months (L619–621)."""

TARGET_SHARE_WITHIN_OTHERS = 0.70
"""The share of all refugees that should be settled within :data:`TARGET_MONTHS_OTHERS`."""

TARGET_MONTHS_ALL = 12
"""All refugees settled within 12 months (L619–621)."""

LEASE_YEARS = 3
"""Length of a first lease in years (L1821–1822)."""

PROPOSAL_ANSWER_DAYS = 14
"""Days a municipality has to answer a proposal ("svarfrist"): our assumption, not the report's."""

PRIORITY_CAP = 3.0
"""Waiting time relative to the target is capped at three times the target (matching.md, p(h))."""

#: Household types whose target is three months (the Django choices use the same values).
THREE_MONTH_TYPES = frozenset({"family_children", "uam"})


def target_months(household_type: str, *, has_children: bool = False) -> int:
    """The settlement target of a household in months: 3 with children or for minors, else 6."""
    if has_children or household_type in THREE_MONTH_TYPES:
        return TARGET_MONTHS_CHILDREN
    return TARGET_MONTHS_OTHERS


def wait_months(permit_date: dt.date, on: dt.date) -> float:
    """Waiting time from the permit to ``on`` in average months (days / 30.4375)."""
    return (on - permit_date).days / DAYS_PER_MONTH


def priority(permit_date: dt.date | None, household_type: str, on: dt.date) -> float:
    """Waiting time relative to the household's target (1.0 = at target), capped at 3."""
    if permit_date is None:
        return 0.0
    ratio = wait_months(permit_date, on) / target_months(household_type)
    return min(max(ratio, 0.0), PRIORITY_CAP)


def target_date(permit_date: dt.date, household_type: str) -> dt.date:
    """The calendar day by which the household should be settled (permit + its target months)."""
    return add_months(permit_date, target_months(household_type))


def lease_end(start: dt.date) -> dt.date:
    """The end of a first lease that starts on ``start`` (three calendar years; 29 Feb → 28 Feb)."""
    return add_months(start, 12 * LEASE_YEARS)


def answer_due(sent_on: dt.date) -> dt.date:
    """The day a municipality should have answered a proposal sent on ``sent_on`` ("svarfrist")."""
    return sent_on + dt.timedelta(days=PROPOSAL_ANSWER_DAYS)
