"""Writes of the background-job machinery ("bakgrunnsjobber"): heartbeats, recovery, giving up.

The queue is Django's tasks framework with ``django_tasks_db``'s database backend: a service that
creates a matching round or a simulation run enqueues its task in the same transaction, so the row of
the job and the row of the round are committed together. ``bosetting worker`` claims and runs jobs.

What the library lacks lives here:

- **Heartbeats.** A worker registers itself (``do_register_worker``), touches its row while it lives
  (``do_beat``) and removes it when it stops (``do_unregister_worker``).
- **Recovery** (``do_recover_stale_jobs``). A job left ``RUNNING`` by a dead worker — no heartbeat for
  ``BOSETTING_WORKER_STALE_SECONDS``, or a worker process on this host that no longer exists — is
  queued again while it has attempts left (``BOSETTING_JOB_MAX_ATTEMPTS``; every task must be safe
  to run again), else marked ``FAILED`` with a clear error.
- **Periodic jobs** (``register_periodic``, ``do_enqueue_due_periodic``). A task without arguments
  that must run every so often (the deadline scan of notices) is queued by the worker when its last
  job is older than its interval and none is waiting or running.
- **Giving up.** Each task registers a give-up handler (``on_give_up``) that marks its domain object
  failed with the error, so a round or a simulation is never left "queued" or "running" for ever:
  called when recovery gives a job up and when a job raises (``give_up_failed_task``).
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import psutil
from django.db import DatabaseError, transaction
from django.db.models import Max
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, Task, TaskResult, TaskResultStatus
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from bosetting.apps.jobs import selectors
from bosetting.apps.jobs.models import WorkerHeartbeat

log = logging.getLogger(__name__)

GiveUpHandler = Callable[..., None]
_GIVE_UP_HANDLERS: dict[str, GiveUpHandler] = {}
ERROR_MAX_CHARS = 2000


class WorkerLost(RuntimeError):
    """The worker running a job died (no heartbeat) too many times: the job is given up."""


# --- give-up handlers ------------------------------------------------------------------------------


def on_give_up(task: Task) -> Callable[[GiveUpHandler], GiveUpHandler]:
    """Register the handler that marks a task's domain object failed when its job is given up.

    The handler is called with the job's own arguments and ``error`` (a bokmål text for the user)::

        @on_give_up(run_round_task)
        def give_up_round(round_id: int, *, error: str) -> None: ...

    It must be idempotent: a domain object that is already finished is left as it is.
    """

    def register(handler: GiveUpHandler) -> GiveUpHandler:
        _GIVE_UP_HANDLERS[task.module_path] = handler
        return handler

    return register


def _handler_for(task_path: str) -> GiveUpHandler | None:
    if task_path not in _GIVE_UP_HANDLERS:
        try:
            import_string(task_path)  # importing the task's module registers its handler
        except ImportError:
            log.warning("job task %s cannot be imported; no give-up handler", task_path)
            return None
    return _GIVE_UP_HANDLERS.get(task_path)


def _call_give_up(task_path: str, args: list, kwargs: dict, error: str) -> None:
    handler = _handler_for(task_path)
    if handler is None:
        return
    try:
        with transaction.atomic():
            handler(*args, **kwargs, error=error[:ERROR_MAX_CHARS])
    except Exception:  # noqa: BLE001 - the job is failed either way; say why the handler was not
        log.exception("give-up handler of %s failed", task_path)


def _error_text(task_result: TaskResult) -> str:
    if not task_result.errors:
        return _("Bakgrunnsjobben feilet uten feilmelding.")
    lines = [line for line in task_result.errors[-1].traceback.splitlines() if line.strip()]
    last = lines[-1].strip() if lines else task_result.errors[-1].exception_class_path
    return _("Bakgrunnsjobben feilet: %(error)s") % {"error": last}


def give_up_failed_task(sender: Any, task_result: TaskResult, **kwargs: Any) -> None:
    """Receiver of ``task_finished``: a job that ended ``FAILED`` (it raised) is given up at once.

    Tasks record their own expected failures on their domain object and return normally; this
    catches what escaped them (a lost database connection, a bug), so the object is marked failed.
    """
    if task_result.status != TaskResultStatus.FAILED:
        return
    _call_give_up(
        task_result.task.module_path,
        list(task_result.args),
        dict(task_result.kwargs),
        _error_text(task_result),
    )


# --- heartbeats ------------------------------------------------------------------------------------


def this_host() -> str:
    return socket.gethostname()[:255]


def do_register_worker(worker_id: str) -> WorkerHeartbeat:
    """Register a starting worker ("bakgrunnsprosess") with its first heartbeat."""
    now = timezone.now()
    beat, _created = WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "host": this_host(),
            "pid": os.getpid(),
            "started_at": now,
            "last_seen": now,
            "current_task_id": "",
        },
    )
    return beat


def do_beat(worker_id: str, current_task_id: str | None = None) -> None:
    """Touch a worker's heartbeat (and, when given, the job it runs now; ``""`` when idle).

    A row that has gone (pruned by another worker's recovery after this one stalled for longer than
    the stale time) is written again.
    """
    fields: dict[str, Any] = {"last_seen": timezone.now()}
    if current_task_id is not None:
        fields["current_task_id"] = current_task_id
    if not WorkerHeartbeat.objects.filter(worker_id=worker_id).update(**fields):
        do_register_worker(worker_id)
        if current_task_id:
            WorkerHeartbeat.objects.filter(worker_id=worker_id).update(
                current_task_id=current_task_id
            )


def do_unregister_worker(worker_id: str) -> None:
    """Remove a worker's heartbeat when it stops cleanly (its job is finished or queued again)."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


