"""Fixtures of the background-job tests: a small world with a round queued in the database queue,
jobs claimed by workers that are alive or dead, and heartbeats."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone
from tests.apps.cases.world import make_decision, make_household, make_unit

AS_OF = date(2015, 1, 5)


@pytest.fixture
def small_world(reference_db, db):
    """Bergen with a decision, two free units and two settlement-ready households."""
    make_decision("1201", persons=6)
    make_unit("1201", max_occupants=4)
    make_unit("1201", max_occupants=2)
    make_household(ages=(34, 6))
    make_household(ages=(25,))


@pytest.fixture
def queued_round(small_world, imdi_officer):
    """A round started by IMDi and waiting in the database queue (no worker has run it)."""
    from bosetting.apps.matching.services import do_start_round

    return do_start_round(imdi_officer, as_of=AS_OF, time_limit=5.0)


@pytest.fixture
def heartbeat(db):
    """``heartbeat("w1", seconds_ago=120, host=..., pid=...)`` -> a worker's heartbeat row."""
    from bosetting.apps.jobs.models import WorkerHeartbeat

    def make(worker_id: str, seconds_ago: float = 0.0, host: str = "another-host", pid: int = 4242):
        seen = timezone.now() - timedelta(seconds=seconds_ago)
        return WorkerHeartbeat.objects.create(
            worker_id=worker_id, host=host, pid=pid, started_at=seen, last_seen=seen
        )

    return make


@pytest.fixture
def claim(db):
    """``claim(task_id, "w1", "w2")`` -> the job, claimed (``RUNNING``) by each worker in turn, as
    happens when a worker takes it, dies, and recovery queues it for the next one."""
    from django_tasks_db.models import DBTaskResult

    def make(task_id: str, *worker_ids: str, started_seconds_ago: float = 0.0):
        job = DBTaskResult.objects.get(pk=task_id)
        for worker_id in worker_ids:
            job.claim(worker_id)
        started = timezone.now() - timedelta(seconds=started_seconds_ago)
        DBTaskResult.objects.filter(pk=task_id).update(started_at=started)
        job.refresh_from_db()
        return job

    return make
