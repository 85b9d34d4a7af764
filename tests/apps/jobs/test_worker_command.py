"""``bosetting round run --background``, ``bosetting worker --burst`` and ``bosetting round list``
through Typer's CliRunner, in this process (fixed width, no colour)."""

from __future__ import annotations

import json

import pytest
from tests.apps.jobs.helpers import IMMEDIATE_TASKS
from typer.testing import CliRunner

from bosetting.apps.jobs import selectors
from bosetting.apps.matching.models import MatchingRound
from bosetting.cli import app

pytestmark = pytest.mark.django_db
runner = CliRunner()


def _cli(*args: str):
    return runner.invoke(app, list(args), terminal_width=200, color=False)


def test_a_round_queued_with_no_worker_completes_after_a_burst_worker(small_world):
    queued = _cli(
        "round", "run", "--background", "--as-of", "2015-01-05", "--time-limit", "5",
        "--format", "json",
    )  # fmt: skip
    assert queued.exit_code == 0, queued.output
    started = json.loads(queued.output)
    assert started["status"] == "queued" and started["worker_alive"] is False
    rnd = MatchingRound.objects.get(pk=started["round"])
    assert rnd.status == MatchingRound.Status.QUEUED and rnd.created_by is None
    assert selectors.job_status(rnd.task_id) == "READY"

    burst = _cli("worker", "--burst")

    assert burst.exit_code == 0, burst.output
    assert f"run_round_task({rnd.pk})" in burst.output
    assert "fullført" in burst.output and "status=done" in burst.output
    rnd.refresh_from_db()
    assert rnd.status == MatchingRound.Status.DONE, rnd.error
    assert selectors.job_status(rnd.task_id) == "SUCCESSFUL"
    assert not selectors.worker_alive()  # the burst worker removed its heartbeat

    listed = _cli("round", "list", "--format", "json")
    assert listed.exit_code == 0, listed.output
    row = json.loads(listed.output)[0]
    assert row["id"] == rnd.pk and row["status"] == "done"
    assert row["summary"]["households_placed"] == 2 and row["task_id"] == rnd.task_id


def test_round_run_in_the_background_says_when_no_worker_runs(small_world):
    result = _cli("round", "run", "--background", "--as-of", "2015-01-05")
    assert result.exit_code == 0, result.output
    rnd = MatchingRound.objects.get()
    assert f"Utsøkingsrunde {rnd.pk} (2015-01-05) er lagt i kø" in result.output
    assert "Ingen bakgrunnsprosess kjører" in result.output


def test_round_list_keeps_its_text_table(small_world):
    _cli("round", "run", "--as-of", "2015-01-05", "--time-limit", "5")
    result = _cli("round", "list")
    assert result.exit_code == 0, result.output
    assert "Utsøkingsrunder" in result.output and "done" in result.output


def test_a_burst_worker_on_an_empty_queue_says_so(db):
    result = _cli("worker", "--burst")
    assert result.exit_code == 0, result.output
    assert "Ingen jobber i kø." in result.output


def test_a_burst_worker_reports_a_job_it_queued_again_after_a_dead_worker(
    queued_round, heartbeat, claim
):
    heartbeat("dead", seconds_ago=3600)
    claim(queued_round.task_id, "dead")
    result = _cli("worker", "--burst")
    assert result.exit_code == 0, result.output
    assert f"Gjenopptatt run_round_task({queued_round.pk})" in result.output
    assert MatchingRound.objects.get(pk=queued_round.pk).status == MatchingRound.Status.DONE


def test_the_worker_refuses_a_backend_without_a_queue(db, settings):
    settings.TASKS = IMMEDIATE_TASKS
    result = _cli("worker", "--burst")
    assert result.exit_code == 2
    assert "DatabaseBackend" in result.output


def test_the_worker_command_has_help():
    result = _cli("worker", "--help")
    assert result.exit_code == 0
    assert "--burst" in result.output


def test_serve_has_a_no_worker_switch():
    result = _cli("serve", "--help")
    assert result.exit_code == 0
    assert "--no-worker" in result.output
