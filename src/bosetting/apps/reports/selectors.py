"""Reads for the reports: database rows -> the KPI engine's records, scoped by user and area.

Every KPI is defined once, in :mod:`bosetting.engine.rules.kpi`; this module only fetches rows fast
(``values_list``, no model instances: 50,000 cases load in a fraction of a second) and hands them to
the engine.

Area of a case. A settled or proposed case belongs to ``Household.municipality``; a case still
waiting in reception with no municipality yet belongs to the municipality of its reception centre.
So the national queue is everybody, and a county's queue is the settlement-ready persons in reception
centres in that county plus those already proposed to or agreed with its municipalities.

Persons. Every KPI counts persons: a household's size is its number of ``Person`` rows (at least 1,
because a case always has a principal even when the members are not registered yet).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass

import numpy as np
from django.core.exceptions import EmptyResultSet, PermissionDenied
from django.db import connections
from django.db.models import Count, Func, IntegerField, Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from bosetting.apps.accounts.selectors import Scope, scope_for
from bosetting.engine.rules import kpi
from bosetting.engine.rules.kpi import CaseArrays, DecisionRecord, DeclineRecord, RequestRecord

#: Municipal structure used for a settlement year: 2014 (428 municipalities) up to 2019, and the
#: 2024 structure (357) from 2020 (the 2020–2023 structure with 356 is not in the reference data).
STRUCTURE_CHANGE_YEAR = 2020

#: Date columns of a case in the engine's order, with the model field each comes from.
_DATE_FIELDS: tuple[tuple[str, str], ...] = (
    ("case_opened", "case_opened"),
    ("permit_date", "permit_date"),
    ("notified", "notified_on"),
    ("interview", "interview_on"),
    ("ready", "ready_on"),
    ("proposed", "proposed_on"),
    ("accepted", "accepted_on"),
    ("settled", "settled_on"),
)

AREA_KINDS = ("national", "county", "region", "municipality")


def structure_year_for(year: int) -> int:
    """The municipal structure (2014 or 2024) whose municipalities a settlement year is counted in."""
    return 2014 if year < STRUCTURE_CHANGE_YEAR else 2024


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
        from bosetting.apps.geo.models import County, Municipality, RegionalOffice

        if self.kind == "national":
            return str(_("Hele landet"))
        if self.kind == "county":
            county = County.objects.filter(structure_year=2014, number=self.code).first()
            return f"{county.number} {county.name}" if county else str(self.code)
        if self.kind == "region":
            office = RegionalOffice.objects.filter(code=self.code).first()
            return office.name if office else str(self.code)
        muni = Municipality.objects.filter(structure_year=2014, number=self.code).first()
        return f"{muni.number} {muni.name}" if muni else str(self.code)


def area_numbers(area: Area) -> frozenset[str] | None:
    """Municipality numbers (2014 structure) of an area; None for the whole country.

    Raises:
        ValueError: the county, office or municipality does not exist.
    """
    from bosetting.apps.geo.models import Municipality, RegionalOffice
    from bosetting.apps.geo.selectors import municipality_numbers_for_office

    if area.kind == "national":
        return None
    if area.kind == "county":
        numbers = frozenset(
            Municipality.objects.filter(structure_year=2014, county__number=area.code).values_list(
                "number", flat=True
            )
        )
    elif area.kind == "region":
        office = RegionalOffice.objects.filter(code=area.code).first()
        if office is None:
            raise ValueError(f"area: no regional office with code {area.code!r}")
        numbers = frozenset(municipality_numbers_for_office(office))
    else:
        numbers = frozenset(
            Municipality.objects.filter(structure_year=2014, number=area.code).values_list(
                "number", flat=True
            )
        )
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


class EpochDays(Func):
    """A date column as whole days since 1970-01-01 (NULL stays NULL), computed by the database.

    Integers cross the driver far faster than dates, and numpy turns them into ``datetime64[D]``
    without parsing. Standard SQL date subtraction (PostgreSQL); SQLite stores dates as ISO text
    and counts with ``julianday``.
    """

    template = "(%(expressions)s - DATE '1970-01-01')"
    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) - 2440587.5 AS INTEGER)",
            **extra_context,
        )


_NAT = np.iinfo(np.int64).min
#: Day number standing for a missing date in the query (far outside any real date).
_MISSING_DAY = -99_999_999


def _date_column(values: list[int]) -> np.ndarray:
    """Days since the epoch (``_MISSING_DAY`` for missing) -> ``datetime64[D]`` with NaT."""
    column = np.array(values, dtype=np.int64)
    column[column == _MISSING_DAY] = _NAT
    return column.view("datetime64[D]")


def case_arrays(numbers: Collection[str] | None = None) -> CaseArrays:
    """All cases in the municipalities ``numbers`` (None = all), in the engine's column form.

    One query for the cases (dates as day numbers, no joins), one grouped count of persons, and two
    small lookups (municipality and reception centre -> municipality number).
    """
    from bosetting.apps.cases.models import Household, Person
    from bosetting.apps.geo.models import Municipality, ReceptionCentre

    qs = Household.objects.all()
    if numbers is not None:
        numbers = list(numbers)
        qs = qs.filter(
            Q(municipality__number__in=numbers)
            | Q(municipality__isnull=True, reception_centre__municipality__number__in=numbers)
        )
    date_annotations = {
        f"d_{name}": Coalesce(EpochDays(field), Value(_MISSING_DAY)) for name, field in _DATE_FIELDS
    }
    query = (
        qs.order_by()
        .annotate(**date_annotations)
        .values_list(
            "id",
            "reference",
            "municipality_id",
            "reception_centre_id",
            "household_type",
            "self_settled",
            *date_annotations,
        )
    )
    # The ORM builds (and scopes) the query; the rows are fetched as the driver gives them, which
    # skips Django's per-cell converters (a third of the time on 50,000 cases).
    try:
        sql, params = query.query.sql_with_params()
    except EmptyResultSet:  # an empty area: no query to run
        rows = []
    else:
        with connections[query.db].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
    sizes = dict(
        Person.objects.order_by()
        .values("household_id")
        .annotate(n=Count("id"))
        .values_list("household_id", "n")
    )
    muni_number = dict(Municipality.objects.values_list("id", "number"))
    centre_number = dict(ReceptionCentre.objects.values_list("id", "municipality__number"))
    n_fixed = 6
    if not rows:
        columns: list[list] = [[] for _ in range(n_fixed + len(_DATE_FIELDS))]
    else:
        columns = [list(c) for c in zip(*rows, strict=True)]
    ids, refs, muni_ids, centre_ids, types, self_settled = columns[:n_fixed]
    code = {name: i for i, name in enumerate(kpi.HOUSEHOLD_TYPES)}
    return CaseArrays(
        case_id=np.array(refs, dtype=object),
        municipality=np.array(
            [
                muni_number[m] if m is not None else centre_number.get(c)
                for m, c in zip(muni_ids, centre_ids, strict=True)
            ],
            dtype=object,
        ),
        household=np.array([code.get(t, 0) for t in types], dtype=np.int8),
        persons=np.array([max(1, sizes.get(i, 1)) for i in ids], dtype=np.int64),
        self_settled=np.array(self_settled, dtype=bool),
        **{
            name: _date_column(columns[n_fixed + i])
            for i, (name, _field) in enumerate(_DATE_FIELDS)
        },
    )


def _numbers_by_structure(numbers: Collection[str] | None, structure_year: int) -> list[str] | None:
    """The 2014-structure ``numbers`` expressed in ``structure_year`` (2024 through successor numbers)."""
    from bosetting.apps.geo.models import Municipality

    if numbers is None or structure_year == 2014:
        return None if numbers is None else list(numbers)
    return list(
        Municipality.objects.filter(structure_year=2014, number__in=list(numbers))
        .exclude(successor_number="")
        .values_list("successor_number", flat=True)
        .distinct()
    )


def request_records(
    numbers: Collection[str] | None = None, structure_year: int = 2014
) -> list[RequestRecord]:
    """IMDi's requests ("anmodninger") for municipalities of one structure, as engine records."""
    from bosetting.apps.planning.models import SettlementRequest

    qs = SettlementRequest.objects.filter(municipality__structure_year=structure_year)
    wanted = _numbers_by_structure(numbers, structure_year)
    if wanted is not None:
        qs = qs.filter(municipality__number__in=wanted)
    return [
        RequestRecord(number, year, persons)
        for number, year, persons in qs.order_by().values_list(
            "municipality__number", "year", "persons"
        )
    ]


