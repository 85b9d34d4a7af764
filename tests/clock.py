"""The day the tests live on, where the date matters.

The application's business date (``bosetting.clock.today()``) is pinned to :data:`BUSINESS_DAY` for
every test by the ``business_day`` fixture in ``tests/conftest.py``; deadlines, "days left", waiting
times and "this year" follow from it. Tests that also read the wall clock (timestamps, Django's
``localdate()``) are frozen on the same day, the demo world's business date and the day of the tests'
matching rounds: ``pytestmark = [pytest.mark.django_db, on_business_day]`` or ``@on_business_day``.
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
