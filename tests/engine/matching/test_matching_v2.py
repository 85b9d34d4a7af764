"""Format /2 (matching-v2.md): outcomes, wishes, groups and the rule "no group worse off".

* every /1 instance gives exactly what the engine gave before /2 existed (digests recorded from
  commit acffcb7), and its /2 twin with the new weights at 0 gives the same again;
* scores equal the formula of the contract, in both solvers and the explanations;
* the optimising solver equals brute force on tiny /2 instances;
* with the rule on, no protected group's mean predicted employment falls below its outcome-blind
  mean, on random instances;
* bad input is refused with one line naming the field.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.engine.matching.matching_builders import (
    brute_force_optimum_v2,
    household,
    instance,
    municipality,
    ref_score_v2,
    ref_valid,
    unit,
)
from tests.engine.matching.test_matching_properties import instances
from tests.engine.matching.v1_golden import GOLDEN, cases, digest

from bosetting.engine.matching import (
    InstanceError,
    check_assignment,
    generate_instance,
    instance_to_dict,
    parse_instance,
    solve,
)
from bosetting.engine.matching.fairness import fairness_violations, group_figures

_SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)


def test_every_recorded_v1_instance_gives_exactly_the_result_from_before_v2() -> None:
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    for name, data in cases():
        for solver in ("greedy", "optimal"):
            assert digest(data, solver) == golden[name][solver], (name, solver)


def _twin(data: dict[str, Any], seed: int) -> dict[str, Any]:
    """The same instance in format /2 with outcomes, wishes and groups, all weighted 0."""
    twin = copy.deepcopy(data)
    twin["format"] = "bosetting.matching/2"
    twin["weights"]["outcome"] = 0.0
    twin["weights"]["preference"] = 0.0
    ids = [m["id"] for m in twin["municipalities"]]
    twin["outcomes"] = []
    for i, h in enumerate(twin["households"]):
        h["group"] = "ab"[(i + seed) % 2]
        h["preferences"] = ids[: (i + seed) % (len(ids) + 1)]
        for j, mid in enumerate(ids):
            p = ((i * 7 + j * 3 + seed) % 11) / 10
            twin["outcomes"].append(
                {"household_id": h["id"], "municipality_id": mid, "p_employment": p}
            )
    return twin


@_SETTINGS
@given(instances(), st.integers(0, 5))
def test_a_v1_instance_and_its_v2_twin_with_zero_weights_give_the_same_proposals(
    data: dict[str, Any], seed: int
) -> None:
    for solver in ("greedy", "optimal"):
        one = solve(parse_instance(data), solver=solver, time_limit=10, mip_rel_gap=1e-9)
        two = solve(
            parse_instance(_twin(data, seed)), solver=solver, time_limit=10, mip_rel_gap=1e-9
        )
        assert [(a.household_id, a.unit_id, a.score) for a in one.assignments] == [
            (a.household_id, a.unit_id, a.score) for a in two.assignments
        ]
        assert one.summary() == {**two.summary(), "seconds": one.seconds}


@st.composite
def v2_instances(draw: st.DrawFn, max_households: int = 8, max_units: int = 8) -> dict[str, Any]:
    data = draw(instances(max_households=max_households, max_units=max_units))
    data["format"] = "bosetting.matching/2"
    data["weights"]["outcome"] = draw(st.sampled_from([0.0, 0.02, 0.1]))
    data["weights"]["preference"] = draw(st.sampled_from([0.0, 1.0, 5.0]))
    ids = [m["id"] for m in data["municipalities"]]
    data["outcomes"] = []
    for h in data["households"]:
        h["preferences"] = draw(
            st.lists(st.sampled_from(ids), unique=True, max_size=min(5, len(ids)))
        )
        for mid in ids:
            if draw(st.booleans()):
                data["outcomes"].append(
                    {
                        "household_id": h["id"],
                        "municipality_id": mid,
                        "p_employment": draw(st.floats(0.0, 1.0)),
                    }
                )
    return data


def _check_v2(data: dict[str, Any], solver: str) -> float:
    inst = parse_instance(data)
    result = solve(inst, solver=solver, time_limit=10, mip_rel_gap=1e-9)
    assert check_assignment(inst, result.assignments) == []
    assert ref_valid(data, [(a.household_id, a.unit_id) for a in result.assignments])
    hs = {h["id"]: h for h in data["households"]}
    us = {u["id"]: u for u in data["units"]}
    for a in result.assignments:
        expected = ref_score_v2(data, hs[a.household_id], us[a.unit_id])
        assert a.score == pytest.approx(expected, rel=1e-12, abs=1e-12)
        assert a.explanation.score == pytest.approx(a.score, rel=1e-12, abs=1e-12)
    if result.upper_bound is not None:
        assert result.upper_bound >= result.objective - 1e-9
    return result.objective


@_SETTINGS
@given(v2_instances())
def test_v2_scores_equal_the_formula_in_every_solver(data: dict[str, Any]) -> None:
    greedy = _check_v2(data, "greedy")
    optimal = _check_v2(data, "optimal")
    assert optimal >= greedy - 1e-9 * max(1.0, abs(greedy))


@_SETTINGS
@given(v2_instances(max_households=5, max_units=4))
def test_v2_optimal_equals_brute_force_on_tiny_instances(data: dict[str, Any]) -> None:
    assert _check_v2(data, "optimal") == pytest.approx(
        brute_force_optimum_v2(data), rel=1e-7, abs=1e-5
    )


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
@given(st.integers(0, 10_000), st.sampled_from([0.02, 0.1, 0.5]))
def test_no_protected_group_is_worse_off_than_outcome_blind(seed: int, weight: float) -> None:
    data = generate_instance(seed, 56, 5, 100, v2=True)
    data["weights"]["outcome"] = weight
    # Two groups, both large enough to be protected.
    for i, h in enumerate(data["households"]):
        h["group"] = "ab"[i % 2]
    inst = parse_instance(data)
    result = solve(inst, solver="optimal", time_limit=6, mip_rel_gap=1e-3)
    assert check_assignment(inst, result.assignments) == []
    assert result.groups is not None
    final = group_figures(inst, [(a.household_id, a.municipality_id) for a in result.assignments])
    assert fairness_violations(inst, {}, final) == []  # nothing is protected without a floor
    protected = 0
    for g, figures in result.groups.items():
        assert figures["placed"] == final[g].placed
        blind = figures["mean_p_employment_outcome_blind"]
        if figures["placed_outcome_blind"] >= 20 and blind is not None:
            protected += 1
            assert figures["mean_p_employment"] >= blind - 1e-6
    assert protected >= 1


def test_the_summary_reports_each_group_beside_the_outcome_blind_assignment() -> None:
    inst = parse_instance(generate_instance(3, 60, 5, 90, v2=True))
    summary = solve(inst, time_limit=20).summary()
    assert set(summary["groups"]) == {h.group for h in inst.households}
    for figures in summary["groups"].values():
        assert {"placed", "mean_p_employment", "mean_p_employment_outcome_blind"} <= set(figures)


def test_a_wish_and_the_predictions_are_explained_in_bokmal() -> None:
    data = instance(
        municipalities=[municipality("0301"), municipality("1201")],
        units=[unit("u1", "0301"), unit("u2", "1201")],
        households=[household("h1", ages=(30,))],
        format="bosetting.matching/2",
        weights={
            "settle": 10.0,
            "wait": 4.0,
            "ties": 3.0,
            "labour": 1.0,
            "fit": 2.0,
            "outcome": 0.1,
            "preference": 5.0,
        },
        outcomes=[
            {"household_id": "h1", "municipality_id": "0301", "p_employment": 0.6},
            {"household_id": "h1", "municipality_id": "1201", "p_employment": 0.4},
        ],
    )
    data["households"][0]["preferences"] = ["0301", "1201"]
    result = solve(parse_instance(data), time_limit=10)
    (a,) = result.assignments
    assert a.unit_id == "u1"
    e = a.explanation
    assert e.preference_rank == 1 and e.preference == pytest.approx(5.0)
    assert e.outcome == pytest.approx(0.1 * 100 * 0.6)
    text = e.text_nb()
    assert "1. ønske" in text
    assert "60 % her" in text and "beste" in text and "snitt" in text


def test_a_v2_instance_round_trips_through_the_exchange_format() -> None:
    inst = parse_instance(generate_instance(5, 20, 4, 30, v2=True))
    assert parse_instance(instance_to_dict(inst)) == inst
    v1 = parse_instance(generate_instance(5, 20, 4, 30))
    assert instance_to_dict(v1)["format"] == "bosetting.matching/1"


def _v2() -> dict[str, Any]:
    data = instance(
        municipalities=[municipality("0301"), municipality("1201")],
        units=[unit("u1", "0301")],
        households=[household("h1"), household("h2")],
        format="bosetting.matching/2",
        outcomes=[{"household_id": "h1", "municipality_id": "0301", "p_employment": 0.5}],
        fairness={"no_group_worse_off": True},
    )
    data["households"][0]["group"] = "a"
    data["households"][0]["preferences"] = ["1201"]
    return data


BAD = [
    (
        lambda d: d["outcomes"][0].update(p_employment=1.2),
        "outcomes[0].p_employment: must be a number >= 0 and <= 1",
    ),
    (
        lambda d: d["outcomes"][0].update(p_employment=-0.1),
        "outcomes[0].p_employment: must be a number >= 0 and <= 1",
    ),
    (
        lambda d: d["outcomes"][0].update(municipality_id="9999"),
        "outcomes[0].municipality_id: unknown municipality '9999'",
    ),
    (
        lambda d: d["outcomes"][0].update(household_id="h9"),
        "outcomes[0].household_id: unknown household 'h9'",
    ),
    (lambda d: d["outcomes"].append(dict(d["outcomes"][0])), "outcomes[1]: duplicate pair"),
    (
        lambda d: d["households"][0].update(preferences=["0301", "4444"]),
        "households[0].preferences[1]: unknown municipality '4444'",
    ),
    (
        lambda d: d["households"][0].update(preferences=["0301"] * 2),
        "households[0].preferences[1]: duplicate municipality",
    ),
    (
        lambda d: d["households"][0].update(preferences=[str(i) for i in range(6)]),
        "households[0].preferences: at most 5",
    ),
    (
        lambda d: d["households"][0].update(group=""),
        "households[0].group: must be a non-empty string",
    ),
    (
        lambda d: d["fairness"].update(groups=["a", "nobody"]),
        "fairness.groups[1]: group 'nobody' has no households",
    ),
    (lambda d: d["households"][0].pop("group"), "fairness: no household has a group"),
    (lambda d: d["weights"].update(outcome=-1), "weights.outcome: must be a number >= 0"),
    (
        lambda d: d.update(format="bosetting.matching/1"),
        "outcomes: needs format 'bosetting.matching/2'",
    ),
    (lambda d: d.update(batch_days=30), "batch_days: a stream field"),
]


@pytest.mark.parametrize(("mutate", "message"), BAD)
def test_bad_v2_input_is_refused_naming_the_field(mutate, message: str) -> None:
    data = _v2()
    parse_instance(data)
    mutate(data)
    with pytest.raises(InstanceError) as info:
        parse_instance(data)
    assert str(info.value).startswith(message)
    assert "\n" not in str(info.value)


def test_a_v1_instance_may_not_use_the_additions_of_v2() -> None:
    data = instance(households=[household("h1")])
    data["households"][0]["preferences"] = ["0301"]
    with pytest.raises(
        InstanceError, match=r"^households\[0\]\.preferences: needs format 'bosetting.matching/2'"
    ):
        parse_instance(data)