# --- recovery --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecoveredJob:
    """A job found ``RUNNING`` under a dead worker, and what recovery did with it."""

    task_id: str
    task_path: str
    args: list = field(default_factory=list)
    kwargs: dict = field(default_factory=dict)
    attempts: int = 0
    given_up: bool = False
    error: str = ""

    @property
    def name(self) -> str:
        return self.task_path.rsplit(".", 1)[-1]


def _dead_workers(candidates: set[str], now) -> set[str]:
    """Of the workers ``candidates``, those known to be dead: a stale heartbeat, a heartbeat of a
    process on this host that no longer exists, or no heartbeat at all."""
    cutoff = selectors.stale_cutoff(now)
    host = this_host()
    alive = set()
    for worker_id, beat_host, pid, last_seen in WorkerHeartbeat.objects.filter(
        worker_id__in=candidates
    ).values_list("worker_id", "host", "pid", "last_seen"):
        if last_seen < cutoff:
            continue
        # Same host and the process is gone: dead now, no need to wait for the stale time. (A reused
        # pid only makes us wait for the stale time, never the other way round.)
        if beat_host == host and pid != os.getpid() and not psutil.pid_exists(pid):
            continue
        alive.add(worker_id)
    return candidates - alive


def do_recover_stale_jobs(now=None) -> list[RecoveredJob]:
    """Queue again, or give up, jobs left ``RUNNING`` by dead workers ("gjenoppta bakgrunnsjobber").

    A job counts as abandoned when the worker that claimed it last is dead (see ``_dead_workers``);
    a job whose worker left no heartbeat at all is only taken once it has run longer than the stale
    time. An abandoned job with fewer than ``BOSETTING_JOB_MAX_ATTEMPTS`` attempts (claims) is put
    back in the queue; otherwise it is marked ``FAILED`` with a ``WorkerLost`` error, and the give-up
    handler of its task marks the domain object failed. Stale heartbeat rows are removed.

    Returns:
        What was done, one entry per recovered job.
    """
    now = now or timezone.now()
    cutoff = selectors.stale_cutoff(now)
    running = list(
        DBTaskResult.objects.running()
        .filter(backend_name=DEFAULT_TASK_BACKEND_ALIAS)
        .values_list("id", "worker_ids", "started_at")
    )
    last_worker = {pk: (ids[-1] if ids else "") for pk, ids, _started in running}
    dead = _dead_workers(set(last_worker.values()), now)
    known = set(
        WorkerHeartbeat.objects.filter(worker_id__in=dead).values_list("worker_id", flat=True)
    )
    abandoned = [
        pk
        for pk, _ids, started in running
        if last_worker[pk] in dead
        and (last_worker[pk] in known or started is None or started < cutoff)
    ]
    limit = selectors.max_attempts()
    recovered: list[RecoveredJob] = []
    for pk in abandoned:
        with exclusive_transaction(DBTaskResult.objects.db):
            job = DBTaskResult.objects.select_for_update().filter(pk=pk).first()
            # Another worker may have recovered it (or it finished) since we looked.
            if (
                job is None
                or job.status != TaskResultStatus.RUNNING
                or (job.worker_ids[-1] if job.worker_ids else "") != last_worker[pk]
            ):
                continue
            attempts = len(job.worker_ids)
            args = list(job.args_kwargs.get("args", []))
            kwargs = dict(job.args_kwargs.get("kwargs", {}))
            if attempts < limit:
                job.status = TaskResultStatus.READY
                job.started_at = None
                job.save(update_fields=["status", "started_at"])
                recovered.append(RecoveredJob(str(job.pk), job.task_path, args, kwargs, attempts))
                log.warning("job %s (%s) queued again after a dead worker", job.pk, job.task_path)
                continue
            error = _(
                "Bakgrunnsprosessen stoppet under jobben %(n)d ganger; jobben er gitt opp."
            ) % {"n": attempts}
            job.set_failed(WorkerLost(error))
            _call_give_up(job.task_path, args, kwargs, error)
            recovered.append(
                RecoveredJob(str(job.pk), job.task_path, args, kwargs, attempts, True, error)
            )
            log.error("job %s (%s) given up: %s", job.pk, job.task_path, error)
    try:
        WorkerHeartbeat.objects.filter(last_seen__lt=cutoff).delete()
    except DatabaseError:  # pruning is housekeeping; the next recovery tries again
        log.warning("could not prune stale heartbeats", exc_info=True)
    return recovered


