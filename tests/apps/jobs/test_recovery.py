"""Recovery of jobs that dead workers left running: queued again while attempts are left, then
given up with the round (or simulation) marked failed; a job that raises is given up at once; a
worker told twice to stop puts its job back in the queue."""

from __future__ import annotations

import signal
import subprocess
import sys
from datetime import timedelta

import pytest
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from tests.apps.cases.world import muni
from tests.apps.jobs.helpers import run_queued_jobs

from bosetting.apps.cases.models import Household
from bosetting.apps.jobs import selectors
from bosetting.apps.jobs.models import WorkerHeartbeat
from bosetting.apps.jobs.services import do_recover_stale_jobs, this_host
from bosetting.apps.jobs.worker import Worker, WorkerStopped
from bosetting.apps.matching import runner as matching_services
from bosetting.apps.matching.models import MatchingRound, Proposal

pytestmark = pytest.mark.django_db


def _running(rnd: MatchingRound) -> None:
    """The round as a worker leaves it when it dies mid-run."""
    MatchingRound.objects.filter(pk=rnd.pk).update(status=MatchingRound.Status.RUNNING)


def test_a_started_round_waits_in_the_queue_with_its_job(queued_round):
    assert queued_round.status == MatchingRound.Status.QUEUED
    assert selectors.job_status(queued_round.task_id) == "READY"
    job = DBTaskResult.objects.get(pk=queued_round.task_id)
    assert job.task_path == "bosetting.apps.matching.tasks.run_round_task"
    assert job.args_kwargs == {"args": [queued_round.pk], "kwargs": {}}


def test_a_job_of_a_worker_without_heartbeat_for_too_long_is_queued_again(
    queued_round, heartbeat, claim, settings
):
    settings.BOSETTING_WORKER_STALE_SECONDS = 60
    heartbeat("dead", seconds_ago=120)
    claim(queued_round.task_id, "dead")
    _running(queued_round)

    recovered = do_recover_stale_jobs()

    assert [(r.task_id, r.attempts, r.given_up) for r in recovered] == [
        (queued_round.task_id, 1, False)
    ]
    job = DBTaskResult.objects.get(pk=queued_round.task_id)
    assert job.status == TaskResultStatus.READY and job.started_at is None
    assert job.worker_ids == ["dead"]  # the attempt still counts
    assert not WorkerHeartbeat.objects.filter(worker_id="dead").exists()  # pruned


def test_a_job_of_a_living_worker_is_left_alone(queued_round, heartbeat, claim):
    heartbeat("alive", seconds_ago=1)
    claim(queued_round.task_id, "alive", started_seconds_ago=3600)
    assert do_recover_stale_jobs() == []
    assert selectors.job_status(queued_round.task_id) == "RUNNING"
    assert selectors.worker_alive()


def test_a_job_whose_worker_left_no_heartbeat_is_taken_only_after_the_stale_time(
    queued_round, claim, settings
):
    settings.BOSETTING_WORKER_STALE_SECONDS = 60
    claim(queued_round.task_id, "unknown", started_seconds_ago=10)
    assert do_recover_stale_jobs() == []
    job = DBTaskResult.objects.get(pk=queued_round.task_id)
    DBTaskResult.objects.filter(pk=job.pk).update(
        started_at=job.started_at - timedelta(seconds=120)
    )
    assert [r.task_id for r in do_recover_stale_jobs()] == [queued_round.task_id]


def test_a_worker_process_gone_from_this_host_is_dead_at_once(queued_round, heartbeat, claim):
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    heartbeat("crashed", seconds_ago=0, host=this_host(), pid=gone.pid)
    claim(queued_round.task_id, "crashed")
    assert [r.task_id for r in do_recover_stale_jobs()] == [queued_round.task_id]


def test_after_the_last_attempt_the_job_is_failed_and_the_round_too(
    queued_round, heartbeat, claim, settings
):
    settings.BOSETTING_JOB_MAX_ATTEMPTS = 3
    heartbeat("third", seconds_ago=600)
    claim(queued_round.task_id, "first", "second", "third")
    _running(queued_round)

    (recovered,) = do_recover_stale_jobs()

    assert recovered.given_up and recovered.attempts == 3
    job = DBTaskResult.objects.get(pk=queued_round.task_id)
    assert job.status == TaskResultStatus.FAILED
    assert job.exception_class_path == "bosetting.apps.jobs.services.WorkerLost"
    rnd = MatchingRound.objects.get(pk=queued_round.pk)
    assert rnd.status == MatchingRound.Status.FAILED
    assert "3 ganger" in rnd.error and "gitt opp" in rnd.error
    assert recovered.error == rnd.error


