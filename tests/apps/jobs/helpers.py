"""Running background jobs in tests, without a worker process.

- ``use_immediate_tasks(settings)``: jobs run at once when they are enqueued (Django's immediate
  backend), for tests that are about what a job does rather than about the queue.
- ``run_queued_jobs()``: run what the database queue holds in this process, as
  ``bosetting worker --burst`` does (recovery first), for tests about the queue itself.

Import them in the test modules that need them; they are not fixtures of the whole suite.
"""

from __future__ import annotations

IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def use_immediate_tasks(settings) -> None:
    """Make enqueued jobs run at once, in the enqueuing transaction (pytest-django ``settings``)."""
    settings.TASKS = IMMEDIATE_TASKS


def run_queued_jobs():
    """Run every queued job in this process, then return the worker's record of what ran."""
    from bosetting.apps.jobs.worker import Worker

    worker = Worker(burst=True, interval=0.1)
    worker.run()
    return worker.ran