def do_requeue(task_id: str) -> None:
    """Put a job a stopping worker abandoned back in the queue (it is safe to run again)."""
    DBTaskResult.objects.filter(pk=task_id, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.READY, started_at=None
    )


# --- periodic jobs ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Periodic:
    """A task the worker queues every ``every_seconds()`` seconds (0 or less: never)."""

    task: Task
    every_seconds: Callable[[], int]


_PERIODIC: dict[str, Periodic] = {}


def register_periodic(task: Task, every_seconds: Callable[[], int]) -> None:
    """Have the worker queue ``task`` (it takes no arguments and is safe to run again) every
    ``every_seconds()`` seconds; the interval is read each time, so a setting can change it."""
    _PERIODIC[task.module_path] = Periodic(task, every_seconds)


def do_enqueue_due_periodic(now=None) -> list[str]:
    """Queue each periodic task whose last job is older than its interval and that has no job waiting
    or running. Two workers looking at the same moment may both queue it; the tasks are idempotent.
    Returns the task paths queued."""
    now = now or timezone.now()
    queued = []
    for path, periodic in sorted(_PERIODIC.items()):
        seconds = int(periodic.every_seconds())
        if seconds <= 0:
            continue
        jobs = DBTaskResult.objects.filter(task_path=path)
        if jobs.filter(status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]).exists():
            continue
        last = jobs.aggregate(last=Max("enqueued_at"))["last"]
        if last is not None and last > now - timedelta(seconds=seconds):
            continue
        periodic.task.enqueue()
        queued.append(path)
    return queued
