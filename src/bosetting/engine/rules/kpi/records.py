"""Plain input records for the KPI definitions, and their column form.

The Django apps, the CSV importers and the policy simulator all hand the KPI
functions the same plain records, so a KPI means one thing everywhere. For
speed the case functions work on :class:`CaseArrays` (one numpy column per
field); a list of :class:`CaseRecord` is turned into that form on the way in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, fields
from typing import Literal, get_args

import numpy as np
import numpy.typing as npt

HouseholdType = Literal["single", "family_children", "family_no_children", "uam"]
#: Household types in their code order (the code is the index in this tuple).
HOUSEHOLD_TYPES: tuple[HouseholdType, ...] = get_args(HouseholdType)

#: Date fields of a case, in the order of the settlement process.
CASE_DATE_FIELDS: tuple[str, ...] = (
    "case_opened",
    "permit_date",
    "notified",
    "interview",
    "ready",
    "proposed",
    "accepted",
    "settled",
)


@dataclass(frozen=True, slots=True)
class CaseRecord:
    """One settlement case: a household on its way to a municipality ("bosettingssak").

    Attributes:
        case_id: Stable identifier of the case.
        municipality: Municipality number ("0301") it was settled in or proposed
            to, or None when there is none yet.
        household_type: "single" (enslig voksen), "family_children" (barnefamilie),
            "family_no_children" (familie uten barn) or "uam" (enslig mindreårig).
        persons: Number of persons in the household; every KPI counts persons
            unless it says households.
        case_opened: Case creation ("saksopprettelse").
        permit_date: Residence permit ("vedtak om opphold").
        notified: Formal notification of the permit ("forkynnelse").
        interview: Settlement interview ("bosettingssamtale").
        ready: Settlement-ready ("bosettingsklar").
        proposed: Proposed to a municipality ("utsøkt / forespørsel").
        accepted: Accepted by the municipality ("avtale om bosetting").
        settled: Moved in ("bosatt").
        self_settled: Settled on own initiative ("selvbosetting").
    """

    case_id: str
    municipality: str | None
    household_type: HouseholdType
    persons: int
    case_opened: dt.date | None = None
    permit_date: dt.date | None = None
    notified: dt.date | None = None
    interview: dt.date | None = None
    ready: dt.date | None = None
    proposed: dt.date | None = None
    accepted: dt.date | None = None
    settled: dt.date | None = None
    self_settled: bool = False

    def __post_init__(self) -> None:
        if self.household_type not in HOUSEHOLD_TYPES:
            raise ValueError(
                f"case {self.case_id}: household_type {self.household_type!r} is not one of "
                f"{', '.join(HOUSEHOLD_TYPES)}"
            )
        if isinstance(self.persons, bool) or not isinstance(self.persons, int) or self.persons < 1:
            raise ValueError(f"case {self.case_id}: persons must be a whole number >= 1")
        for name in CASE_DATE_FIELDS:
            value = getattr(self, name)
            if value is not None and (
                not isinstance(value, dt.date) or isinstance(value, dt.datetime)
            ):
                raise ValueError(f"case {self.case_id}: {name} must be a date or None")


@dataclass(frozen=True, slots=True)
class RequestRecord:
    """IMDi's request to a municipality for one year ("anmodning").

    Attributes:
        municipality: Municipality number.
        year: The settlement year the request is for.
        requested: Persons requested. Several records for the same municipality
            and year (e.g. a supplementary request, "tilleggsanmodning") are added.
    """

    municipality: str
    year: int
    requested: int

    def __post_init__(self) -> None:
        if self.requested < 0:
            raise ValueError(f"request {self.municipality}/{self.year}: requested must be >= 0")


@dataclass(frozen=True, slots=True)
class DecisionRecord:
    """A municipal council decision on settlement for one year ("vedtak om bosetting").

    Attributes:
        municipality: Municipality number.
        year: The settlement year the decision is for.
        decided: Persons the council decided to settle; 0 = decided to settle
            none; None = no decision registered.
    """

    municipality: str
    year: int
    decided: int | None

    def __post_init__(self) -> None:
        if self.decided is not None and self.decided < 0:
            raise ValueError(f"decision {self.municipality}/{self.year}: decided must be >= 0")


@dataclass(frozen=True, slots=True)
class DeclineRecord:
    """A municipality declining a proposed case ("avslag på forespørsel").

    Attributes:
        municipality: Municipality number.
        date: Day of the decline.
        reason_code: Free code for the reason (e.g. "housing", "capacity").
    """

    municipality: str
    date: dt.date
    reason_code: str


_DateArray = npt.NDArray[np.datetime64]
_UNIX_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
_MISSING = np.iinfo(np.int64).min


def _date_column(values: Sequence[dt.date | None]) -> _DateArray:
    """``datetime64[D]`` column from dates and Nones (via ordinals: much faster than numpy's own)."""
    ordinals = np.fromiter(
        (_MISSING if v is None else v.toordinal() - _UNIX_EPOCH_ORDINAL for v in values),
        dtype=np.int64,
        count=len(values),
    )
    column = ordinals.astype("datetime64[D]")
    column[ordinals == _MISSING] = np.datetime64("NaT", "D")
    return column


@dataclass(frozen=True)
class CaseArrays:
    """Cases as columns: one numpy array per :class:`CaseRecord` field.

    Dates are ``datetime64[D]`` with NaT for a missing date; ``household`` holds
    the index into :data:`HOUSEHOLD_TYPES`; ``municipality`` is an object array
    of municipality numbers (None where unknown). Build it once with
    :meth:`from_records` (or directly from columns, as the simulator does) and
    pass it to every KPI function to avoid converting again.
    """

    case_id: npt.NDArray[np.object_]
    municipality: npt.NDArray[np.object_]
    household: npt.NDArray[np.int8]
    persons: npt.NDArray[np.int64]
    case_opened: _DateArray
    permit_date: _DateArray
    notified: _DateArray
    interview: _DateArray
    ready: _DateArray
    proposed: _DateArray
    accepted: _DateArray
    settled: _DateArray
    self_settled: npt.NDArray[np.bool_]

    def __post_init__(self) -> None:
        n = len(self.case_id)
        for f in fields(self):
            column = getattr(self, f.name)
            if len(column) != n:
                raise ValueError(f"column {f.name} has {len(column)} rows, expected {n}")
        for name in CASE_DATE_FIELDS:
            if getattr(self, name).dtype != np.dtype("datetime64[D]"):
                raise ValueError(f"column {name} must have dtype datetime64[D]")
        if n and (self.persons.min() < 1):
            raise ValueError("column persons must be >= 1 in every row")
        if n and (self.household.min() < 0 or self.household.max() >= len(HOUSEHOLD_TYPES)):
            raise ValueError("column household holds a code outside HOUSEHOLD_TYPES")

    @classmethod
    def from_records(cls, records: Iterable[CaseRecord]) -> CaseArrays:
        """Column form of a sequence of :class:`CaseRecord`."""
        rows = list(records)
        code = {name: i for i, name in enumerate(HOUSEHOLD_TYPES)}
        dates = {name: _date_column([getattr(r, name) for r in rows]) for name in CASE_DATE_FIELDS}
        return cls(
            case_id=np.array([r.case_id for r in rows], dtype=object),
            municipality=np.array([r.municipality for r in rows], dtype=object),
            household=np.array([code[r.household_type] for r in rows], dtype=np.int8),
            persons=np.array([r.persons for r in rows], dtype=np.int64),
            self_settled=np.array([r.self_settled for r in rows], dtype=bool),
            **dates,
        )

    def __len__(self) -> int:
        return len(self.case_id)

    def subset(self, mask: npt.NDArray[np.bool_]) -> CaseArrays:
        """The rows where ``mask`` is True."""
        return CaseArrays(**{f.name: getattr(self, f.name)[mask] for f in fields(self)})

    def household_mask(self, household_types: Collection[str]) -> npt.NDArray[np.bool_]:
        """Rows whose household type is one of ``household_types``."""
        unknown = set(household_types) - set(HOUSEHOLD_TYPES)
        if unknown:
            raise ValueError(f"unknown household type(s): {', '.join(sorted(unknown))}")
        codes = [HOUSEHOLD_TYPES.index(h) for h in household_types]  # type: ignore[arg-type]
        return np.isin(self.household, codes)

    def date_span(self) -> tuple[dt.date, dt.date] | None:
        """Earliest and latest date of any event in the data, or None if there is none."""
        stacked = np.concatenate([getattr(self, name) for name in CASE_DATE_FIELDS])
        stacked = stacked[~np.isnat(stacked)]
        if stacked.size == 0:
            return None
        return stacked.min().item(), stacked.max().item()


#: What every case KPI accepts: records, or their column form.
Cases = Sequence[CaseRecord] | CaseArrays


def as_case_arrays(cases: Cases) -> CaseArrays:
    """Column form of ``cases`` (returned as is when it already is)."""
    if isinstance(cases, CaseArrays):
        return cases
    return CaseArrays.from_records(cases)


def filter_by_municipalities[R: (CaseRecord, RequestRecord, DecisionRecord, DeclineRecord)](
    records: Iterable[R], municipalities: Collection[str]
) -> list[R]:
    """Keep the records whose municipality is in ``municipalities``.

    This is how an area (a county, a region, the six case municipalities) is
    selected: the caller filters, and passes the subset to any KPI. Records
    with no municipality are dropped.
    """
    wanted = frozenset(municipalities)
    return [r for r in records if r.municipality in wanted]


def filter_case_arrays(cases: Cases, municipalities: Collection[str]) -> CaseArrays:
    """:func:`filter_by_municipalities` for cases, in column form."""
    arrays = as_case_arrays(cases)
    wanted = frozenset(municipalities)
    mask = np.fromiter((m in wanted for m in arrays.municipality), dtype=bool, count=len(arrays))
    return arrays.subset(mask)
