"""Periods and calendar arithmetic shared by the KPI definitions.

Two month notions are used, on purpose:

* **Calendar months** for time targets and long-waiters: "settled within 6
  months of the permit" means ``settled <= add_months(permit, 6)``, where
  ``add_months`` moves the date 6 calendar months forward and clips the day to
  the end of a shorter month (31 August + 6 months = 28/29 February).
* **Average months** for waiting-time statistics (Table 2.2): a duration in
  days divided by :data:`DAYS_PER_MONTH` (365.25 / 12 = 30.4375).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

#: Days in an average Gregorian month (365.25 / 12). Used to turn waiting
#: times in days into the months of Table 2.2.
DAYS_PER_MONTH = 30.4375

DateArray = npt.NDArray[np.datetime64]


@dataclass(frozen=True, slots=True)
class Period:
    """A closed range of days, ``start`` and ``end`` both included ("periode").

    Attributes:
        start: First day in the period.
        end: Last day in the period (inclusive).
    """

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValueError(f"period start {self.start} is after its end {self.end}")

    @classmethod
    def year(cls, year: int) -> Period:
        """The calendar year ``year``: 1 January to 31 December."""
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))

    def contains(self, day: dt.date) -> bool:
        """Whether ``day`` lies in the period (ends included)."""
        return self.start <= day <= self.end

    def clipped(self, last_day: dt.date) -> Period | None:
        """The part of the period up to ``last_day``, or None if nothing is left."""
        if last_day < self.start:
            return None
        return Period(self.start, min(self.end, last_day))


def add_months(day: dt.date, months: int) -> dt.date:
    """Move ``day`` forward by whole calendar months, clipping to month end.

    Args:
        day: The start date.
        months: Number of calendar months to add (may be negative).

    Returns:
        The same day-of-month ``months`` later, or the last day of that month
        when it is shorter (``add_months(date(2014, 8, 31), 6) == date(2015, 2, 28)``).
    """
    month_index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(month_index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return dt.date(year, month0 + 1, min(day.day, last))


def add_months_array(days: DateArray, months: int) -> DateArray:
    """Vectorised :func:`add_months` over a ``datetime64[D]`` array; NaT stays NaT."""
    days = np.asarray(days, dtype="datetime64[D]")
    month_start = days.astype("datetime64[M]")
    day_offset = days - month_start.astype("datetime64[D]")
    target_month = month_start + np.timedelta64(months, "M")
    target_month_last_day = (target_month + np.timedelta64(1, "M")).astype(
        "datetime64[D]"
    ) - np.timedelta64(1, "D")
    candidate = target_month.astype("datetime64[D]") + day_offset
    return np.minimum(candidate, target_month_last_day)


def to_day(value: dt.date) -> np.datetime64:
    """A ``datetime.date`` as a ``numpy.datetime64`` day."""
    return np.datetime64(value, "D")
