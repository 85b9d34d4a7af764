"""A year of decisions (matching-v2.md §4): the information rule, the hindsight bound, bad streams."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bosetting.engine.matching import InstanceError
from bosetting.engine.matching.dynamic import (
    BatchView,
    Stream,
    check_decisions,
    generate_stream,
    hindsight_bound,
    make_policy,
    parse_stream,
    run_policy,
    value,
)
from bosetting.engine.matching.rules import rule_failures

_SETTINGS = settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)


def _stream(seed: int, households: int, units: int, months: int = 4) -> Stream:
    data = generate_stream(seed, households, 3, units, months)
    return parse_stream(data)


def test_every_policy_keeps_every_rule_and_the_information_rule() -> None:
    stream = _stream(1, 40, 50)
    for name in ("myopic", "lookahead"):
        run = run_policy(stream, make_policy(name, 2.0))
        assert run.decisions
        assert check_decisions(stream, run.decisions) == []
        assert run.batches == len(stream.batch_dates) == 4


def test_a_policy_that_peeks_is_caught_by_the_checker() -> None:
    stream = _stream(2, 40, 50, months=12)
    inst = stream.instance

    peeked: list[int] = []

    def peeking(view: BatchView) -> list[tuple[str, str]]:
        # Place a household that becomes ready only after this batch, in a free unit.
        future = [h for h in inst.households if h.ready_date > view.day]
        units = list(view.instance.units)
        if not peeked and future and units:
            peeked.append(view.index)
            return [(future[0].id, units[0].id)]
        return []

    run = run_policy(stream, peeking)
    problems = check_decisions(stream, run.decisions)
    assert any(p.startswith("information rule") for p in problems)

    used: list[int] = []

    def flat_too_early(view: BatchView) -> list[tuple[str, str]]:
        later = [u for u in inst.units if not stream.usable(u, view.day)]
        ready = list(view.instance.households)
        if not used and later and ready:
            used.append(view.index)
            return [(ready[0].id, later[0].id)]
        return []

    problems = check_decisions(stream, run_policy(stream, flat_too_early).decisions)
    assert any("information rule" in p and "unit free only from" in p for p in problems)


@_SETTINGS
@given(st.integers(0, 10_000))
def test_the_hindsight_bound_is_at_least_every_policys_value(seed: int) -> None:
    stream = _stream(seed, 18, 20, months=3)
    bound = hindsight_bound(stream, time_limit=20).bound
    for name in ("myopic", "lookahead"):
        run = run_policy(stream, make_policy(name, 2.0))
        assert check_decisions(stream, run.decisions) == []
        assert run.value <= bound + 1e-6


def _brute_force(stream: Stream) -> float:
    """Best static assignment, each pair valued at its earliest common batch (tiny streams)."""
    inst = stream.instance
    households = [h for h in inst.households if stream.ready_batch(h) is not None]
    units = [u for u in inst.units if stream.usable_batch(u) is not None]
    best = 0.0
    for combo in itertools.product([None, *range(len(units))], repeat=len(households)):
        load: dict[int, int] = {}
        persons: dict[str, int] = {}
        minors: dict[str, int] = {}
        total = 0.0
        ok = True
        for h, u in zip(households, combo, strict=True):
            if u is None:
                continue
            unit = units[u]
            day = stream.batch_dates[max(stream.ready_batch(h), stream.usable_batch(unit))]
            from dataclasses import replace

            if [r for r, _ in rule_failures(replace(inst, as_of=day), h, unit) if r != "F1"]:
                ok = False
                break
            load[u] = load.get(u, 0) + 1
            persons[unit.municipality] = persons.get(unit.municipality, 0) + h.size
            if h.uam:
                minors[unit.municipality] = minors.get(unit.municipality, 0) + h.size
            total += value(stream, h, unit, day)
        if not ok or any(n > units[u].slots for u, n in load.items()):
            continue
        if any(n > inst.municipality_by_id[m].capacity_persons for m, n in persons.items()):
            continue
        if any(n > inst.municipality_by_id[m].capacity_uam for m, n in minors.items()):
            continue
        best = max(best, total)
    return best


@_SETTINGS
@given(st.integers(0, 10_000))
def test_the_hindsight_bound_equals_brute_force_on_tiny_streams(seed: int) -> None:
    stream = _stream(seed, 5, 4, months=3)
    result = hindsight_bound(stream, time_limit=20)
    assert result.exact
    assert result.bound == pytest.approx(_brute_force(stream), rel=1e-7, abs=1e-6)


def _good() -> dict[str, Any]:
    return generate_stream(5, 6, 2, 6, 3)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update(batch_days=0), "batch_days: must be an integer >= 1"),
        (
            lambda d: d["households"][0].update(ready_date="2016-06-01"),
            "households[0].ready_date: 2016-06-01 is outside the period",
        ),
        (
            lambda d: d["households"][1].pop("ready_date"),
            "households[1].ready_date: required field missing",
        ),
        (
            lambda d: d.update(period_end="2014-01-01"),
            "period_end: 2014-01-01 is before period_start",
        ),
        (lambda d: d.update(format="bosetting.matching/1"), "format: a stream needs format"),
    ],
)
def test_a_bad_stream_is_refused_naming_the_field(mutate, message: str) -> None:
    data = _good()
    parse_stream(data)
    mutate(data)
    with pytest.raises(InstanceError) as info:
        parse_stream(data)
    assert str(info.value).startswith(message)


def test_a_stream_has_the_asked_number_of_monthly_batches() -> None:
    stream = parse_stream(generate_stream(1, 30, 4, 30, 12))
    assert len(stream.batch_dates) == 12
    assert stream.batch_dates[0] == date(2015, 1, 1)
    assert all(
        stream.period_start <= h.ready_date <= stream.period_end for h in stream.instance.households
    )


def test_the_commands_write_a_stream_and_the_contracts_output(tmp_path) -> None:
    import csv
    import json

    from typer.testing import CliRunner

    from bosetting.cli import app

    runner = CliRunner()
    stream, out, summary = tmp_path / "s.json", tmp_path / "p.csv", tmp_path / "sum.json"
    r = runner.invoke(
        app,
        [
            "match-stream",
            "--seed",
            "4",
            "--households",
            "30",
            "--municipalities",
            "3",
            "--units",
            "30",
            "--months",
            "3",
            "--out",
            str(stream),
        ],
    )
    assert r.exit_code == 0, r.output
    r = runner.invoke(
        app,
        [
            "match-dynamic",
            "--stream",
            str(stream),
            "--out",
            str(out),
            "--summary",
            str(summary),
            "--policy",
            "lookahead",
            "--time-limit",
            "2",
            "--hindsight",
            "--hindsight-time-limit",
            "20",
        ],
    )
    assert r.exit_code == 0, r.output
    with out.open() as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["household_id", "unit_id", "municipality_id", "batch_date", "value"]
    doc = json.loads(summary.read_text())
    assert set(doc) == {
        "value",
        "hindsight_bound",
        "ratio",
        "batches",
        "seconds",
        "policy",
        "myopic_value",
    }
    assert doc["batches"] == 3 and doc["policy"] == "lookahead"
    assert doc["value"] == pytest.approx(sum(float(r[4]) for r in rows[1:]))
    assert doc["value"] <= doc["hindsight_bound"] + 1e-6
    assert doc["ratio"] == pytest.approx(doc["value"] / doc["hindsight_bound"])

    data = json.loads(stream.read_text())
    data["households"][0]["ready_date"] = "2030-01-01"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    out2, sum2 = tmp_path / "p2.csv", tmp_path / "s2.json"
    r = runner.invoke(
        app, ["match-dynamic", "--stream", str(bad), "--out", str(out2), "--summary", str(sum2)]
    )
    assert r.exit_code != 0
    assert "households[0].ready_date" in r.output and len(r.output.strip().splitlines()) == 1
    assert not out2.exists() and not sum2.exists()
