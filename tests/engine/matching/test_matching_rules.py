"""Feasibility F1–F5, priority, score and the assignment checker, on hand-made cases."""

from __future__ import annotations

import pytest
from tests.engine.matching.matching_builders import (
    household,
    instance,
    municipality,
    ref_score,
    unit,
)

from bosetting.engine.matching import (
    check_assignment,
    failed_rules,
    feasible,
    parse_instance,
    score,
    score_parts,
)


def _one(hh: dict, u: dict, **kw: object) -> tuple:
    municipalities = kw.pop("municipalities", None) or [municipality("0301", capacity_uam=2)]
    data = instance(municipalities=municipalities, units=[u], households=[hh], **kw)
    inst = parse_instance(data)
    return data, inst, inst.households[0], inst.units[0]


def test_a_unit_free_after_the_horizon_breaks_f1() -> None:
    _, inst, h, u = _one(household("h"), unit("u", available_from="2015-04-16"))
    assert failed_rules(inst, h, u) == ["F1"]
    _, inst, h, u = _one(household("h"), unit("u", available_from="2015-04-15"))
    assert feasible(inst, h, u)


def test_a_family_larger_than_the_unit_breaks_f2() -> None:
    _, inst, h, u = _one(household("h", ages=(30, 30, 5)), unit("u", max_occupants=2))
    assert failed_rules(inst, h, u) == ["F2"]


@pytest.mark.parametrize(
    ("ages", "uam", "fits"),
    [
        ((25,), False, True),
        ((70,), False, True),
        ((17,), True, False),  # an unaccompanied minor
        ((17,), False, False),  # a minor alone is not an adult
        ((25, 24), False, False),  # a couple
    ],
)
def test_shared_units_take_only_one_adult(ages: tuple[int, ...], uam: bool, fits: bool) -> None:
    shared = unit("u", kind="shared", beds=3, max_occupants=3)
    _, inst, h, u = _one(household("h", ages=ages, uam=uam), shared)
    assert feasible(inst, h, u) is fits


def test_needing_an_accessible_unit_breaks_f3_elsewhere() -> None:
    hh = household("h", needs=("accessible",))
    _, inst, h, u = _one(hh, unit("u", accessible=False))
    assert failed_rules(inst, h, u) == ["F3"]
    _, inst, h, u = _one(hh, unit("u", accessible=True))
    assert feasible(inst, h, u)


def test_health_high_needs_the_service_in_the_municipality() -> None:
    municipalities = [municipality("0301", services=("health_high",)), municipality("4601")]
    data = instance(
        municipalities=municipalities,
        units=[unit("oslo", municipality="0301"), unit("bergen", municipality="4601")],
        households=[household("h", needs=("health_high",))],
    )
    inst = parse_instance(data)
    h = inst.households[0]
    assert failed_rules(inst, h, inst.unit_by_id["bergen"]) == ["F4"]
    assert feasible(inst, h, inst.unit_by_id["oslo"])


def test_minors_need_uam_capacity_f5() -> None:
    siblings = household("h", ages=(15, 13), uam=True)
    _, inst, h, u = _one(siblings, unit("u"), municipalities=[municipality("0301", capacity_uam=1)])
    assert failed_rules(inst, h, u) == ["F5"]
    _, inst, h, u = _one(siblings, unit("u"), municipalities=[municipality("0301", capacity_uam=2)])
    assert feasible(inst, h, u)


def test_every_failing_rule_is_reported() -> None:
    hh = household("h", ages=(15, 13), uam=True, needs=("accessible", "disability"))
    no_minors = [municipality("0301", capacity_uam=1)]
    u = unit("u", max_occupants=1, available_from="2016-01-01")
    _, inst, h, u = _one(hh, u, municipalities=no_minors)
    assert failed_rules(inst, h, u) == ["F1", "F2", "F3", "F4", "F5"]


