"""Which audited objects a user may see, contributed by the apps that own them.

The audit log is in the floor of the system and may not import the apps above it; yet a user may read
only the entries about objects it may see. Each app therefore registers, in its ``AppConfig.ready``,
a function that returns — for a user — a queryset of the visible objects per object type
(``"cases.household"``). ``audit.selectors.entries_for`` combines them. IMDi national sees everything
without asking.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet

VisibleObjects = Callable[[object], dict[str, QuerySet]]

_SOURCES: list[VisibleObjects] = []


def register_visible(source: VisibleObjects) -> VisibleObjects:
    """Register a function ``user -> {object_type: queryset of visible objects}``."""
    if source not in _SOURCES:
        _SOURCES.append(source)
    return source


def visible_objects(user) -> dict[str, QuerySet]:
    """Every registered app's visible objects for the user, by object type."""
    visible: dict[str, QuerySet] = {}
    for source in _SOURCES:
        visible.update(source(user))
    return visible
