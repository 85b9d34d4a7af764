"""Housing gap analysis ("boliggap"): households to be settled by size against units by capacity.

Method (also in docs/housing.md), for a year Y and each municipality m:

1. Remaining decision capacity ``cap[m]`` = persons in m's council decision for Y, minus persons settled
   in m in Y, minus persons in households already proposed to, accepted by or preparing in m.
2. Households already assigned to m (proposed/accepted/preparing, not settled) count in full.
   A household's size band is its housing size: persons plus the family members it expects through
   reunification (the persons counted against capacity are only those who have arrived).
3. Waiting households (settlement-ready, not yet proposed) are shared out over all municipalities in
   proportion to ``cap``: m gets ``cap[m] / sum(cap)`` of every size band (fractions kept).
4. Expected households: the capacity the waiting do not fill, ``max(0, cap[m] - waiting persons[m])``,
   turned into households by the national household-size mix (households settled in Y-3..Y-1):
   ``persons x share[band] / mean household size``.
5. Units: those reported available by 31 December of Y and not let on the day they become available
   (or on 1 January, whichever is later), by ``max_occupants``; a shared unit gives one single-person
   place per free bed.
6. Size bands 1, 2, 3–4, 5+. A larger unit can take a smaller household, not the reverse, so the
   shortage is computed from the largest band down: spare large units fill smaller bands.
   ``missing[band]`` is what is left without a unit. Shortages are computed per municipality and then
   summed: a spare unit in one municipality does not house a family in another.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from bosetting.apps.cases.selectors import (
    pending_household_sizes,
    ready_household_sizes,
    settled_household_sizes,
    settled_persons_by_municipality,
)
from bosetting.apps.geo.selectors import municipalities
from bosetting.apps.housing.availability import available_within
from bosetting.apps.housing.choices import SIZE_BAND_LABELS, SIZE_BANDS, UnitKind, size_band
from bosetting.apps.housing.models import HousingUnit
from bosetting.apps.planning.selectors import decisions_in_year
from bosetting.reference.structure import structure_year_for

BANDS = SIZE_BANDS
BAND_LABELS = SIZE_BAND_LABELS


def _zero() -> dict[str, float]:
    return dict.fromkeys(BANDS, 0.0)


@dataclass
class MunicipalityGapInput:
    """What the method needs about one municipality."""

    number: str
    decided_persons: int = 0
    settled_persons: int = 0
    assigned: dict[str, float] = field(default_factory=_zero)
    assigned_persons: int = 0
    units: dict[str, float] = field(default_factory=_zero)

    @property
    def capacity_persons(self) -> int:
        return max(0, self.decided_persons - self.settled_persons - self.assigned_persons)


@dataclass
class GapRow:
    """One municipality's (or one area's) gap by band."""

    assigned: dict[str, float]
    waiting: dict[str, float]
    expected: dict[str, float]
    units: dict[str, float]
    missing: dict[str, float]
    capacity_persons: float = 0.0

    @property
    def demand(self) -> dict[str, float]:
        return {b: self.assigned[b] + self.waiting[b] + self.expected[b] for b in BANDS}

    def add(self, other: GapRow) -> None:
        for name in ("assigned", "waiting", "expected", "units", "missing"):
            mine, theirs = getattr(self, name), getattr(other, name)
            for b in BANDS:
                mine[b] += theirs[b]
        self.capacity_persons += other.capacity_persons


def shortage(demand: Mapping[str, float], units: Mapping[str, float]) -> dict[str, float]:
    """Households per band left without a unit when spare larger units take smaller households."""
    missing = _zero()
    spare = 0.0
    for band in reversed(BANDS):
        available = units[band] + spare
        missing[band] = max(0.0, demand[band] - available)
        spare = max(0.0, available - demand[band])
    return missing


def compute_gap(
    municipalities: Iterable[MunicipalityGapInput],
    waiting_households: Mapping[str, float],
    waiting_persons: int,
    mix_households: Mapping[str, float],
    mix_mean_size: float | None,
) -> dict[str, GapRow]:
    """Gap per municipality number.

    ``waiting_households`` and ``mix_households`` are household counts by band; ``waiting_persons`` the
    persons in the waiting households; ``mix_mean_size`` the mean persons per household of the mix
    (None: no mix, so no expected households).
    """
    munis = list(municipalities)
    total_capacity = sum(m.capacity_persons for m in munis)
    mix_total = sum(mix_households.values())
    result: dict[str, GapRow] = {}
    for m in munis:
        share = m.capacity_persons / total_capacity if total_capacity else 0.0
        waiting = {b: waiting_households.get(b, 0.0) * share for b in BANDS}
        rest = max(0.0, m.capacity_persons - share * waiting_persons)
        if mix_total and mix_mean_size:
            expected = {
                b: rest * (mix_households.get(b, 0.0) / mix_total) / mix_mean_size for b in BANDS
            }
        else:
            expected = _zero()
        row = GapRow(
            assigned=dict(m.assigned),
            waiting=waiting,
            expected=expected,
            units=dict(m.units),
            missing=_zero(),
            capacity_persons=float(m.capacity_persons),
        )
        row.missing = shortage(row.demand, row.units)
        result[m.number] = row
    return result


def empty_row() -> GapRow:
    return GapRow(_zero(), _zero(), _zero(), _zero(), _zero())


# --- gathering from the database --------------------------------------------------------------


@dataclass
class GapInputs:
    """Everything :func:`compute_gap` needs, read from the database."""

    municipalities: list[MunicipalityGapInput]
    waiting_households: dict[str, float]
    waiting_persons: int
    mix_households: dict[str, float]
    mix_mean_size: float | None


def gather(year: int) -> GapInputs:
    """Read decisions, cases and units for ``year`` (the whole country, in the year's municipal
    structure)."""
    structure_year = structure_year_for(year)
    munis: dict[str, MunicipalityGapInput] = {
        n: MunicipalityGapInput(n)
        for n in municipalities(structure_year).values_list("number", flat=True)
    }
    for number, persons in decisions_in_year(year).values_list("municipality__number", "persons"):
        munis[number].decided_persons = persons
    for number, n in settled_persons_by_municipality(year, structure_year).items():
        munis[number].settled_persons = n
    # A household's size band is its housing size — with the family members it expects through
    # reunification — while decision capacity counts only those who are here (docs/housing.md).
    for n, housing_size, number in pending_household_sizes():
        if number in munis:
            munis[number].assigned[size_band(housing_size)] += 1
            munis[number].assigned_persons += n
    waiting: dict[str, float] = _zero()
    waiting_persons = 0
    for n, housing_size in ready_household_sizes():
        waiting[size_band(housing_size)] += 1
        waiting_persons += n
    mix: dict[str, float] = _zero()
    mix_persons = 0
    for n in settled_household_sizes(year - 3, year - 1):
        mix[size_band(n)] += 1
        mix_persons += n
    mix_count = sum(mix.values())
    mean_size = mix_persons / mix_count if mix_count else None
    units = available_within(
        HousingUnit.objects.filter(municipality__structure_year=structure_year),
        date(year, 1, 1),
        date(year, 12, 31),
    )
    # Summed up, so unordered (the units' default order sorts the whole stock by number and code).
    for number, kind, max_occupants, beds, busy in units.order_by().values_list(
        "municipality__number", "kind", "max_occupants", "beds", "_busy"
    ):
        if number not in munis:
            continue
        if kind == UnitKind.SHARED:
            munis[number].units["1"] += beds - (busy or 0)
        else:
            munis[number].units[size_band(max_occupants)] += 1
    return GapInputs(list(munis.values()), waiting, waiting_persons, mix, mean_size)


@dataclass
class GapReport:
    """The gap of an area: its total row, one row per municipality, and the method's inputs."""

    year: int
    area: str
    area_label: str
    total: GapRow
    rows: dict[str, GapRow]
    waiting_households: dict[str, float]
    mix_households: dict[str, float]
    mix_mean_size: float | None
    notes: list[str]

    def as_dict(self) -> dict:
        def row(r: GapRow) -> dict:
            return {
                "capacity_persons": round(r.capacity_persons, 2),
                **{
                    name: {b: round(getattr(r, name)[b], 2) for b in BANDS}
                    for name in ("assigned", "waiting", "expected", "units", "missing")
                },
                "demand": {b: round(v, 2) for b, v in r.demand.items()},
            }

        return {
            "year": self.year,
            "area": self.area,
            "area_label": self.area_label,
            "bands": list(BANDS),
            "total": row(self.total),
            "municipalities": {n: row(r) for n, r in sorted(self.rows.items())},
            "waiting_households_national": {b: self.waiting_households[b] for b in BANDS},
            "mix_households_national": {b: self.mix_households[b] for b in BANDS},
            "mix_mean_size": round(self.mix_mean_size, 3) if self.mix_mean_size else None,
            "notes": self.notes,
        }


def gap_report(year: int, area: str, area_label: str, numbers: set[str]) -> GapReport:
    """The gap of the municipalities ``numbers`` in ``year``."""
    inputs = gather(year)
    munis, waiting, mix, mean_size = (
        inputs.municipalities,
        inputs.waiting_households,
        inputs.mix_households,
        inputs.mix_mean_size,
    )
    rows = compute_gap(munis, waiting, inputs.waiting_persons, mix, mean_size)
    in_area = {n: r for n, r in rows.items() if n in numbers}
    total = empty_row()
    for r in in_area.values():
        total.add(r)
    notes = []
    if not any(m.decided_persons for m in munis):
        notes.append(
            "Ingen vedtak for året: ventende og forventede husholdninger kan ikke fordeles."
        )
    if mean_size is None:
        notes.append(
            "Ingen bosatte husholdninger de tre foregående årene: forventede husholdninger er ikke beregnet."
        )
    shown = {n: r for n, r in in_area.items() if any(r.demand.values()) or any(r.units.values())}
    return GapReport(
        year,
        area,
        area_label,
        total,
        shown,
        {b: waiting[b] for b in BANDS},
        {b: mix[b] for b in BANDS},
        mean_size,
        notes,
    )
