"""Reading the exchange format: defaults, round trip and field-naming errors."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from tests.engine.matching.matching_builders import household, instance, municipality, unit

from bosetting.engine.matching import (
    InstanceError,
    Weights,
    instance_to_dict,
    load_instance,
    parse_instance,
)


def _valid() -> dict[str, Any]:
    return instance(
        municipalities=[municipality("0301"), municipality("4601", services=("health_high",))],
        units=[unit("u1"), unit("u2", municipality="4601", kind="shared", beds=3, max_occupants=3)],
        households=[household("h1"), household("h2", ages=(34, 6), ties=("0301",))],
    )


def test_minimal_instance_gets_the_documented_defaults() -> None:
    data = {
        "format": "bosetting.matching/1",
        "as_of": "2015-01-15",
        "weights": {"settle": 10, "wait": 4, "ties": 3, "labour": 1, "fit": 2},
        "municipalities": [
            {"id": "0301", "name": "Oslo", "capacity_persons": 5, "labour_index": 0.6}
        ],
        "units": [
            {
                "id": "u1",
                "municipality": "0301",
                "kind": "municipal",
                "bedrooms": 1,
                "max_occupants": 2,
                "zone": "0301-01",
                "accessible": False,
                "available_from": "2015-02-01",
            }
        ],
        "households": [
            {"id": "h1", "persons": [{"age": 30}], "permit_date": "2014-06-01", "uam": False}
        ],
    }
    inst = parse_instance(data)
    assert inst.horizon_days == 90
    assert inst.zone_cap is None
    assert inst.as_of == date(2015, 1, 15)
    assert inst.weights == Weights(settle=10.0, wait=4.0, ties=3.0, labour=1.0, fit=2.0)
    assert inst.municipalities[0].capacity_uam == 0
    assert inst.municipalities[0].services == ()
    assert inst.units[0].beds == 1
    assert inst.units[0].available_from == date(2015, 2, 1)
    assert inst.households[0].needs == ()
    assert inst.households[0].ties == ()


def test_instance_round_trips_through_the_exchange_format() -> None:
    data = _valid()
    inst = parse_instance(data)
    assert instance_to_dict(inst) == data
    assert parse_instance(json.loads(json.dumps(instance_to_dict(inst)))) == inst


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def mutate(data: dict[str, Any]) -> None:
        target: Any = data
        keys = path.replace("]", "").replace("[", ".").split(".")
        for key in keys[:-1]:
            target = target[int(key)] if key.isdigit() else target[key]
        last = keys[-1]
        if value is _DELETE:
            del target[last]
        else:
            target[int(last) if last.isdigit() else last] = value

    return mutate


_DELETE = object()

MALFORMED = [
    ("format", "bosetting.matching/3", "format: expected 'bosetting.matching/1'"),
    ("format", _DELETE, "format: expected 'bosetting.matching/1'"),
    ("as_of", "15.01.2015", "as_of: not a date"),
    ("as_of", _DELETE, "as_of: required field missing"),
    ("horizon_days", -1, "horizon_days: must be an integer >= 0"),
    ("zone_cap", "3", "zone_cap: must be an integer >= 0"),
    ("weights.fit", -0.5, "weights.fit: must be a number >= 0"),
    ("weights.wait", "high", "weights.wait: must be a number >= 0"),
    ("weights.ties", _DELETE, "weights.ties: required field missing"),
    ("municipalities", {}, "municipalities: must be a list"),
    (
        "municipalities[0].capacity_persons",
        -1,
        "municipalities[0].capacity_persons: must be an integer >= 0",
    ),
    (
        "municipalities[0].capacity_persons",
        2.5,
        "municipalities[0].capacity_persons: must be an integer >= 0",
    ),
    (
        "municipalities[0].capacity_persons",
        True,
        "municipalities[0].capacity_persons: must be an integer >= 0",
    ),
    (
        "municipalities[1].capacity_uam",
        -3,
        "municipalities[1].capacity_uam: must be an integer >= 0",
    ),
    (
        "municipalities[0].labour_index",
        1.5,
        "municipalities[0].labour_index: must be a number >= 0 and <= 1",
    ),
    (
        "municipalities[0].services",
        ["dentist"],
        "municipalities[0].services[0]: unknown value 'dentist'",
    ),
    ("municipalities[1].id", "0301", "municipalities[1].id: duplicate id '0301'"),
    ("municipalities[0].id", "", "municipalities[0].id: must be a non-empty string"),
    ("municipalities[0].kommunenr", "0301", "municipalities[0].kommunenr: unknown field"),
    ("units[0].municipality", "9999", "units[0].municipality: unknown municipality '9999'"),
    ("units[0].kind", "hotel", "units[0].kind: unknown kind 'hotel'"),
    ("units[0].max_occupants", 0, "units[0].max_occupants: must be an integer >= 1"),
    ("units[1].beds", 0, "units[1].beds: must be an integer >= 1"),
    ("units[0].accessible", "yes", "units[0].accessible: must be true or false"),
    ("units[1].available_from", "2015-02-30", "units[1].available_from: not a date"),
    ("units[1].id", "u1", "units[1].id: duplicate id 'u1'"),
    ("units[0].zone", _DELETE, "units[0].zone: required field missing"),
    ("households[1].permit_date", "yesterday", "households[1].permit_date: not a date"),
    ("households[0].persons", [], "households[0].persons: must be a non-empty list"),
    (
        "households[1].persons[1].age",
        -1,
        "households[1].persons[1].age: must be an integer >= 0 and <= 130",
    ),
    ("households[0].uam", "no", "households[0].uam: must be true or false"),
    ("households[0].needs", ["wheelchair"], "households[0].needs[0]: unknown value 'wheelchair'"),
    (
        "households[0].needs",
        ["accessible", "accessible"],
        "households[0].needs[1]: duplicate value",
    ),
    ("households[1].ties", [301], "households[1].ties[0]: must be a non-empty string"),
    ("households[1].id", "h1", "households[1].id: duplicate id 'h1'"),
    (
        "households[1].uam",
        True,
        "households[1].uam: an unaccompanied minor household has a person aged 18",
    ),
]


@pytest.mark.parametrize(("path", "value", "message"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_instance_names_the_field(path: str, value: Any, message: str) -> None:
    data = copy.deepcopy(_valid())
    _set(path, value)(data)
    with pytest.raises(InstanceError) as caught:
        parse_instance(data)
    text = str(caught.value)
    assert text.startswith(message)
    assert "\n" not in text


def test_a_top_level_list_is_refused() -> None:
    with pytest.raises(InstanceError, match=r"^instance: must be a JSON object$"):
        parse_instance([])


def test_bad_json_names_line_and_column(tmp_path: Any) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{\n  "format": "bosetting.matching/1",\n  "as_of": }\n', encoding="utf-8")
    with pytest.raises(InstanceError, match=r"^instance: invalid JSON at line 3 column 12: "):
        load_instance(path)


def test_nan_is_not_json(tmp_path: Any) -> None:
    data = json.dumps(_valid()).replace('"labour_index": 0.5', '"labour_index": NaN', 1)
    path = tmp_path / "nan.json"
    path.write_text(data, encoding="utf-8")
    with pytest.raises(InstanceError, match=r"^instance: invalid JSON"):
        load_instance(path)


def test_missing_file_is_an_instance_error(tmp_path: Any) -> None:
    with pytest.raises(InstanceError, match=r"^instance: cannot read"):
        load_instance(tmp_path / "nowhere.json")


def test_load_instance_reads_a_valid_file(tmp_path: Any) -> None:
    path = tmp_path / "ok.json"
    path.write_text(json.dumps(_valid()), encoding="utf-8")
    inst = load_instance(path)
    assert [h.id for h in inst.households] == ["h1", "h2"]
    assert inst.household_by_id["h2"].size == 2
