"""Benchmark of the matching engine (utsøking) on generated instances.

Targets (2-core machine):

* 500 households / 80 municipalities / 800 units: proven optimal (gap <= 0.01 %) in <= 2 s;
* 3,000 / 300 / 5,000: gap <= 0.5 % in <= 20 s;
* 10,000 / 428 / 15,000: gap <= 1 % in <= 60 s and <= 4 GB peak memory.

Each size runs in a fresh process (instance generated with a fixed seed,
then the greedy baseline, then the optimising solver with the target's time
limit and gap). Seconds are those of ``solve`` (model, HiGHS, extraction,
explanations); peak memory is the whole process's high-water mark. Prints a
table; asserts nothing.

    .venv/bin/python -m benchmarks.bench_matching [--sizes small,medium,large] [--seed N]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._util import format_table, run_isolated  # noqa: E402

SEED = 2015
SIZES = {
    # name: (households, municipalities, units, seconds, gap)
    "small": (500, 80, 800, 2.0, 1e-4),
    "medium": (3000, 300, 5000, 20.0, 5e-3),
    "large": (10000, 428, 15000, 60.0, 1e-2),
}
MEMORY_TARGET_MB = 4096


def run_size(name: str, seed: int) -> dict[str, object]:
    """Generate one instance and solve it with both solvers (runs in a child process)."""
    from bosetting.engine.matching import check_assignment, generate_instance, parse_instance, solve

    households, municipalities, units, seconds, gap = SIZES[name]
    inst = parse_instance(generate_instance(seed, households, municipalities, units))
    greedy = solve(inst, solver="greedy")
    cpu = time.process_time()
    optimal = solve(inst, solver="optimal", time_limit=seconds, mip_rel_gap=gap)
    cpu = time.process_time() - cpu
    violations = check_assignment(inst, optimal.assignments)
    return {
        "greedy_objective": greedy.objective,
        "greedy_seconds": greedy.seconds,
        "objective": optimal.objective,
        "upper_bound": optimal.upper_bound,
        "gap": optimal.gap,
        "seconds": optimal.seconds,
        "cpu_seconds": cpu,
        "status": optimal.status,
        "placed": optimal.households_placed,
        "violations": len(violations),
    }


def main(argv: list[str] | None = None) -> None:
    """Run the chosen sizes and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="small,medium,large")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    load_before = os.getloadavg()[0]
    rows = []
    for name in args.sizes.split(","):
        households, municipalities, units, seconds, gap = SIZES[name]
        measured = run_isolated(run_size, name, args.seed)
        r = measured.value
        met = (
            r["gap"] is not None
            and r["gap"] <= gap
            and r["seconds"] <= seconds
            and measured.peak_mb <= MEMORY_TARGET_MB
            and r["violations"] == 0
        )
        rows.append(
            [
                f"{households}/{municipalities}/{units}",
                f"{r['greedy_objective']:.1f}",
                f"{r['objective']:.1f}",
                "—" if r["upper_bound"] is None else f"{r['upper_bound']:.1f}",
                "—" if r["gap"] is None else f"{100 * r['gap']:.4f} %",
                f"{r['seconds']:.2f}",
                f"{r['cpu_seconds']:.2f}",
                f"{measured.peak_mb:.0f}",
                f"{r['objective'] / r['greedy_objective']:.4f}" if r["greedy_objective"] else "—",
                r["status"],
                f"gap <= {100 * gap:g} %, <= {seconds:g} s: {'met' if met else 'MISSED'}",
            ]
        )
        print(
            f"{name}: done in {measured.seconds:.1f} s (greedy {r['greedy_seconds']:.2f} s)",
            flush=True,
        )
    print()
    print(
        f"seed {args.seed}; load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after "
        f"({os.cpu_count()} cores). 'seconds' is wall time of solve(), 'cpu s' its CPU time "
        "(all HiGHS threads); wall time grows when other processes share the cores."
    )
    print(
        format_table(
            [
                "households/munis/units",
                "greedy",
                "objective",
                "upper bound",
                "gap",
                "seconds",
                "cpu s",
                "peak MB",
                "vs greedy",
                "status",
                "target",
            ],
            rows,
        )
    )


if __name__ == "__main__":
    main()
