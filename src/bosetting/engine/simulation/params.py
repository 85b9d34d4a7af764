"""Scenario parameters of the policy simulator: typed, validated, documented.

A scenario is a tree of small frozen dataclasses. The TOML files in ``scenarios/`` use exactly
these section and field names; :func:`parse_scenario` turns a nested dict into a
:class:`Scenario` and names the offending field in every error.

Yearly parameters are :class:`YearSeries`: a table ``{year: value}`` read as a step function,
so a year takes the value of the latest listed year at or before it (and years before the
first entry take the first value). That lets a scenario run longer than its table.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bosetting.engine.rules.pilots import PILOT_COUNTIES, PILOT_FIRST_YEAR, PILOT_LAST_YEAR

MATCHING_MODES = ("fast", "greedy", "full")
UNIT_CLASSES = ("shared", "one_bedroom", "two_bedroom", "three_bedroom", "four_bedroom")
HOUSEHOLD_TYPES = ("single_adult", "couple", "family", "uam")


class ScenarioError(ValueError):
    """A scenario file or override is invalid; the message names the field."""


@dataclass(frozen=True)
class YearSeries:
    """A yearly parameter read as a step function over the listed years.

    Args:
        values: ``{year: value}``; at least one entry.
    """

    values: tuple[tuple[int, float], ...]

    @classmethod
    def of(cls, mapping: Mapping[int | str, float] | float) -> YearSeries:
        """Build from a mapping (keys may be strings) or a single constant."""
        if not isinstance(mapping, Mapping):
            return cls(((0, float(mapping)),))
        items = sorted((int(k), float(v)) for k, v in mapping.items())
        return cls(tuple(items))

    def at(self, year: int) -> float:
        """Value for ``year``: the latest entry at or before it, else the first entry."""
        value = self.values[0][1]
        for entry_year, entry_value in self.values:
            if entry_year <= year:
                value = entry_value
            else:
                break
        return value

    def with_value(self, year: int, value: float) -> YearSeries:
        """A copy with ``year`` set to ``value`` (added if missing)."""
        table = dict(self.values)
        table[int(year)] = float(value)
        return YearSeries(tuple(sorted(table.items())))

    def to_dict(self) -> dict[str, float]:
        """``{"2009": value, ...}`` as written in TOML and JSON."""
        return {str(year): value for year, value in self.values}


def _doc(text: str, **limits: float) -> dict[str, Any]:
    return {"doc": text, **limits}


@dataclass(frozen=True)
class MatchingParams:
    """How households are matched to municipalities and units each month (utsøking)."""

    mode: str = field(default="fast", metadata=_doc("fast | greedy | full"))
    time_limit_seconds: float = field(default=5.0, metadata=_doc("engine time limit", min=0.01))
    zone_cap: int = field(
        default=0, metadata=_doc("households per zone per batch; 0 = no cap", min=0)
    )
    horizon_days: int = field(default=30, metadata=_doc("unit free within days", min=0))
    accept_probability: float = field(default=0.9, metadata=_doc("council accepts", min=0, max=1))
    hard_to_place_monthly_chance: YearSeries = field(
        default_factory=lambda: YearSeries.of(0.3), metadata=_doc("a council is open", min=0, max=1)
    )
    hard_to_place_penalty: YearSeries = field(
        default_factory=lambda: YearSeries.of(1.0), metadata=_doc("priority units", min=0)
    )
    children_priority_bonus: YearSeries = field(
        default_factory=lambda: YearSeries.of(0.0), metadata=_doc("priority units", min=0)
    )
    selection_noise: YearSeries = field(
        default_factory=lambda: YearSeries.of(1.25), metadata=_doc("fast mode", min=0)
    )
    retry_months: float = field(default=1.0, metadata=_doc("after a rejection", min=0))
    candidates_per_place: float = field(default=3.0, metadata=_doc("engine batch size", min=1))
    max_batch_households: int = field(default=1200, metadata=_doc("engine batch cap", min=1))
    weights: dict[str, float] = field(
        default_factory=lambda: {
            "settle": 10.0,
            "wait": 4.0,
            "ties": 3.0,
            "labour": 1.0,
            "fit": 2.0,
        },
        metadata=_doc("score weights", min=0),
    )


@dataclass(frozen=True)
class ArrivalParams:
    """Residence permits granted to refugees in reception (vedtak om opphold)."""

    permits_persons: YearSeries = field(
        default_factory=lambda: YearSeries.of(6000.0), metadata=_doc("persons per year", min=0)
    )
    household_mix: dict[str, float] = field(
        default_factory=lambda: {"single_adult": 0.82, "couple": 0.03, "family": 0.08, "uam": 0.07},
        metadata=_doc("household shares", min=0),
    )
    children_mean: float = field(default=2.4, metadata=_doc("children per family", min=1))
    single_parent_share: float = field(default=0.3, metadata=_doc("families", min=0, max=1))
    health_needs_share: float = field(default=0.04, metadata=_doc("health_high", min=0, max=1))
    accessible_needs_share: float = field(default=0.02, metadata=_doc("accessible", min=0, max=1))
    expects_reunification_share: float = field(
        default=0.3, metadata=_doc("single adults", min=0, max=1)
    )
    ties_share: float = field(default=0.3, metadata=_doc("households with ties", min=0, max=1))
    other_hard_to_place_share: float = field(
        default=0.0, metadata=_doc("certain nationalities etc.", min=0, max=1)
    )


@dataclass(frozen=True)
class QuotaParams:
    """Resettlement (quota) refugees (overføringsflyktninger): settled on arrival."""

    persons_per_year: YearSeries = field(
        default_factory=lambda: YearSeries.of(1100.0), metadata=_doc("persons per year", min=0)
    )
    household_mix: dict[str, float] = field(
        default_factory=lambda: {"single_adult": 0.40, "couple": 0.05, "family": 0.50, "uam": 0.05},
        metadata=_doc("household shares", min=0),
    )


@dataclass(frozen=True)
class PhaseParams:
    """Delays of the settlement phases (fase 2–4), in months; gamma distributed."""

    notification_months: float = field(default=0.5, metadata=_doc("phase 2", min=0))
    interview_months: float = field(default=1.0, metadata=_doc("phase 3a", min=0))
    registration_months: float = field(default=0.5, metadata=_doc("phase 3b", min=0))
    response_months: float = field(default=0.5, metadata=_doc("council answer", min=0))
    preparation_months: float = field(default=2.0, metadata=_doc("phase 4", min=0))
    gamma_shape: float = field(default=2.0, metadata=_doc("shape", min=0.1))
    scale: YearSeries = field(
        default_factory=lambda: YearSeries.of(1.0), metadata=_doc("multiplier", min=0)
    )
    case_processing_months: YearSeries = field(
        default_factory=lambda: YearSeries.of(10.0), metadata=_doc("UDI case time", min=0)
    )


@dataclass(frozen=True)
class DecisionParams:
    """IMDi's requests (anmodning) and the councils' decisions (vedtak)."""

    requested_persons: YearSeries = field(
        default_factory=lambda: YearSeries.of(9000.0), metadata=_doc("national request", min=0)
    )
    decision_share: YearSeries = field(
        default_factory=lambda: YearSeries.of(0.7), metadata=_doc("decided/requested", min=0, max=1)
    )
    period_years: YearSeries = field(
        default_factory=lambda: YearSeries.of(1.0), metadata=_doc("1 or 3", min=1, max=5)
    )
    decision_delay_months: float = field(default=1.5, metadata=_doc("annual decisions", min=0))
    carry_over_unused: bool = field(default=True, metadata=_doc("within a period"))
    release_profile: tuple[float, ...] = field(
        default=(1.0,) * 12, metadata=_doc("12 monthly weights", min=0)
    )
    uam_share: float = field(default=0.1, metadata=_doc("places for UAM", min=0, max=1))
    prior_strength: float = field(default=3.0, metadata=_doc("Dirichlet prior", min=0))
    partial_concentration: float = field(default=8.0, metadata=_doc("Beta", min=0.1))


@dataclass(frozen=True)
class HousingParams:
    """Housing supply per municipality: stock, turnover, private market, new units."""

    initial_units_per_settled_person: float = field(default=0.8, metadata=_doc("stock", min=0))
    initial_vacant_share: float = field(default=0.03, metadata=_doc("stock", min=0, max=1))
    size_mix: dict[str, float] = field(
        default_factory=lambda: {
            "shared": 0.10,
            "one_bedroom": 0.42,
            "two_bedroom": 0.28,
            "three_bedroom": 0.15,
            "four_bedroom": 0.05,
        },
        metadata=_doc("unit shares", min=0),
    )
    shared_beds: int = field(default=3, metadata=_doc("beds per shared flat", min=1))
    accessible_share: float = field(default=0.05, metadata=_doc("units", min=0, max=1))
    lease_months: float = field(default=36.0, metadata=_doc("first contract", min=1))
    move_out_probability: float = field(default=0.5, metadata=_doc("at expiry", min=0, max=1))
    procured_units_per_decided_person: YearSeries = field(
        default_factory=lambda: YearSeries.of(0.3), metadata=_doc("per year", min=0)
    )
    grant_units_per_year: YearSeries = field(
        default_factory=lambda: YearSeries.of(0.0), metadata=_doc("Husbanken", min=0)
    )
    grant_size_mix: dict[str, float] = field(
        default_factory=lambda: {
            "shared": 0.0,
            "one_bedroom": 0.30,
            "two_bedroom": 0.30,
            "three_bedroom": 0.25,
            "four_bedroom": 0.15,
        },
        metadata=_doc("unit shares", min=0),
    )
    search_months: YearSeries = field(
        default_factory=lambda: YearSeries.of(3.0), metadata=_doc("find a flat", min=0.05)
    )
    search_private_share: float = field(default=0.5, metadata=_doc("sublets", min=0, max=1))
    search_size_mix: dict[str, float] = field(
        default_factory=lambda: {
            "shared": 0.05,
            "one_bedroom": 0.55,
            "two_bedroom": 0.25,
            "three_bedroom": 0.12,
            "four_bedroom": 0.03,
        },
        metadata=_doc("unit shares", min=0),
    )
    vacancy_release_months: float = field(default=3.0, metadata=_doc("idle unit", min=0))
    private_offers_per_1000_population: YearSeries = field(
        default_factory=lambda: YearSeries.of(0.3), metadata=_doc("per year", min=0)
    )
    private_size_mix: dict[str, float] = field(
        default_factory=lambda: {
            "shared": 0.0,
            "one_bedroom": 0.60,
            "two_bedroom": 0.30,
            "three_bedroom": 0.08,
            "four_bedroom": 0.02,
        },
        metadata=_doc("unit shares", min=0),
    )
    private_offer_lapse_months: float = field(default=1.0, metadata=_doc("offer", min=0.01))


@dataclass(frozen=True)
class SelfSettlementParams:
    """Self-settlement (egenbosetting): refugees finding housing on their own."""

    monthly_probability: YearSeries = field(
        default_factory=lambda: YearSeries.of(0.015), metadata=_doc("hazard", min=0, max=1)
    )
    network_share: float = field(default=0.4, metadata=_doc("no unit needed", min=0, max=1))
    from_phase: str = field(default="ready", metadata=_doc("permit | ready"))


@dataclass(frozen=True)
class ReunificationParams:
    """Family reunification (familiegjenforening) after settlement of a single adult."""

    delay_months: float = field(default=14.0, metadata=_doc("after settlement", min=0))
    persons_mean: float = field(default=2.0, metadata=_doc("joining persons", min=0))
    probability: float = field(default=0.8, metadata=_doc("of those expecting", min=0, max=1))


@dataclass(frozen=True)
class StateAllocationParams:
    """Danish model: the state allocates a population-based quota each municipality must take."""

    enabled: bool = field(default=False, metadata=_doc("switch"))
    from_year: int = field(default=2015, metadata=_doc("first year"))
    compliance: float = field(default=1.0, metadata=_doc("quota share", min=0, max=1))
    accept_probability: float = field(default=1.0, metadata=_doc("proposals", min=0, max=1))
    procured_units_per_quota_person: float = field(default=0.6, metadata=_doc("per year", min=0))


@dataclass(frozen=True)
class CountyGovernorParams:
    """County-governor pilot (fylkesmannen takes over IMDi's settlement role in some counties).

    The counties and years default to the one definition the live system uses too
    (:mod:`bosetting.engine.rules.pilots`); a what-if scenario may set others."""

    enabled: bool = field(default=False, metadata=_doc("switch"))
    counties: tuple[str, ...] = field(default=PILOT_COUNTIES, metadata=_doc("county numbers"))
    from_year: int = field(default=PILOT_FIRST_YEAR, metadata=_doc("first year"))
    until_year: int = field(default=PILOT_LAST_YEAR, metadata=_doc("last year"))
    willingness_shift: float = field(default=1.0, metadata=_doc("logit shift"))
    phase_factor: float = field(default=0.7, metadata=_doc("delay multiplier", min=0))
    accept_probability: float = field(default=0.97, metadata=_doc("proposals", min=0, max=1))
    grant_units_per_year: float = field(default=0.0, metadata=_doc("extra units", min=0))


@dataclass(frozen=True)
class PolicyParams:
    """Policy switches."""

    state_allocation: StateAllocationParams = field(default_factory=StateAllocationParams)
    county_governor: CountyGovernorParams = field(default_factory=CountyGovernorParams)


@dataclass(frozen=True)
class Scenario:
    """One simulated world: the settlement system over ``years`` from ``start_year``.

    Norwegian: *scenario for bosettingsmodellen*.
    """

    name: str = "unnamed"
    description: str = ""
    start_year: int = field(default=2009, metadata=_doc("first reported year", min=1990, max=2100))
    years: int = field(default=6, metadata=_doc("reported years", min=1, max=50))
    warmup_years: int = field(default=2, metadata=_doc("before start_year", min=0, max=10))
    matching: MatchingParams = field(default_factory=MatchingParams)
    arrivals: ArrivalParams = field(default_factory=ArrivalParams)
    quota: QuotaParams = field(default_factory=QuotaParams)
    phases: PhaseParams = field(default_factory=PhaseParams)
    decisions: DecisionParams = field(default_factory=DecisionParams)
    housing: HousingParams = field(default_factory=HousingParams)
    self_settlement: SelfSettlementParams = field(default_factory=SelfSettlementParams)
    reunification: ReunificationParams = field(default_factory=ReunificationParams)
    policy: PolicyParams = field(default_factory=PolicyParams)

    @property
    def year_list(self) -> list[int]:
        """The reported calendar years."""
        return list(range(self.start_year, self.start_year + self.years))

    def to_dict(self) -> dict[str, Any]:
        """The scenario as a nested, JSON- and TOML-friendly dict (years as string keys)."""
        return _to_plain(self)


# ---------------------------------------------------------------------------------------------
# Parsing and validation


_MIX_KEYS: dict[str, tuple[str, ...]] = {
    "household_mix": HOUSEHOLD_TYPES,
    "size_mix": UNIT_CLASSES,
    "grant_size_mix": UNIT_CLASSES,
    "private_size_mix": UNIT_CLASSES,
    "search_size_mix": UNIT_CLASSES,
    "weights": ("settle", "wait", "ties", "labour", "fit"),
}


def _to_plain(obj: Any) -> Any:
    if isinstance(obj, YearSeries):
        return obj.to_dict()
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: _to_plain(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, tuple):
        return [_to_plain(v) for v in obj]
    if isinstance(obj, dict):
        return {k: _to_plain(v) for k, v in obj.items()}
    return obj


def _check_number(path: str, value: Any, meta: Mapping[str, Any], integer: bool) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ScenarioError(f"{path}: expected a number, got {value!r}")
    if integer and float(value) != int(value):
        raise ScenarioError(f"{path}: expected a whole number, got {value!r}")
    if value != value:  # NaN
        raise ScenarioError(f"{path}: NaN is not allowed")
    if "min" in meta and value < meta["min"]:
        raise ScenarioError(f"{path}: {value!r} is below the minimum {meta['min']}")
    if "max" in meta and value > meta["max"]:
        raise ScenarioError(f"{path}: {value!r} is above the maximum {meta['max']}")
    return value


def _parse_value(path: str, name: str, hint: Any, value: Any, meta: Mapping[str, Any]) -> Any:
    origin = typing.get_origin(hint)
    if dataclasses.is_dataclass(hint) and hint is not YearSeries:
        if not isinstance(value, Mapping):
            raise ScenarioError(f"{path}: expected a table (section)")
        return _parse_dataclass(typing.cast(type, hint), value, path)
    if hint is YearSeries:
        if isinstance(value, Mapping):
            if not value:
                raise ScenarioError(f"{path}: a year table needs at least one year")
            table: dict[int | str, float] = {}
            for key, item in value.items():
                try:
                    year = int(key)
                except (TypeError, ValueError):
                    raise ScenarioError(f"{path}.{key}: year keys must be years") from None
                table[year] = float(_check_number(f"{path}.{key}", item, meta, integer=False))
            return YearSeries.of(table)
        return YearSeries.of(float(_check_number(path, value, meta, integer=False)))
    if hint is bool:
        if not isinstance(value, bool):
            raise ScenarioError(f"{path}: expected true or false, got {value!r}")
        return value
    if hint is int:
        return int(_check_number(path, value, meta, integer=True))
    if hint is float:
        return float(_check_number(path, value, meta, integer=False))
    if hint is str:
        if not isinstance(value, str):
            raise ScenarioError(f"{path}: expected a string, got {value!r}")
        return value
    if origin is dict:
        if not isinstance(value, Mapping):
            raise ScenarioError(f"{path}: expected a table")
        allowed = _MIX_KEYS.get(name)
        result: dict[str, float] = {}
        for key, item in value.items():
            if allowed is not None and key not in allowed:
                raise ScenarioError(f"{path}.{key}: unknown key (allowed: {', '.join(allowed)})")
            result[str(key)] = float(_check_number(f"{path}.{key}", item, meta, integer=False))
        if allowed is not None:
            missing = [k for k in allowed if k not in result]
            if missing:
                raise ScenarioError(f"{path}: missing {', '.join(missing)}")
            if name != "weights" and sum(result.values()) <= 0:
                raise ScenarioError(f"{path}: shares must not all be zero")
        return result
    if origin is tuple:
        (item_hint, _ellipsis) = typing.get_args(hint)
        if not isinstance(value, list | tuple):
            raise ScenarioError(f"{path}: expected a list")
        items = []
        for index, item in enumerate(value):
            items.append(_parse_value(f"{path}[{index}]", name, item_hint, item, meta))
        return tuple(items)
    raise ScenarioError(f"{path}: unsupported type {hint!r}")  # pragma: no cover - schema bug


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def _parse_dataclass(cls: type, data: Mapping[str, Any], prefix: str) -> Any:
    hints = _hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        if key not in fields:
            raise ScenarioError(f"{path}: unknown parameter")
        hint = hints[key]
        if isinstance(hint, types.UnionType):  # pragma: no cover - not used in the schema
            raise ScenarioError(f"{path}: unsupported union type")
        kwargs[key] = _parse_value(path, key, hint, value, fields[key].metadata)
    return cls(**kwargs)


def parse_scenario(data: Mapping[str, Any]) -> Scenario:
    """Validate a nested dict (as read from TOML) into a :class:`Scenario`.

    Raises:
        ScenarioError: naming the first offending field.
    """
    scenario: Scenario = _parse_dataclass(Scenario, data, "")
    _check_semantics(scenario)
    return scenario


def _check_semantics(scenario: Scenario) -> None:
    if scenario.matching.mode not in MATCHING_MODES:
        raise ScenarioError(
            f"matching.mode: {scenario.matching.mode!r} is not one of {', '.join(MATCHING_MODES)}"
        )
    if scenario.self_settlement.from_phase not in ("permit", "ready"):
        raise ScenarioError("self_settlement.from_phase: must be 'permit' or 'ready'")
    if len(scenario.decisions.release_profile) != 12:
        raise ScenarioError("decisions.release_profile: needs exactly 12 monthly weights")
    if sum(scenario.decisions.release_profile) <= 0:
        raise ScenarioError("decisions.release_profile: weights must not all be zero")
    for year, value in scenario.decisions.period_years.values:
        if value != int(value):
            raise ScenarioError(f"decisions.period_years.{year}: must be a whole number of years")
    counties = scenario.policy.county_governor.counties
    for county in counties:
        if not (len(county) == 2 and county.isdigit()):
            raise ScenarioError(
                f"policy.county_governor.counties: {county!r} is not a two-digit county number"
            )
    cg = scenario.policy.county_governor
    if cg.until_year < cg.from_year:
        raise ScenarioError("policy.county_governor.until_year: before from_year")


def deep_merge(base: Mapping[str, Any], update: Mapping[str, Any]) -> dict[str, Any]:
    """Merge ``update`` into a copy of ``base``; tables merge, everything else is replaced.

    Year tables merge too, so an override of one year keeps the other years.
    """
    merged: dict[str, Any] = dict(base)
    for key, value in update.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged
