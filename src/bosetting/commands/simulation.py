"""``bosetting simulate``: run the policy simulator (a door: the rules live in the engine)."""

from __future__ import annotations

import importlib.resources
import math
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from bosetting.commands._files import write_atomically
from bosetting.engine.simulation import (
    SweepResult,
    calibration,
    load_scenario,
    override_parameters,
    shipped_scenario_names,
    sweep,
)
from bosetting.engine.simulation.params import MATCHING_MODES, ScenarioError

DEFAULT_SCENARIO = "baseline-2009-2014"


def _fail(message: str) -> typer.Exit:
    """Print one line to stderr and return the exit to raise."""
    Console(stderr=True, highlight=False).print(f"[bold red]error:[/] {message}", soft_wrap=True)
    return typer.Exit(2)


def _parse_sets(items: list[str]) -> dict[str, str]:
    overrides: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ScenarioError(
                f"--set {item!r}: expected KEY=VALUE, e.g. phases.preparation_months=1.5"
            )
        overrides[key.strip()] = value.strip()
    return overrides


def _progress_bar(console: Console, label: str) -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )


def _fmt(value: float | None, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return f"{value:,.{digits}f}"


def _summary_table(result: object) -> Table:
    """Calendar years (January–December, stocks on 31 December), as the JSON's ``years`` and
    the web table and charts: the mean, its Monte Carlo standard error and the 90% band."""
    assert isinstance(result, SweepResult)
    start = result.scenario.policy_start
    table = Table(
        title=(
            f"{result.scenario.name}: calendar years (Jan-Dec, stocks 31.12), mean ± Monte Carlo "
            f"s.e. and 90% band (p05-p95) over {len(result.runs)} runs"
        ),
        caption=f"* policy starts in {start}" if start else None,
    )
    table.add_column("year")
    columns = (
        ("settled", "settled", 0),
        ("waiting_dec31", "waiting 31.12", 0),
        ("share_settled_within_6_months_pct", "within 6 mo %", 1),
        ("long_waiters", "long-waiters", 0),
        ("mean_wait_months_permit_to_settlement", "wait months", 1),
    )
    for _, label, _ in columns:
        table.add_column(label, justify="right")
    summary = result.summary()
    for year, metrics in summary.items():
        cells = []
        for key, _, digits in columns:
            band = metrics[key]
            cells.append(
                f"{_fmt(band['mean'], digits)} ± {_fmt(band['se'], digits + 1)}\n"
                f"[dim]{_fmt(band['p05'], digits)}-{_fmt(band['p95'], digits)}[/]"
            )
        label = f"{year} *" if start and int(year) == start else year
        table.add_row(label, *cells)
    return table


def _calibration_report(
    console: Console, scenario: str, runs: int, seed: int, workers: int | None, mode: str
) -> None:
    with _progress_bar(console, "calibration") as bar:
        task = bar.add_task("calibration runs", total=runs)
        report = calibration.calibration_report(
            scenario,
            runs=runs,
            seed=seed,
            workers=workers,
            mode=mode,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    table = Table(
        title=(
            f"Model ({report.mode}, {report.runs} runs, seed {report.seed}) vs report, Tabell 2.1 "
            f"and 2.2: calibrated on {calibration.CALIBRATION_YEARS[0]}-"
            f"{calibration.CALIBRATION_YEARS[-1]}, {calibration.VALIDATION_YEARS[0]}-"
            f"{calibration.VALIDATION_YEARS[-1]} out of sample (the report's basis: 2014 to November)"
        )
    )
    for name in calibration.REPORT_COLUMNS:
        table.add_column(
            name,
            justify="left" if name in ("row", "year", "sample") else "right",
            no_wrap=name != "row",  # figures and years whole; only the row label wraps
        )
    for row in calibration.format_report(report):
        table.add_row(*row)
    console.print(table)
    trends = Table(title="Year-over-year trend directions 2009-2014 (model / report)")
    trends.add_column("row")
    for a in range(2009, 2014):
        trends.add_column(f"{a}->{a + 1}", justify="center")
    for row in (
        "settled",
        "waiting_dec31",
        "share_settled_within_6_months_pct",
        "long_waiters",
        "months_permit_to_settlement",
    ):
        cells = []
        for trend in (t for t in report.trends if t.row == row):
            arrow = lambda change: "up" if change > 0 else ("down" if change < 0 else "flat")  # noqa: E731
            mark = "ok" if trend.matches else "MISMATCH"
            cells.append(f"{arrow(trend.model_change)}/{arrow(trend.report_change)} {mark}")
        trends.add_row(calibration.ROW_LABELS[row], *cells)
    console.print(trends)
    failing = len(report.failing_cells)
    wrong = len(report.failing_trends)
    verdict = "PASS" if report.passes else "FAIL"
    console.print(
        f"Monte Carlo error: the largest standard error of a Tabell 2.1 mean is "
        f"{100 * report.max_relative_standard_error:.1f}% of the report's value ({report.runs} runs)."
    )
    console.print(
        f"Acceptance (in-sample Tabell 2.1 2010-2012 within 15%, all trend directions 2009-2014): "
        f"[bold]{verdict}[/] ({failing} cells outside 15%, {wrong} trend directions wrong)"
    )
    if not report.passes:
        raise typer.Exit(1)


def _calibrate(
    console: Console, runs: int, seed: int, workers: int | None, targets: list[Path]
) -> None:
    packaged = Path(
        str(
            importlib.resources.files("bosetting.engine.simulation.scenarios").joinpath(
                f"{DEFAULT_SCENARIO}.toml"
            )
        )
    )
    paths = targets or [packaged] + (
        [Path("scenarios") / f"{DEFAULT_SCENARIO}.toml"]
        if (Path("scenarios") / f"{DEFAULT_SCENARIO}.toml").is_file()
        else []
    )
    with console.status("calibrating (this takes minutes)") as status:
        _, values = calibration.fit(
            DEFAULT_SCENARIO,
            runs=runs,
            seed=seed,
            workers=workers,
            log=lambda message: status.update(message),
        )
    for path in paths:
        calibration.write_calibrated(path, values)
        console.print(f"wrote the calibrated block of {path}")


def simulate(
    scenario: Annotated[
        str | None,
        typer.Argument(help="Scenario TOML file or shipped name (e.g. baseline-2009-2014)."),
    ] = None,
    runs: Annotated[
        int | None,
        typer.Option(
            "--runs",
            min=1,
            help="Monte Carlo runs (default 20; calibration report 40; --calibrate 8).",
        ),
    ] = None,
    seed: Annotated[
        int, typer.Option("--seed", min=0, help="Seed; run i uses streams (seed, i).")
    ] = 0,
    out: Annotated[Path | None, typer.Option("--out", help="Write the result JSON here.")] = None,
    workers: Annotated[
        int | None,
        typer.Option("--workers", min=1, help="Parallel processes (default: all cores)."),
    ] = None,
    mode: Annotated[
        str | None, typer.Option("--mode", help="Matching mode: fast, greedy or full.")
    ] = None,
    years: Annotated[
        int | None, typer.Option("--years", min=1, help="Reported years (default: the scenario's).")
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler", help="Run on a Dask distributed scheduler, e.g. tcp://host:8786."
        ),
    ] = None,
    dask_local: Annotated[
        bool,
        typer.Option("--dask-local", help="Run on a local Dask cluster of --workers processes."),
    ] = False,
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="Override a parameter: KEY=VALUE (repeatable)."),
    ] = None,
    calibration_report: Annotated[
        bool,
        typer.Option(
            "--calibration-report",
            help="Print the baseline against Tabell 2.1/2.2 and the acceptance verdict.",
        ),
    ] = False,
    calibrate: Annotated[
        bool, typer.Option("--calibrate", help="Fit the baseline and write its calibrated block.")
    ] = False,
    write: Annotated[
        list[Path] | None,
        typer.Option(
            "--write",
            help="With --calibrate: scenario files to update (default: the packaged baseline and ./scenarios/).",
        ),
    ] = None,
    list_: Annotated[bool, typer.Option("--list", help="List the shipped scenarios.")] = False,
) -> None:
    """Simulate the settlement system (policy digital twin) and write a result JSON."""
    console = Console(highlight=False)
    try:
        if list_:
            for name in shipped_scenario_names():
                console.print(f"{name}: {load_scenario(name).description}")
            return
        if mode is not None and mode not in MATCHING_MODES:
            raise ScenarioError(f"--mode: {mode!r} is not one of {', '.join(MATCHING_MODES)}")
        if calibration_report:
            _calibration_report(
                console,
                scenario or DEFAULT_SCENARIO,
                runs or calibration.DEFAULT_REPORT_RUNS,
                seed,
                workers,
                mode or "fast",
            )
            return
        if calibrate:
            _calibrate(console, runs or 8, seed, workers, list(write or []))
            return
        runs = runs or 20
        if scenario is None:
            raise ScenarioError("SCENARIO: give a scenario file or name (see --list)")
        loaded = load_scenario(scenario)
        if set_:
            loaded = override_parameters(loaded, _parse_sets(set_))
        with _progress_bar(console, "runs") as bar:
            task = bar.add_task(f"simulating {loaded.name}", total=runs)
            result = sweep(
                loaded,
                runs=runs,
                seed=seed,
                workers=workers,
                mode=mode,
                years=years,
                scheduler=scheduler,
                dask_local=dask_local,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
        text = result.to_json()
        if out is not None:
            write_atomically(out, text)
        console.print(_summary_table(result))
        console.print(
            f"{len(result.runs)} runs, mode {result.mode}, {result.wall_seconds:.1f} s"
            + (f"; wrote {out}" if out else "")
        )
    except ScenarioError as exc:
        raise _fail(str(exc)) from None
    except (OSError, ValueError) as exc:
        raise _fail(str(exc)) from None


def register(app: typer.Typer) -> None:
    """Add ``bosetting simulate``."""
    app.command("simulate")(simulate)


__all__ = ["register", "simulate"]
