"""The simulator page and API: tiny runs (fast mode, two runs, one year), tasks run synchronously."""

import pytest
from tests.apps.jobs.helpers import use_immediate_tasks

from bosetting.apps.simulation.models import SimulationRun
from bosetting.apps.simulation.services import do_start_simulation

pytestmark = pytest.mark.django_db

TINY = {"runs": 2, "years": 1, "mode": "fast", "seed": 7}


@pytest.fixture(autouse=True)
def _sync_tasks(settings):
    use_immediate_tasks(settings)


def test_a_run_stores_inputs_and_seed_and_its_result(analyst):
    sim = do_start_simulation(
        analyst, "baseline-2009-2014", {"phases.preparation_months": 0.5}, **TINY
    )
    assert sim.status == "done" and sim.progress == 1.0 and sim.runs_done == 2
    assert sim.overrides == {"phases.preparation_months": 0.5} and sim.seed == 7
    assert set(sim.result["years"]) == {"2009"}
    band = sim.result["years"]["2009"]["settled"]
    assert band["p05"] <= band["mean"] <= band["p95"]
    assert "2009" in sim.result["table_2_1"] and "2009" in sim.result["table_2_2"]


def test_same_inputs_and_seed_give_the_same_result(analyst):
    first = do_start_simulation(analyst, "baseline-2009-2014", **TINY)
    second = do_start_simulation(analyst, "baseline-2009-2014", **TINY)
    assert first.result["years"] == second.result["years"]


def test_faster_preparation_settles_refugees_sooner(analyst):
    slow = do_start_simulation(
        analyst, "baseline-2009-2014", {"phases.preparation_months": 6.0}, **TINY
    )
    fast = do_start_simulation(
        analyst, "baseline-2009-2014", {"phases.preparation_months": 0.2}, **TINY
    )
    months = "mean_wait_months_permit_to_settlement"
    assert (
        fast.result["years"]["2009"][months]["mean"] < slow.result["years"]["2009"][months]["mean"]
    )


def test_page_needs_login(client, reference_db):
    assert client.get("/simulator/").status_code == 302


def test_page_starts_a_run_and_shows_its_result(client, county_governor):
    client.force_login(county_governor)
    page = client.get("/simulator/")
    assert page.status_code == 200 and "baseline-2009-2014" in page.content.decode()
    response = client.post(
        "/simulator/",
        {"scenario": "baseline-2009-2014", "runs": 2, "years": 1, "seed": 3, "mode": "fast",
         "label": "Raskere forberedelse", "p_phases__preparation_months": "0.5"},
    )  # fmt: skip
    assert response.status_code == 302
    sim = SimulationRun.objects.get(label="Raskere forberedelse")
    assert sim.status == "done" and sim.overrides == {"phases.preparation_months": 0.5}
    body = client.get(response["Location"]).content.decode()
    assert "plotly.min.js" in body and "sim-data" in body and "Tabell 2.1" in body


def test_out_of_range_parameter_is_shown_on_the_form(client, analyst):
    client.force_login(analyst)
    response = client.post(
        "/simulator/",
        {"scenario": "baseline-2009-2014", "runs": 2, "mode": "fast",
         "p_matching__accept_probability": "3"},
    )  # fmt: skip
    assert response.status_code == 200 and not SimulationRun.objects.exists()
    assert "errorlist" in response.content.decode()


def test_status_fragment_polls_until_done(client, analyst):
    client.force_login(analyst)
    queued = SimulationRun.objects.create(scenario="baseline-2009-2014", seed=1, runs=2)
    body = client.get(f"/simulator/kjoring/{queued.pk}/status/", HTTP_HX_REQUEST="true").content
    assert b'hx-trigger="every 1s"' in body and b"<html" not in body
    queued.status = "done"
    queued.save()
    body = client.get(f"/simulator/kjoring/{queued.pk}/status/", HTTP_HX_REQUEST="true").content
    assert b"hx-trigger" not in body


