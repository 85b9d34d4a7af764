"""Background jobs of the web import ("bakgrunnsjobber for import").

``services.do_upload`` enqueues ``check_batch_task`` in the transaction that stores the uploaded
file; ``services.do_confirm`` enqueues ``write_batch_task`` in the transaction that marks it
confirmed. ``bosetting worker`` runs them. Both are safe to run again (see ``runner``).
"""

from __future__ import annotations

from django.tasks import task

from bosetting.apps.imports import runner
from bosetting.apps.jobs.services import on_give_up


@task
def check_batch_task(batch_id: int) -> dict:
    """Check an uploaded file; returns the batch id and the status it ended in."""
    return {"batch": batch_id, "status": runner.check_batch(batch_id)}


@task
def write_batch_task(batch_id: int) -> dict:
    """Write a confirmed file; returns the batch id and the status it ended in."""
    return {"batch": batch_id, "status": runner.write_batch(batch_id)}


@on_give_up(check_batch_task)
def give_up_check(batch_id: int, *, error: str) -> None:
    """The check was given up: the batch is marked failed with the error."""
    runner.do_fail_batch(batch_id, error)


@on_give_up(write_batch_task)
def give_up_write(batch_id: int, *, error: str) -> None:
    """The write was given up: the batch is marked failed with the error (nothing was written)."""
    runner.do_fail_batch(batch_id, error)
