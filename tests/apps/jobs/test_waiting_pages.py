"""The round page and the simulator say plainly when a job waits and no worker is alive to run it,
as full page and as the polled HTMX fragment, in bokmål and in English."""

from __future__ import annotations

import pytest

from bosetting.apps.matching.models import MatchingRound

pytestmark = pytest.mark.django_db

NO_WORKER_NB = "Ingen bakgrunnsprosess kjører – runden starter når en prosess er i gang."
NO_WORKER_EN = "No background worker is running – the round will start once one is running."


def test_a_queued_round_with_no_worker_says_so(client, queued_round, imdi_officer):
    client.force_login(imdi_officer)
    page = client.get(f"/utsoking/{queued_round.pk}/").content.decode()
    assert 'data-testid="no-worker"' in page and NO_WORKER_NB in page
    fragment = client.get(f"/utsoking/{queued_round.pk}/", headers={"HX-Request": "true"})
    assert NO_WORKER_NB in fragment.content.decode()
    assert "HX-Refresh" not in fragment  # it keeps polling until a worker has run it


def test_the_notice_is_translated(client, queued_round, imdi_officer):
    client.force_login(imdi_officer)
    client.cookies["django_language"] = "en"
    page = client.get(f"/utsoking/{queued_round.pk}/").content.decode()
    assert NO_WORKER_EN in page


def test_a_queued_round_with_a_live_worker_just_waits(
    client, queued_round, imdi_officer, heartbeat
):
    heartbeat("alive", seconds_ago=1)
    client.force_login(imdi_officer)
    page = client.get(f"/utsoking/{queued_round.pk}/").content.decode()
    assert 'data-testid="no-worker"' not in page
    assert "Runden kjører i bakgrunnen" in page


def test_a_finished_round_says_nothing_about_workers(client, queued_round, imdi_officer):
    MatchingRound.objects.filter(pk=queued_round.pk).update(status=MatchingRound.Status.FAILED)
    client.force_login(imdi_officer)
    page = client.get(f"/utsoking/{queued_round.pk}/").content.decode()
    assert 'data-testid="no-worker"' not in page


def test_a_queued_simulation_with_no_worker_says_so(client, analyst, heartbeat):
    from bosetting.apps.simulation.services import do_start_simulation

    sim = do_start_simulation(analyst, "baseline-2009-2014", runs=1, years=1, seed=1)
    client.force_login(analyst)
    notice = "Ingen bakgrunnsprosess kjører – simuleringen starter når en prosess er i gang."
    for url in (
        "/simulator/",
        f"/simulator/kjoring/{sim.pk}/",
        f"/simulator/kjoring/{sim.pk}/status/",
    ):
        body = client.get(url).content.decode()
        assert notice in body, url
    heartbeat("alive", seconds_ago=1)
    assert notice not in client.get(f"/simulator/kjoring/{sim.pk}/").content.decode()
