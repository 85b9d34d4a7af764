"""The background worker ("bakgrunnsprosess") behind ``bosetting worker``.

It is ``django_tasks_db``'s database worker with what a durable queue needs besides: a heartbeat
written from a thread of its own (so it goes on while a long solver runs), recovery of jobs that dead
workers left (at start and then periodically), the periodic jobs queued when they are due (not in
burst mode), a burst mode that runs what is queued and returns,
and a graceful stop: the first SIGTERM/SIGINT lets the running job finish, a second one abandons it
and puts it back in the queue (every job is safe to run again).
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import FrameType
from typing import Any

from django.db import DatabaseError, close_old_connections, connections
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, TaskContext, task_backends
from django.tasks.signals import task_finished, task_started
from django.utils.crypto import get_random_string
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker as DatabaseWorker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from bosetting.apps.jobs import selectors, services

log = logging.getLogger(__name__)

SLEEP_STEP_SECONDS = 0.2
#: How often a running worker looks for periodic jobs that are due (``services.register_periodic``).
PERIODIC_CHECK_SECONDS = 30.0


class WorkerStopped(BaseException):
    """Raised inside the running job when the worker is told to stop a second time."""


@dataclass
class JobRun:
    """One job a worker ran ("kjørt bakgrunnsjobb"): which, how it ended, how long it took."""

    task_id: str
    name: str
    args: list
    kwargs: dict
    status: str
    seconds: float
    return_value: Any = None
    error: str = ""

    @property
    def call(self) -> str:
        """The job as a call, e.g. ``run_round_task(7)``."""
        parts = [repr(a) for a in self.args] + [f"{k}={v!r}" for k, v in self.kwargs.items()]
        return f"{self.name}({', '.join(parts)})"


@dataclass
class WorkerEvents:
    """Callbacks for a front end (the CLI prints them); every one is optional."""

    started: Callable[[Worker], None] | None = None
    recovered: Callable[[list[services.RecoveredJob]], None] | None = None
    job_started: Callable[[JobRun], None] | None = None
    job_finished: Callable[[JobRun], None] | None = None
    stopping: Callable[[bool], None] | None = None


def _emit(callback: Callable | None, *args: Any) -> None:
    if callback is not None:
        callback(*args)


class Worker(DatabaseWorker):
    """A worker that runs queued jobs of the default task backend, on every queue.

    Args:
        burst: Recover stale jobs, run what is queued, then return (instead of running until
            stopped).
        interval: Seconds to wait between looks at an empty queue.
        worker_id: Unique id of this worker (default: host, pid and a random suffix).
        events: Callbacks for progress output.
    """

    def __init__(
        self,
        *,
        burst: bool = False,
        interval: float = 1.0,
        worker_id: str | None = None,
        events: WorkerEvents | None = None,
    ) -> None:
        backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
        if not isinstance(backend, DatabaseBackend):
            raise RuntimeError(
                "TASKS['default'] is not django_tasks_db.DatabaseBackend: "
                f"{type(backend).__module__}.{type(backend).__name__} has no queue to work on"
            )
        worker_id = worker_id or f"{services.this_host()[:40]}-{os.getpid()}-{get_random_string(8)}"
        super().__init__(
            queue_names=["*"],
            interval=interval,
            batch=burst,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id[:64],
            excluded_queue_names=[],
        )
        self.burst = burst
        self.events = events or WorkerEvents()
        self.ran: list[JobRun] = []
        self.recovered: list[services.RecoveredJob] = []
        self._abandoning = False
        self._stop_beating = threading.Event()
        self._beater: threading.Thread | None = None
        self._db = DBTaskResult.objects.db

    # --- signals -----------------------------------------------------------------------------------

    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        """First signal: finish the running job, then stop. Second: abandon it (queued again)."""
        if self.running:
            self.running = False
            try:
                _emit(self.events.stopping, self.running_task)
            except Exception:  # noqa: BLE001 - e.g. a reentrant write to stdout; stopping matters
                log.warning("worker %s stopping", self.worker_id)
            return
        if self.running_task and not self._abandoning:
            self._abandoning = True
            raise WorkerStopped(signal.strsignal(signum) or str(signum))

    # --- heartbeat ---------------------------------------------------------------------------------

    def _in_callers_transaction(self) -> bool:
        # Run inside a caller's transaction (the test suite runs burst workers so), a second
        # connection could neither see the caller's rows nor write beside it: beat inline instead.
        return connections[self._db].in_atomic_block

    def _beat_in_thread(self) -> None:
        try:
            while not self._stop_beating.wait(selectors.heartbeat_seconds()):
                try:
                    services.do_beat(self.worker_id)
                except DatabaseError:
                    log.warning("heartbeat of %s not written", self.worker_id, exc_info=True)
        finally:
            connections.close_all()

    def _start_heartbeat(self) -> None:
        services.do_register_worker(self.worker_id)
        if self._in_callers_transaction():
            return
        self._beater = threading.Thread(
            target=self._beat_in_thread, name=f"heartbeat-{self.worker_id}", daemon=True
        )
        self._beater.start()

    def _stop_heartbeat(self) -> None:
        self._stop_beating.set()
        if self._beater is not None:
            self._beater.join(timeout=30)
        try:
            services.do_unregister_worker(self.worker_id)
        except DatabaseError:
            log.warning("heartbeat of %s not removed", self.worker_id, exc_info=True)

    def _beat_inline(self, current_task_id: str | None = None) -> None:
        # The thread, when there is one, keeps last_seen fresh; the job in hand is noted from here.
        if self._beater is None or current_task_id is not None:
            services.do_beat(self.worker_id, current_task_id)

    # --- the loop ----------------------------------------------------------------------------------

    def _recover(self) -> None:
        found = services.do_recover_stale_jobs()
        if found:
            self.recovered.extend(found)
            _emit(self.events.recovered, found)

    def _enqueue_periodic(self) -> None:
        try:
            for path in services.do_enqueue_due_periodic():
                log.info("periodic job %s queued", path)
        except DatabaseError:  # e.g. SQLite busy: the next look tries again
            log.warning("periodic jobs not queued", exc_info=True)

    def _claim(self) -> tuple[bool, DBTaskResult | None]:
        """The next ready job, claimed for this worker: (whether the queue could be read, job)."""
        jobs = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        try:
            with exclusive_transaction(jobs.db):
                job = jobs.get_locked()
                if job is not None:
                    job.claim(self.worker_id)
                return True, job
        except DatabaseError as exc:
            if is_locked_database_exception(exc):  # SQLite busy: try again on the next turn
                return False, None
            raise

    def _sleep(self, seconds: float) -> None:
        until = time.monotonic() + seconds
        while self.running and time.monotonic() < until:
            time.sleep(min(SLEEP_STEP_SECONDS, max(until - time.monotonic(), 0)))

    def run(self) -> None:
        """Run until stopped (or, in burst mode, until the queue is empty)."""
        self._start_heartbeat()
        _emit(self.events.started, self)
        try:
            self._recover()
            last_recovery = time.monotonic()
            last_periodic = None
            while self.running:
                if not self._in_callers_transaction():
                    close_old_connections()
                if time.monotonic() - last_recovery >= selectors.stale_seconds() / 2:
                    self._recover()
                    last_recovery = time.monotonic()
                if not self.burst and (
                    last_periodic is None
                    or time.monotonic() - last_periodic >= PERIODIC_CHECK_SECONDS
                ):
                    self._enqueue_periodic()
                    last_periodic = time.monotonic()
                self._beat_inline()
                read, job = self._claim()
                if job is not None:
                    self.run_task(job)
                    continue
                if self.burst and read:
                    return
                self._sleep(self.interval)
        finally:
            self._stop_heartbeat()

    def run_task(self, db_task_result: DBTaskResult) -> None:
        """Run one claimed job and record how it ended (successful, failed or abandoned)."""
        task_id = str(db_task_result.id)
        args = list(db_task_result.args_kwargs.get("args", []))
        kwargs = dict(db_task_result.args_kwargs.get("kwargs", {}))
        run = JobRun(task_id, db_task_result.task_name, args, kwargs, "RUNNING", 0.0)
        began = time.perf_counter()
        self._beat_inline(task_id)
        _emit(self.events.job_started, run)
        try:
            self.running_task = True
            task = db_task_result.task
            task_result = db_task_result.task_result
            backend_type = type(task.get_backend())
            task_started.send(sender=backend_type, task_result=task_result)
            if task.takes_context:
                value = task.call(TaskContext(task_result=task_result), *args, **kwargs)
            else:
                value = task.call(*args, **kwargs)
            self.running_task = False
            db_task_result.set_successful(value)
            task_finished.send(sender=backend_type, task_result=db_task_result.task_result)
            run.return_value = value
        except WorkerStopped:
            self.running_task = False
            self._requeue(task_id)
            run.status = "ABANDONED"
            self.running = False
        except BaseException as exc:  # noqa: BLE001 - every outcome of a job is recorded
            self.running_task = False
            db_task_result.set_failed(exc)
            run.error = f"{type(exc).__name__}: {exc}"
            try:
                task_finished.send(
                    sender=type(db_task_result.task.get_backend()),
                    task_result=db_task_result.task_result,
                )
            except Exception:  # noqa: BLE001 - a job whose task cannot be imported stays failed
                log.exception("job %s failed and its task cannot be loaded", task_id)
        finally:
            self.running_task = False
            self._run_tasks += 1
            if run.status == "RUNNING":
                run.status = str(db_task_result.status)
            run.seconds = time.perf_counter() - began
            self.ran.append(run)
            try:
                self._beat_inline("")
            except DatabaseError:
                log.warning("heartbeat of %s not written", self.worker_id, exc_info=True)
            _emit(self.events.job_finished, run)

    def _requeue(self, task_id: str) -> None:
        try:
            services.do_requeue(task_id)
        except DatabaseError:
            # The stop may have cut a query short and left the connection unusable: reconnect once.
            if self._in_callers_transaction():
                raise
            connections[self._db].close()
            services.do_requeue(task_id)

    def install_signal_handlers(self) -> None:
        """Stop gracefully on SIGTERM and SIGINT (see ``shutdown``)."""
        self.configure_signals()
