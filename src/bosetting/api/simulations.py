"""Simulations API: start policy-simulator runs and read their progress and results.

Refusal policy: 401 without login/token; 403 for a user without a role; any role may start and
read runs (results are aggregates, no personal data); 404 for an unknown run; 422 names a bad field
(an unknown scenario, a parameter that cannot be changed, a value out of range).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Field, Router, Schema
from ninja.responses import Status

from bosetting.api._errors import answers, service_errors
from bosetting.api._fields import Id, Line
from bosetting.apps.simulation import selectors
from bosetting.apps.simulation.services import (
    KEY_PARAMETERS,
    check_may_simulate,
    do_start_simulation,
    scenario_names,
)

PREFIX = "simulations"
router = Router(tags=["simulation"])


class SimulationIn(Schema):
    scenario: Line(100)
    overrides: dict[Line(60), Annotated[float, Field(allow_inf_nan=False)]] = Field(
        default_factory=dict, max_length=50
    )
    seed: int | None = Field(None, ge=0, le=2**32 - 1)
    runs: int = Field(10, ge=1, le=50)
    years: int | None = Field(None, ge=1, le=12)
    mode: Line(10) = "fast"
    label: Line(120) = ""


class SimulationOut(Schema):
    id: int
    scenario: str
    label: str
    overrides: dict[str, Any]
    seed: int
    runs: int
    years: int | None
    mode: str
    status: str
    progress: float
    runs_done: int
    error: str
    created_by: str | None
    created_at: dt.datetime
    finished_at: dt.datetime | None


class SimulationDetailOut(SimulationOut):
    result: dict[str, Any] | None


class ParameterOut(Schema):
    key: str
    label: str
    help: str
    minimum: float
    maximum: float
    step: float


class CatalogueOut(Schema):
    scenarios: list[str]
    parameters: list[ParameterOut]


def _out(sim, with_result: bool = False) -> dict:
    data = {
        "id": sim.pk,
        "scenario": sim.scenario,
        "label": sim.label,
        "overrides": sim.overrides,
        "seed": sim.seed,
        "runs": sim.runs,
        "years": sim.years,
        "mode": sim.mode,
        "status": sim.status,
        "progress": sim.progress,
        "runs_done": sim.runs_done,
        "error": sim.error,
        "created_by": sim.created_by.username if sim.created_by else None,
        "created_at": sim.created_at,
        "finished_at": sim.finished_at,
    }
    if with_result:
        data["result"] = sim.result
    return data


@router.get("", response=answers({200: list[SimulationOut]}, 401, 403))
def list_runs(request):
    """The latest 100 runs, newest first, without their results (``GET /api/simulations/{id}``)."""
    with service_errors():
        check_may_simulate(request.user)
    return [_out(s) for s in selectors.runs_for(request.user).defer("result")[:100]]


@router.post("", response=answers({202: SimulationOut}, 400, 401, 403, 422, 429))
def start(request, payload: SimulationIn):
    """Store a run (scenario, key-parameter overrides, seed, runs, years, mode) and start it in the
    background; poll ``GET /api/simulations/{id}`` for progress and result."""
    with service_errors("body"):
        sim = do_start_simulation(
            request.user,
            payload.scenario,
            payload.overrides,
            seed=payload.seed,
            runs=payload.runs,
            years=payload.years,
            mode=payload.mode,
            label=payload.label,
        )
    return Status(202, _out(sim))


@router.get("/catalogue", response=answers({200: CatalogueOut}, 401, 403))
def catalogue(request):
    """The shipped scenarios and the key parameters that may be overridden."""
    with service_errors():
        check_may_simulate(request.user)
    return {"scenarios": scenario_names(), "parameters": [p.__dict__ for p in KEY_PARAMETERS]}


@router.get("/{run_id}", response=answers({200: SimulationDetailOut}, 401, 403, 404, 422))
def detail(request, run_id: Id):
    """One run with its progress and, when done, the engine's result (per-year mean and 90 % band,
    ``table_2_1``, ``table_2_2``, monthly series)."""
    with service_errors("path"):
        check_may_simulate(request.user)
        return _out(selectors.run_for(request.user, run_id), True)
