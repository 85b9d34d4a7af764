"""The periodic job of notices ("varseljobb"): ``bosetting worker`` queues it every
``BOSETTING_NOTIFY_MINUTES`` (``jobs.services.register_periodic``). Safe to run again at any time: a
notice already raised is not raised again."""

from __future__ import annotations

from django.tasks import task

from bosetting.apps.notifications.services import do_send_due_notices


@task
def send_due_notices_task() -> dict:
    """Raise the notices of deadlines near the business date; send the e-mails still owed."""
    report = do_send_due_notices()
    return {
        "today": report.today.isoformat(),
        "found": report.found,
        "created": sum(report.created.values()),
        "emails": report.emails,
        "pruned": report.pruned,
    }
