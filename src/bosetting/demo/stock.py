"""The demo world's housing stock: the settled households' first homes and the flats free in 2015.

Calibrated to the report (``calibration.py``, docs/demo.md):

* **First homes.** Every settled household got one, let for three years from its settlement day
  (L1821–1822): a single adult a bed in a shared flat, a studio or a two-room flat; a family the
  smallest flat that takes it. Self-found homes are private rentals; the others are municipal
  dwellings or private flats the municipality sublets, in each municipality's own mix — Bergen sublets
  none (L2074), Hammerfest relies on subletting (L2161–2170). When a first lease ends, most tenants
  stay on with a renewed lease (low throughput, L1811–1827); the others move on and free the flat.
* **Free flats in 2015.** Each municipality with a decision for 2015 reports free flats during the
  year: for each size band, the households the housing gap will ask it to house (its share of the
  settlement-ready queue and of its decision's remaining capacity, as ``docs/housing.md`` computes
  them) times the band's supply share, less the first homes freed there in 2015 — too few large flats
  for big families and too few small cheap ones for single adults (L82–84, L1627–1630), and what the
  report says of the case municipalities (Kvinesdal starts 2015 with none, L2316–2322).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from bosetting.apps.cases.choices import HouseholdType
from bosetting.apps.housing.choices import SIZE_BANDS, UnitKind, size_band
from bosetting.demo import calibration as cal
from bosetting.engine.rules.targets import lease_end

YEAR = 2015
#: Bedrooms of the free flats of each band (the smallest that fits the band, some larger in 5+).
BAND_BEDROOMS = {"2": (1,), "3-4": (2,), "5+": (3, 3, 3, 4, 4, 5)}
#: Of the free places for single adults: studios (the rest are beds in shared flats).
STUDIO_SHARE_OF_SINGLE_PLACES = 0.6


@dataclass
class Stock:
    """The units to create (``rows``), and per settled household its first home's index in ``rows``
    (``homes``) and whether the tenant stays on after the first lease (``stays``)."""

    rows: list[dict] = field(default_factory=list)
    homes: list[int] = field(default_factory=list)
    stays: list[bool] = field(default_factory=list)
    _serial: dict[str, int] = field(default_factory=dict)
    _open_shared: dict[tuple[str, int], tuple[int, int]] = field(default_factory=dict)

    def add(self, rng, muni, kind: str, bedrooms: int, available: date | None) -> int:
        self._serial[muni.number] = self._serial.get(muni.number, 0) + 1
        self.rows.append(_unit(rng, muni, self._serial[muni.number], kind, bedrooms, available))
        return len(self.rows) - 1


def _unit(rng, muni, serial: int, kind: str, bedrooms: int, available: date | None) -> dict:
    zones = max(1, min(12, len(muni.name) // 2))
    beds = int(rng.integers(3, 6)) if kind == UnitKind.SHARED else 1
    return {
        "municipality": muni,
        "code": f"u-{muni.number}-{serial:05d}",
        "kind": kind,
        "bedrooms": bedrooms if kind != UnitKind.SHARED else beds,
        "max_occupants": beds if kind == UnitKind.SHARED else cal.OCCUPANTS_BY_BEDROOMS[bedrooms],
        "beds": beds,
        "zone": f"{muni.number}-{int(rng.integers(1, zones + 1)):02d}",
        "accessible": bool(rng.random() < 0.08),
        "available_from": available,
        "rent_nok": int(cal.RENT_BY_BEDROOMS[min(bedrooms, 5)] + rng.integers(-800, 800)),
        "flag_damp_mould": bool(rng.random() < 0.03),
        "flag_unsuitable_children": bool(rng.random() < 0.02),
        "synthetic": True,
    }


def _sublet_share(number: str) -> float:
    case = cal.CASE_MUNICIPALITIES.get(number)
    return cal.DEFAULT_SUBLET_SHARE if case is None else case.sublet_share


def _rented_kind(rng, number: str) -> str:
    return UnitKind.PRIVATE_SUBLET if rng.random() < _sublet_share(number) else UnitKind.MUNICIPAL


def _first_home(rng, stock: Stock, draft) -> None:
    size = len(draft.birth_years)
    number = draft.municipality.number
    single = size == 1 and draft.fields["household_type"] == HouseholdType.SINGLE
    end = lease_end(draft.fields["settled_on"])
    if draft.fields["self_settled"]:
        kind, bedrooms = UnitKind.PRIVATE_SELF, (0 if size == 1 else _bedrooms_for(size))
    elif single and rng.random() < cal.SHARED_SHARE_OF_SINGLES:
        stock.homes.append(_shared_bed(rng, stock, draft.municipality, end))
        # A bed in a shared flat is a first step: its tenant moves on when the lease ends.
        stock.stays.append(False)
        return
    else:
        kind = _rented_kind(rng, number)
        bedrooms = 0 if size == 1 and rng.random() < cal.STUDIO_SHARE_OF_SINGLES else None
        bedrooms = _bedrooms_for(size) if bedrooms is None else bedrooms
    stock.homes.append(stock.add(rng, draft.municipality, kind, bedrooms, end))
    stock.stays.append(bool(rng.random() >= cal.FIRST_HOME_RELEASE_SHARE))


def _shared_bed(rng, stock: Stock, muni, end: date) -> int:
    """A bed in a shared flat of the municipality settled into the same year: singles settled the
    same year share a flat until its beds are taken."""
    key = (muni.number, end.year)
    index, left = stock._open_shared.get(key, (-1, 0))
    if left <= 0:
        index = stock.add(rng, muni, UnitKind.SHARED, 0, end)
        left = stock.rows[index]["beds"]
    stock._open_shared[key] = (index, left - 1)
    return index


def _bedrooms_for(size: int) -> int:
    return next(b for b, cap in sorted(cal.OCCUPANTS_BY_BEDROOMS.items()) if cap >= size)


def expected_demand(
    decided: dict[str, int], waiting: list[tuple[int, int]], mix_sizes: list[int]
) -> dict[str, dict[str, float]]:
    """Households per band the housing gap will ask each municipality to house in 2015 (its method,
    docs/housing.md): its capacity's share of the waiting queue (``(persons, housing size)`` per
    household) and the rest of its capacity as households of the settled mix."""
    capacity = {n: float(p) for n, p in decided.items() if p > 0}
    total = sum(capacity.values())
    waiting_persons = sum(p for p, _ in waiting)
    waiting_bands = Counter(size_band(h) for _, h in waiting)
    mix = Counter(size_band(n) for n in mix_sizes)
    mean = sum(mix_sizes) / len(mix_sizes) if mix_sizes else 0.0
    out = {}
    for number, cap in capacity.items():
        share = cap / total
        rest = max(0.0, cap - share * waiting_persons)
        out[number] = {
            b: share * waiting_bands[b] + (rest * mix[b] / len(mix_sizes) / mean if mean else 0.0)
            for b in SIZE_BANDS
        }
    return out


def _stochastic_round(rng, x: float) -> int:
    whole = int(np.floor(x))
    return whole + int(rng.random() < x - whole)


def _free_day(rng, number: str) -> date:
    case = cal.CASE_MUNICIPALITIES.get(number)
    late = case is not None and case.free_from_month > 1  # Kvinesdal starts 2015 with none
    first = date(YEAR, case.free_from_month, 1) if late else date(YEAR, 1, 1) - timedelta(days=30)
    return first + timedelta(days=int(rng.integers(0, (date(YEAR, 12, 1) - first).days)))


def plan_units(rng, munis, settled: list, waiting: list, decided_2015: dict[str, int]) -> Stock:
    """The first homes of ``settled`` (household drafts) and the free flats of 2015 (see the module
    docstring). ``waiting`` are the settlement-ready drafts; ``decided_2015`` the persons decided per
    municipality number."""
    stock = Stock()
    for draft in settled:
        _first_home(rng, stock, draft)
    freed: dict[str, dict[str, float]] = defaultdict(lambda: dict.fromkeys(SIZE_BANDS, 0.0))
    for index, stays in zip(stock.homes, stock.stays, strict=True):
        row = stock.rows[index]
        if not stays and row["available_from"].year == YEAR:
            # A tenant who moves on frees its flat, or its bed in a shared flat.
            band = "1" if row["kind"] == UnitKind.SHARED else size_band(row["max_occupants"])
            freed[row["municipality"].number][band] += 1
    demand = expected_demand(
        decided_2015,
        [
            (len(d.birth_years), len(d.birth_years) + d.fields["expected_reunification_persons"])
            for d in waiting
        ],
        [len(d.birth_years) for d in settled],
    )
    by_number = {m.number: m for m in munis}
    for number in sorted(demand):
        muni = by_number[number]
        case = cal.CASE_MUNICIPALITIES.get(number)
        for band in SIZE_BANDS:
            factor = case.supply_factor.get(band, 1.0) if case else 1.0
            target = demand[number][band] * cal.SUPPLY_SHARE[band] * factor
            _add_free(rng, stock, muni, band, max(0.0, target - freed[number][band]))
    return stock


def _add_free(rng, stock: Stock, muni, band: str, places: float) -> None:
    """Free flats of one band in one municipality, ``places`` households' worth."""
    if band == "1":
        studios = _stochastic_round(rng, places * STUDIO_SHARE_OF_SINGLE_PLACES)
        for _ in range(studios):
            stock.add(rng, muni, _rented_kind(rng, muni.number), 0, _free_day(rng, muni.number))
        beds = places - studios
        while beds >= 2 or (beds > 0 and rng.random() < beds):
            index = stock.add(rng, muni, UnitKind.SHARED, 0, _free_day(rng, muni.number))
            beds -= stock.rows[index]["beds"]
        return
    for _ in range(_stochastic_round(rng, places)):
        bedrooms = int(rng.choice(BAND_BEDROOMS[band]))
        stock.add(rng, muni, _rented_kind(rng, muni.number), bedrooms, _free_day(rng, muni.number))
