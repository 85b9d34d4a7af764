"""Running a simulation ("kjøre simulering"): the body of the background job.

``execute_simulation`` runs the sweep of a stored run and writes its progress and result (or its
failure) to the run; ``do_fail_simulation`` marks a run failed when its job is given up. ``services``
stores runs and enqueues them; ``tasks`` is the job that calls this module.
"""

from __future__ import annotations

import logging

from django.utils import timezone

from bosetting.apps.simulation.models import SimulationRun

log = logging.getLogger(__name__)


def do_fail_simulation(run_id: int, error: str) -> None:
    """Mark a queued or running simulation run failed with ``error`` ("simuleringen feilet").

    Called when its background job is given up; a run that has finished is left as it is.
    """
    SimulationRun.objects.filter(
        pk=run_id, status__in=(SimulationRun.Status.QUEUED, SimulationRun.Status.RUNNING)
    ).update(status=SimulationRun.Status.FAILED, error=error[:2000], finished_at=timezone.now())


def execute_simulation(run_id: int) -> str:
    """Run the sweep of a stored run; records progress, result or failure (never raises).

    Safe to run again: a run found ``running`` was left so by an attempt that died, and starts over
    from its stored inputs and seed (same result). A finished run is left alone.

    Returns:
        The status the run ended in (``""`` when the run no longer exists).
    """
    # The simulation engine imports scipy.optimize (0.7 s): loaded by the job, not by the web.
    from bosetting.engine.simulation import load_scenario, override_parameters, sweep

    sim = SimulationRun.objects.filter(pk=run_id).first()
    if sim is None:
        return ""
    if sim.status == SimulationRun.Status.DONE:
        return sim.status
    SimulationRun.objects.filter(pk=run_id).update(
        status=SimulationRun.Status.RUNNING,
        started_at=timezone.now(),
        finished_at=None,
        progress=0.0,
        runs_done=0,
        result=None,
        error="",
    )

    def progress(done: int, total: int) -> None:
        SimulationRun.objects.filter(pk=run_id).update(
            progress=done / total if total else 1.0, runs_done=done
        )

    try:
        scenario = override_parameters(load_scenario(sim.scenario), sim.overrides)
        result = sweep(
            scenario,
            runs=sim.runs,
            seed=sim.seed,
            workers=1 if sim.runs < 4 else 2,
            progress=progress,
            mode=sim.mode,
            years=sim.years,
        )
        SimulationRun.objects.filter(pk=run_id).update(
            status=SimulationRun.Status.DONE,
            progress=1.0,
            runs_done=sim.runs,
            result=result.to_dict(),
            finished_at=timezone.now(),
        )
        return SimulationRun.Status.DONE
    except Exception as exc:  # noqa: BLE001 - the run records its own failure for the user
        log.exception("simulation %s failed", run_id)
        SimulationRun.objects.filter(pk=run_id).update(
            status=SimulationRun.Status.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
        )
        return SimulationRun.Status.FAILED
