"""Benchmark of the KPI rules: Tables 2.1–2.4 for 50,000 cases over six years.

Target: well under one second for the table build on prepared columns.
Prints figures; asserts nothing (timed checks do not belong in unit tests).
The cases are synthetic (seeded random dates), not real data.
"""

from __future__ import annotations

import datetime as dt
import time

import numpy as np

from bosetting.engine.rules.kpi import (
    HOUSEHOLD_TYPES,
    CaseArrays,
    CaseRecord,
    DecisionRecord,
    Period,
    RequestRecord,
    phase_durations,
    tables,
)

N_CASES = 50_000
YEARS = list(range(2009, 2015))
SEED = 2014


def synthetic_cases(n: int, seed: int) -> CaseArrays:
    """Random but plausible case histories between 2008 and 2015."""
    rng = np.random.default_rng(seed)
    start = np.datetime64("2008-01-01")
    permit = start + rng.integers(0, 7 * 365, n).astype("timedelta64[D]")
    notified = permit + rng.integers(3, 30, n).astype("timedelta64[D]")
    interview = notified + rng.integers(5, 60, n).astype("timedelta64[D]")
    ready = interview + rng.integers(0, 20, n).astype("timedelta64[D]")
    proposed = ready + rng.integers(10, 300, n).astype("timedelta64[D]")
    accepted = proposed + rng.integers(1, 40, n).astype("timedelta64[D]")
    settled = accepted + rng.integers(10, 120, n).astype("timedelta64[D]")
    case_opened = permit - rng.integers(60, 500, n).astype("timedelta64[D]")
    unsettled = rng.random(n) < 0.1
    settled[unsettled] = np.datetime64("NaT", "D")
    munis = np.array([f"{i:04d}" for i in range(101, 529)], dtype=object)
    return CaseArrays(
        case_id=np.array([str(i) for i in range(n)], dtype=object),
        municipality=munis[rng.integers(0, len(munis), n)],
        household=rng.integers(0, len(HOUSEHOLD_TYPES), n).astype(np.int8),
        persons=rng.integers(1, 7, n).astype(np.int64),
        case_opened=case_opened,
        permit_date=permit,
        notified=notified,
        interview=interview,
        ready=ready,
        proposed=proposed,
        accepted=accepted,
        settled=settled,
        self_settled=rng.random(n) < 0.08,
    )


def as_records(arrays: CaseArrays) -> list[CaseRecord]:
    def d(value: np.datetime64) -> dt.date | None:
        return None if np.isnat(value) else value.item()

    return [
        CaseRecord(
            case_id=str(arrays.case_id[i]),
            municipality=arrays.municipality[i],
            household_type=HOUSEHOLD_TYPES[arrays.household[i]],
            persons=int(arrays.persons[i]),
            case_opened=d(arrays.case_opened[i]),
            permit_date=d(arrays.permit_date[i]),
            notified=d(arrays.notified[i]),
            interview=d(arrays.interview[i]),
            ready=d(arrays.ready[i]),
            proposed=d(arrays.proposed[i]),
            accepted=d(arrays.accepted[i]),
            settled=d(arrays.settled[i]),
            self_settled=bool(arrays.self_settled[i]),
        )
        for i in range(len(arrays))
    ]


def best_of(runs: int, fn):  # type: ignore[no-untyped-def]
    times = []
    result = None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return min(times), result


def main() -> None:
    arrays = synthetic_cases(N_CASES, SEED)
    records = as_records(arrays)
    munis = sorted(set(arrays.municipality))
    requests = [RequestRecord(m, y, 20) for m in munis for y in YEARS]
    decisions = [DecisionRecord(m, y, ((int(m) + y) % 4) * 8) for m in munis for y in YEARS]

    t_convert, prepared = best_of(3, lambda: CaseArrays.from_records(records))
    t_tables, built = best_of(5, lambda: tables(prepared, requests, decisions, YEARS))
    t_records, _ = best_of(3, lambda: tables(records, requests, decisions, YEARS))
    t_phases, _ = best_of(5, lambda: [phase_durations(prepared, Period.year(y)) for y in YEARS])

    print(
        f"cases: {N_CASES:,}  persons: {int(arrays.persons.sum()):,}  years: {YEARS[0]}-{YEARS[-1]}"
    )
    print(f"records -> columns (CaseArrays.from_records): {t_convert * 1000:8.1f} ms")
    print(f"tables() on columns, 6 years:                 {t_tables * 1000:8.1f} ms")
    print(f"tables() on records (incl. conversion):       {t_records * 1000:8.1f} ms")
    print(f"phase_durations(), 6 years x 6 phases:        {t_phases * 1000:8.1f} ms")
    print(f"sample 2014: {built['table_2_1']['2014']}")


if __name__ == "__main__":
    main()
