"""Where the reports' figures come from: areas, the user's scope, and the other apps' rows as the KPI
engine's records (internal to the reports app; other code uses ``reports.selectors``).

Every KPI is defined once, in :mod:`bosetting.engine.rules.kpi`. The rows are read through the
owning apps' selectors (``cases.selectors.case_arrays``, ``planning.selectors.request_records`` …),
which fetch them fast (``values_list``, no model instances: 50,000 cases load in a fraction of a
second); this module picks the municipalities of an area, in the structure a year belongs to, and
cuts them down to what the user may see.

Areas are given in the 2014 structure's municipality numbers (those of the cases and of the users'
profiles); a year counted in the 2024 structure reads its requests, decisions and municipalities
through the 2024 numbers those municipalities became.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from bosetting.apps.accounts.selectors import Scope, scope_for
from bosetting.apps.cases.selectors import case_arrays as _case_arrays
from bosetting.apps.geo import selectors as geo
from bosetting.apps.matching.selectors import decline_records as _decline_records
from bosetting.apps.planning import selectors as planning
from bosetting.engine.rules.kpi import CaseArrays, DecisionRecord, DeclineRecord, RequestRecord
from bosetting.reference.structure import STRUCTURE_2014, structure_year_for

#: The structure whose municipality numbers an area is given in.
AREA_STRUCTURE = STRUCTURE_2014

AREA_KINDS = ("national", "county", "region", "municipality")


@dataclass(frozen=True)
class Area:
    """An area a report covers ("område"): the country, a county, a regional office or a municipality.

    Attributes:
        kind: "national", "county", "region" (an IMDi or Husbanken regional office) or "municipality".
        code: County number ("12"), office code ("imdi-vest") or municipality number ("1201");
            None for national.
    """

    kind: str = "national"
    code: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in AREA_KINDS:
            raise ValueError(f"area: unknown kind {self.kind!r} (use {', '.join(AREA_KINDS)})")
        if (self.kind == "national") != (self.code is None):
            raise ValueError(
                f"area: {self.kind} needs {'no code' if self.code is None else 'a code'}"
            )

    @classmethod
    def parse(cls, text: str | None) -> Area:
        """``"national"``, ``"county:12"``, ``"region:imdi-vest"`` or ``"municipality:1201"``
        (a bare four-digit number is a municipality, a bare two-digit number a county)."""
        text = (text or "national").strip()
        if text in ("", "national", "nasjonal"):
            return cls()
        if ":" in text:
            kind, code = text.split(":", 1)
            return cls(kind.strip(), code.strip())
        if text.isdigit() and len(text) == 4:
            return cls("municipality", text)
        if text.isdigit() and len(text) == 2:
            return cls("county", text)
        return cls("region", text)

    def __str__(self) -> str:
        return "national" if self.code is None else f"{self.kind}:{self.code}"

    def label(self) -> str:
        """A human name for the area (bokmål)."""
        if self.kind == "national":
            return str(_("Hele landet"))
        if self.kind == "county":
            county = geo.county_or_none(self.code, AREA_STRUCTURE)
            return f"{county.number} {county.name}" if county else str(self.code)
        if self.kind == "region":
            office = geo.office_by_code(self.code)
            return office.name if office else str(self.code)
        muni = geo.municipality_or_none(self.code, AREA_STRUCTURE)
        return f"{muni.number} {muni.name}" if muni else str(self.code)


def area_numbers(area: Area) -> frozenset[str] | None:
    """Municipality numbers (2014 structure) of an area; None for the whole country.

    Raises:
        ValueError: the county, office or municipality does not exist.
    """
    if area.kind == "national":
        return None
    if area.kind == "county":
        numbers = frozenset(geo.municipality_numbers(AREA_STRUCTURE, county_number=area.code))
    elif area.kind == "region":
        office = geo.office_by_code(area.code)
        if office is None:
            raise ValueError(f"area: no regional office with code {area.code!r}")
        numbers = frozenset(geo.municipality_numbers_for_office(office))
    else:
        numbers = frozenset(geo.municipality_numbers(AREA_STRUCTURE, numbers=[area.code]))
    if not numbers:
        raise ValueError(f"area: no municipalities in {area}")
    return numbers


def scoped_numbers(user, area: Area | None = None) -> frozenset[str] | None:
    """The municipalities a user's report covers: the area cut down to the user's scope.

    Dashboards and tables are aggregates, which every role may see within its scope.

    Raises:
        PermissionDenied: the user may see no aggregates (anonymous, no profile).
    """
    scope: Scope = scope_for(user)
    if not scope.aggregates or scope.role is None:
        raise PermissionDenied("no access to reports")
    wanted = area_numbers(area or Area())
    if scope.municipality_numbers is None:
        return wanted
    if wanted is None:
        return scope.municipality_numbers
    return wanted & scope.municipality_numbers


def default_area(user) -> Area:
    """The area a user's dashboard opens on: the country, or the user's own region/county/municipality."""
    profile = getattr(user, "profile", None)
    scope = scope_for(user)
    if scope.municipality_numbers is None or profile is None:
        return Area()
    if profile.municipality_id:
        return Area("municipality", profile.municipality.number)
    if profile.county_id:
        return Area("county", profile.county.number)
    if profile.office_id:
        return Area("region", profile.office.code)
    return Area()


# ---------------------------------------------------------------------------------------------
# Rows -> records


def case_arrays(numbers: Collection[str] | None = None) -> CaseArrays:
    """All cases in the municipalities ``numbers`` (None = all), in the engine's column form."""
    return _case_arrays(numbers)