def decision_records(
    numbers: Collection[str] | None = None, structure_year: int = 2014
) -> list[DecisionRecord]:
    """Council decisions ("vedtak") as engine records; a municipality with no row has no decision."""
    from bosetting.apps.planning.models import CouncilDecision

    qs = CouncilDecision.objects.filter(municipality__structure_year=structure_year)
    wanted = _numbers_by_structure(numbers, structure_year)
    if wanted is not None:
        qs = qs.filter(municipality__number__in=wanted)
    return [
        DecisionRecord(number, year, persons)
        for number, year, persons in qs.order_by().values_list(
            "municipality__number", "year", "persons"
        )
    ]


def universe(numbers: Collection[str] | None, structure_year: int) -> list[str]:
    """Every municipality of ``structure_year`` in the area (Table 2.4's denominator)."""
    from bosetting.apps.geo.models import Municipality

    qs = Municipality.objects.filter(structure_year=structure_year)
    wanted = _numbers_by_structure(numbers, structure_year)
    if wanted is not None:
        qs = qs.filter(number__in=wanted)
    return list(qs.values_list("number", flat=True))


def decline_records(numbers: Collection[str] | None = None) -> list[DeclineRecord]:
    """Declined proposals ("avslag") with their reason, dated by the decline (or when it was sent)."""
    from bosetting.apps.matching.models import Proposal

    qs = Proposal.objects.filter(status=Proposal.Status.DECLINED)
    if numbers is not None:
        qs = qs.filter(municipality__number__in=list(numbers))
    records = []
    for number, decided_on, sent_on, as_of, reason in qs.order_by().values_list(
        "municipality__number", "decided_on", "sent_on", "round__as_of", "decline_reason"
    ):
        records.append(DeclineRecord(number, decided_on or sent_on or as_of, reason or "other"))
    return records


def population(numbers: Collection[str] | None, year: int) -> dict[str, int]:
    """Population on 1 January of ``year`` per municipality (2014 structure) in the area."""
    from bosetting.apps.geo.models import MunicipalityYearStat

    qs = MunicipalityYearStat.objects.filter(
        municipality__structure_year=2014, year=year, population__isnull=False
    )
    if numbers is not None:
        qs = qs.filter(municipality__number__in=list(numbers))
    return dict(qs.values_list("municipality__number", "population"))


def latest_population_year(year: int) -> int | None:
    """The latest year up to ``year`` with population figures (falls back to the earliest after)."""
    from bosetting.apps.geo.models import MunicipalityYearStat

    years = sorted(
        set(
            MunicipalityYearStat.objects.filter(population__isnull=False).values_list(
                "year", flat=True
            )
        )
    )
    if not years:
        return None
    before = [y for y in years if y <= year]
    return before[-1] if before else years[0]


def municipality_names(numbers: Iterable[str] | None = None) -> dict[str, str]:
    """Number -> name for municipalities of the 2014 structure."""
    from bosetting.apps.geo.models import Municipality

    qs = Municipality.objects.filter(structure_year=2014)
    if numbers is not None:
        qs = qs.filter(number__in=list(numbers))
    return dict(qs.values_list("number", "name"))


def data_span(arrays: CaseArrays) -> tuple[dt.date, dt.date] | None:
    """Earliest and latest case date in the data."""
    return arrays.date_span()
