"""Reads of simulation runs. Runs hold aggregates only: every logged-in role may read them all, so
officers can compare each other's scenarios."""

from __future__ import annotations

from django.db.models import QuerySet

from bosetting.apps.simulation.models import SimulationRun

# Metrics shown in the comparison charts: key, label.
CHART_METRICS = (
    ("settled", "Bosatte i året"),
    ("waiting_dec31", "Bosettingsklare som venter 31.12."),
    ("share_settled_within_6_months_pct", "Andel bosatt innen 6 måneder (%)"),
    ("mean_wait_months_permit_to_settlement", "Måneder fra vedtak til bosetting"),
)


def runs_for(user) -> QuerySet[SimulationRun]:
    return SimulationRun.objects.select_related("created_by")


def run_for(user, pk: int) -> SimulationRun:
    """One run (any logged-in role may read every run); raises ``SimulationRun.DoesNotExist``."""
    return runs_for(user).get(pk=pk)


def finished_runs(user) -> QuerySet[SimulationRun]:
    return runs_for(user).filter(status=SimulationRun.Status.DONE)


def comparison(runs: list[SimulationRun]) -> dict:
    """Chart series (per-year mean and 90 % band) and Table 2.1/2.2 rows of several runs."""
    series = []
    tables = []
    for sim in runs:
        result = sim.result or {}
        years = sorted(result.get("years", {}))
        metrics = {}
        for key, _label in CHART_METRICS:
            metrics[key] = {
                "years": years,
                "mean": [result["years"][y].get(key, {}).get("mean") for y in years],
                "p05": [result["years"][y].get(key, {}).get("p05") for y in years],
                "p95": [result["years"][y].get(key, {}).get("p95") for y in years],
            }
        series.append({"id": sim.pk, "name": str(sim), "metrics": metrics})
        for year in years:
            row = {"run": str(sim), "year": year}
            row.update(result.get("table_2_1", {}).get(year, {}))
            row.update(result.get("table_2_2", {}).get(year, {}))
            tables.append(row)
    return {
        "series": series,
        "metrics": [{"key": k, "label": label} for k, label in CHART_METRICS],
        "table": tables,
    }
