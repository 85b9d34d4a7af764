"""``bosetting housing gap`` on the hand-made Bergen of test_gap (same figures)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from typer.testing import CliRunner

from bosetting.cli import app

runner = CliRunner()
pytestmark = pytest.mark.django_db


@pytest.fixture
def small_bergen(make_household, make_unit):
    from bosetting.apps.geo.selectors import municipality
    from bosetting.apps.planning.models import CouncilDecision

    CouncilDecision.objects.create(municipality=municipality("1201"), year=2015, persons=12)
    make_household(6, status="ready", number=None)
    make_household(1, status="ready", number=None)
    make_household(1, number="1201", settled_on=date(2014, 2, 1))
    make_unit(6)
    make_unit(2)


def test_gap_json_for_a_municipality(small_bergen):
    result = runner.invoke(
        app, ["housing", "gap", "--area", "municipality:1201", "--year", "2015", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    # capacity 12; waiting 7 persons (6 + 1) all to Bergen; 5 more persons by the mix (only singles,
    # mean 1) -> 5 more singles. Units: one for 6, one for 2 -> 1-person band: 6 households, 1 spare
    # unit (the 2-person) -> 5 missing; 5+: 1 household, 1 unit.
    assert data["total"]["demand"] == {"1": 6, "2": 0, "3-4": 0, "5+": 1}
    assert data["total"]["missing"] == {"1": 5, "2": 0, "3-4": 0, "5+": 0}


def test_gap_text_names_the_5_plus_shortage(small_bergen):
    result = runner.invoke(app, ["housing", "gap", "--area", "county:12", "--year", "2015"])
    assert result.exit_code == 0, result.output
    assert "Boliggap 2015 – Hordaland" in result.output
    assert "Mangler boliger for 5+ personer: 0,0" in result.output


def test_an_unknown_area_is_one_clear_line_and_exit_2(reference_db):
    result = runner.invoke(app, ["housing", "gap", "--area", "municipality:9999"])
    assert result.exit_code == 2
    assert "no municipality '9999'" in result.output
    assert "Traceback" not in result.output


def test_an_unknown_format_is_refused():
    result = runner.invoke(app, ["housing", "gap", "--format", "xml"])
    assert result.exit_code == 2 and "--format" in result.output
