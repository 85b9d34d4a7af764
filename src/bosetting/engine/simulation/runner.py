"""Running the simulator: one run, or a Monte Carlo sweep over processes or a Dask cluster.

Run ``i`` of a sweep with seed ``s`` always uses the random streams ``(s, i)``, wherever it
runs, so a sweep gives the same result serially, on a process pool or on Dask.
"""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ProcessPoolExecutor, as_completed
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from bosetting.engine.simulation.metrics import monthly_series, year_metrics
from bosetting.engine.simulation.model import Simulation
from bosetting.engine.simulation.params import MATCHING_MODES, Scenario, ScenarioError
from bosetting.engine.simulation.results import REPORT_PARTIAL_YEARS, RunResult, SweepResult
from bosetting.engine.simulation.scenario import load_scenario
from bosetting.engine.simulation.world import Municipalities

Progress = Callable[[int, int], None]
ScenarioSource = Scenario | str | Path | Mapping[str, Any]


def prepare(
    scenario: ScenarioSource, mode: str | None = None, years: int | None = None
) -> Scenario:
    """Load a scenario and apply the run-time choices of mode and number of years."""
    loaded = load_scenario(scenario)
    changes: dict[str, Any] = {}
    if years is not None:
        if years < 1:
            raise ScenarioError(f"years: must be at least 1, got {years}")
        changes["years"] = int(years)
    if mode is not None:
        if mode not in MATCHING_MODES:
            raise ScenarioError(f"mode: {mode!r} is not one of {', '.join(MATCHING_MODES)}")
        changes["matching"] = dataclasses.replace(loaded.matching, mode=mode)
    return dataclasses.replace(loaded, **changes) if changes else loaded


def run(
    scenario: ScenarioSource,
    seed: int = 0,
    progress: Progress | None = None,
    *,
    run_index: int = 0,
    mode: str | None = None,
    years: int | None = None,
    municipalities: Municipalities | None = None,
) -> RunResult:
    """Simulate one seeded run.

    Args:
        scenario: a :class:`Scenario`, a TOML path, a shipped scenario name or a dict.
        seed: the seed; the same seed (and run index) gives the identical result.
        progress: called as ``progress(done_months, total_months)`` after every month.
        run_index: index within a sweep (sweeps use 0, 1, 2, ...).
        mode: ``"fast"``, ``"greedy"`` or ``"full"``; default the scenario's.
        years: number of reported years; default the scenario's.
        municipalities: a different world (tests use tiny worlds); default the real 2014 list.

    Returns:
        The run's yearly metrics and monthly series.
    """
    prepared = prepare(scenario, mode, years)
    simulation = Simulation(prepared, seed, run_index, municipalities)
    record = simulation.run(progress)
    reported = prepared.year_list
    years_metrics = {year: year_metrics(record, year) for year in reported}
    report_basis = {
        year: year_metrics(record, year, REPORT_PARTIAL_YEARS[year])
        if year in REPORT_PARTIAL_YEARS
        else years_metrics[year]
        for year in reported
    }
    first_month = 12 * prepared.warmup_years
    return RunResult(
        scenario_name=prepared.name,
        seed=seed,
        run_index=run_index,
        mode=simulation.mode,
        years=years_metrics,
        report_basis=report_basis,
        monthly=monthly_series(record, first_month, 12 * prepared.years),
        first_month=f"{prepared.start_year:04d}-01",
        wall_seconds=record.wall_seconds,
        engine_seconds=record.engine_seconds,
    )


def _run_task(scenario: Scenario, seed: int, run_index: int) -> RunResult:
    """One run of a sweep (top-level so process pools and Dask can pickle it)."""
    return run(scenario, seed, run_index=run_index)


def default_workers() -> int:
    """Worker processes to use by default: the machine's cores."""
    return max(1, os.cpu_count() or 1)


