"""Matching in the loop: each month's batch solved by the real matching engine.

``matching_mode = "full"`` uses ``bosetting.engine.matching.solve(..., solver="optimal")`` and
``"greedy"`` its greedy solver. Every month the simulator writes an instance in the exchange
format of ``spec/matching.md`` (``bosetting.matching/1``) from its state, parses it with the
engine's own ``parse_instance`` (so the contract is checked every month), solves it and
applies the proposals.

What goes into a batch:

* municipalities with places left under their council decision (``capacity_persons``), of
  which ``capacity_uam`` for unaccompanied minors; ``labour_index`` from SSB's 2014 employment
  rate of immigrants; ``health_high`` services in municipalities of 20,000 or more;
* their vacant flats and flats free within ``horizon_days`` (a shared flat's vacant beds as one
  unit with ``beds``), in zones inside the municipality;
* settlement-ready households, highest effective priority first, at most
  ``candidates_per_place`` per fitting place and ``max_batch_households`` in all (the batch
  must stay small enough to solve every month). A hard-to-place household's ``permit_date``
  is moved later by ``hard_to_place_penalty × target`` months, which lowers the engine's
  ``p(h)`` by the penalty: councils choose, to some extent, also whom they take (L603–605);
  a family with children's or a minor's is moved earlier by ``children_priority_bonus × 3``
  months (children prioritised from 2014, L1344–1352).
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from bosetting.engine.simulation import housing as hs
from bosetting.engine.simulation.households import FAMILY, UAM

if TYPE_CHECKING:
    from bosetting.engine.simulation.model import Simulation


def month_date(first_year: int, t: float) -> dt.date:
    """The calendar date of time ``t`` (months since 1 January of ``first_year``)."""
    month_index = int(np.floor(t))
    year = first_year + month_index // 12
    month = month_index % 12 + 1
    days = calendar.monthrange(year, month)[1]
    day = 1 + min(int((t - month_index) * days), days - 1)
    return dt.date(year, month, day)


def _select_batch(
    sim: Simulation, pool: NDArray[np.int64], unit_rows: NDArray[np.int64], t: float
) -> NDArray[np.int64]:
    """Positions into ``pool`` of the households put in this month's batch."""
    hh = sim.hh
    params = sim.scenario.matching
    year = sim.year_of(t - 1e-9)
    order = np.argsort(-sim.effective_priority(pool, t, year), kind="stable")
    sizes = np.minimum(hh.size[pool], 8)
    unit_cap = hs.MAX_OCCUPANTS[sim.units.cls[unit_rows]]
    chosen: list[int] = []
    taken = np.zeros(9, dtype=np.int64)
    limits = np.zeros(9, dtype=np.int64)
    for size in range(1, 9):
        fitting = int(np.sum(unit_cap >= size)) if size > 1 else int(unit_rows.shape[0])
        limits[size] = int(np.ceil(params.candidates_per_place * fitting))
    for position in order:
        size = int(sizes[position])
        if taken[size] < limits[size]:
            chosen.append(int(position))
            taken[size] += 1
            if len(chosen) >= params.max_batch_households:
                break
    return np.array(chosen, dtype=np.int64)


