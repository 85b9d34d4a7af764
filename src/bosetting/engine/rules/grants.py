"""IMDi's grants to municipalities by budget year ("integreringstilskudd" and special grants).

The integration grant is paid per settled person for the settlement year
("år 1", bosettingsåret) and the four following years ("år 2–5"). Each state
budget sets one rate per settlement-year index and category, so the budget
of year Y pays the index-1 rate for persons settled in Y, the index-2 rate
for persons settled in Y-1, and so on. "669 600 kr over five years" (2014) is
the sum of the five rates of budget year 2014.

Figures live in two CSV files that a user can update (or replace with
``GrantTable.from_csv``): ``data/integration_grant.csv`` and
``data/special_grants.csv``. Only figures with a source are there. Anything
missing is **unknown** and the API says so (``None`` amounts, ``known`` False,
a ``reason``); it never guesses silently. See ``docs/rules.md`` for what is known.

The published yearly split could not be found for any budget year 2010–2016
(only the five-year totals). Where a projection needs a yearly rate that is not
in the data, :meth:`GrantTable.assumed_rate` offers a *stated assumption* that
a caller can switch off: the budget year's known five-year total (or, when that
year has none, the latest earlier year's total carried forward) split evenly
over the five settlement years. Every such figure comes back marked as assumed,
with the total and the year it rests on.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal, get_args

DATA_DIR = Path(__file__).parent / "data"
INTEGRATION_GRANT_CSV = DATA_DIR / "integration_grant.csv"
SPECIAL_GRANTS_CSV = DATA_DIR / "special_grants.csv"

IntegrationCategory = Literal["adult", "single_adult", "child", "uam", "elderly"]
#: Categories of the integration grant: voksne, enslige voksne, barn,
#: enslige mindreårige, eldre.
INTEGRATION_CATEGORIES: tuple[IntegrationCategory, ...] = get_args(IntegrationCategory)

SpecialGrantCode = Literal[
    "uam_special",
    "disability_one_off",
    "disability_yearly_max",
    "elderly_one_off",
    "school_grant_one_off",
]
#: Special grants: særskilt tilskudd ved bosetting av enslige mindreårige;
#: tilskudd for personer med alvorlige funksjonshemminger og/eller
#: atferdsvansker (one-off, or up to a yearly maximum for up to five years);
#: eldretilskudd (one-off); skoletilskudd (abolished 2014).
SPECIAL_GRANTS: tuple[SpecialGrantCode, ...] = get_args(SpecialGrantCode)

Status = Literal["in_force", "proposed"]
#: "in_force": confirmed as the rate actually in force by a second source;
#: "proposed": the figure of the budget proposal; adoption unchanged not verified.
STATUSES: tuple[Status, ...] = get_args(Status)

SETTLEMENT_YEARS = 5
UNKNOWN_HINT = "Add the figure with its source to the CSV file to make it known."


class GrantDataError(ValueError):
    """A grant data file has a row that cannot be used; the message names file, line and field."""


@dataclass(frozen=True, slots=True)
class GrantRow:
    """One row of the integration grant file.

    Attributes:
        budget_year: The state budget the rate belongs to.
        category: One of :data:`INTEGRATION_CATEGORIES`.
        settlement_year_index: 1–5 for a yearly rate, None for a five-year total.
        amount_nok: Kroner per person.
        status: One of :data:`STATUSES`.
        source: Where the figure comes from.
        note: Free text.
    """

    budget_year: int
    category: IntegrationCategory
    settlement_year_index: int | None
    amount_nok: int
    status: Status
    source: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class SpecialGrantRow:
    """One row of the special grants file (see :data:`SPECIAL_GRANTS`)."""

    budget_year: int
    grant: SpecialGrantCode
    amount_nok: int
    max_years: int | None
    status: Status
    source: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class GrantSchedule:
    """Integration grant for one budget year and category ("satser for integreringstilskudd").

    Attributes:
        budget_year: The state budget.
        category: The person category.
        yearly_nok: Rates for settlement-year index 1–5; None where not in the data.
        total_nok: Sum over the five years, None when not in the data.
        status: "in_force" or "proposed" (the weakest of the rows used), None when nothing is known.
        sources: Sources of the figures used.
        reason: What is unknown and why; None when everything is known.
    """

    budget_year: int
    category: IntegrationCategory
    yearly_nok: tuple[int | None, ...]
    total_nok: int | None
    status: Status | None
    sources: tuple[str, ...]
    reason: str | None

    @property
    def known(self) -> bool:
        """Whether the five-year total is known."""
        return self.total_nok is not None

    @property
    def yearly_known(self) -> bool:
        """Whether all five yearly rates are known."""
        return all(v is not None for v in self.yearly_nok)


@dataclass(frozen=True, slots=True)
class Rate:
    """A rate for one budget year, category and settlement-year index, as a projection uses it.

    Attributes:
        amount_nok: Kroner per person; None when neither the rate nor an assumption is available.
        assumed: True when the amount is :data:`EVEN_SPLIT` of a five-year total, not a published rate.
        basis_year: The budget year whose figure is used (differs from the asked year when a total
            is carried forward).
        basis_total_nok: The five-year total the assumption splits; None for a published rate.
        basis_category: The category whose total is split (differs from the asked one for a
            :data:`FALLBACK_CATEGORY`).
        source: Where the figure used comes from.
    """

    amount_nok: int | None
    assumed: bool = False
    basis_year: int | None = None
    basis_total_nok: int | None = None
    basis_category: str | None = None
    source: str | None = None

    @property
    def known(self) -> bool:
        """Whether there is an amount (published or assumed)."""
        return self.amount_nok is not None


#: The assumption's name, as reports print it.
EVEN_SPLIT = "even split of the five-year total"

#: Categories with no published total of their own: the assumption takes this category's total, a
#: lower bound (elderly are paid the adult integration grant, their one-off elderly grant is separate;
#: single adults and unaccompanied minors have had higher rates than adults and children since 2011).
FALLBACK_CATEGORY: dict[str, str] = {"elderly": "adult", "single_adult": "adult", "uam": "child"}


@dataclass(frozen=True, slots=True)
class SpecialGrant:
    """A special grant for one budget year; ``amount_nok`` None when unknown."""

    budget_year: int
    grant: SpecialGrantCode
    amount_nok: int | None
    max_years: int | None
    status: Status | None
    source: str | None
    note: str
    reason: str | None

    @property
    def known(self) -> bool:
        """Whether the amount is in the data."""
        return self.amount_nok is not None


def _check_category(category: str) -> IntegrationCategory:
    if category not in INTEGRATION_CATEGORIES:
        raise ValueError(
            f"unknown category {category!r}; use one of {', '.join(INTEGRATION_CATEGORIES)}"
        )
    return category  # type: ignore[return-value]


def _int(value: str, field: str, where: str, *, minimum: int = 0) -> int:
    try:
        number = int(value.strip())
    except ValueError:
        raise GrantDataError(f"{where}: {field} {value!r} is not a whole number") from None
    if number < minimum:
        raise GrantDataError(f"{where}: {field} {number} must be at least {minimum}")
    return number


def _choice[T: str](value: str, choices: tuple[T, ...], field: str, where: str) -> T:
    for choice in choices:
        if value.strip() == choice:
            return choice
    raise GrantDataError(f"{where}: {field} {value!r} is not one of {', '.join(choices)}")


def _read_csv(path: Path, required: tuple[str, ...]) -> list[tuple[str, dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise GrantDataError(f"{path.name}: missing column(s) {', '.join(missing)}")
        rows = []
        for row in reader:
            where = f"{path.name} line {reader.line_num}"
            if not row["source"].strip():
                raise GrantDataError(f"{where}: source is empty; every figure needs a source")
            rows.append((where, row))
    return rows


def read_integration_grant_csv(path: Path) -> list[GrantRow]:
    """Rows of an integration grant CSV (columns: budget_year, category,
    settlement_year_index (1–5 or "total"), amount_nok, status, source, note)."""
    rows = []
    for where, row in _read_csv(
        path,
        ("budget_year", "category", "settlement_year_index", "amount_nok", "status", "source"),
    ):
        index_text = row["settlement_year_index"].strip()
        index = None if index_text == "total" else _int(index_text, "settlement_year_index", where)
        if index is not None and not 1 <= index <= SETTLEMENT_YEARS:
            raise GrantDataError(f"{where}: settlement_year_index {index} must be 1–5 or 'total'")
        rows.append(
            GrantRow(
                budget_year=_int(row["budget_year"], "budget_year", where, minimum=1991),
                category=_choice(row["category"], INTEGRATION_CATEGORIES, "category", where),
                settlement_year_index=index,
                amount_nok=_int(row["amount_nok"], "amount_nok", where),
                status=_choice(row["status"], STATUSES, "status", where),
                source=row["source"].strip(),
                note=(row.get("note") or "").strip(),
            )
        )
    return rows


def read_special_grants_csv(path: Path) -> list[SpecialGrantRow]:
    """Rows of a special grants CSV (columns: budget_year, grant, amount_nok,
    max_years, status, source, note)."""
    rows = []
    for where, row in _read_csv(
        path, ("budget_year", "grant", "amount_nok", "max_years", "status", "source")
    ):
        max_years_text = row["max_years"].strip()
        rows.append(
            SpecialGrantRow(
                budget_year=_int(row["budget_year"], "budget_year", where, minimum=1991),
                grant=_choice(row["grant"], SPECIAL_GRANTS, "grant", where),
                amount_nok=_int(row["amount_nok"], "amount_nok", where),
                max_years=_int(max_years_text, "max_years", where, minimum=1)
                if max_years_text
                else None,
                status=_choice(row["status"], STATUSES, "status", where),
                source=row["source"].strip(),
                note=(row.get("note") or "").strip(),
            )
        )
    return rows


class GrantTable:
    """All known grant figures, by budget year. Build from rows or CSV files.

    Raises:
        GrantDataError: two rows for the same figure, or five yearly rates that
            do not add up to the stated total.
    """

    def __init__(
        self, rows: Iterable[GrantRow] = (), special: Iterable[SpecialGrantRow] = ()
    ) -> None:
        self._rows: dict[tuple[int, str, int | None], GrantRow] = {}
        for r in rows:
            key = (r.budget_year, r.category, r.settlement_year_index)
            if key in self._rows:
                raise GrantDataError(
                    f"two rows for budget year {r.budget_year}, category {r.category}, "
                    f"index {r.settlement_year_index or 'total'}"
                )
            self._rows[key] = r
        self._special: dict[tuple[int, str], SpecialGrantRow] = {}
        for s in special:
            if (s.budget_year, s.grant) in self._special:
                raise GrantDataError(f"two rows for special grant {s.grant} in {s.budget_year}")
            self._special[(s.budget_year, s.grant)] = s
        for year, category in {(k[0], k[1]) for k in self._rows}:
            schedule = self.schedule(year, category)
            total = self._rows.get((year, category, None))
            if total and schedule.yearly_known:
                yearly_sum = sum(v or 0 for v in schedule.yearly_nok)
                if yearly_sum != total.amount_nok:
                    raise GrantDataError(
                        f"budget year {year}, category {category}: yearly rates add up to "
                        f"{yearly_sum}, but the total row says {total.amount_nok}"
                    )

    @classmethod
    def from_csv(
        cls, integration_path: Path | str, special_path: Path | str | None = None
    ) -> GrantTable:
        """Read a table from an integration grant CSV and, optionally, a special grants CSV."""
        special = read_special_grants_csv(Path(special_path)) if special_path else []
        return cls(read_integration_grant_csv(Path(integration_path)), special)

    @classmethod
    def default(cls) -> GrantTable:
        """The table shipped with Bosetting (``engine/rules/data``)."""
        return _default_table()

    def budget_years(self) -> list[int]:
        """Budget years with at least one integration grant figure."""
        return sorted({k[0] for k in self._rows})

    def rate(self, budget_year: int, category: str, settlement_year_index: int) -> int | None:
        """Rate per person for one settlement-year index (1–5), or None when unknown."""
        _check_category(category)
        if not 1 <= settlement_year_index <= SETTLEMENT_YEARS:
            raise ValueError("settlement_year_index must be 1–5")
        row = self._rows.get((budget_year, category, settlement_year_index))
        return None if row is None else row.amount_nok

    def total_basis(self, budget_year: int, category: str) -> tuple[int, int, str, str] | None:
        """``(year, total, category, source)`` of the five-year total an assumption for
        ``budget_year`` rests on: that year's own total, else the latest earlier year's; for a
        category with no total at all, its :data:`FALLBACK_CATEGORY`'s (a lower bound). None when
        there is none."""
        cat = _check_category(category)
        for candidate in (cat, FALLBACK_CATEGORY.get(cat)):
            if candidate is None:
                continue
            for year in sorted((y for y in self.budget_years() if y <= budget_year), reverse=True):
                schedule = self.schedule(year, candidate)
                if schedule.total_nok is not None:
                    return year, schedule.total_nok, candidate, "; ".join(schedule.sources)
        return None

    def assumed_rate(
        self, budget_year: int, category: str, settlement_year_index: int, *, assume: bool = True
    ) -> Rate:
        """The published rate when it is in the data; otherwise, when ``assume``, the stated
        assumption (:data:`EVEN_SPLIT` of :meth:`total_basis`), marked ``assumed``; otherwise (or
        when no total is known at all) an unknown rate."""
        published = self.rate(budget_year, category, settlement_year_index)
        if published is not None:
            row = self._rows[(budget_year, category, settlement_year_index)]
            return Rate(published, basis_year=budget_year, source=row.source)
        basis = self.total_basis(budget_year, category) if assume else None
        if basis is None:
            return Rate(None)
        year, total_nok, basis_category, source = basis
        return Rate(
            round(total_nok / SETTLEMENT_YEARS),
            assumed=True,
            basis_year=year,
            basis_total_nok=total_nok,
            basis_category=basis_category,
            source=source,
        )

    def schedule(self, budget_year: int, category: str) -> GrantSchedule:
        """The five yearly rates and the total for one budget year and category."""
        cat = _check_category(category)
        yearly_rows = [
            self._rows.get((budget_year, cat, i)) for i in range(1, SETTLEMENT_YEARS + 1)
        ]
        total_row = self._rows.get((budget_year, cat, None))
        yearly = tuple(None if r is None else r.amount_nok for r in yearly_rows)
        used = [r for r in [*yearly_rows, total_row] if r is not None]
        if total_row is not None:
            total: int | None = total_row.amount_nok
        elif all(v is not None for v in yearly):
            total = sum(v for v in yearly if v is not None)
        else:
            total = None

        if not used:
            reason: str | None = (
                f"No integration grant figures for budget year {budget_year}, category "
                f"{cat} in the data. {UNKNOWN_HINT}"
            )
        elif all(v is None for v in yearly):
            reason = (
                "Only the five-year total is in the data; the rate per settlement year "
                f"is not. {UNKNOWN_HINT}"
            )
        elif total is None or None in yearly:
            missing = [str(i + 1) for i, v in enumerate(yearly) if v is None]
            reason = f"Rates for settlement year(s) {', '.join(missing)} are not in the data."
        else:
            reason = None
        status: Status | None = None
        if used:
            status = "proposed" if any(r.status == "proposed" for r in used) else "in_force"
        return GrantSchedule(
            budget_year=budget_year,
            category=cat,
            yearly_nok=yearly,
            total_nok=total,
            status=status,
            sources=tuple(dict.fromkeys(r.source for r in used)),
            reason=reason,
        )

    def total(self, budget_year: int, category: str) -> int | None:
        """Five-year total per person, or None when unknown."""
        return self.schedule(budget_year, category).total_nok

    def special_grant(self, budget_year: int, grant: str) -> SpecialGrant:
        """A special grant for one budget year; unknown ones come back with ``known`` False."""
        if grant not in SPECIAL_GRANTS:
            raise ValueError(
                f"unknown special grant {grant!r}; use one of {', '.join(SPECIAL_GRANTS)}"
            )
        row = self._special.get((budget_year, grant))
        if row is None:
            return SpecialGrant(
                budget_year=budget_year,
                grant=grant,  # type: ignore[arg-type]
                amount_nok=None,
                max_years=None,
                status=None,
                source=None,
                note="",
                reason=f"No figure for {grant} in budget year {budget_year} in the data. {UNKNOWN_HINT}",
            )
        return SpecialGrant(
            budget_year=row.budget_year,
            grant=row.grant,
            amount_nok=row.amount_nok,
            max_years=row.max_years,
            status=row.status,
            source=row.source,
            note=row.note,
            reason=None,
        )

    def integration_grant_projection(
        self,
        settlements: Iterable[tuple[dt.date, str]],
        start_year: int,
        years: int = SETTLEMENT_YEARS,
    ) -> dict[int, int | None]:
        """Integration grant income per calendar year for a set of settled persons.

        Args:
            settlements: One ``(settled_date, category)`` per settled person.
            start_year: First calendar year of the projection.
            years: Number of calendar years.

        Returns:
            ``{year: kroner}`` for ``start_year .. start_year + years - 1``. In
            year Y a person settled in year S is paid the budget-year-Y rate for
            settlement-year index ``Y - S + 1`` when that is 1–5. A year is None
            when any rate it needs is unknown, and 0 when nobody is in their
            first five years.
        """
        if years < 1:
            raise ValueError("years must be >= 1")
        people = [(d.year, _check_category(c)) for d, c in settlements]
        projection: dict[int, int | None] = {}
        for year in range(start_year, start_year + years):
            amount: int | None = 0
            for settled_year, category in people:
                index = year - settled_year + 1
                if not 1 <= index <= SETTLEMENT_YEARS:
                    continue
                rate = self.rate(year, category, index)
                if rate is None:
                    amount = None
                    break
                amount = (amount or 0) + rate
            projection[year] = amount
        return projection


@cache
def _default_table() -> GrantTable:
    return GrantTable.from_csv(INTEGRATION_GRANT_CSV, SPECIAL_GRANTS_CSV)


def schedule(budget_year: int, category: str, table: GrantTable | None = None) -> GrantSchedule:
    """:meth:`GrantTable.schedule` on ``table`` (default: the shipped data)."""
    return (table or GrantTable.default()).schedule(budget_year, category)


def total(budget_year: int, category: str, table: GrantTable | None = None) -> int | None:
    """Five-year integration grant per person; ``total(2014, "adult") == 669600``; None when unknown."""
    return (table or GrantTable.default()).total(budget_year, category)


def rate(
    budget_year: int, category: str, settlement_year_index: int, table: GrantTable | None = None
) -> int | None:
    """:meth:`GrantTable.rate` on ``table`` (default: the shipped data)."""
    return (table or GrantTable.default()).rate(budget_year, category, settlement_year_index)


def special_grant(budget_year: int, grant: str, table: GrantTable | None = None) -> SpecialGrant:
    """:meth:`GrantTable.special_grant` on ``table`` (default: the shipped data)."""
    return (table or GrantTable.default()).special_grant(budget_year, grant)


def integration_grant_projection(
    settlements: Iterable[tuple[dt.date, str]],
    start_year: int,
    years: int = SETTLEMENT_YEARS,
    *,
    table: GrantTable | None = None,
) -> dict[int, int | None]:
    """:meth:`GrantTable.integration_grant_projection` on ``table`` (default: the shipped data)."""
    return (table or GrantTable.default()).integration_grant_projection(
        settlements, start_year, years
    )
