"""Husbanken's instruments: rental-housing grant, basic loan, start loan, establishment grant.

Parameters are dated data in ``data/husbanken.toml``; a year without a
figure is unknown and the functions say so. Eligibility checks separate
Husbanken's own conditions from the municipality's local policy (ours,
configurable through :class:`StartLoanPolicy`), and each condition names its
source. An unknown fact gives an unknown condition, and the result is then
"not decided" (``eligible`` None) unless another condition already fails.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

DATA_FILE = Path(__file__).parent / "data" / "husbanken.toml"

ConditionBasis = Literal["husbanken", "local_policy"]

_REPORT = "Fafo 2015 report"


@cache
def _data() -> dict[str, Any]:
    with DATA_FILE.open("rb") as handle:
        return tomllib.load(handle)


def _year_entry(section: str, year: int) -> dict[str, Any] | None:
    entry = _data().get(section, {}).get(str(year))
    return entry if isinstance(entry, dict) else None


def _round_half_up(value: float) -> int:
    return int(math.floor(value + 0.5))


@dataclass(frozen=True, slots=True)
class RentalUnitsFinancing:
    """Cost, maximum grant and remaining loan need for new rental dwellings.

    "Boligtilskudd til utleieboliger": a grant to municipalities (and
    foundations and similar) of up to a share of the total cost; the rest is
    the loan need (for example a Husbanken basic loan, "grunnlån").

    Attributes:
        n_units: Number of dwellings.
        cost_per_unit_nok: Total cost per dwelling.
        year: Year of the grant rules.
        total_cost_nok: ``n_units x cost_per_unit_nok``.
        grant_share: Maximum share of cost for the year, None when unknown.
        grant_nok: Maximum grant (rounded to kroner), None when unknown.
        loan_need_nok: ``total_cost_nok - grant_nok``, None when unknown.
        known: Whether the year's grant share is in the data.
        reason: Why not, when unknown.
        source: Source of the share.
        note: Caveats.
    """

    n_units: int
    cost_per_unit_nok: int
    year: int
    total_cost_nok: int
    grant_share: float | None
    grant_nok: int | None
    loan_need_nok: int | None
    known: bool
    reason: str | None
    source: str | None
    note: str


def rental_units_cost_and_grant(
    n_units: int, cost_per_unit_nok: int, year: int
) -> RentalUnitsFinancing:
    """Total cost, maximum rental-housing grant and loan need for ``n_units`` new rental dwellings.

    Args:
        n_units: Number of dwellings, >= 0.
        cost_per_unit_nok: Total cost (purchase or building) per dwelling, >= 0.
        year: Year of the grant rules (2014: up to 40 %, report L755).

    Returns:
        A :class:`RentalUnitsFinancing`; grant and loan need are None when the
        year's share is not in the data. Husbanken decides each grant; the
        share is a maximum.
    """
    if n_units < 0 or cost_per_unit_nok < 0:
        raise ValueError("n_units and cost_per_unit_nok must be >= 0")
    total_cost = n_units * cost_per_unit_nok
    entry = _year_entry("rental_housing_grant", year)
    if entry is None:
        return RentalUnitsFinancing(
            n_units=n_units,
            cost_per_unit_nok=cost_per_unit_nok,
            year=year,
            total_cost_nok=total_cost,
            grant_share=None,
            grant_nok=None,
            loan_need_nok=None,
            known=False,
            reason=f"The rental-housing grant share for {year} is not in the data "
            f"(known years: {', '.join(sorted(_data().get('rental_housing_grant', {})))}).",
            source=None,
            note="",
        )
    share = float(entry["max_share_of_cost"])
    grant = _round_half_up(total_cost * share)
    return RentalUnitsFinancing(
        n_units=n_units,
        cost_per_unit_nok=cost_per_unit_nok,
        year=year,
        total_cost_nok=total_cost,
        grant_share=share,
        grant_nok=grant,
        loan_need_nok=total_cost - grant,
        known=True,
        reason=None,
        source=str(entry["source"]),
        note=str(entry.get("note", "")),
    )


@dataclass(frozen=True, slots=True)
class BasicLoanLimit:
    """Largest basic loan ("grunnlån") for an individual building a new dwelling."""

    cost_nok: int
    year: int
    max_financing_share: float | None
    max_loan_nok: int | None
    applies_to: str | None
    known: bool
    reason: str | None
    source: str | None


def basic_loan_limit(cost_nok: int, year: int) -> BasicLoanLimit:
    """Up to 80 % financing of a new dwelling for individuals (2014, report L760); unknown otherwise."""
    if cost_nok < 0:
        raise ValueError("cost_nok must be >= 0")
    entry = _year_entry("basic_loan", year)
    if entry is None:
        return BasicLoanLimit(
            cost_nok=cost_nok,
            year=year,
            max_financing_share=None,
            max_loan_nok=None,
            applies_to=None,
            known=False,
            reason=f"The basic-loan financing share for {year} is not in the data.",
            source=None,
        )
    share = float(entry["max_financing_share"])
    return BasicLoanLimit(
        cost_nok=cost_nok,
        year=year,
        max_financing_share=share,
        max_loan_nok=_round_half_up(cost_nok * share),
        applies_to=str(entry["applies_to"]),
        known=True,
        reason=None,
        source=str(entry["source"]),
    )


@dataclass(frozen=True, slots=True)
class HouseholdFinances:
    """What is known about a household's finances for Husbanken's instruments.

    Every field may be None ("not known"); an unknown fact makes its condition unknown.

    Attributes:
        can_get_ordinary_bank_loan: A bank would finance the purchase on ordinary terms.
        can_service_loan: The household can pay the loan and still cover living costs
            ("betjeningsevne").
        long_term_low_income: The household has had, and will keep, a low income.
        has_work_income: Someone in the household has income from work.
        months_in_norway: Months since the main applicant was settled in Norway.
    """

    can_get_ordinary_bank_loan: bool | None = None
    can_service_loan: bool | None = None
    long_term_low_income: bool | None = None
    has_work_income: bool | None = None
    months_in_norway: int | None = None


@dataclass(frozen=True, slots=True)
class StartLoanPolicy:
    """The municipality's own conditions on top of Husbanken's (ours, not Husbanken's).

    Attributes:
        require_work_income: Require income from work. The report finds that work
            is usually a prerequisite for buying (digest §5.2).
        min_months_in_norway: Require this many months in Norway; None = not
            required. The report says help to buy is most relevant for refugees
            with some time in Norway (L1058–1072) but gives no threshold.
    """

    require_work_income: bool = True
    min_months_in_norway: int | None = None


@dataclass(frozen=True, slots=True)
class Condition:
    """One eligibility condition and whether the household meets it.

    Attributes:
        code: Short code.
        text: The condition in words.
        basis: "husbanken" (Husbanken's rule) or "local_policy" (the municipality's, ours).
        source: Where the condition comes from.
        met: True, False, or None when the fact is not known.
    """

    code: str
    text: str
    basis: ConditionBasis
    source: str
    met: bool | None


@dataclass(frozen=True, slots=True)
class EligibilityResult:
    """Outcome of an eligibility check ("vurdering av startlån / tilskudd").

    Attributes:
        instrument: "start_loan" or "establishment_grant".
        eligible: True when all conditions are met, False when one fails, None
            when none fails but some are unknown.
        conditions: Every condition checked, with its basis and source.
    """

    instrument: str
    eligible: bool | None
    conditions: tuple[Condition, ...]

    @property
    def unmet(self) -> tuple[Condition, ...]:
        """Conditions that fail."""
        return tuple(c for c in self.conditions if c.met is False)

    @property
    def unknown(self) -> tuple[Condition, ...]:
        """Conditions that cannot be decided from what is known."""
        return tuple(c for c in self.conditions if c.met is None)


def _negate(value: bool | None) -> bool | None:
    return None if value is None else not value


def _outcome(instrument: str, conditions: list[Condition]) -> EligibilityResult:
    if any(c.met is False for c in conditions):
        eligible: bool | None = False
    elif any(c.met is None for c in conditions):
        eligible = None
    else:
        eligible = True
    return EligibilityResult(instrument, eligible, tuple(conditions))


def _start_loan_conditions(
    household: HouseholdFinances, policy: StartLoanPolicy
) -> list[Condition]:
    conditions = [
        Condition(
            "no_ordinary_bank_loan",
            "Cannot get (enough) ordinary bank credit to buy a home",
            "husbanken",
            f"{_REPORT} L757–758 (start loan is for those who cannot get ordinary bank credit)",
            _negate(household.can_get_ordinary_bank_loan),
        ),
        Condition(
            "can_service_loan",
            "Can pay the loan and still cover ordinary living costs",
            "husbanken",
            "Husbanken's start-loan rules (loan-servicing ability); not in the report: "
            "check the current forskrift om startlån",
            household.can_service_loan,
        ),
    ]
    if policy.require_work_income:
        conditions.append(
            Condition(
                "work_income",
                "Someone in the household has income from work",
                "local_policy",
                f"{_REPORT} digest §5.2: work is usually a prerequisite for buying (L1950–1998)",
                household.has_work_income,
            )
        )
    if policy.min_months_in_norway is not None:
        months = household.months_in_norway
        conditions.append(
            Condition(
                "time_in_norway",
                f"At least {policy.min_months_in_norway} months in Norway",
                "local_policy",
                f"{_REPORT} L1058–1072 (most relevant with some time in Norway); the "
                "threshold is the municipality's own",
                None if months is None else months >= policy.min_months_in_norway,
            )
        )
    return conditions


def check_start_loan(
    household: HouseholdFinances, policy: StartLoanPolicy | None = None
) -> EligibilityResult:
    """Check a household against the start-loan ("startlån") conditions.

    Husbanken's: cannot get ordinary bank credit; can service the loan.
    Local policy (ours, see :class:`StartLoanPolicy`): income from work; time in Norway.
    """
    return _outcome("start_loan", _start_loan_conditions(household, policy or StartLoanPolicy()))


def check_establishment_grant(
    household: HouseholdFinances, policy: StartLoanPolicy | None = None
) -> EligibilityResult:
    """Check a household for the establishment grant ("boligtilskudd til etablering").

    The grant is given with a start loan to reduce the loan burden (report
    L750–758), so every start-loan condition applies, plus Husbanken's
    long-term low income.
    """
    conditions = _start_loan_conditions(household, policy or StartLoanPolicy())
    conditions.append(
        Condition(
            "long_term_low_income",
            "The household has a long-term low income",
            "husbanken",
            "Husbanken's establishment-grant guidance (households with long-term low "
            "income); not in the report: check Husbanken's current rules",
            household.long_term_low_income,
        )
    )
    return _outcome("establishment_grant", conditions)