def build_instance(
    sim: Simulation,
    pool: NDArray[np.int64],
    unit_rows: NDArray[np.int64],
    t: float,
    capacity: NDArray[np.float64],
    capacity_uam: NDArray[np.float64],
) -> tuple[dict[str, Any], dict[str, list[int]]]:
    """The month's instance (``bosetting.matching/1``) and a map from unit id to unit rows.

    ``pool`` here is already the batch (household indices).
    """
    world = sim.world
    units = sim.units
    hh = sim.hh
    params = sim.scenario.matching
    year = sim.year_of(t - 1e-9)
    as_of = month_date(sim.first_year, t)
    municipalities = np.flatnonzero(np.floor(capacity + 1e-9) >= 1)
    open_muni = np.zeros(world.size, dtype=bool)
    open_muni[municipalities] = True
    unit_rows = unit_rows[open_muni[units.muni[unit_rows]]]

    unit_entries: list[dict[str, Any]] = []
    unit_map: dict[str, list[int]] = {}
    shared = unit_rows[units.cls[unit_rows] == hs.SHARED]
    for row in unit_rows[units.cls[unit_rows] != hs.SHARED]:
        unit_id = f"u{int(row)}"
        unit_map[unit_id] = [int(row)]
        unit_entries.append(_unit_entry(sim, unit_id, int(row), 1))
    for flat in np.unique(units.flat[shared]):
        rows = shared[units.flat[shared] == flat]
        unit_id = f"f{int(flat)}"
        unit_map[unit_id] = [int(r) for r in rows]
        unit_entries.append(_unit_entry(sim, unit_id, int(rows[0]), int(rows.shape[0])))

    penalty = (
        0.0
        if sim.decisions.state_allocation_active(year)
        else params.hard_to_place_penalty.at(year)
    )
    bonus = params.children_priority_bonus.at(year)
    household_entries: list[dict[str, Any]] = []
    for index in pool:
        i = int(index)
        short = hh.kind[i] in (FAMILY, UAM)
        permit_t = float(hh.permit_t[i])
        if hh.hard_to_place[i] and penalty > 0:
            permit_t += penalty * (3.0 if short else 6.0)
        if short and bonus > 0:
            permit_t -= bonus * 3.0
        needs = []
        if hh.accessible[i]:
            needs.append("accessible")
        if hh.health[i]:
            needs.append("health_high")
        entry: dict[str, Any] = {
            "id": f"h{i}",
            "persons": [{"age": age} for age in hh.person_ages(i)],
            "permit_date": month_date(sim.first_year, permit_t).isoformat(),
            "uam": bool(hh.kind[i] == UAM),
            "needs": needs,
            "ties": [str(world.number[hh.tie[i]])] if hh.tie[i] >= 0 else [],
        }
        household_entries.append(entry)

    instance = {
        "format": "bosetting.matching/1",
        "as_of": as_of.isoformat(),
        "horizon_days": int(params.horizon_days),
        "zone_cap": int(params.zone_cap) if params.zone_cap > 0 else None,
        "weights": dict(params.weights),
        "municipalities": [
            {
                "id": str(world.number[m]),
                "name": str(world.name[m]),
                "capacity_persons": int(np.floor(capacity[m] + 1e-9)),
                "capacity_uam": int(
                    min(np.floor(capacity_uam[m] + 1e-9), np.floor(capacity[m] + 1e-9))
                ),
                "labour_index": float(np.clip(world.labour_index[m], 0.0, 1.0)),
                "services": ["health_high"] if world.has_health_services[m] else [],
            }
            for m in municipalities
        ],
        "units": unit_entries,
        "households": household_entries,
    }
    return instance, unit_map


def _unit_entry(sim: Simulation, unit_id: str, row: int, beds: int) -> dict[str, Any]:
    units = sim.units
    world = sim.world
    cls = int(units.cls[row])
    muni = int(units.muni[row])
    kind = "shared" if cls == hs.SHARED else hs.KIND_NAMES[int(units.kind[row])]
    available = month_date(sim.first_year, float(max(units.avail_t[row], 0.0)))
    return {
        "id": unit_id,
        "municipality": str(world.number[muni]),
        "kind": kind,
        "bedrooms": int(hs.BEDROOMS[cls]),
        "max_occupants": int(hs.MAX_OCCUPANTS[cls]),
        "beds": beds,
        "zone": f"{world.number[muni]}-{int(units.zone[row]):02d}",
        "accessible": bool(units.accessible[row]),
        "available_from": available.isoformat(),
    }


def engine_matcher(
    sim: Simulation,
    pool: NDArray[np.int64],
    unit_rows: NDArray[np.int64],
    t: float,
    capacity: NDArray[np.float64],
    capacity_uam: NDArray[np.float64],
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Solve the month's batch with the matching engine (``greedy`` or ``full`` mode).

    Returns:
        ``(positions into pool, positions into unit_rows)``, pairwise.
    """
    from bosetting.engine.matching import parse_instance, solve

    batch_positions = _select_batch(sim, pool, unit_rows, t)
    if batch_positions.shape[0] == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    batch = pool[batch_positions]
    instance_dict, unit_map = build_instance(sim, batch, unit_rows, t, capacity, capacity_uam)
    if not instance_dict["units"] or not instance_dict["municipalities"]:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    instance = parse_instance(instance_dict)
    solver = "optimal" if sim.mode == "full" else "greedy"
    result = solve(instance, solver=solver, time_limit=sim.scenario.matching.time_limit_seconds)

    pool_position = {int(h): int(p) for p, h in enumerate(pool)}
    row_position = {int(r): p for p, r in enumerate(unit_rows)}
    next_bed: dict[str, int] = {}
    households: list[int] = []
    rows: list[int] = []
    for assignment in result.assignments:
        household = int(assignment.household_id[1:])
        beds = unit_map[assignment.unit_id]
        used = next_bed.get(assignment.unit_id, 0)
        next_bed[assignment.unit_id] = used + 1
        households.append(pool_position[household])
        rows.append(row_position[beds[used]])
    return np.array(households, dtype=np.int64), np.array(rows, dtype=np.int64)