def test_a_given_up_round_that_had_finished_is_left_as_it_was(queued_round, heartbeat, claim):
    heartbeat("w", seconds_ago=600)
    claim(queued_round.task_id, "a", "b", "w")
    MatchingRound.objects.filter(pk=queued_round.pk).update(status=MatchingRound.Status.DONE)
    do_recover_stale_jobs()
    assert MatchingRound.objects.get(pk=queued_round.pk).status == MatchingRound.Status.DONE


def test_a_recovered_round_runs_again_from_a_clean_start(queued_round, heartbeat, claim):
    heartbeat("dead", seconds_ago=600)
    claim(queued_round.task_id, "dead")
    _running(queued_round)
    # What the dead attempt left: a draft from its half-finished run.
    leftover = Proposal.objects.create(
        round=queued_round,
        household=Household.objects.first(),
        municipality=muni("1201"),
        score=1.0,
    )

    ran = run_queued_jobs()

    assert [(r.name, r.status) for r in ran] == [("run_round_task", "SUCCESSFUL")]
    rnd = MatchingRound.objects.get(pk=queued_round.pk)
    assert rnd.status == MatchingRound.Status.DONE, rnd.error
    assert not Proposal.objects.filter(pk=leftover.pk).exists()
    assert rnd.proposals.count() == rnd.summary["households_placed"] == 2
    assert len(DBTaskResult.objects.get(pk=queued_round.task_id).worker_ids) == 2


def test_a_job_that_raises_is_given_up_and_the_round_marked_failed(queued_round, monkeypatch):
    def broken(round_id):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(matching_services, "run_round", broken)
    (run,) = run_queued_jobs()
    assert run.status == "FAILED"
    rnd = MatchingRound.objects.get(pk=queued_round.pk)
    assert rnd.status == MatchingRound.Status.FAILED
    assert rnd.error == "Bakgrunnsjobben feilet: RuntimeError: the database went away"


def test_a_simulation_is_marked_failed_when_its_job_is_given_up(
    analyst, heartbeat, claim, settings
):
    from bosetting.apps.simulation.models import SimulationRun
    from bosetting.apps.simulation.services import do_start_simulation

    settings.BOSETTING_JOB_MAX_ATTEMPTS = 2
    sim = do_start_simulation(analyst, "baseline-2009-2014", runs=1, years=1, seed=1)
    assert sim.status == SimulationRun.Status.QUEUED and sim.task_id
    heartbeat("w", seconds_ago=600)
    claim(sim.task_id, "v", "w")
    SimulationRun.objects.filter(pk=sim.pk).update(status=SimulationRun.Status.RUNNING)
    (recovered,) = do_recover_stale_jobs()
    assert recovered.given_up
    sim.refresh_from_db()
    assert sim.status == SimulationRun.Status.FAILED and "gitt opp" in sim.error
    assert sim.finished_at is not None


def test_job_status_is_none_for_no_job_or_a_foreign_id(queued_round):
    assert selectors.job_status("") is None
    assert selectors.job_status("not-a-uuid") is None
    assert selectors.job_status("00000000-0000-0000-0000-000000000000") is None


def test_the_first_stop_signal_finishes_the_job_the_second_abandons_it(db):
    worker = Worker(burst=True)
    worker.running_task = True
    worker.shutdown(signal.SIGTERM, None)
    assert worker.running is False
    with pytest.raises(WorkerStopped):
        worker.shutdown(signal.SIGTERM, None)


def test_an_abandoned_job_goes_back_to_the_queue(queued_round, monkeypatch):
    def stopped(round_id):
        raise WorkerStopped("SIGTERM")

    monkeypatch.setattr(matching_services, "run_round", stopped)
    (run,) = run_queued_jobs()
    assert run.status == "ABANDONED"
    assert selectors.job_status(queued_round.task_id) == "READY"
    monkeypatch.undo()
    (again,) = run_queued_jobs()
    assert again.status == "SUCCESSFUL"
    assert MatchingRound.objects.get(pk=queued_round.pk).status == MatchingRound.Status.DONE


def test_a_stopping_worker_removes_its_heartbeat(db):
    worker = Worker(burst=True)
    worker.run()
    assert not WorkerHeartbeat.objects.filter(worker_id=worker.worker_id).exists()
    assert not selectors.worker_alive()
