"""Policy simulator: a digital twin of the Norwegian settlement system (bosettingsmodellen).

Public API::

    from bosetting.engine.simulation import load_scenario, run, sweep, override_parameters

    scenario = load_scenario("baseline-2009-2014")          # name, TOML path or dict
    scenario = override_parameters(scenario, {"phases.preparation_months": 1.5})
    one = run(scenario, seed=1, progress=lambda done, total: ...)          # -> RunResult
    many = sweep(scenario, runs=20, seed=1, workers=2, progress=...)       # -> SweepResult
    text = many.to_json()

Pure Python + numpy/scipy; the matching engine (``bosetting.engine.matching``) is used in the
``greedy`` and ``full`` matching modes. See ``docs/simulation.md``.
"""

from bosetting.engine.simulation.params import Scenario, ScenarioError, YearSeries
from bosetting.engine.simulation.results import RunResult, SweepResult
from bosetting.engine.simulation.runner import run, sweep
from bosetting.engine.simulation.scenario import (
    load_scenario,
    override_parameters,
    shipped_scenario_names,
)

__all__ = [
    "RunResult",
    "Scenario",
    "ScenarioError",
    "SweepResult",
    "YearSeries",
    "load_scenario",
    "override_parameters",
    "run",
    "shipped_scenario_names",
    "sweep",
]
