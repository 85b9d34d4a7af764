"""PROPOSALS.csv and SUMMARY.json: exact header and keys, atomic writes."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from tests.engine.matching.matching_builders import household, instance, municipality, unit

import bosetting.engine.matching.output as output
from bosetting.engine.matching import (
    parse_instance,
    solve,
    write_proposals_csv,
    write_summary_json,
)


@pytest.fixture
def result():
    data = instance(
        municipalities=[municipality("0301", capacity_persons=10)],
        units=[unit("u1", max_occupants=3), unit("u2")],
        households=[household("h1", ages=(30, 2), permit_date="2014-09-03"), household("h2")],
    )
    return solve(parse_instance(data))


def test_proposals_csv_has_the_contract_header_and_full_precision(result, tmp_path: Path) -> None:
    path = tmp_path / "proposals.csv"
    write_proposals_csv(result, path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "household_id,unit_id,municipality_id,score"
    rows = list(csv.DictReader(lines))
    assert [r["household_id"] for r in rows] == ["h1", "h2"]
    for row, a in zip(rows, result.assignments, strict=True):
        assert float(row["score"]) == a.score  # round-trips exactly
        assert row["municipality_id"] == "0301"


def test_summary_json_has_exactly_the_contract_keys(result, tmp_path: Path) -> None:
    path = tmp_path / "summary.json"
    write_summary_json(result, path)
    summary = json.loads(path.read_text(encoding="utf-8"))
    assert set(summary) == {
        "objective",
        "upper_bound",
        "gap",
        "seconds",
        "households_placed",
        "persons_placed",
        "solver",
    }
    assert summary["households_placed"] == 2
    assert summary["persons_placed"] == 3
    assert summary["solver"] == "optimal"
    assert summary["objective"] == pytest.approx(result.objective)


def test_a_failed_write_leaves_neither_file_nor_temp(result, tmp_path: Path, monkeypatch) -> None:
    def broken_writer(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(output.csv, "writer", broken_writer)
    path = tmp_path / "proposals.csv"
    with pytest.raises(OSError, match="disk full"):
        write_proposals_csv(result, path)
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_keeps_the_previous_file(result, tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "summary.json"
    path.write_text("previous", encoding="utf-8")
    monkeypatch.setattr(output.json, "dump", lambda *a, **k: (_ for _ in ()).throw(OSError("boom")))
    with pytest.raises(OSError):
        write_summary_json(result, path)
    assert path.read_text(encoding="utf-8") == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["summary.json"]
