"""``bosetting match`` and ``bosetting match-instance`` through the Typer runner."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest
from tests.engine.matching.matching_builders import household, instance, municipality, unit
from typer.testing import CliRunner

from bosetting.cli import app
from bosetting.engine.matching import check_assignment, generate_instance, load_instance

runner = CliRunner(env={"NO_COLOR": "1", "COLUMNS": "120", "TERM": "dumb"})


def _write(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_match_writes_proposals_and_summary(tmp_path: Path) -> None:
    source = tmp_path / "instance.json"
    made = runner.invoke(
        app,
        [
            "match-instance",
            "--seed",
            "5",
            "--households",
            "120",
            "--municipalities",
            "15",
            "--units",
            "200",
            "--out",
            str(source),
        ],
    )
    assert made.exit_code == 0, made.output
    out, summary = tmp_path / "proposals.csv", tmp_path / "summary.json"
    result = runner.invoke(
        app,
        [
            "match",
            "--instance",
            str(source),
            "--out",
            str(out),
            "--summary",
            str(summary),
            "--time-limit",
            "10",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Placed " in result.stdout
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert (
        out.read_text(encoding="utf-8").splitlines()[0]
        == "household_id,unit_id,municipality_id,score"
    )
    inst = load_instance(source)
    pairs = [(r["household_id"], r["unit_id"]) for r in rows]
    assert pairs and check_assignment(inst, pairs) == []
    data = json.loads(summary.read_text(encoding="utf-8"))
    assert data["households_placed"] == len(rows)
    assert data["solver"] == "optimal"
    assert data["objective"] == pytest.approx(sum(float(r["score"]) for r in rows))


def test_match_with_the_greedy_solver(tmp_path: Path) -> None:
    source = _write(
        tmp_path / "i.json",
        instance(units=[unit("u1")], households=[household("h1")]),
    )
    out = tmp_path / "p.csv"
    result = runner.invoke(
        app, ["match", "--instance", str(source), "--out", str(out), "--solver", "greedy"]
    )
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").splitlines()[1].startswith("h1,u1,0301,")


def test_a_malformed_instance_exits_2_with_one_line_and_no_output(tmp_path: Path) -> None:
    bad = instance(
        municipalities=[municipality("0301")],
        units=[unit("u1")],
        households=[household("h1"), household("h2", permit_date="2014-02-30")],
    )
    source = _write(tmp_path / "bad.json", bad)
    out, summary = tmp_path / "p.csv", tmp_path / "s.json"
    result = runner.invoke(
        app, ["match", "--instance", str(source), "--out", str(out), "--summary", str(summary)]
    )
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "households[1].permit_date: not a date" in lines[0]
    assert "Traceback" not in result.output
    assert not out.exists() and not summary.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.json"]


def test_invalid_json_names_line_and_column(tmp_path: Path) -> None:
    source = tmp_path / "broken.json"
    source.write_text('{"format": "bosetting.matching/1",,}', encoding="utf-8")
    result = runner.invoke(
        app, ["match", "--instance", str(source), "--out", str(tmp_path / "p.csv")]
    )
    assert result.exit_code == 2
    assert "invalid JSON at line 1 column 35" in result.stderr


def test_a_missing_instance_file_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["match", "--instance", str(tmp_path / "none.json"), "--out", str(tmp_path / "p.csv")]
    )
    assert result.exit_code == 2
    assert "cannot read" in result.stderr
    assert not (tmp_path / "p.csv").exists()


def test_an_unknown_solver_exits_2(tmp_path: Path) -> None:
    source = _write(tmp_path / "i.json", instance())
    result = runner.invoke(
        app,
        ["match", "--instance", str(source), "--out", str(tmp_path / "p.csv"), "--solver", "cplex"],
    )
    assert result.exit_code == 2
    assert "--solver" in result.stderr


def test_match_instance_writes_the_generated_instance(tmp_path: Path) -> None:
    out = tmp_path / "i.json"
    result = runner.invoke(
        app,
        [
            "match-instance",
            "--seed",
            "3",
            "--households",
            "50",
            "--municipalities",
            "6",
            "--units",
            "70",
            "--out",
            str(out),
            "--as-of",
            "2016-05-01",
        ],
    )
    assert result.exit_code == 0, result.output
    written = json.loads(out.read_text(encoding="utf-8"))
    assert written == generate_instance(3, 50, 6, 70, as_of=date(2016, 5, 1))


def test_match_instance_refuses_a_bad_date(tmp_path: Path) -> None:
    out = tmp_path / "i.json"
    result = runner.invoke(
        app,
        [
            "match-instance",
            "--seed",
            "3",
            "--households",
            "5",
            "--municipalities",
            "2",
            "--units",
            "5",
            "--out",
            str(out),
            "--as-of",
            "01.05.2016",
        ],
    )
    assert result.exit_code == 2
    assert "--as-of: not a date" in result.stderr
    assert not out.exists()
