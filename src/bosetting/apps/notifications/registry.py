"""What a notice is and where deadline notices come from (public, like ``audit.registry``).

The notifications app lies in the floor of the layers: the apps that raise events (matching sends a
proposal, planning registers a decision) call ``notifications.services.do_notify`` with
:class:`Notice` objects. Deadlines are found by a periodic scan, and the scan may not import the apps
above it: each app registers, in its ``AppConfig.ready``, a function ``today -> notices`` that
:func:`deadline_notices` calls (matching: answers due; cases: self-settlement offers; housing: leases
ending). Every notice is idempotent by ``(kind, key)`` per user.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Audience:
    """Who a notice goes to, by the permission model: a municipality's own officers
    (``municipal``: its number), IMDi's officers covering a municipality (``imdi_for``: the regional
    office, else IMDi national), and named users (``user_ids``); never ``exclude_user_id`` (the
    person who did it)."""

    municipal: str | None = None
    imdi_for: str | None = None
    user_ids: tuple[int, ...] = ()
    exclude_user_id: int | None = None


@dataclass(frozen=True)
class Notice:
    """One notice to raise: its kind (``NoticeKind``), a key naming what it is about (once per user),
    its audience, the values of its text, where to act and the deadline it warns of."""

    kind: str
    key: str
    audience: Audience
    params: dict[str, Any] = field(default_factory=dict)
    url: str = ""
    due_on: date | None = None


DeadlineSource = Callable[[date], Iterable[Notice]]

_SOURCES: list[DeadlineSource] = []


def register_deadlines(source: DeadlineSource) -> DeadlineSource:
    """Register a function ``today -> notices`` of deadlines that are near."""
    if source not in _SOURCES:
        _SOURCES.append(source)
    return source


def deadline_notices(today: date) -> list[Notice]:
    """Every registered source's notices of deadlines near ``today``."""
    return [notice for source in _SOURCES for notice in source(today)]
