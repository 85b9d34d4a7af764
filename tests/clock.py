"""The day the tests live on, where the date matters.

The application's business date (``case_today()``) is the wall clock's date outside a demo database,
and deadlines, "days left", waiting times and "this year" follow from it. Tests that reach it are
frozen on 5 January 2015, the demo world's business date and the day of the tests' matching rounds:
``pytestmark = [pytest.mark.django_db, on_business_day]`` or ``@on_business_day`` on a test.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

BUSINESS_DAY = dt.date(2015, 1, 5)

# Noon in Oslo (the project's TIME_ZONE, which time-machine then sets for the process too), so the date
# is the same in UTC, in local time and in Django's localdate(). The clock ticks on from there, so
# timestamps still put events in order.
on_business_day = pytest.mark.time_machine(
    dt.datetime.combine(BUSINESS_DAY, dt.time(12, 0), tzinfo=ZoneInfo("Europe/Oslo")), tick=True
)
