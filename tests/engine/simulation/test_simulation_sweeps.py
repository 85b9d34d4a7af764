"""Sweeps in parallel: the process pool and a Dask cluster give the serial result."""

from __future__ import annotations

import json

import distributed
import pytest

from bosetting.engine.simulation import load_scenario, sweep


def _comparable(result) -> dict:
    data = json.loads(result.to_json())
    for key in ("wall_seconds", "workers", "scheduler"):
        data.pop(key)
    return data


@pytest.fixture(scope="module")
def scenario():
    return load_scenario("baseline-2009-2014")


def test_a_process_pool_sweep_equals_the_serial_sweep(scenario):
    pooled = sweep(scenario, runs=3, seed=21, workers=2, years=1)
    serial = sweep(scenario, runs=3, seed=21, workers=1, years=1)
    assert pooled.scheduler == "processes"
    assert [r.run_index for r in pooled.runs] == [0, 1, 2]
    assert _comparable(pooled) == _comparable(serial)


def test_a_dask_sweep_equals_the_process_pool_sweep(scenario):
    done: list[int] = []
    with (
        distributed.LocalCluster(n_workers=2, processes=False, dashboard_address=None) as cluster,
        distributed.Client(cluster) as client,
    ):
        on_dask = sweep(
            scenario, runs=3, seed=21, years=1, client=client, progress=lambda d, t: done.append(d)
        )
    pooled = sweep(scenario, runs=3, seed=21, workers=2, years=1)
    assert on_dask.workers == 2
    assert done == [1, 2, 3]
    assert _comparable(on_dask) == _comparable(pooled)


def test_progress_is_reported_for_every_run(scenario):
    seen: list[tuple[int, int]] = []
    sweep(scenario, runs=2, seed=1, workers=1, years=1, progress=lambda d, t: seen.append((d, t)))
    assert seen == [(1, 2), (2, 2)]
