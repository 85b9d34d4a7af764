# ruff: noqa: F811 - the world fixture is imported from test_rounds
"""Matching rounds with format /2: the outcome weight and look-ahead chosen by IMDi, wishes and
groups from the database, the per-group results beside the outcome-blind assignment, and the
predicted employment in words per proposal."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.apps.matching.test_rounds import AS_OF, world  # noqa: F401 - the fixture

from bosetting.apps.audit.models import AuditEntry
from bosetting.apps.cases.services import do_set_preferences
from bosetting.apps.matching import runner, services
from bosetting.apps.matching.models import MatchingRound
from bosetting.engine.matching import check_assignment, parse_instance
from bosetting.engine.outcomes import generate_training_rows, train, write_training_csv

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def small_model(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("model") / "train.csv"
    write_training_csv(generate_training_rows(11, 1200), path)
    return train(path)


@pytest.fixture
def model(monkeypatch, small_model):
    # The product trains its default model on first use; the tests use a small one.
    monkeypatch.setattr(runner, "default_model", lambda cache_dir: small_model)
    return small_model


def test_without_wishes_or_outcome_weight_the_instance_stays_format_1(world):
    data = build = runner.build_instance(AS_OF)
    assert build["format"] == "bosetting.matching/1"
    assert "outcomes" not in data and "preference" not in data["weights"]


def test_wishes_recorded_at_the_interview_reach_the_instance_and_the_explanation(
    world,
    imdi_officer,
):
    h = world["households"][2]  # a single adult
    do_set_preferences(imdi_officer, h.pk, ["1201", "0301"], "Midtøsten")
    assert AuditEntry.objects.filter(object_id=str(h.pk), note="bosettingssamtale").exists()
    data = runner.build_instance(AS_OF)
    assert data["format"] == "bosetting.matching/2"
    row = next(x for x in data["households"] if x["id"] == h.reference)
    assert row["preferences"] == ["1201", "0301"] and row["group"] == "Midtøsten"
    rnd = services.do_start_round(imdi_officer, as_of=AS_OF, time_limit=5.0)
    rnd.refresh_from_db()
    assert rnd.status == MatchingRound.Status.DONE, rnd.error
    proposal = rnd.proposals.filter(household=h).first()
    if proposal is not None and proposal.municipality.number in ("1201", "0301"):
        assert "ønske" in proposal.explanation["text_nb"]


def test_a_round_with_an_outcome_weight_has_outcomes_groups_and_words(
    world,
    imdi_officer,
    model,
    client,
):
    rnd = services.do_start_round(imdi_officer, as_of=AS_OF, time_limit=8.0, outcome_weight=0.1)
    rnd.refresh_from_db()
    assert rnd.status == MatchingRound.Status.DONE, rnd.error
    inst = parse_instance(rnd.instance)
    assert inst.version == 2 and inst.outcomes and inst.fairness
    assert inst.weights.outcome == 0.1
    assert (
        check_assignment(inst, [(p.household.reference, p.unit.code) for p in rnd.proposals.all()])
        == []
    )
    groups = rnd.summary["groups"]
    assert groups and all("mean_p_employment_outcome_blind" in g for g in groups.values())
    with_words = [p for p in rnd.proposals.all() if p.explanation.get("outcome_text_nb")]
    assert with_words and "her" in with_words[0].explanation["outcome_text_nb"]
    client.force_login(imdi_officer)
    page = client.get(f"/utsoking/{rnd.pk}/").content.decode()
    assert 'data-testid="round-groups"' in page
    assert "Forventet andel i arbeid eller utdanning" in page


def test_imdi_chooses_the_outcome_weight_and_look_ahead_on_the_rounds_page(
    world,
    imdi_officer,
    model,
    client,
):
    client.force_login(imdi_officer)
    assert 'name="outcome_weight"' in client.get("/utsoking/").content.decode()
    response = client.post(
        "/utsoking/",
        {
            "as_of": AS_OF.isoformat(),
            "solver": "optimal",
            "time_limit": "8",
            "outcome_weight": "0.05",
            "lookahead": "1",
        },
    )
    assert response.status_code == 302
    rnd = MatchingRound.objects.latest("created_at")
    assert rnd.outcome_weight == 0.05 and rnd.lookahead
    assert rnd.status == MatchingRound.Status.DONE, rnd.error
    assert "lookahead" in rnd.summary
    inst = parse_instance(rnd.instance)
    assert (
        check_assignment(inst, [(p.household.reference, p.unit.code) for p in rnd.proposals.all()])
        == []
    )


def test_an_outcome_weight_out_of_range_is_refused(world, imdi_officer):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.do_start_round(imdi_officer, as_of=AS_OF, outcome_weight=5.0)


def test_the_default_model_is_trained_once_and_kept(tmp_path: Path, monkeypatch):
    from bosetting.engine.outcomes import default as default_module

    monkeypatch.setattr(default_module, "DEFAULT_ROWS", 600)
    first = default_module.default_model(tmp_path)
    assert default_module.default_model_path(tmp_path).exists()
    again = default_module.default_model(tmp_path)
    assert again.trained_at == first.trained_at and again.synthetic
