"""Refusals shared by every room of the system.

Django's own ``PermissionDenied`` (403) and ``ValidationError`` (422 / a form error naming the field)
cover most refusals. :class:`Throttled` says "not now, too much at once" (429). :class:`Conflict`
covers the third kind: the request is well-formed and allowed,
but the state of the data forbids it now — an illegal step in a case's life, an object changed by
someone else since it was read, or a write that would replace data that already exists. The web shows
its message; the API answers 409 with it.
"""

from __future__ import annotations


class Conflict(Exception):
    """The data's current state forbids the change; the message (bokmål) says what exists and why."""


class Throttled(Exception):
    """Too much at once: too many background jobs queued, for the user or for the service. The web
    shows the message; the API answers 429 with it."""
