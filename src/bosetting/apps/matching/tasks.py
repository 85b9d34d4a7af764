"""Background jobs of matching rounds ("bakgrunnsjobb for utsøkingsrunde").

``services.do_start_round`` enqueues ``run_round_task`` in the transaction that creates the round;
``bosetting worker`` runs it. The job is safe to run again: a round whose earlier attempt died while
``running`` starts over cleanly (see ``runner.run_round``).
"""

from __future__ import annotations

from django.tasks import task

from bosetting.apps.jobs.services import on_give_up
from bosetting.apps.matching import runner


@task
def run_round_task(round_id: int) -> dict:
    """Run a stored matching round; returns the round id and the status it ended in."""
    return {"round": round_id, "status": runner.run_round(round_id)}


@on_give_up(run_round_task)
def give_up_round(round_id: int, *, error: str) -> None:
    """The job was given up: the round is marked failed with the error (if it has not finished)."""
    runner.do_fail_round(round_id, error)
