"""The inbox page, the header's badge, the e-mail settings page, ``bosetting notify`` and the worker
that queues the scan: what a user and an operator see."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from tests.clock import BUSINESS_DAY, on_business_day
from typer.testing import CliRunner

from bosetting.apps.jobs.services import do_enqueue_due_periodic
from bosetting.apps.notifications import services
from bosetting.apps.notifications.choices import NoticeKind
from bosetting.apps.notifications.models import Notification
from bosetting.apps.notifications.registry import Audience, Notice
from bosetting.cli import app

from .world import lease_ending, sent_proposal

pytestmark = [pytest.mark.django_db, on_business_day]
K = NoticeKind
TODAY = BUSINESS_DAY
TASK = "bosetting.apps.notifications.tasks.send_due_notices_task"


def notice_for(user, key: str, kind: str = K.LEASE_ENDING) -> Notification:
    services.do_notify(
        [
            Notice(
                kind=kind,
                key=key,
                audience=Audience(user_ids=(user.pk,)),
                params={
                    "unit": key,
                    "municipality": "Bergen",
                    "reference": "T-1",
                    "due": "2015-02-01",
                },
                url="/boliger/",
            )
        ]
    )
    return Notification.objects.get(user=user, key=key)


def test_the_header_counts_the_unread_notices(client, municipal_officer):
    client.force_login(municipal_officer)
    page = client.get("/saker/").content.decode()
    assert 'data-testid="notice-badge"' in page and "Varsler, " not in page
    notice_for(municipal_officer, "a")
    notice_for(municipal_officer, "b")
    page = client.get("/saker/").content.decode()
    assert 'aria-label="Varsler, 2 uleste"' in page


def test_the_inbox_lists_unread_first_and_marks_read(client, municipal_officer):
    old = notice_for(municipal_officer, "old")
    services.do_mark_read(municipal_officer, old.pk)
    new = notice_for(municipal_officer, "new")
    client.force_login(municipal_officer)
    page = client.get("/varsler/").content.decode()
    assert page.index("bolig new") < page.index("bolig old")
    assert "1 ulest varsel." in page
    assert client.post(f"/varsler/{new.pk}/lest/").status_code == 302
    new.refresh_from_db()
    assert new.read_at is not None


def test_opening_a_notice_marks_it_read_and_goes_where_to_act(client, municipal_officer):
    notice = notice_for(municipal_officer, "x")
    client.force_login(municipal_officer)
    response = client.get(f"/varsler/{notice.pk}/")
    assert response.status_code == 302 and response["Location"] == "/boliger/"
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_mark_all_read(client, municipal_officer):
    for key in "abc":
        notice_for(municipal_officer, key)
    client.force_login(municipal_officer)
    client.post("/varsler/alle-lest/")
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_nobody_reads_or_marks_another_users_notice(
    client, municipal_officer, other_municipal_officer
):
    notice = notice_for(municipal_officer, "mine")
    client.force_login(other_municipal_officer)
    assert client.get(f"/varsler/{notice.pk}/").status_code == 404
    assert client.post(f"/varsler/{notice.pk}/lest/").status_code == 404
    client.post("/varsler/alle-lest/")
    assert "bolig mine" not in client.get("/varsler/").content.decode()
    notice.refresh_from_db()
    assert notice.read_at is None


def test_the_inbox_needs_a_login(client):
    response = client.get("/varsler/")
    assert response.status_code == 302 and "/logg-inn/" in response["Location"]


def test_the_inbox_is_in_english_too(client, municipal_officer):
    notice_for(municipal_officer, "K-7")
    client.force_login(municipal_officer)
    client.cookies["django_language"] = "en"
    page = client.get("/varsler/").content.decode()
    assert "Lease ends" in page and "Leiekontrakt" not in page


def test_settings_offer_the_kinds_of_the_users_role(client, municipal_officer, imdi_officer):
    client.force_login(municipal_officer)
    page = client.get("/varsler/innstillinger/").content.decode()
    assert 'value="proposal_received"' in page and 'value="round_finished"' not in page
    client.post("/varsler/innstillinger/", {"email_kinds": ["answer_due", "round_finished"]})
    assert municipal_officer.notification_settings.email_kinds == ["answer_due"]
    client.force_login(imdi_officer)
    page = client.get("/varsler/innstillinger/").content.decode()
    assert 'value="round_finished"' in page and 'value="proposal_received"' not in page


def test_bosetting_notify_raises_the_deadlines_once(municipal_officer):
    sent_proposal("1201", TODAY - timedelta(days=12))
    lease_ending("1201", TODAY + timedelta(days=20))
    runner = CliRunner()
    result = runner.invoke(app, ["notify"], terminal_width=200, color=False)
    assert result.exit_code == 0, result.output
    assert "2 nye varsler" in result.output and "Leiekontrakt går ut: 1" in result.output
    again = runner.invoke(app, ["notify", "--date", TODAY.isoformat()], color=False)
    assert "0 nye varsler" in again.output
    bad = runner.invoke(app, ["notify", "--date", "i morgen"], color=False)
    assert bad.exit_code == 2


def test_the_worker_queues_the_scan_when_it_is_due(settings):
    settings.BOSETTING_NOTIFY_MINUTES = 60
    assert TASK in do_enqueue_due_periodic()
    assert TASK not in do_enqueue_due_periodic()  # one is waiting already
    DBTaskResult.objects.filter(task_path=TASK).update(status="SUCCESSFUL")
    assert TASK not in do_enqueue_due_periodic()  # ran less than an hour ago
    later = timezone.now() + timedelta(minutes=61)
    assert TASK in do_enqueue_due_periodic(now=later)
    settings.BOSETTING_NOTIFY_MINUTES = 0
    DBTaskResult.objects.all().delete()
    assert TASK not in do_enqueue_due_periodic()
