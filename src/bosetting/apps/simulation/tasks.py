"""Background jobs of the policy simulator ("bakgrunnsjobb for simulering").

``services.do_start_simulation`` enqueues ``execute_simulation_task`` in the transaction that stores
the run; ``bosetting worker`` runs it (the body is ``runner.execute_simulation``). The job is safe to
run again: the sweep starts over from the run's stored inputs and seed.
"""

from __future__ import annotations

from django.tasks import task

from bosetting.apps.jobs.services import on_give_up
from bosetting.apps.simulation import runner


@task
def execute_simulation_task(run_id: int) -> dict:
    """Run a stored simulation run; returns the run id and the status it ended in."""
    return {"run": run_id, "status": runner.execute_simulation(run_id)}


@on_give_up(execute_simulation_task)
def give_up_simulation(run_id: int, *, error: str) -> None:
    """The job was given up: the run is marked failed with the error (if it has not finished)."""
    runner.do_fail_simulation(run_id, error)
