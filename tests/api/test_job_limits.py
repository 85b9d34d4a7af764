"""No unbounded background work (security finding 5): a user may have only a few rounds queued or
running at once, and the service only so many jobs waiting; more is 429 with a message."""

from __future__ import annotations

import pytest

from bosetting.apps.matching.models import MatchingRound

pytestmark = pytest.mark.django_db
ROUND = {"as_of": "2015-01-05", "solver": "greedy", "time_limit_seconds": 5}


def test_a_user_gets_429_past_its_own_limit_and_nothing_more_is_queued(api_as, settings):
    settings.BOSETTING_MAX_JOBS_PER_USER = 2
    client = api_as("imdi_officer")
    assert [client.post("/api/matching-rounds", ROUND).status_code for _ in range(2)] == [202, 202]
    refused = client.post("/api/matching-rounds", ROUND)
    assert refused.status_code == 429 and "2 jobber" in refused.json()["detail"]
    assert MatchingRound.objects.count() == 2
    # Another user still has room.
    assert api_as("imdi_regional_officer").post("/api/matching-rounds", ROUND).status_code == 202


def test_the_service_refuses_when_too_much_waits_in_all(api_as, settings):
    settings.BOSETTING_MAX_JOBS_PER_USER = 10
    settings.BOSETTING_MAX_PENDING_JOBS = 3
    client = api_as("imdi_officer")
    statuses = [client.post("/api/matching-rounds", ROUND).status_code for _ in range(4)]
    assert statuses == [202, 202, 202, 429]


def test_the_web_form_says_why_a_round_was_not_started(client, imdi_officer, settings):
    settings.BOSETTING_MAX_JOBS_PER_USER = 1
    client.force_login(imdi_officer)
    form = {"as_of": "2015-01-05", "solver": "greedy", "time_limit": "5"}
    client.post("/utsoking/", form)
    page = client.post("/utsoking/", form, follow=True).content.decode()
    assert "Vent til en er ferdig" in page and MatchingRound.objects.count() == 1


SIMULATION = {"scenario": "baseline-2009-2014", "runs": 2, "years": 1, "mode": "fast", "seed": 7}


def test_simulations_share_the_limits_api_429(api_as, settings):
    from bosetting.apps.simulation.models import SimulationRun

    settings.BOSETTING_MAX_JOBS_PER_USER = 2
    client = api_as("analyst")
    statuses = [client.post("/api/simulations", SIMULATION).status_code for _ in range(3)]
    assert statuses == [202, 202, 429] and SimulationRun.objects.count() == 2


def test_the_simulator_form_says_why_a_run_was_not_started(client, analyst, settings):
    from bosetting.apps.simulation.models import SimulationRun

    settings.BOSETTING_MAX_JOBS_PER_USER = 1
    client.force_login(analyst)
    assert client.post("/simulator/", SIMULATION).status_code == 302
    page = client.post("/simulator/", SIMULATION).content.decode()
    assert "Vent til en er ferdig" in page and SimulationRun.objects.count() == 1
