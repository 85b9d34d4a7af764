"""Housing allowance estimate ("bostøtte", Husbanken), with dated parameters.

The shape of the rule (forskrift om bustøtte §§ 1–8):

1. ``weight = first_person_weight + other_person_weight x (persons - 1)``;
   ``weighted income = round(income / weight)`` (§ 7).
2. ``own share = min_own_share + own_share_rate x max(0, weighted income -
   own_share_income_threshold) + progressive term`` (§ 4). The progressive
   term applies above ``progressive_threshold``: it is ``rate x weighted
   income``, where the rate is ``progressive_step_rate`` at the first krone
   above the threshold and rises by ``progressive_step_rate`` for every
   ``progressive_step`` kroner more (our reading of § 4's wording).
3. ``cap = caps[persons] + municipality-group uplift (+ adapted-dwelling
   uplift)`` (§ 3); ``approved cost = min(housing cost, cap)``.
4. ``allowance = coverage_share x max(0, approved cost - own share)`` (§ 1),
   rounded to whole kroner; nothing is paid when the monthly amount is below
   the minimum payment (§ 13).

Amounts are yearly. Husbanken computes month by month on the month's income;
this estimate applies the same rule to a yearly income. Parameters live in
``data/housing_allowance.toml``; a year without parameters is answered with
``known`` False, never with another year's figures. The parameter sets we
have are **estimates** (see the file and ``docs/rules.md``).
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path
from typing import Any, Literal, get_args

DATA_FILE = Path(__file__).parent / "data" / "housing_allowance.toml"

CapGroup = Literal["ordinary", "oslo", "large_cities", "pressure_area"]
#: Municipality groups for the housing-cost cap: the rest of the country,
#: Oslo, the large cities, and the pressure-area municipalities.
CAP_GROUPS: tuple[CapGroup, ...] = get_args(CapGroup)


class HousingAllowanceDataError(ValueError):
    """The parameter file is missing a field or has a bad value."""


@dataclass(frozen=True, slots=True)
class HousingAllowanceParams:
    """Bostøtte parameters for one year; amounts in kroner per year.

    Attributes:
        year: The year the parameters apply to.
        status: "estimated" or "official".
        caveat: Why and how far the figures can be trusted.
        sources: Where the figures come from.
        coverage_share: Share of (approved cost - own share) paid ("dekningsprosent").
        min_own_share_nok: Own share at the lowest incomes ("minste egenandel").
        own_share_income_threshold_nok: Weighted income above which the own share grows.
        own_share_rate: Share of weighted income above that threshold added to the own share.
        progressive_threshold_nok: Weighted income above which the progressive term applies.
        progressive_step_rate: Rate of the progressive term per step.
        progressive_step_nok: Width of one step in weighted income.
        first_person_weight: Weight of the first household member.
        other_person_weight: Weight of every other member.
        caps_nok: Housing-cost caps for 1, 2, 3, 4 and 5+ persons ("boutgiftstak").
        cap_group_uplift_nok: Extra cap per municipality group (0 for "ordinary").
        cap_group_municipalities: Municipality names of each group, as printed.
        adapted_dwelling_cap_uplift_nok: Extra cap for a dwelling adapted to a disability.
        min_payment_nok_per_month: Smallest monthly amount paid out.
    """

    year: int
    status: str
    caveat: str
    sources: tuple[str, ...]
    coverage_share: float
    min_own_share_nok: int
    own_share_income_threshold_nok: int
    own_share_rate: float
    progressive_threshold_nok: int
    progressive_step_rate: float
    progressive_step_nok: int
    first_person_weight: float
    other_person_weight: float
    caps_nok: tuple[int, ...]
    cap_group_uplift_nok: Mapping[str, int]
    cap_group_municipalities: Mapping[str, tuple[str, ...]]
    adapted_dwelling_cap_uplift_nok: int
    min_payment_nok_per_month: int


@dataclass(frozen=True, slots=True)
class UnknownYear:
    """A year the data names but has no usable parameters for."""

    year: int
    reason: str
    sources: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class HousingAllowanceEstimate:
    """A bostøtte estimate with every step of the calculation.

    Breakdown fields are None when ``known`` is False. Amounts are kroner per year
    unless the name says month.
    """

    year: int
    household_size: int
    income_nok: int
    housing_cost_nok: int
    cap_group: CapGroup
    adapted_dwelling: bool
    known: bool
    reason: str | None
    status: str | None
    caveat: str | None
    sources: tuple[str, ...]
    income_weight: float | None = None
    weighted_income_nok: int | None = None
    cap_nok: int | None = None
    approved_housing_cost_nok: int | None = None
    own_share_minimum_nok: int | None = None
    own_share_income_part_nok: float | None = None
    own_share_progressive_nok: float | None = None
    own_share_nok: float | None = None
    coverage_share: float | None = None
    calculated_annual_nok: int | None = None
    below_minimum_payment: bool | None = None
    allowance_annual_nok: int | None = None
    allowance_monthly_nok: int | None = None
    steps: tuple[str, ...] = field(default=())


def _round_half_up(value: float) -> int:
    return int(math.floor(value + 0.5))


def _require(table: Mapping[str, Any], key: str, year: str) -> Any:
    if key not in table:
        raise HousingAllowanceDataError(f"housing allowance year {year}: missing field {key}")
    return table[key]


def _params_from_toml(year: str, table: Mapping[str, Any]) -> HousingAllowanceParams:
    groups = table.get("cap_groups", {})
    caps = tuple(int(c) for c in _require(table, "caps_nok", year))
    if len(caps) != 5 or any(a > b for a, b in zip(caps, caps[1:], strict=False)):
        raise HousingAllowanceDataError(
            f"housing allowance year {year}: caps_nok must be 5 rising amounts (1..5+ persons)"
        )
    unknown_groups = set(groups) - set(CAP_GROUPS)
    if unknown_groups:
        raise HousingAllowanceDataError(
            f"housing allowance year {year}: unknown cap group(s) {', '.join(sorted(unknown_groups))}"
        )
    coverage = float(_require(table, "coverage_share", year))
    if not 0 < coverage <= 1:
        raise HousingAllowanceDataError(
            f"housing allowance year {year}: coverage_share must be in (0, 1]"
        )
    return HousingAllowanceParams(
        year=int(year),
        status=str(_require(table, "status", year)),
        caveat=str(table.get("caveat", "")),
        sources=tuple(_require(table, "sources", year)),
        coverage_share=coverage,
        min_own_share_nok=int(_require(table, "min_own_share_nok", year)),
        own_share_income_threshold_nok=int(_require(table, "own_share_income_threshold_nok", year)),
        own_share_rate=float(_require(table, "own_share_rate", year)),
        progressive_threshold_nok=int(_require(table, "progressive_threshold_nok", year)),
        progressive_step_rate=float(_require(table, "progressive_step_rate", year)),
        progressive_step_nok=int(_require(table, "progressive_step_nok", year)),
        first_person_weight=float(_require(table, "first_person_weight", year)),
        other_person_weight=float(_require(table, "other_person_weight", year)),
        caps_nok=caps,
        cap_group_uplift_nok={"ordinary": 0}
        | {name: int(g["uplift_nok"]) for name, g in groups.items()},
        cap_group_municipalities={name: tuple(g["municipalities"]) for name, g in groups.items()},
        adapted_dwelling_cap_uplift_nok=int(
            _require(table, "adapted_dwelling_cap_uplift_nok", year)
        ),
        min_payment_nok_per_month=int(_require(table, "min_payment_nok_per_month", year)),
    )


class HousingAllowanceRules:
    """Parameter sets by year, from ``data/housing_allowance.toml`` or another file."""

    def __init__(self, years: Mapping[int, HousingAllowanceParams | UnknownYear]) -> None:
        self._years = dict(years)

    @classmethod
    def from_toml(cls, path: Path | str) -> HousingAllowanceRules:
        """Read parameter sets from a TOML file shaped like the shipped one."""
        with Path(path).open("rb") as handle:
            data = tomllib.load(handle)
        years: dict[int, HousingAllowanceParams | UnknownYear] = {}
        for year, table in data.get("years", {}).items():
            if not table.get("known", False):
                years[int(year)] = UnknownYear(
                    int(year),
                    str(table.get("reason", "No parameters for this year in the data.")),
                    tuple(table.get("sources", ())),
                )
            else:
                years[int(year)] = _params_from_toml(year, table)
        return cls(years)

    @classmethod
    def default(cls) -> HousingAllowanceRules:
        """The parameter sets shipped with Bosetting."""
        return _default_rules()

    def years(self) -> list[int]:
        """Years with usable parameters."""
        return sorted(y for y, p in self._years.items() if isinstance(p, HousingAllowanceParams))

    def params(self, year: int) -> HousingAllowanceParams | None:
        """Parameters for ``year``, or None when they are not in the data."""
        p = self._years.get(year)
        return p if isinstance(p, HousingAllowanceParams) else None

    def cap_group_for_municipality(self, municipality_name: str, year: int) -> CapGroup:
        """The cap group of a municipality by name ("Bærum" -> "large_cities").

        Raises:
            ValueError: no parameters for ``year``.
        """
        p = self.params(year)
        if p is None:
            raise ValueError(f"no housing allowance parameters for {year}")
        for group, names in p.cap_group_municipalities.items():
            if municipality_name.strip().casefold() in (n.casefold() for n in names):
                return group  # type: ignore[return-value]
        return "ordinary"

    def estimate(
        self,
        income_nok: int,
        housing_cost_nok: int,
        household_size: int,
        year: int,
        *,
        cap_group: str = "ordinary",
        adapted_dwelling: bool = False,
    ) -> HousingAllowanceEstimate:
        """Estimate the yearly housing allowance with its breakdown.

        Args:
            income_nok: Household gross income per year (children's income excluded).
            housing_cost_nok: Housing costs per year that the rules accept (rent, or
                shared costs and loan costs for owners).
            household_size: Persons in the household, >= 1.
            year: Parameter year.
            cap_group: One of :data:`CAP_GROUPS`.
            adapted_dwelling: The dwelling is adapted to a household member's disability.

        Returns:
            A :class:`HousingAllowanceEstimate`; ``known`` False with a reason when
            the year's parameters are not in the data.
        """
        if household_size < 1:
            raise ValueError("household_size must be at least 1")
        if income_nok < 0:
            raise ValueError("income_nok must be >= 0")
        if housing_cost_nok < 0:
            raise ValueError("housing_cost_nok must be >= 0")
        if cap_group not in CAP_GROUPS:
            raise ValueError(f"unknown cap group {cap_group!r}; use one of {', '.join(CAP_GROUPS)}")
        group: CapGroup = cap_group  # type: ignore[assignment]
        base = partial(
            HousingAllowanceEstimate,
            year=year,
            household_size=household_size,
            income_nok=income_nok,
            housing_cost_nok=housing_cost_nok,
            cap_group=group,
            adapted_dwelling=adapted_dwelling,
        )
        p = self._years.get(year)
        if not isinstance(p, HousingAllowanceParams):
            reason = (
                p.reason
                if isinstance(p, UnknownYear)
                else f"No housing allowance parameters for {year} in the data."
            )
            sources = p.sources if isinstance(p, UnknownYear) else ()
            return base(known=False, reason=reason, status=None, caveat=None, sources=sources)

        weight = p.first_person_weight + p.other_person_weight * (household_size - 1)
        weighted = _round_half_up(income_nok / weight)
        income_part = p.own_share_rate * max(0, weighted - p.own_share_income_threshold_nok)
        progressive = 0.0
        if weighted > p.progressive_threshold_nok:
            steps_above = (weighted - p.progressive_threshold_nok - 1) // p.progressive_step_nok
            progressive = p.progressive_step_rate * (steps_above + 1) * weighted
        own_share = p.min_own_share_nok + income_part + progressive
        cap = (
            p.caps_nok[min(household_size, len(p.caps_nok)) - 1]
            + p.cap_group_uplift_nok.get(group, 0)
            + (p.adapted_dwelling_cap_uplift_nok if adapted_dwelling else 0)
        )
        approved = min(housing_cost_nok, cap)
        calculated = _round_half_up(p.coverage_share * max(0.0, approved - own_share))
        monthly = _round_half_up(calculated / 12)
        below_minimum = 0 < monthly < p.min_payment_nok_per_month
        annual = 0 if below_minimum else calculated
        steps = (
            f"weight = {p.first_person_weight} + {p.other_person_weight} x ({household_size} - 1) = {weight:g}",
            f"weighted income = {income_nok} / {weight:g} = {weighted}",
            f"own share = {p.min_own_share_nok} + {p.own_share_rate} x max(0, {weighted} - "
            f"{p.own_share_income_threshold_nok}) + {progressive:.2f} = {own_share:.2f}",
            f"cap = {cap}; approved cost = min({housing_cost_nok}, {cap}) = {approved}",
            f"allowance = {p.coverage_share} x max(0, {approved} - {own_share:.2f}) = {calculated}",
        )
        return base(
            known=True,
            reason=None,
            status=p.status,
            caveat=p.caveat,
            sources=p.sources,
            income_weight=weight,
            weighted_income_nok=weighted,
            cap_nok=cap,
            approved_housing_cost_nok=approved,
            own_share_minimum_nok=p.min_own_share_nok,
            own_share_income_part_nok=income_part,
            own_share_progressive_nok=progressive,
            own_share_nok=own_share,
            coverage_share=p.coverage_share,
            calculated_annual_nok=calculated,
            below_minimum_payment=below_minimum,
            allowance_annual_nok=annual,
            allowance_monthly_nok=0 if below_minimum else monthly,
            steps=steps,
        )


@cache
def _default_rules() -> HousingAllowanceRules:
    return HousingAllowanceRules.from_toml(DATA_FILE)


def estimate_housing_allowance(
    income_nok: int,
    housing_cost_nok: int,
    household_size: int,
    year: int,
    *,
    cap_group: str = "ordinary",
    adapted_dwelling: bool = False,
    rules: HousingAllowanceRules | None = None,
) -> HousingAllowanceEstimate:
    """:meth:`HousingAllowanceRules.estimate` on ``rules`` (default: the shipped parameters)."""
    return (rules or HousingAllowanceRules.default()).estimate(
        income_nok,
        housing_cost_nok,
        household_size,
        year,
        cap_group=cap_group,
        adapted_dwelling=adapted_dwelling,
    )