def sweep(
    scenario: ScenarioSource,
    runs: int = 20,
    seed: int = 0,
    workers: int | None = None,
    progress: Progress | None = None,
    *,
    mode: str | None = None,
    years: int | None = None,
    scheduler: str | None = None,
    dask_local: bool = False,
    client: Any = None,
) -> SweepResult:
    """A Monte Carlo sweep: ``runs`` seeded runs of one scenario, in parallel.

    Args:
        scenario: a :class:`Scenario`, a TOML path, a shipped scenario name or a dict.
        runs: number of runs; run ``i`` uses the streams of ``(seed, i)``.
        seed: the sweep seed.
        workers: parallel processes (default: all cores); ``1`` runs in this process. With
            ``dask_local`` the number of Dask workers.
        progress: called as ``progress(done_runs, runs)`` as runs finish.
        mode: ``"fast"``, ``"greedy"`` or ``"full"``; default the scenario's.
        years: number of reported years; default the scenario's.
        scheduler: address of a Dask distributed scheduler (``"tcp://host:8786"``).
        dask_local: start a local Dask cluster of ``workers`` processes for this sweep.
        client: an existing ``distributed.Client`` to submit to.

    Returns:
        The sweep, runs ordered by index.
    """
    if runs < 1:
        raise ScenarioError(f"runs: must be at least 1, got {runs}")
    prepared = prepare(scenario, mode, years)
    started = time.perf_counter()
    n_workers = workers if workers is not None else default_workers()
    if n_workers < 1:
        raise ScenarioError(f"workers: must be at least 1, got {n_workers}")
    results: list[RunResult]
    if client is not None or scheduler is not None or dask_local:
        results, label, n_workers = _sweep_dask(
            prepared, runs, seed, n_workers, progress, scheduler, dask_local, client
        )
    elif n_workers == 1 or runs == 1:
        results = []
        for index in range(runs):
            results.append(_run_task(prepared, seed, index))
            if progress is not None:
                progress(index + 1, runs)
        label, n_workers = "serial", 1
    else:
        results = _sweep_processes(prepared, runs, seed, n_workers, progress)
        label = "processes"
    results.sort(key=lambda r: r.run_index)
    return SweepResult(
        scenario=prepared,
        seed=seed,
        runs=results,
        mode=prepared.matching.mode,
        workers=n_workers,
        scheduler=label,
        wall_seconds=time.perf_counter() - started,
    )


def _sweep_processes(
    scenario: Scenario, runs: int, seed: int, workers: int, progress: Progress | None
) -> list[RunResult]:
    # "spawn": the parent may hold threads (progress bars, Dask), which fork does not survive.
    results: list[RunResult] = []
    with ProcessPoolExecutor(
        max_workers=min(workers, runs), mp_context=get_context("spawn")
    ) as pool:
        futures = [pool.submit(_run_task, scenario, seed, index) for index in range(runs)]
        for future in as_completed(futures):
            results.append(future.result())
            if progress is not None:
                progress(len(results), runs)
    return results


def _sweep_dask(
    scenario: Scenario,
    runs: int,
    seed: int,
    workers: int,
    progress: Progress | None,
    scheduler: str | None,
    dask_local: bool,
    client: Any,
) -> tuple[list[RunResult], str, int]:
    import distributed

    own_client = None
    cluster = None
    try:
        if client is None:
            if scheduler is not None:
                own_client = distributed.Client(scheduler)
            else:
                cluster = distributed.LocalCluster(
                    n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
                )
                own_client = distributed.Client(cluster)
            client = own_client
        label = (
            scheduler or getattr(client, "scheduler", None) and client.scheduler.address or "dask"
        )
        n_workers = len(client.scheduler_info().get("workers", {})) or workers
        futures = client.map(
            _run_task, [scenario] * runs, [seed] * runs, list(range(runs)), pure=False
        )
        results: list[RunResult] = []
        for future in distributed.as_completed(futures):
            results.append(future.result())
            if progress is not None:
                progress(len(results), runs)
        return results, str(label), n_workers
    finally:
        if own_client is not None:
            own_client.close()
        if cluster is not None:
            cluster.close()
