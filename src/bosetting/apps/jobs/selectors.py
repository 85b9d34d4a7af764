"""Reads about background jobs ("bakgrunnsjobber") and the workers that run them.

Nothing here is personal or scoped to a municipality: whether a worker lives, and the state of a job
by its id, are the same for every user who may see the round or run the job refers to.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks_db.models import DBTaskResult

from bosetting.apps.jobs.models import WorkerHeartbeat
from bosetting.errors import Throttled

# How often a worker touches its heartbeat, as a share of the stale time (and within these bounds).
HEARTBEAT_SHARE = 0.25
HEARTBEAT_MIN_SECONDS = 0.5
HEARTBEAT_MAX_SECONDS = 15.0


def stale_seconds() -> int:
    """Seconds without a heartbeat after which a worker counts as dead."""
    return int(settings.BOSETTING_WORKER_STALE_SECONDS)


def heartbeat_seconds() -> float:
    """Seconds between a worker's heartbeats: a quarter of the stale time, within 0.5–15 s."""
    return min(max(stale_seconds() * HEARTBEAT_SHARE, HEARTBEAT_MIN_SECONDS), HEARTBEAT_MAX_SECONDS)


def max_attempts() -> int:
    """Attempts a job gets (its first run and re-runs after a dead worker) before it is given up."""
    return int(settings.BOSETTING_JOB_MAX_ATTEMPTS)


def stale_cutoff(now: datetime | None = None) -> datetime:
    """A heartbeat older than this is a dead worker's."""
    return (now or timezone.now()) - timedelta(seconds=stale_seconds())


def live_workers(now: datetime | None = None):
    """Workers ("bakgrunnsprosesser") whose heartbeat is fresh, newest first."""
    return WorkerHeartbeat.objects.filter(last_seen__gte=stale_cutoff(now))


def worker_alive(now: datetime | None = None) -> bool:
    """Whether at least one worker is alive to run queued jobs."""
    return live_workers(now).exists()


def job_status(task_id: str | None) -> str | None:
    """The state of a job ("bakgrunnsjobb") in the queue by its id.

    Returns:
        ``"READY"`` (queued), ``"RUNNING"``, ``"SUCCESSFUL"`` or ``"FAILED"``; None when the id is
        empty or not a job of the database queue (for instance a job run at once by the immediate
        backend in tests).
    """
    if not task_id:
        return None
    try:
        key = uuid.UUID(str(task_id))
    except ValueError:
        return None
    return DBTaskResult.objects.filter(pk=key).values_list("status", flat=True).first()


def pending_jobs() -> int:
    """Background jobs queued or running (all kinds, every user)."""
    return DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).count()


def check_job_room(user_pending: int) -> None:
    """Refuse a new job when the user has ``BOSETTING_MAX_JOBS_PER_USER`` queued or running already,
    or the service has ``BOSETTING_MAX_PENDING_JOBS`` (every kind, every user).

    Raises:
        Throttled: with a message saying which limit and what to do.
    """
    if user_pending >= settings.BOSETTING_MAX_JOBS_PER_USER:
        raise Throttled(
            _(
                "Du har allerede %(n)s jobber i kø eller under kjøring. Vent til en er ferdig før "
                "du starter en ny."
            )
            % {"n": user_pending}
        )
    if pending_jobs() >= settings.BOSETTING_MAX_PENDING_JOBS:
        raise Throttled(_("Det står allerede mange jobber i kø. Prøv igjen om noen minutter."))
