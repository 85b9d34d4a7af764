"""Load scenarios from TOML files, shipped names or dicts, and override parameters.

Shipped scenarios live in this package (``bosetting/engine/simulation/scenarios/*.toml``) so
that an installed package can run them; the repository's ``scenarios/`` folder holds identical
user-facing copies. A scenario file may start from another with ``extends = "NAME"``: the named
scenario is loaded first and the file's tables are merged over it.
"""

from __future__ import annotations

import importlib.resources
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bosetting.engine.simulation.params import Scenario, ScenarioError, deep_merge, parse_scenario

SCENARIO_PACKAGE = "bosetting.engine.simulation.scenarios"


def shipped_scenario_names() -> list[str]:
    """Names of the scenarios shipped with the package, sorted."""
    folder = importlib.resources.files(SCENARIO_PACKAGE)
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def shipped_scenario_text(name: str) -> str:
    """The TOML text of a shipped scenario.

    Raises:
        ScenarioError: if there is no shipped scenario of that name.
    """
    resource = importlib.resources.files(SCENARIO_PACKAGE).joinpath(f"{name}.toml")
    if not resource.is_file():
        known = ", ".join(shipped_scenario_names())
        raise ScenarioError(f"scenario: no shipped scenario named {name!r} (known: {known})")
    return resource.read_text(encoding="utf-8")


def _parse_toml(text: str, origin: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{origin}: not valid TOML ({exc})") from None


def _resolve(data: Mapping[str, Any], seen: tuple[str, ...]) -> dict[str, Any]:
    data = dict(data)
    parent = data.pop("extends", None)
    if parent is None:
        return data
    if not isinstance(parent, str):
        raise ScenarioError("extends: expected the name of a shipped scenario")
    if parent in seen:
        raise ScenarioError(f"extends: circular reference through {parent!r}")
    base = _resolve(_parse_toml(shipped_scenario_text(parent), parent), (*seen, parent))
    return deep_merge(base, data)


def scenario_dict(source: str | Path | Mapping[str, Any]) -> dict[str, Any]:
    """The fully merged (``extends`` resolved) but unvalidated dict of a scenario source."""
    if isinstance(source, Mapping):
        return _resolve(source, ())
    path = Path(source)
    if path.suffix == ".toml" or path.exists():
        if not path.is_file():
            raise ScenarioError(f"scenario: file not found: {path}")
        data = _parse_toml(path.read_text(encoding="utf-8"), str(path))
        data.setdefault("name", path.stem)
        return _resolve(data, (path.stem,))
    name = str(source)
    return _resolve(_parse_toml(shipped_scenario_text(name), name), (name,))


def load_scenario(source: str | Path | Mapping[str, Any] | Scenario) -> Scenario:
    """Load a scenario from a TOML path, a shipped scenario name, or a dict.

    Args:
        source: a path to a ``.toml`` file, the name of a shipped scenario
            (``"baseline-2009-2014"``), a nested dict with the TOML's structure, or an
            already loaded :class:`Scenario` (returned unchanged).

    Returns:
        The validated scenario.

    Raises:
        ScenarioError: one line naming the offending field or file.
    """
    if isinstance(source, Scenario):
        return source
    return parse_scenario(scenario_dict(source))


def _coerce(value: Any) -> Any:
    """Turn a CLI string such as ``"2.5"``, ``"true"`` or ``"[1, 2]"`` into a TOML value."""
    if not isinstance(value, str):
        return value
    try:
        return tomllib.loads(f"v = {value}")["v"]
    except tomllib.TOMLDecodeError:
        return value


def override_parameters(scenario: Scenario, overrides: Mapping[str, Any]) -> Scenario:
    """A copy of ``scenario`` with parameters replaced from a flat dict of dotted keys.

    Keys are dotted paths as in the TOML (``"phases.preparation_months"``); a year of a yearly
    table is addressed as ``"arrivals.permits_persons.2015"`` (other years are kept). String
    values are read as TOML values, so ``"2.5"``, ``"true"`` and ``"[1, 2]"`` work from the CLI.

    Raises:
        ScenarioError: naming the offending key.
    """
    nested: dict[str, Any] = {}
    for dotted, raw in overrides.items():
        parts = [p for p in str(dotted).split(".") if p]
        if not parts:
            raise ScenarioError(f"{dotted!r}: empty parameter name")
        node = nested
        for part in parts[:-1]:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                raise ScenarioError(f"{dotted}: conflicts with another override")
            node = child
        node[parts[-1]] = _coerce(raw)
    base = scenario.to_dict()
    merged = deep_merge(base, nested)
    _reject_scalar_to_year_merge(base, nested, "")
    return parse_scenario(merged)


def _reject_scalar_to_year_merge(
    base: Mapping[str, Any], update: Mapping[str, Any], at: str
) -> None:
    """Overriding a single key inside a plain value is a typo; say so early."""
    for key, value in update.items():
        path = f"{at}.{key}" if at else key
        if key not in base:
            if at and isinstance(base, Mapping) and all(k.isdigit() for k in base):
                continue  # a new year in a year table
            raise ScenarioError(f"{path}: unknown parameter")
        if isinstance(value, Mapping):
            if not isinstance(base[key], Mapping):
                raise ScenarioError(f"{path}: is a single value, not a table")
            _reject_scalar_to_year_merge(base[key], value, path)
