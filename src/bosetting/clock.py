"""The business clock ("dagens dato i saksbehandlingen"): the one place that says what day it is.

* ``BOSETTING_TODAY`` (YYYY-MM-DD, setting or environment) pins the business date, e.g. for a
  training copy of the database.
* In a demo database the business date is 5 January 2015 — the day of the demo's matching round —
  plus the days since the demo world was built, so that deadlines move as the demo is used.
* Otherwise it is today's date in Oslo.

Everything that asks "what day is it?" for a case, a deadline or a default year calls :func:`today`;
nothing calls ``date.today()`` directly. Tests freeze time with time-machine.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.apps import apps
from django.conf import settings
from django.utils import timezone

from bosetting.memo import remembered

DEMO_TODAY = date(2015, 1, 5)
"""The demo world is Norway at the turn of 2014/2015: its first business day."""


def today() -> date:
    """The business date (see the module docstring). A demo database's date costs a query: it is
    read once per request (``bosetting.memo``)."""
    pinned = getattr(settings, "BOSETTING_TODAY", None)
    if pinned:
        return pinned
    return remembered("clock.today", _business_date)


def _business_date() -> date:
    world = apps.get_model("geo", "DemoWorld").objects.only("created_at").first()
    if world is None:
        return timezone.localdate()
    elapsed = (timezone.now() - world.created_at).days
    return DEMO_TODAY + timedelta(days=max(elapsed, 0))


def now():
    """The current time (aware)."""
    return timezone.now()
