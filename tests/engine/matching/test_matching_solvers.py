"""Both solvers on hand-made cases a settlement officer would recognise."""

from __future__ import annotations

import pytest
from tests.engine.matching.matching_builders import household, instance, municipality, unit

from bosetting.engine.matching import (
    MatchResult,
    check_assignment,
    generate_instance,
    parse_instance,
    solve,
)

SOLVERS = ["greedy", "optimal"]


def _placed(result: MatchResult) -> dict[str, str]:
    return {a.household_id: a.unit_id for a in result.assignments}


def _solve(data: dict, solver: str) -> MatchResult:
    inst = parse_instance(data)
    result = solve(inst, solver=solver, time_limit=10)
    assert check_assignment(inst, result.assignments) == []
    return result


@pytest.mark.parametrize("solver", SOLVERS)
def test_a_six_person_family_gets_the_one_four_bedroom_unit(solver: str) -> None:
    data = instance(
        municipalities=[municipality("0301", capacity_persons=40)],
        units=[
            unit("one-room", max_occupants=2, bedrooms=1),
            unit("two-room", max_occupants=4, bedrooms=2),
            unit("three-room", max_occupants=5, bedrooms=3),
            unit("four-room", max_occupants=6, bedrooms=4),
        ],
        households=[
            household("single", ages=(23,), permit_date="2013-01-01"),
            household("couple", ages=(30, 28)),
            household("family", ages=(40, 38, 12, 9, 6, 2), permit_date="2014-12-01"),
        ],
    )
    result = _solve(data, solver)
    assert _placed(result)["family"] == "four-room"
    family = next(a for a in result.assignments if a.household_id == "family")
    assert "unit size fits exactly (6 of 6 occupants)" in family.explanation.binding
    assert "the only unit within the horizon that fits this household" in family.explanation.binding


@pytest.mark.parametrize("solver", SOLVERS)
def test_uam_capacity_is_respected(solver: str) -> None:
    data = instance(
        municipalities=[municipality("0301", capacity_persons=10, capacity_uam=2)],
        units=[unit(f"u{i}") for i in range(5)],
        households=[
            household("m1", ages=(16,), uam=True, permit_date="2014-06-01"),
            household("m2", ages=(15,), uam=True, permit_date="2014-07-01"),
            household("m3", ages=(17,), uam=True, permit_date="2014-12-01"),
        ],
    )
    result = _solve(data, solver)
    assert set(_placed(result)) == {"m1", "m2"}  # the two who waited longest
    last = next(a for a in result.assignments if a.household_id == "m2")
    assert any(note.startswith("UAM capacity used up") for note in last.explanation.binding)


@pytest.mark.parametrize("solver", SOLVERS)
def test_zone_cap_spreads_households(solver: str) -> None:
    data = instance(
        municipalities=[municipality("0301", capacity_persons=10)],
        units=[unit(f"a{i}", zone="sentrum") for i in range(4)] + [unit("b0", zone="nord")],
        households=[household(f"h{i}") for i in range(5)],
        zone_cap=2,
    )
    result = _solve(data, solver)
    zones = [a.unit_id[0] for a in result.assignments]
    assert sorted(zones) == ["a", "a", "b"]
    in_sentrum = next(a for a in result.assignments if a.unit_id.startswith("a"))
    assert "zone cap reached in zone sentrum (2 of 2 households)" in in_sentrum.explanation.binding


@pytest.mark.parametrize("solver", SOLVERS)
def test_a_tie_to_an_absent_municipality_changes_nothing(solver: str) -> None:
    data = instance(
        municipalities=[municipality("0301", capacity_persons=10)],
        units=[unit("u1"), unit("u2")],
        households=[
            household("absent-tie", ties=("9999",)),
            household("oslo-tie", ties=("0301",)),
        ],
    )
    result = _solve(data, solver)
    by_household = {a.household_id: a for a in result.assignments}
    assert by_household["absent-tie"].explanation.ties == 0.0
    assert by_household["oslo-tie"].explanation.ties == 3.0
    assert by_household["oslo-tie"].score - by_household["absent-tie"].score == pytest.approx(3.0)


@pytest.mark.parametrize("solver", SOLVERS)
def test_shared_units_take_single_adults_up_to_beds(solver: str) -> None:
    data = instance(
        municipalities=[municipality("0301", capacity_persons=20, capacity_uam=5)],
        units=[unit("bofellesskap", kind="shared", beds=2, max_occupants=2, bedrooms=2)],
        households=[
            household("minor", ages=(16,), uam=True, permit_date="2013-01-01"),
            household("teen", ages=(17,), permit_date="2013-01-01"),
            household("couple", ages=(25, 24), permit_date="2013-01-01"),
            household("a1", ages=(22,)),
            household("a2", ages=(24,)),
            household("a3", ages=(29,), permit_date="2014-12-20"),
        ],
    )
    result = _solve(data, solver)
    assert set(_placed(result)) == {"a1", "a2"}
    assert "shared unit full (2 of 2 beds)" in result.assignments[-1].explanation.binding