@pytest.mark.parametrize(
    ("ages", "permit_date", "priority"),
    [
        ((30,), "2014-07-16", 183 / 30.4375 / 6),  # single adult, six-month target
        ((30, 4), "2014-10-16", 91 / 30.4375 / 3),  # child: three-month target, about 1.0
        ((30,), "2012-01-01", 3.0),  # capped at three times the target
        ((30, 4), "2014-01-01", 3.0),
        ((30,), "2015-02-01", 0.0),  # permit after as_of
        ((30,), "2015-01-15", 0.0),
    ],
)
def test_priority_follows_the_targets(ages: tuple, permit_date: str, priority: float) -> None:
    _, inst, h, _u = _one(household("h", ages=ages, permit_date=permit_date), unit("u"))
    assert h.priority(inst.as_of) == pytest.approx(priority, rel=1e-12)


def test_unaccompanied_minors_have_the_three_month_target() -> None:
    _, inst, h, _u = _one(household("h", ages=(16,), uam=True), unit("u"))
    assert h.target_months == 3.0


def test_score_matches_the_formula_term_by_term() -> None:
    municipalities = [municipality("0301", labour_index=0.62, capacity_persons=10)]
    hh = household("h", ages=(34, 60, 6), permit_date="2014-11-15", ties=("0301", "9999"))
    data, inst, h, u = _one(hh, unit("u", max_occupants=4), municipalities=municipalities)
    parts = score_parts(inst, h, u)
    p = min((61 / 30.4375) / 3, 3.0)
    assert parts.settle == pytest.approx(3 * 10.0)
    assert parts.wait == pytest.approx(3 * 4.0 * p)
    assert parts.ties == pytest.approx(3.0)
    assert parts.labour == pytest.approx(1.0 * 0.62 * 1)  # only the 34-year-old counts
    assert parts.fit == pytest.approx(2.0 * 3 / 4)
    assert score(inst, h, u) == pytest.approx(
        ref_score(data, data["households"][0], data["units"][0])
    )


def test_a_tie_to_a_municipality_not_in_the_instance_is_ignored() -> None:
    data, inst, h, u = _one(household("h", ties=("9999",)), unit("u"))
    assert score_parts(inst, h, u).ties == 0.0
    assert inst.known_ties(h) == frozenset()


def test_shared_units_fit_perfectly() -> None:
    shared = unit("u", kind="shared", beds=4, max_occupants=4)
    _, inst, h, u = _one(household("h"), shared)
    assert score_parts(inst, h, u).fit == pytest.approx(2.0)


def test_check_assignment_reports_each_broken_global_rule() -> None:
    data = instance(
        municipalities=[municipality("0301", capacity_persons=3, capacity_uam=1)],
        units=[
            unit("a", zone="z1"),
            unit("b", zone="z1"),
            unit("s", kind="shared", beds=1, max_occupants=1, zone="z2"),
        ],
        households=[
            household("h1", ages=(30, 30)),
            household("h2", ages=(16,), uam=True),
            household("h3", ages=(25,)),
            household("h4", ages=(26,)),
        ],
        zone_cap=1,
    )
    inst = parse_instance(data)
    problems = check_assignment(
        inst, [("h1", "a"), ("h2", "b"), ("h3", "s"), ("h4", "s"), ("h1", "s")]
    )
    rules = sorted({p.split()[0] for p in problems})
    assert rules == ["F2", "G1", "G2", "G3", "G5"]
    assert check_assignment(inst, [("h1", "a"), ("h3", "s")]) == []


def test_check_assignment_flags_a_uam_overflow_and_unknown_ids() -> None:
    data = instance(
        municipalities=[municipality("0301", capacity_uam=1)],
        units=[unit("a"), unit("b")],
        households=[household("m1", ages=(16,), uam=True), household("m2", ages=(15,), uam=True)],
    )
    inst = parse_instance(data)
    problems = check_assignment(inst, [("m1", "a"), ("m2", "b"), ("ghost", "a"), ("m1", "nowhere")])
    assert any(p.startswith("G4 ") for p in problems)
    assert "unknown household 'ghost'" in problems
    assert "unknown unit 'nowhere'" in problems
