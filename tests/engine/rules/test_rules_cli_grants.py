"""The ``grants`` and ``housing-allowance`` commands, driven through CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from bosetting.cli import app

runner = CliRunner()
ENV = {"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}
UNKNOWN = "ukjent (ikke i datagrunnlaget)"


def run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), env=ENV, color=False, terminal_width=200)


def test_grants_2014_adult_names_the_missing_rates_and_shows_the_stated_assumption() -> None:
    result = run("grants", "--year", "2014", "--category", "adult")
    assert result.exit_code == 0, result.output
    assert "669 600 kr" in result.stdout
    # the five published yearly rates are not in the data: printed as unknown, not as numbers …
    assert result.stdout.count(UNKNOWN) == 5
    assert "Mangler: satsen for år 1, 2, 3, 4, 5" in result.stdout
    # … and beside them the even split of the known total, marked as an assumption
    assert result.stdout.count("133 920 kr (antakelse)") == 5
    assert "--no-assumption" in result.stdout
    assert "L600" in result.stdout  # the source is shown


def test_grants_without_the_assumption_shows_no_assumed_figures() -> None:
    result = run("grants", "--year", "2014", "--category", "adult", "--no-assumption")
    assert result.exit_code == 0, result.output
    assert "antakelse" not in result.stdout.lower() and "133 920" not in result.stdout
    assert "Mangler: satsen for år 1, 2, 3, 4, 5" in result.stdout


def test_grants_for_an_unknown_year_says_so_and_explains() -> None:
    result = run("grants", "--year", "2013", "--category", "uam", "--no-assumption")
    assert result.exit_code == 0, result.output
    assert result.stdout.count(UNKNOWN) == 6  # five years and the total
    assert "ingen tall" in result.stdout
    assert "kr" not in result.stdout.replace("mindreårige", "")


def test_grants_for_a_category_without_a_total_assumes_the_lower_bound_and_says_whose() -> None:
    result = run("grants", "--year", "2013", "--category", "uam")
    assert result.exit_code == 0, result.output
    # no total for minors: the children's 2010 total 554 300 / 5, carried forward, a lower bound
    assert result.stdout.count("110 860 kr (antakelse)") == 5
    assert "budsjett 2010" in result.stdout and "et minimum" in result.stdout


def test_grants_as_json() -> None:
    result = run("grants", "--year", "2014", "--category", "adult", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["total_nok"] == 669600
    assert data["yearly_nok"] == [None] * 5
    assert data["known"] is True and data["yearly_known"] is False
    assert data["reason"]
    assert data["missing_settlement_years"] == [1, 2, 3, 4, 5]
    assert data["assumption"]["yearly_nok"] == [133920] * 5


def test_grants_with_a_users_own_rates_file(tmp_path: Path) -> None:
    path = tmp_path / "rates.csv"
    path.write_text(
        "budget_year,category,settlement_year_index,amount_nok,status,source,note\n"
        + "".join(
            f"2030,adult,{i},{amount},proposed,synthetic test figure,\n"
            for i, amount in enumerate([100000, 90000, 80000, 70000, 60000], start=1)
        ),
        encoding="utf-8",
    )
    result = run("grants", "--year", "2030", "--data", str(path))
    assert result.exit_code == 0, result.output
    assert "100 000 kr" in result.stdout
    # 100 000 + 90 000 + 80 000 + 70 000 + 60 000 = 400 000
    assert "400 000 kr" in result.stdout
    assert UNKNOWN not in result.stdout


def test_grants_rejects_a_bad_category_with_one_line_and_exit_2() -> None:
    result = run("grants", "--year", "2014", "--category", "adults")
    assert result.exit_code == 2
    assert "--category 'adults'" in result.stderr
    assert "Traceback" not in result.output


def test_grants_reports_a_broken_rates_file_by_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "budget_year,category,settlement_year_index,amount_nok,status,source,note\n"
        "2030,adult,1,lots,proposed,x,\n",
        encoding="utf-8",
    )
    result = run("grants", "--year", "2030", "--data", str(path))
    assert result.exit_code == 2
    assert "bad.csv line 2: amount_nok 'lots'" in result.stderr


def test_housing_allowance_prints_the_breakdown() -> None:
    result = run(
        "housing-allowance",
        "--income", "300000",
        "--housing-cost", "120000",
        "--household-size", "3",
        "--year", "2022",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    # worked out by hand in test_rules_housing_allowance.py
    for text in ("238 095 kr", "108 263 kr", "66 546 kr", "30 745 kr", "2 562 kr", "73,7 %"):
        assert text in result.stdout
    assert "estimat" in result.stdout


def test_housing_allowance_takes_the_cap_group_from_the_municipality() -> None:
    result = run(
        "housing-allowance", "--income", "150000", "--housing-cost", "100000",
        "--household-size", "1", "--year", "2022", "--municipality", "Bærum", "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["cap_group"] == "large_cities"
    assert data["cap_nok"] == 78237 + 16978


def test_housing_allowance_for_a_year_without_parameters_is_unknown() -> None:
    result = run(
        "housing-allowance", "--income", "200000", "--housing-cost", "90000",
        "--household-size", "2", "--year", "2014",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"Bostøtte 2014: {UNKNOWN}" in result.stdout
    assert "kr" not in result.stdout.split("Årsak")[0]


def test_housing_allowance_rejects_an_empty_household() -> None:
    result = run(
        "housing-allowance", "--income", "1", "--housing-cost", "1",
        "--household-size", "0", "--year", "2022",
    )  # fmt: skip
    assert result.exit_code == 2
    assert "--household-size" in result.stderr