@pytest.mark.parametrize("solver", SOLVERS)
def test_long_waits_count_up_to_the_cap_and_future_permits_not_at_all(solver: str) -> None:
    data = instance(
        municipalities=[municipality("0301", capacity_persons=2)],
        units=[unit("u1"), unit("u2")],
        households=[
            household("future", permit_date="2015-03-01"),
            household("five-years", permit_date="2010-01-01"),
            household("two-years", permit_date="2013-01-01"),
        ],
    )
    result = _solve(data, solver)
    by_household = {a.household_id: a for a in result.assignments}
    assert set(by_household) == {"five-years", "two-years"}
    assert by_household["five-years"].explanation.priority == 3.0
    assert by_household["two-years"].explanation.priority == 3.0
    assert by_household["five-years"].score == pytest.approx(by_household["two-years"].score)


@pytest.mark.parametrize("solver", SOLVERS)
def test_health_high_goes_only_where_the_service_exists(solver: str) -> None:
    data = instance(
        municipalities=[
            municipality("0301", capacity_persons=5, labour_index=0.2, services=("health_high",)),
            municipality("4601", capacity_persons=5, labour_index=0.9),
        ],
        units=[unit("oslo", municipality="0301"), unit("bergen", municipality="4601")],
        households=[household("sick", needs=("health_high",))],
    )
    result = _solve(data, solver)
    assert _placed(result) == {"sick": "oslo"}
    note = result.assignments[0].explanation.binding[-1]
    assert note == "needs health_high: offered by 1 of 2 municipalities"


@pytest.mark.parametrize("solver", SOLVERS)
def test_health_high_stays_unplaced_when_the_service_has_no_room(solver: str) -> None:
    data = instance(
        municipalities=[
            municipality("0301", capacity_persons=0, services=("health_high",)),
            municipality("4601", capacity_persons=5),
        ],
        units=[unit("oslo", municipality="0301"), unit("bergen", municipality="4601")],
        households=[household("sick", needs=("health_high",))],
    )
    assert _solve(data, solver).assignments == []


def test_optimal_beats_greedy_when_greedy_wastes_capacity() -> None:
    # Greedy takes the single who waited longest first, and the family no longer fits.
    data = instance(
        municipalities=[municipality("0301", capacity_persons=4)],
        units=[unit("small", max_occupants=1), unit("large", max_occupants=4, bedrooms=3)],
        households=[
            household("single", ages=(30,), permit_date="2013-01-01"),
            household("family", ages=(35, 33, 8, 5), permit_date="2014-10-01"),
        ],
    )
    greedy = _solve(data, "greedy")
    optimal = _solve(data, "optimal")
    assert _placed(greedy) == {"single": "small"}
    assert _placed(optimal) == {"family": "large"}
    assert optimal.objective > greedy.objective
    assert optimal.status == "optimal"
    assert optimal.gap is not None and optimal.gap <= 1e-4
    family = optimal.assignments[0]
    assert "municipality capacity used up (4 of 4 persons)" in family.explanation.binding


def test_result_totals_and_explanations_add_up() -> None:
    data = instance(
        municipalities=[municipality("0301", capacity_persons=10, labour_index=0.7)],
        units=[unit("u1", max_occupants=3), unit("u2", max_occupants=2)],
        households=[household("h1", ages=(30, 3), ties=("0301",)), household("h2", ages=(61,))],
    )
    result = _solve(data, "optimal")
    assert result.households_placed == 2
    assert result.persons_placed == 3
    assert result.objective == pytest.approx(sum(a.score for a in result.assignments))
    for a in result.assignments:
        e = a.explanation
        assert e.settle + e.wait + e.ties + e.labour + e.fit == pytest.approx(a.score)
        assert e.as_dict()["score"] == pytest.approx(a.score)
        assert e.text_nb().startswith("Poeng ")
    h1 = next(a for a in result.assignments if a.household_id == "h1").explanation
    assert h1.target_months == 3.0
    assert "tilknytning 3,00" in h1.text_nb()


def test_unknown_solver_is_refused() -> None:
    with pytest.raises(ValueError, match="solver must be one of"):
        solve(parse_instance(instance()), solver="simplex")


@pytest.mark.parametrize("solver", SOLVERS)
def test_an_empty_instance_places_nobody(solver: str) -> None:
    result = solve(parse_instance(instance()), solver=solver)
    assert result.assignments == []
    assert result.objective == 0.0


def test_a_generated_instance_is_solved_within_the_gap_it_reports() -> None:
    inst = parse_instance(generate_instance(4, households=400, municipalities=40, units=650))
    greedy = solve(inst, solver="greedy")
    optimal = solve(inst, solver="optimal", time_limit=30, mip_rel_gap=0.005)
    assert check_assignment(inst, optimal.assignments) == []
    assert optimal.objective > greedy.objective
    assert optimal.upper_bound is not None and optimal.gap is not None
    assert optimal.status == "optimal" and optimal.gap <= 0.005
    assert optimal.upper_bound == pytest.approx(optimal.objective / (1 - optimal.gap), rel=1e-9)
