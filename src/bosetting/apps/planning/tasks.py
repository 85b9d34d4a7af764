"""Background jobs of the planning year ("bakgrunnsjobb").

An approved plan creates hundreds of requests; their letters (PDF, ``letters``) are made by
``make_request_letters_task``, enqueued once the approval is committed (``apps.PlanningConfig``
registers it as the plan's approval hook), so the approval does not wait for the PDFs. The job is
safe to run again: a request that has its letter already is skipped.
"""

from __future__ import annotations

from django.tasks import task

from bosetting.apps.planning import services


@task
def make_request_letters_task(request_ids: list[int]) -> dict:
    """Make the request letters of an approved plan's requests; returns how many were made."""
    return {"letters": len(services.do_make_plan_request_letters(None, request_ids))}


def enqueue_request_letters(plan_id: int, request_ids: list[int]) -> None:
    """The approval hook: the letters of the plan's new requests as a background job."""
    if request_ids:
        make_request_letters_task.enqueue(list(request_ids))
