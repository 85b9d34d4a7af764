"""The synthetic instance generator: deterministic, valid, shaped like the report says."""

from __future__ import annotations

from datetime import date

import pytest

from bosetting.engine.matching import generate_instance, instance_to_dict, parse_instance


def test_same_seed_same_instance_and_other_seed_another() -> None:
    first = generate_instance(7, households=300, municipalities=40, units=450)
    assert generate_instance(7, households=300, municipalities=40, units=450) == first
    assert generate_instance(8, households=300, municipalities=40, units=450) != first


def test_generated_instance_is_valid_and_has_the_asked_size() -> None:
    data = generate_instance(
        3, households=500, municipalities=80, units=800, as_of=date(2016, 3, 1)
    )
    inst = parse_instance(data)
    assert (len(inst.households), len(inst.municipalities), len(inst.units)) == (500, 80, 800)
    assert inst.as_of == date(2016, 3, 1)
    assert instance_to_dict(inst) == data


def test_generated_population_looks_like_reception() -> None:
    inst = parse_instance(generate_instance(11, households=3000, municipalities=100, units=4000))
    households = inst.households
    singles = sum(1 for h in households if h.size == 1 and not h.uam) / len(households)
    assert 0.65 <= singles <= 0.75
    uam = sum(1 for h in households if h.uam) / len(households)
    assert 0.01 <= uam <= 0.03
    assert any(h.size >= 7 for h in households)
    assert any(h.needs for h in households)
    assert any(t not in inst.municipality_by_id for h in households for t in h.ties)
    persons = sum(h.size for h in households)
    capacity = sum(m.capacity_persons for m in inst.municipalities)
    assert 0.8 * persons <= capacity < persons  # a little short of demand: the problem is tight
    large = sum(1 for u in inst.units if not u.shared and u.max_occupants >= 7) / len(inst.units)
    assert large < 0.1
    assert {u.kind for u in inst.units} == {"municipal", "private_sublet", "private_self", "shared"}
    assert inst.zone_cap is not None


def test_sizes_must_make_sense() -> None:
    with pytest.raises(ValueError):
        generate_instance(1, households=10, municipalities=0, units=5)
    assert generate_instance(1, households=0, municipalities=0, units=0)["households"] == []
