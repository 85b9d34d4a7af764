"""Reading and writing the exchange format ``bosetting.matching/1`` and ``/2``.

Format /2 (``matching-v2.md``) adds optional fields: ``outcomes``, ``fairness``,
``weights.outcome``, ``weights.preference`` and the household fields
``preferences`` and ``group``; a /1 document that uses any of them is refused,
naming the field. A stream (``bosetting match-dynamic``) is a /2 document with
``period_start``, ``period_end``, ``batch_days`` and each household's
``ready_date``; it is read by :func:`parse_stream_parts`.

Validation is strict and stops at the first problem, which it names by its
field path (``households[17].permit_date: not a date``), so that a person
fixing an instance file by hand knows where to look. Unknown fields are
refused: in a versioned exchange format a misspelt optional field
(``capacity_uam`` written ``uam_capacity``) must not silently become its
default.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from datetime import date
from os import PathLike
from pathlib import Path
from typing import Any

from bosetting.engine.matching.model import (
    FORMAT,
    FORMAT_V2,
    FORMATS,
    MAX_EXPECTED_ADDITIONAL_PERSONS,
    MAX_PREFERENCES,
    NEEDS,
    SERVICES,
    UNIT_KINDS,
    Household,
    Instance,
    Municipality,
    Person,
    Unit,
    Weights,
)

MAX_AGE = 130


class InstanceError(ValueError):
    """An instance that breaks the exchange format — "ugyldig utsøkingsinstans".

    The message is one line that starts with the offending field path.
    """


def _fail(path: str, message: str) -> InstanceError:
    return InstanceError(f"{path}: {message}")


def _object(value: Any, path: str, fields: list[str], optional: tuple[str, ...]) -> dict[str, Any]:
    """Check that ``value`` is an object with only ``fields``, all present but ``optional``."""
    if not isinstance(value, dict):
        raise _fail(path or "instance", "must be an object")
    for key in value:
        if key not in fields:
            raise _fail(_join(path, str(key)), "unknown field")
    for key in fields:
        if key not in value and key not in optional:
            raise _fail(_join(path, key), "required field missing")
    return value


def _join(path: str, key: str) -> str:
    return key if not path else f"{path}.{key}"


def _string(value: Any, path: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _fail(path, "must be a non-empty string")
    return value


def _integer(value: Any, path: str, minimum: int, maximum: int | None = None) -> int:
    valid = isinstance(value, int) and not isinstance(value, bool)
    if valid and value < minimum:
        valid = False
    if valid and maximum is not None and value > maximum:
        valid = False
    if not valid:
        upper = f" and <= {maximum}" if maximum is not None else ""
        raise _fail(path, f"must be an integer >= {minimum}{upper}")
    return int(value)


def _number(value: Any, path: str, minimum: float, maximum: float | None = None) -> float:
    valid = isinstance(value, int | float) and not isinstance(value, bool)
    if valid and not math.isfinite(value):
        valid = False
    if valid and value < minimum:
        valid = False
    if valid and maximum is not None and value > maximum:
        valid = False
    if not valid:
        upper = f" and <= {maximum:g}" if maximum is not None else ""
        raise _fail(path, f"must be a number >= {minimum:g}{upper}")
    return float(value)


def _boolean(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        raise _fail(path, "must be true or false")
    return value


def _date(value: Any, path: str) -> date:
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise _fail(path, "not a date (expected YYYY-MM-DD)")


def _choices(value: Any, path: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise _fail(path, "must be a list")
    seen: list[str] = []
    for i, item in enumerate(value):
        if item not in allowed:
            raise _fail(f"{path}[{i}]", f"unknown value {item!r} (allowed: {', '.join(allowed)})")
        if item in seen:
            raise _fail(f"{path}[{i}]", f"duplicate value {item!r}")
        seen.append(item)
    return tuple(seen)


def _list(data: dict[str, Any], key: str) -> list[Any]:
    value = data[key]
    if not isinstance(value, list):
        raise _fail(key, "must be a list")
    return value


def _unique_ids[T](items: list[T], key: str, ident: Callable[[T], str]) -> None:
    seen: set[str] = set()
    for i, item in enumerate(items):
        item_id = ident(item)
        if item_id in seen:
            raise _fail(f"{key}[{i}].id", f"duplicate id {item_id!r}")
        seen.add(item_id)


_TOP = ["format", "as_of", "horizon_days", "zone_cap", "weights"]
_TOP += ["municipalities", "units", "households"]
_TOP_V2 = ["outcomes", "fairness"]
_STREAM = ["period_start", "period_end", "batch_days"]
_WEIGHTS = ["settle", "wait", "ties", "labour", "fit"]
_WEIGHTS_V2 = ["outcome", "preference"]
_MUNICIPALITY = ["id", "name", "capacity_persons", "capacity_uam", "labour_index", "services"]
_UNIT = ["id", "municipality", "kind", "bedrooms", "max_occupants", "beds", "zone"]
_UNIT += ["accessible", "available_from"]
_HOUSEHOLD = ["id", "persons", "permit_date", "uam", "needs", "ties", "expected_additional_persons"]
_HOUSEHOLD_V2 = ["preferences", "group"]
_OUTCOME = ["household_id", "municipality_id", "p_employment"]


def _refuse_v2_fields(data: dict[str, Any]) -> None:
    """A /1 document may not use the additions of /2: name the first one it uses."""
    hint = f"needs format {FORMAT_V2!r}"
    for key in (*_TOP_V2, *_STREAM):
        if key in data:
            raise _fail(key, hint)
    weights = data.get("weights")
    if isinstance(weights, dict):
        for key in _WEIGHTS_V2:
            if key in weights:
                raise _fail(f"weights.{key}", hint)
    households = data.get("households")
    if isinstance(households, list):
        for i, h in enumerate(households):
            if isinstance(h, dict):
                for key in (*_HOUSEHOLD_V2, "ready_date"):
                    if key in h:
                        raise _fail(f"households[{i}].{key}", hint)


def _parse_weights(value: Any, version: int = 1) -> Weights:
    fields = _WEIGHTS + (_WEIGHTS_V2 if version >= 2 else [])
    data = _object(value, "weights", fields, tuple(_WEIGHTS_V2))
    return Weights(**{k: _number(data[k], f"weights.{k}", 0.0) for k in fields if k in data})


def _parse_municipality(value: Any, path: str) -> Municipality:
    data = _object(value, path, _MUNICIPALITY, ("capacity_uam", "services"))
    name = data["name"]
    if not isinstance(name, str):
        raise _fail(f"{path}.name", "must be a string")
    return Municipality(
        id=_string(data["id"], f"{path}.id"),
        name=name,
        capacity_persons=_integer(data["capacity_persons"], f"{path}.capacity_persons", 0),
        capacity_uam=_integer(data.get("capacity_uam", 0), f"{path}.capacity_uam", 0),
        labour_index=_number(data["labour_index"], f"{path}.labour_index", 0.0, 1.0),
        services=_choices(data.get("services", []), f"{path}.services", SERVICES),
    )


def _parse_unit(value: Any, path: str, municipality_ids: set[str]) -> Unit:
    data = _object(value, path, _UNIT, ("beds",))
    municipality = _string(data["municipality"], f"{path}.municipality")
    if municipality not in municipality_ids:
        raise _fail(f"{path}.municipality", f"unknown municipality {municipality!r}")
    kind = data["kind"]
    if kind not in UNIT_KINDS:
        raise _fail(f"{path}.kind", f"unknown kind {kind!r} (allowed: {', '.join(UNIT_KINDS)})")
    return Unit(
        id=_string(data["id"], f"{path}.id"),
        municipality=municipality,
        kind=kind,
        bedrooms=_integer(data["bedrooms"], f"{path}.bedrooms", 0),
        max_occupants=_integer(data["max_occupants"], f"{path}.max_occupants", 1),
        beds=_integer(data.get("beds", 1), f"{path}.beds", 1),
        zone=_string(data["zone"], f"{path}.zone"),
        accessible=_boolean(data["accessible"], f"{path}.accessible"),
        available_from=_date(data["available_from"], f"{path}.available_from"),
    )


def _parse_person(value: Any, path: str) -> Person:
    data = _object(value, path, ["age"], ())
    return Person(age=_integer(data["age"], f"{path}.age", 0, MAX_AGE))


def _parse_preferences(value: Any, path: str, municipality_ids: set[str]) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise _fail(path, "must be a list")
    if len(value) > MAX_PREFERENCES:
        raise _fail(path, f"at most {MAX_PREFERENCES} municipalities, not {len(value)}")
    seen: list[str] = []
    for i, item in enumerate(value):
        mid = _string(item, f"{path}[{i}]")
        if mid not in municipality_ids:
            raise _fail(f"{path}[{i}]", f"unknown municipality {mid!r}")
        if mid in seen:
            raise _fail(f"{path}[{i}]", f"duplicate municipality {mid!r}")
        seen.append(mid)
    return tuple(seen)


def _parse_household(
    value: Any,
    path: str,
    version: int = 1,
    municipality_ids: set[str] | None = None,
    stream: bool = False,
) -> Household:
    fields = (
        _HOUSEHOLD + (_HOUSEHOLD_V2 if version >= 2 else []) + (["ready_date"] if stream else [])
    )
    data = _object(
        value, path, fields, ("needs", "ties", "expected_additional_persons", *_HOUSEHOLD_V2)
    )
    household_id = _string(data["id"], f"{path}.id")
    raw_persons = data["persons"]
    if not isinstance(raw_persons, list) or not raw_persons:
        raise _fail(f"{path}.persons", "must be a non-empty list")
    persons = tuple(_parse_person(p, f"{path}.persons[{i}]") for i, p in enumerate(raw_persons))
    uam = _boolean(data["uam"], f"{path}.uam")
    if uam and any(p.age >= 18 for p in persons):
        raise _fail(f"{path}.uam", "an unaccompanied minor household has a person aged 18 or over")
    raw_ties = data.get("ties", [])
    if not isinstance(raw_ties, list):
        raise _fail(f"{path}.ties", "must be a list")
    ties = tuple(_string(t, f"{path}.ties[{i}]") for i, t in enumerate(raw_ties))
    preferences: tuple[str, ...] = ()
    if "preferences" in data:
        preferences = _parse_preferences(
            data["preferences"], f"{path}.preferences", municipality_ids or set()
        )
    group = None
    if data.get("group") is not None:
        group = _string(data["group"], f"{path}.group")
    return Household(
        id=household_id,
        persons=persons,
        permit_date=_date(data["permit_date"], f"{path}.permit_date"),
        uam=uam,
        needs=_choices(data.get("needs", []), f"{path}.needs", NEEDS),
        ties=ties,
        expected_additional_persons=_integer(
            data.get("expected_additional_persons", 0),
            f"{path}.expected_additional_persons",
            0,
            MAX_EXPECTED_ADDITIONAL_PERSONS,
        ),
        preferences=preferences,
        group=group,
        ready_date=_date(data["ready_date"], f"{path}.ready_date") if stream else None,
    )


def _parse_outcomes(
    value: Any, household_ids: set[str], municipality_ids: set[str]
) -> tuple[tuple[str, str, float], ...]:
    if not isinstance(value, list):
        raise _fail("outcomes", "must be a list")
    seen: set[tuple[str, str]] = set()
    out: list[tuple[str, str, float]] = []
    for i, item in enumerate(value):
        path = f"outcomes[{i}]"
        data = _object(item, path, _OUTCOME, ())
        hid = _string(data["household_id"], f"{path}.household_id")
        if hid not in household_ids:
            raise _fail(f"{path}.household_id", f"unknown household {hid!r}")
        mid = _string(data["municipality_id"], f"{path}.municipality_id")
        if mid not in municipality_ids:
            raise _fail(f"{path}.municipality_id", f"unknown municipality {mid!r}")
        if (hid, mid) in seen:
            raise _fail(path, f"duplicate pair ({hid!r}, {mid!r})")
        seen.add((hid, mid))
        p = _number(data["p_employment"], f"{path}.p_employment", 0.0, 1.0)
        out.append((hid, mid, p))
    return tuple(out)


def _parse_fairness(value: Any, households: list[Household]) -> tuple[bool, tuple[str, ...] | None]:
    data = _object(value, "fairness", ["no_group_worse_off", "groups"], ("groups",))
    on = _boolean(data["no_group_worse_off"], "fairness.no_group_worse_off")
    present = {h.group for h in households if h.group is not None}
    if on and not present:
        raise _fail("fairness", "no household has a group")
    if "groups" not in data:
        return on, None
    raw = data["groups"]
    if not isinstance(raw, list):
        raise _fail("fairness.groups", "must be a list")
    groups: list[str] = []
    for i, item in enumerate(raw):
        name = _string(item, f"fairness.groups[{i}]")
        if name not in present:
            raise _fail(f"fairness.groups[{i}]", f"group {name!r} has no households")
        if name in groups:
            raise _fail(f"fairness.groups[{i}]", f"duplicate group {name!r}")
        groups.append(name)
    return on, tuple(groups)


def parse_instance(data: Any) -> Instance:
    """Validate a decoded JSON instance and apply the defaults of the format.

    Args:
        data: The decoded JSON document.

    Returns:
        The instance.

    Raises:
        InstanceError: naming the first offending field.
    """
    instance, _ = _parse(data, stream=False)
    return instance


def parse_stream_parts(data: Any) -> tuple[Instance, dict[str, Any]]:
    """Validate a decoded stream document (``matching-v2.md`` §4).

    Returns:
        The instance (households carry ``ready_date``) and the raw stream fields
        ``period_start``, ``period_end`` and ``batch_days`` (checked by the caller).

    Raises:
        InstanceError: naming the first offending field.
    """
    return _parse(data, stream=True)


def _parse(data: Any, stream: bool) -> tuple[Instance, dict[str, Any]]:
    if not isinstance(data, dict):
        raise _fail("instance", "must be a JSON object")
    version = FORMATS.get(data.get("format"))  # type: ignore[arg-type]
    if version is None:
        expected = repr(FORMAT_V2) if stream else f"{FORMAT!r} or {FORMAT_V2!r}"
        raise _fail("format", f"expected {expected}")
    if stream and version < 2:
        raise _fail("format", f"a stream needs format {FORMAT_V2!r}")
    if version < 2:
        _refuse_v2_fields(data)
    elif not stream:
        for key in _STREAM:
            if key in data:
                raise _fail(key, "a stream field: run the stream with bosetting match-dynamic")
    fields = _TOP + (_TOP_V2 if version >= 2 else []) + (_STREAM if stream else [])
    _object(data, "", fields, ("horizon_days", "zone_cap", *_TOP_V2))
    as_of = _date(data["as_of"], "as_of")
    horizon_days = _integer(data.get("horizon_days", 90), "horizon_days", 0)
    zone_cap = data.get("zone_cap")
    if zone_cap is not None:
        zone_cap = _integer(zone_cap, "zone_cap", 0)
    weights = _parse_weights(data["weights"], version)

    raw_municipalities = _list(data, "municipalities")
    municipalities = [
        _parse_municipality(m, f"municipalities[{i}]") for i, m in enumerate(raw_municipalities)
    ]
    _unique_ids(municipalities, "municipalities", lambda m: m.id)
    municipality_ids = {m.id for m in municipalities}

    raw_units = _list(data, "units")
    units = [_parse_unit(u, f"units[{i}]", municipality_ids) for i, u in enumerate(raw_units)]
    _unique_ids(units, "units", lambda u: u.id)

    raw_households = _list(data, "households")
    households = [
        _parse_household(h, f"households[{i}]", version, municipality_ids, stream)
        for i, h in enumerate(raw_households)
    ]
    _unique_ids(households, "households", lambda h: h.id)

    outcomes: tuple[tuple[str, str, float], ...] = ()
    if "outcomes" in data:
        outcomes = _parse_outcomes(data["outcomes"], {h.id for h in households}, municipality_ids)
    fairness, fairness_groups = False, None
    if "fairness" in data:
        fairness, fairness_groups = _parse_fairness(data["fairness"], households)

    instance = Instance(
        as_of=as_of,
        weights=weights,
        municipalities=tuple(municipalities),
        units=tuple(units),
        households=tuple(households),
        horizon_days=horizon_days,
        zone_cap=zone_cap,
        outcomes=outcomes,
        fairness=fairness,
        fairness_groups=fairness_groups,
        version=version,
    )
    return instance, {k: data[k] for k in _STREAM if k in data}


def load_instance(path: str | PathLike[str]) -> Instance:
    """Read and validate an instance file (UTF-8 JSON).

    Raises:
        InstanceError: for an unreadable file, bad JSON (naming line and column)
            or an invalid instance (naming the field).
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise _fail("instance", f"not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise _fail("instance", f"cannot read {str(path)!r}: {exc.strerror or exc}") from None
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise _fail(
            "instance", f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None
    return parse_instance(data)


def _refuse_constant(name: str) -> Any:
    raise json.JSONDecodeError(f"{name} is not valid JSON", name, 0)


def instance_to_dict(instance: Instance) -> dict[str, Any]:
    """The instance in the exchange format, defaults written out — except a household's
    ``expected_additional_persons``, written only when it is not 0, so that an instance without
    expected reunification reads and writes exactly as before the field existed.

    ``parse_instance(instance_to_dict(inst)) == inst`` for every instance (a /1
    instance is written as /1, a /2 one with its additions).
    """
    w = instance.weights
    v2 = instance.version >= 2
    data = _to_dict_v1(instance)
    if not v2:
        return data
    data["format"] = FORMAT_V2
    data["weights"].update({k: getattr(w, k) for k in _WEIGHTS_V2})
    for raw, h in zip(data["households"], instance.households, strict=True):
        raw["preferences"] = list(h.preferences)
        if h.group is not None:
            raw["group"] = h.group
        if h.ready_date is not None:
            raw["ready_date"] = h.ready_date.isoformat()
    if instance.outcomes:
        data["outcomes"] = [
            {"household_id": hid, "municipality_id": mid, "p_employment": p}
            for hid, mid, p in instance.outcomes
        ]
    if instance.fairness or instance.fairness_groups is not None:
        fairness: dict[str, Any] = {"no_group_worse_off": instance.fairness}
        if instance.fairness_groups is not None:
            fairness["groups"] = list(instance.fairness_groups)
        data["fairness"] = fairness
    return data


def _to_dict_v1(instance: Instance) -> dict[str, Any]:
    w = instance.weights
    return {
        "format": FORMAT,
        "as_of": instance.as_of.isoformat(),
        "horizon_days": instance.horizon_days,
        "zone_cap": instance.zone_cap,
        "weights": {k: getattr(w, k) for k in _WEIGHTS},
        "municipalities": [
            {
                "id": m.id,
                "name": m.name,
                "capacity_persons": m.capacity_persons,
                "capacity_uam": m.capacity_uam,
                "labour_index": m.labour_index,
                "services": list(m.services),
            }
            for m in instance.municipalities
        ],
        "units": [
            {
                "id": u.id,
                "municipality": u.municipality,
                "kind": u.kind,
                "bedrooms": u.bedrooms,
                "max_occupants": u.max_occupants,
                "beds": u.beds,
                "zone": u.zone,
                "accessible": u.accessible,
                "available_from": u.available_from.isoformat(),
            }
            for u in instance.units
        ],
        "households": [
            {
                "id": h.id,
                "persons": [{"age": p.age} for p in h.persons],
                "permit_date": h.permit_date.isoformat(),
                "uam": h.uam,
                "needs": list(h.needs),
                "ties": list(h.ties),
                **(
                    {"expected_additional_persons": h.expected_additional_persons}
                    if h.expected_additional_persons
                    else {}
                ),
            }
            for h in instance.households
        ],
    }
