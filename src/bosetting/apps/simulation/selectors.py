"""Reads of simulation runs. Runs hold aggregates only: every logged-in role may read them all, so
officers can compare each other's scenarios."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from bosetting.apps.simulation.choices import scenario_text
from bosetting.apps.simulation.models import SimulationRun

# Metrics shown in the comparison charts: key, label.
CHART_METRICS = (
    ("settled", _("Bosatte i året")),
    ("waiting_dec31", _("Bosettingsklare som venter 31.12.")),
    ("share_settled_within_6_months_pct", _("Andel bosatt innen 6 måneder (%)")),
    ("mean_wait_months_permit_to_settlement", _("Måneder fra vedtak til bosetting")),
)
# The comparison table: Tabell 2.1 and 2.2's rows, from the same calendar-year means as the charts.
TABLE_METRICS = (
    "settled",
    "waiting_dec31",
    "share_settled_within_6_months_pct",
    "long_waiters",
    "mean_wait_months_permit_to_settlement",
    "mean_wait_months_case_to_settlement",
)


def runs_for(user) -> QuerySet[SimulationRun]:
    return SimulationRun.objects.select_related("created_by")


def run_for(user, pk: int) -> SimulationRun:
    """One run (any logged-in role may read every run); raises ``SimulationRun.DoesNotExist``."""
    return runs_for(user).get(pk=pk)


def finished_runs(user) -> QuerySet[SimulationRun]:
    return runs_for(user).filter(status=SimulationRun.Status.DONE)


def _mean(result: dict, year: str, key: str):
    return result["years"][year].get(key, {}).get("mean")


def comparison(runs: list[SimulationRun]) -> dict:
    """Chart series (per-year mean and 90 % band) and the Tabell 2.1/2.2 rows of several runs.

    Chart and table read the same calendar-year means (``years`` of the result: January–December,
    stocks on 31 December), so they cannot disagree; each run carries its scenario's policy start
    (marked in the charts)."""
    series = []
    tables = []
    for sim in runs:
        result = sim.result or {}
        years = sorted(result.get("years", {}))
        metrics = {}
        for key, _label in CHART_METRICS:
            metrics[key] = {
                "years": years,
                "mean": [_mean(result, y, key) for y in years],
                "p05": [result["years"][y].get(key, {}).get("p05") for y in years],
                "p95": [result["years"][y].get(key, {}).get("p95") for y in years],
            }
        policy_start = result.get("policy_start") or (result.get("parameters") or {}).get(
            "policy_start"
        )
        series.append(
            {
                "id": sim.pk,
                "name": str(sim),
                "scenario": str(scenario_text(sim.scenario).title),
                "policy_start": str(policy_start) if policy_start else None,
                "metrics": metrics,
            }
        )
        for year in years:
            row = {"run": str(sim), "year": year, "policy_start": str(policy_start) == year}
            row.update({key: _mean(result, year, key) for key in TABLE_METRICS})
            tables.append(row)
    return {
        "series": series,
        "metrics": [{"key": k, "label": str(label)} for k, label in CHART_METRICS],
        "table": tables,
        "policy_label": str(_("Tiltaket starter")),
    }
