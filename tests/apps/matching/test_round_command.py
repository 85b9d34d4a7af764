"""``bosetting round run|list`` on a small world."""

from __future__ import annotations

import json

import pytest
from tests.apps.cases.world import make_decision, make_household, make_unit
from typer.testing import CliRunner

from bosetting.apps.matching.models import MatchingRound, Proposal
from bosetting.cli import app

pytestmark = pytest.mark.django_db
runner = CliRunner()


@pytest.fixture
def world(reference_db):
    make_decision("1201", persons=5)
    make_unit("1201", max_occupants=4)
    make_household(ages=(30, 2))


def test_round_run_stores_drafts_and_prints_the_summary(world):
    result = runner.invoke(
        app,
        ["round", "run", "--as-of", "2015-01-05", "--time-limit", "5", "--format", "json"],
        terminal_width=200,
        color=False,
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["households_placed"] == 1 and summary["persons_placed"] == 2
    rnd = MatchingRound.objects.get(pk=summary["round"])
    assert rnd.status == MatchingRound.Status.DONE and rnd.created_by is None
    assert rnd.proposals.get().status == Proposal.Status.DRAFT
    listed = runner.invoke(app, ["round", "list", "--format", "json"])
    assert json.loads(listed.output)[0]["round"] == rnd.pk


@pytest.mark.parametrize(
    "args,field",
    [
        (["--as-of", "5.1.2015"], "--as-of"),
        (["--solver", "magic"], "--solver"),
        (["--time-limit", "0"], "--time-limit"),
        (["--municipality", "9999"], "--municipality"),
    ],
)
def test_round_run_names_the_bad_option(world, args, field):
    result = runner.invoke(app, ["round", "run", *args])
    assert result.exit_code == 2
    assert field in result.output
    assert not MatchingRound.objects.exists()
