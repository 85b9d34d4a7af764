"""Background tasks for long runs (matching rounds, simulations).

A service stores the run's inputs and seed in the database, then calls ``submit``; the work runs in a
background thread of the serving process and writes its progress and result to the database. Views
never run a solver inline. With ``BOSETTING_TASKS_SYNC=1`` (tests, CLI) the work runs immediately.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import close_old_connections

log = logging.getLogger(__name__)


def _run(fn: Callable[..., Any], args: tuple, kwargs: dict) -> None:
    close_old_connections()
    try:
        fn(*args, **kwargs)
    except Exception:  # noqa: BLE001 - the task records its own failure; log what escaped
        log.exception("background task %s failed", getattr(fn, "__name__", fn))
    finally:
        close_old_connections()


def submit(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Run ``fn(*args, **kwargs)`` in the background (or now, when tasks are synchronous)."""
    if getattr(settings, "BOSETTING_TASKS_SYNC", False):
        fn(*args, **kwargs)
        return
    threading.Thread(
        target=_run, args=(fn, args, kwargs), daemon=True, name="bosetting-task"
    ).start()
