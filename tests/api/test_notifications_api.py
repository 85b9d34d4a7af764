"""GET /api/notifications (the bearer's own, unread first, paged), marking read and the e-mail
settings; nobody reads or marks another user's notices."""

from __future__ import annotations

import pytest
from tests.clock import on_business_day

from bosetting.apps.notifications.choices import NoticeKind
from bosetting.apps.notifications.models import Notification
from bosetting.apps.notifications.registry import Audience, Notice
from bosetting.apps.notifications.services import do_mark_read, do_notify

from .writes import put

pytestmark = [pytest.mark.django_db, on_business_day]


def notify(user, key: str) -> Notification:
    do_notify(
        [
            Notice(
                kind=NoticeKind.PROPOSAL_RECEIVED,
                key=key,
                audience=Audience(user_ids=(user.pk,)),
                params={
                    "reference": key,
                    "persons": 4,
                    "municipality": "Bergen",
                    "due": "2015-01-19",
                },
                url="/saker/",
            )
        ]
    )
    return Notification.objects.get(user=user, key=key)


def test_the_bearers_own_unread_first(api_as, municipal_officer, other_municipal_officer):
    read = notify(municipal_officer, "H-1")
    do_mark_read(municipal_officer, read.pk)
    unread = notify(municipal_officer, "H-2")
    notify(other_municipal_officer, "H-3")
    data = api_as("municipal_officer").get("/api/notifications").json()
    assert [n["id"] for n in data["items"]] == [unread.pk, read.pk] and data["count"] == 2
    first = data["items"][0]
    assert first["title"] == "Nytt forslag: husholdning H-2 (4 personer)"
    assert first["read"] is False and first["due_on"] is None and first["url"] == "/saker/"
    only_unread = api_as("municipal_officer").get("/api/notifications", {"unread": True}).json()
    assert [n["id"] for n in only_unread["items"]] == [unread.pk]


def test_mark_read_and_all_read(api_as, municipal_officer, other_municipal_officer):
    mine = notify(municipal_officer, "H-1")
    notify(municipal_officer, "H-2")
    theirs = notify(other_municipal_officer, "H-3")
    client = api_as("municipal_officer")
    assert client.post(f"/api/notifications/{theirs.pk}/read").status_code == 404
    marked = client.post(f"/api/notifications/{mine.pk}/read")
    assert marked.status_code == 200 and marked.json()["read"] is True
    assert client.post("/api/notifications/read-all").json() == {"marked": 1}
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_pages_are_capped(api_as, municipal_officer):
    notify(municipal_officer, "H-1")
    client = api_as("municipal_officer")
    assert client.get("/api/notifications", {"limit": 501}).status_code == 422
    assert client.get("/api/notifications", {"limit": 1, "offset": 1}).json()["items"] == []


def test_the_anonymous_get_401(api_as, reference_db):
    assert api_as("anonymous").get("/api/notifications").status_code == 401


def test_email_settings(api_as, municipal_officer):
    client = api_as("municipal_officer")
    settings = client.get("/api/notifications/settings").json()
    assert (
        sorted(settings["kinds"])
        == settings["email_kinds"]
        == [
            "answer_due",
            "lease_ending",
            "proposal_received",
        ]
    )
    changed = put(
        client, "/api/notifications/settings", {"email_kinds": ["round_finished", "answer_due"]}
    )
    assert changed.status_code == 200 and changed.json()["email_kinds"] == ["answer_due"]
    bad = put(client, "/api/notifications/settings", {"email_kinds": ["spam"]})
    assert bad.status_code == 422
