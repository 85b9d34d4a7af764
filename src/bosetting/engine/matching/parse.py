"""Reading and writing the exchange format ``bosetting.matching/1``.

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
    MAX_EXPECTED_ADDITIONAL_PERSONS,
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
_WEIGHTS = ["settle", "wait", "ties", "labour", "fit"]
_MUNICIPALITY = ["id", "name", "capacity_persons", "capacity_uam", "labour_index", "services"]
_UNIT = ["id", "municipality", "kind", "bedrooms", "max_occupants", "beds", "zone"]
_UNIT += ["accessible", "available_from"]
_HOUSEHOLD = ["id", "persons", "permit_date", "uam", "needs", "ties", "expected_additional_persons"]


def _parse_weights(value: Any) -> Weights:
    data = _object(value, "weights", _WEIGHTS, ())
    return Weights(**{k: _number(data[k], f"weights.{k}", 0.0) for k in _WEIGHTS})


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


def _parse_household(value: Any, path: str) -> Household:
    data = _object(value, path, _HOUSEHOLD, ("needs", "ties", "expected_additional_persons"))
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
    )


def parse_instance(data: Any) -> Instance:
    """Validate a decoded JSON instance and apply the defaults of the format.

    Args:
        data: The decoded JSON document.

    Returns:
        The instance.

    Raises:
        InstanceError: naming the first offending field.
    """
    if not isinstance(data, dict):
        raise _fail("instance", "must be a JSON object")
    if data.get("format") != FORMAT:
        raise _fail("format", f"expected {FORMAT!r}")
    _object(data, "", _TOP, ("horizon_days", "zone_cap"))
    as_of = _date(data["as_of"], "as_of")
    horizon_days = _integer(data.get("horizon_days", 90), "horizon_days", 0)
    zone_cap = data.get("zone_cap")
    if zone_cap is not None:
        zone_cap = _integer(zone_cap, "zone_cap", 0)
    weights = _parse_weights(data["weights"])

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
    households = [_parse_household(h, f"households[{i}]") for i, h in enumerate(raw_households)]
    _unique_ids(households, "households", lambda h: h.id)

    return Instance(
        as_of=as_of,
        weights=weights,
        municipalities=tuple(municipalities),
        units=tuple(units),
        households=tuple(households),
        horizon_days=horizon_days,
        zone_cap=zone_cap,
    )


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

    ``parse_instance(instance_to_dict(inst)) == inst`` for every instance.
    """
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