def _numbers_by_structure(numbers: Collection[str] | None, structure_year: int) -> list[str] | None:
    """The 2014-structure ``numbers`` expressed in ``structure_year`` (2024 through successor numbers)."""
    if numbers is None or structure_year == AREA_STRUCTURE:
        return None if numbers is None else list(numbers)
    return geo.successor_numbers(numbers)


def request_records(
    numbers: Collection[str] | None = None, structure_year: int = AREA_STRUCTURE
) -> list[RequestRecord]:
    """IMDi's requests ("anmodninger") for municipalities of one structure, as engine records."""
    return planning.request_records(structure_year, _numbers_by_structure(numbers, structure_year))


def decision_records(
    numbers: Collection[str] | None = None, structure_year: int = AREA_STRUCTURE
) -> list[DecisionRecord]:
    """Council decisions ("vedtak") as engine records; a municipality with no row has no decision."""
    return planning.decision_records(structure_year, _numbers_by_structure(numbers, structure_year))


def universe(numbers: Collection[str] | None, structure_year: int) -> list[str]:
    """Every municipality of ``structure_year`` in the area (Table 2.4's denominator)."""
    return geo.municipality_numbers(structure_year, _numbers_by_structure(numbers, structure_year))


def decline_records(numbers: Collection[str] | None = None) -> list[DeclineRecord]:
    """Declined proposals ("avslag") with their reason, dated by the decline (or when it was sent)."""
    return _decline_records(numbers)


def population(numbers: Collection[str] | None, year: int) -> dict[str, int]:
    """Population on 1 January of ``year`` per municipality (2014 structure) in the area."""
    return geo.population_by_number(year, numbers, AREA_STRUCTURE)


def latest_population_year(year: int) -> int | None:
    """The latest year up to ``year`` with population figures (falls back to the earliest after)."""
    years = geo.population_years()
    if not years:
        return None
    before = [y for y in years if y <= year]
    return before[-1] if before else years[0]


def municipality_names(numbers: Iterable[str] | None = None) -> dict[str, str]:
    """Number -> name for municipalities of the 2014 structure."""
    return geo.municipality_names(numbers, AREA_STRUCTURE)


@dataclass(frozen=True)
class ForecastFigures:
    """The forecast of persons settled this year in an area (the dashboard's card)."""

    year: int
    as_of: date
    settled: float
    p10: float
    p90: float
    settled_so_far: int
    months_done: float


def forecast(numbers: Collection[str] | None, today: date) -> ForecastFigures | None:
    """The planning forecast for ``today``'s year summed over the area's municipalities (in the
    2014 structure's numbers; a year of another structure is summed nationally only), or None when
    no earlier year can train the model."""
    try:
        result = planning.forecast_year(today.year, today)
    except ValueError:
        return None
    wanted = _numbers_by_structure(numbers, structure_year_for(today.year))
    keep = None if wanted is None else set(wanted)
    rows = [r for r in result.rows if keep is None or r.number in keep]
    p10, p90 = result.band(keep)
    return ForecastFigures(
        year=result.year,
        as_of=result.as_of,
        settled=sum(r.settled for r in rows),
        p10=p10,
        p90=p90,
        settled_so_far=sum(r.settled_so_far for r in rows),
        months_done=result.months_done,
    )