def test_compare_two_scenarios_side_by_side(client, analyst):
    a = do_start_simulation(analyst, "baseline-2009-2014", label="A", **TINY)
    b = do_start_simulation(
        analyst, "baseline-2009-2014", {"matching.accept_probability": 0.5}, label="B", **TINY
    )
    client.force_login(analyst)
    body = client.get("/simulator/sammenlign/", {"run": [a.pk, b.pk]}).content.decode()
    assert body.count("<td>A</td>") == 1 and body.count("<td>B</td>") == 1
    assert "chart-settled" in body


def test_api_starts_and_reads_a_run(client, municipal_officer):
    client.force_login(municipal_officer)
    response = client.post(
        "/api/simulations",
        {"scenario": "baseline-2009-2014", "overrides": {"housing.move_out_probability": 0.8},
         **TINY},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 202
    run_id = response.json()["id"]
    detail = client.get(f"/api/simulations/{run_id}").json()
    assert detail["status"] == "done" and detail["result"]["table_2_1"]["2009"]["settled"] > 0
    assert any(r["id"] == run_id for r in client.get("/api/simulations").json())
    catalogue = client.get("/api/simulations/catalogue").json()
    assert "baseline-2009-2014" in catalogue["scenarios"]
    assert client.get("/api/simulations/999999").status_code == 404


def test_api_refuses_unknown_scenario_and_unlisted_parameter_with_422(client, analyst):
    client.force_login(analyst)
    bad = client.post("/api/simulations", {"scenario": "nope", **TINY},
                      content_type="application/json")  # fmt: skip
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "body.scenario"
    bad = client.post(
        "/api/simulations",
        {"scenario": "baseline-2009-2014", "overrides": {"arrivals.children_mean": 5}, **TINY},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["field"] == "body.arrivals.children_mean"


def test_api_needs_login(client, reference_db):
    assert client.get("/api/simulations").status_code == 401


def test_every_shipped_scenario_is_offered_with_its_defaults(client, analyst):
    from bosetting.apps.simulation.services import scenario_defaults, scenario_names

    client.force_login(analyst)
    body = client.get("/simulator/").content.decode()
    for name in scenario_names():
        assert f'value="{name}"' in body
        assert scenario_defaults(name)["phases.preparation_months"] is not None
    page = client.get("/simulator/", {"scenario": "housing-boost"}).content.decode()
    assert 'value="housing-boost" selected' in page


def test_two_scenarios_compared_in_the_api_results(analyst):
    base = do_start_simulation(analyst, "baseline-2009-2014", runs=1, years=1, seed=2)
    boost = do_start_simulation(analyst, "housing-boost", runs=1, years=1, seed=2)
    assert base.status == boost.status == "done"
    assert base.result["scenario"] != boost.result["scenario"]


def test_a_policy_run_shows_its_bokmal_name_its_start_and_one_period(client, analyst):
    import json
    import re

    sim = do_start_simulation(analyst, "self-settlement", runs=1, years=7, seed=2, mode="fast")
    client.force_login(analyst)
    body = client.get(f"/simulator/kjoring/{sim.pk}/").content.decode()
    assert "Selvbosetting (svensk modell) fra 2015" in body
    assert "tiltaket starter i 2015" in body and "kalenderår" in body
    data = json.loads(re.search(r'id="sim-data"[^>]*>(.*?)</script>', body, re.S).group(1))
    (series,) = data["series"]
    assert series["policy_start"] == "2015" and data["policy_label"] == "Tiltaket starter"
    # The chart and the table read the same calendar-year means.
    chart = series["metrics"]["settled"]
    table = {row["year"]: row for row in data["table"]}
    for year, mean in zip(chart["years"], chart["mean"], strict=True):
        assert table[year]["settled"] == mean
    assert table["2015"]["policy_start"] and not table["2014"]["policy_start"]
    assert sim.result["table_2_1"]["2014"]["settled"] == chart["mean"][chart["years"].index("2014")]
    index = client.get("/simulator/").content.decode()
    assert "Flere boliger fra 2015" in index
