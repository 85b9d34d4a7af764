"""Expected family reunification in the matching (``expected_additional_persons``, matching.md).

A household that expects family members fits a unit by the size of the family it expects (F2 and
``fit``) while the decision capacity counts only those who are here (G3–G5, F5). The property: no
solver ever proposes such a household a flat too small for the family it expects, nor a shared unit.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.engine.matching.matching_builders import (
    AS_OF,
    brute_force_optimum,
    household,
    instance,
    municipality,
    ref_score,
    ref_valid,
    unit,
)

from bosetting.engine.matching import check_assignment, parse_instance, solve
from bosetting.engine.matching.parse import InstanceError, instance_to_dict

_AS_OF = date.fromisoformat(AS_OF)


@st.composite
def instances_with_reunification(
    draw: st.DrawFn, max_households: int = 8, max_units: int = 8
) -> dict[str, Any]:
    """Small instances where many households — above all single adults — expect family."""
    ids = [f"{1001 + i}" for i in range(draw(st.integers(1, 3)))]
    municipalities = [
        municipality(
            mid,
            capacity_persons=draw(st.integers(0, 12)),
            capacity_uam=draw(st.integers(0, 3)),
            labour_index=draw(st.floats(0.0, 1.0)),
        )
        for mid in ids
    ]
    units = []
    for i in range(draw(st.integers(1, max_units))):
        kind = draw(st.sampled_from(["municipal", "private_sublet", "shared"]))
        units.append(
            unit(
                f"u{i}",
                municipality=draw(st.sampled_from(ids)),
                kind=kind,
                max_occupants=draw(st.integers(1, 6)),
                beds=draw(st.integers(1, 3)) if kind == "shared" else 1,
                zone=draw(st.sampled_from(["a", "b"])),
                available_from=(_AS_OF + timedelta(days=draw(st.integers(-30, 60)))).isoformat(),
            )
        )
    households = []
    for i in range(draw(st.integers(1, max_households))):
        uam = draw(st.booleans()) and draw(st.booleans()) and draw(st.booleans())
        single = draw(st.booleans())
        ages = (
            (draw(st.integers(14, 17)),)
            if uam
            else (draw(st.integers(18, 60)),)
            if single
            else tuple(draw(st.lists(st.integers(0, 70), min_size=2, max_size=4)))
        )
        households.append(
            household(
                f"h{i}",
                ages=ages,
                permit_date=(_AS_OF - timedelta(days=draw(st.integers(0, 700)))).isoformat(),
                uam=uam,
                expected_additional_persons=draw(st.integers(0, 4)),
            )
        )
    weights = {
        k: draw(st.sampled_from([10.0, 4.0, 2.0, 1.0, 0.0]))
        for k in ("settle", "wait", "ties", "labour", "fit")
    }
    return instance(
        municipalities=municipalities,
        units=units,
        households=households,
        weights=weights,
        zone_cap=draw(st.one_of(st.none(), st.integers(0, 3))),
    )


_SETTINGS = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)


def _never_too_small(data: dict[str, Any], solver: str) -> None:
    inst = parse_instance(data)
    result = solve(inst, solver=solver, time_limit=10)
    assert check_assignment(inst, result.assignments) == []
    assert ref_valid(data, [(a.household_id, a.unit_id) for a in result.assignments])
    hs = {h["id"]: h for h in data["households"]}
    us = {u["id"]: u for u in data["units"]}
    for a in result.assignments:
        h, u = hs[a.household_id], us[a.unit_id]
        expected = h.get("expected_additional_persons", 0)
        if expected:
            assert u["kind"] != "shared", (a.household_id, a.unit_id)
            assert len(h["persons"]) + expected <= u["max_occupants"], (a.household_id, a.unit_id)
        assert a.score == pytest.approx(ref_score(data, h, u), rel=1e-12, abs=1e-12)
    # Capacity counts only the persons who are here.
    placed = {}
    for a in result.assignments:
        placed[a.municipality_id] = placed.get(a.municipality_id, 0) + len(
            hs[a.household_id]["persons"]
        )
    assert result.persons_placed == sum(placed.values())


@_SETTINGS
@given(instances_with_reunification())
def test_no_solver_proposes_a_flat_too_small_for_the_expected_family(data: dict[str, Any]):
    _never_too_small(data, "greedy")
    _never_too_small(data, "optimal")


def _as_v2_with_wishes(data: dict[str, Any]) -> dict[str, Any]:
    """The /2 twin with every household wishing the first municipality: a household–municipality
    term, so the optimal solver takes the household-level model (``pairwise.py``)."""
    first = data["municipalities"][0]["id"]
    return {
        **data,
        "format": "bosetting.matching/2",
        "weights": {**data["weights"], "outcome": 0.0, "preference": 3.0},
        "households": [{**h, "preferences": [first]} for h in data["households"]],
    }


@_SETTINGS
@given(instances_with_reunification(max_households=6, max_units=6))
def test_the_household_level_model_of_format_2_never_proposes_a_flat_too_small(
    data: dict[str, Any],
):
    inst = parse_instance(_as_v2_with_wishes(data))
    result = solve(inst, solver="optimal", time_limit=10)
    assert check_assignment(inst, result.assignments) == []
    hs = {h["id"]: h for h in data["households"]}
    us = {u["id"]: u for u in data["units"]}
    for a in result.assignments:
        h, u = hs[a.household_id], us[a.unit_id]
        if h.get("expected_additional_persons", 0):
            assert u["kind"] != "shared", (a.household_id, a.unit_id)
            assert len(h["persons"]) + h["expected_additional_persons"] <= u["max_occupants"]


@_SETTINGS
@given(instances_with_reunification(max_households=4, max_units=4))
def test_the_optimum_with_expected_family_equals_brute_force(data: dict[str, Any]):
    best = brute_force_optimum(data)
    result = solve(parse_instance(data), solver="optimal", time_limit=10)
    assert result.objective == pytest.approx(best, rel=1e-7, abs=1e-5)


def _single_expecting_two(*flats: int, capacity: int = 5) -> dict[str, Any]:
    return instance(
        municipalities=[municipality("1201", capacity_persons=capacity)],
        units=[
            unit(f"u{size}", municipality="1201", max_occupants=size, bedrooms=size // 2)
            for size in flats
        ],
        households=[household("h1", ages=(29,), expected_additional_persons=2)],
    )


def test_a_single_adult_expecting_two_gets_the_flat_for_three_not_the_one_for_two():
    result = solve(parse_instance(_single_expecting_two(2, 3)), solver="optimal", time_limit=5)
    [a] = result.assignments
    assert a.unit_id == "u3"
    assert "familiegjenforening" in a.explanation.text_nb()
    assert a.explanation.fit == pytest.approx(2.0 * 3 / 3)


def test_with_only_a_flat_for_two_the_single_expecting_two_is_not_proposed():
    for solver in ("greedy", "optimal"):
        result = solve(parse_instance(_single_expecting_two(2)), solver=solver, time_limit=5)
        assert result.assignments == []


def test_the_capacity_counts_the_single_not_the_family_that_has_not_arrived():
    result = solve(
        parse_instance(_single_expecting_two(3, capacity=1)), solver="optimal", time_limit=5
    )
    assert [a.unit_id for a in result.assignments] == ["u3"] and result.persons_placed == 1


def test_expected_additional_persons_is_optional_checked_and_round_trips():
    data = _single_expecting_two(3)
    inst = parse_instance(data)
    assert inst.households[0].housing_size == 3 and inst.households[0].size == 1
    assert instance_to_dict(inst)["households"][0]["expected_additional_persons"] == 2
    plain = instance(households=[household("h1")])
    assert (
        "expected_additional_persons"
        not in instance_to_dict(parse_instance(plain))["households"][0]
    )
    for bad in (-1, 1.5, "2", 21):
        data["households"][0]["expected_additional_persons"] = bad
        with pytest.raises(InstanceError, match=r"households\[0\]\.expected_additional_persons"):
            parse_instance(data)
