"""Benchmark of the policy simulator (prints figures; asserts nothing).

Targets (docs/simulation.md):

* one 10-year national run (2009–2018, plus two warm-up years) with matching in the loop:
  at most 20 s in fast mode and at most 2 minutes with the full matching engine;
* a 100-run Monte Carlo sweep of the baseline (2009–2014) on all cores: at most 5 minutes.

Usage: ``python benchmarks/bench_simulation.py [--quick]`` (``--quick`` skips the full-engine
run and sweeps 20 runs instead of 100).
"""

from __future__ import annotations

import os
import sys
import time

from bosetting.engine.simulation import load_scenario, run, sweep

SEED = 2015


def _line(label: str, seconds: float, target: float | None, extra: str = "") -> None:
    verdict = "" if target is None else ("  ok" if seconds <= target else "  OVER TARGET")
    limit = "" if target is None else f" (target <= {target:.0f} s)"
    print(f"{label:<48} {seconds:8.1f} s{limit}{verdict}{extra}", flush=True)


def main(quick: bool = False) -> None:
    baseline = load_scenario("baseline-2009-2014")
    cores = os.cpu_count() or 1
    print(f"policy simulator benchmark, seed {SEED}, {cores} cores", flush=True)

    run(baseline, seed=SEED, years=1)  # warm the caches (world data, imports)
    started = time.perf_counter()
    fast = run(baseline, seed=SEED, years=10, mode="fast")
    _line("10-year national run, fast mode", time.perf_counter() - started, 20.0,
          f"; settled 2018: {fast.years[2018]['settled']:,.0f}")  # fmt: skip

    started = time.perf_counter()
    greedy = run(baseline, seed=SEED, years=10, mode="greedy")
    _line("10-year national run, engine greedy", time.perf_counter() - started, None,
          f"; engine {greedy.engine_seconds:.1f} s; settled 2018: {greedy.years[2018]['settled']:,.0f}")  # fmt: skip

    if not quick:
        started = time.perf_counter()
        full = run(baseline, seed=SEED, years=10, mode="full")
        _line("10-year national run, full engine (optimal)", time.perf_counter() - started, 120.0,
              f"; engine {full.engine_seconds:.1f} s; settled 2018: {full.years[2018]['settled']:,.0f}")  # fmt: skip

    runs = 20 if quick else 100
    started = time.perf_counter()
    result = sweep(baseline, runs=runs, seed=SEED, workers=cores)
    seconds = time.perf_counter() - started
    _line(f"{runs}-run sweep of the baseline, {cores} workers", seconds, 300.0 if runs == 100 else None,
          f"; {seconds / runs:.2f} s per run")  # fmt: skip
    table = result.table_2_1()["2014"]
    print(f"  baseline 2014 (nov.): settled {table['settled']:,.0f}, waiting {table['waiting_dec31']:,.0f}, "
          f"within 6 months {table['share_settled_within_6_months_pct']:.0f}%, long-waiters {table['long_waiters']:,.0f}")  # fmt: skip


if __name__ == "__main__":
    main(quick="--quick" in sys.argv[1:])
