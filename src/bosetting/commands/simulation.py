"""``bosetting simulate``: run the policy simulator (a door: the rules live in the engine)."""

from __future__ import annotations

import importlib.resources
import math
import os
import tempfile
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

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


def _write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file, so nothing half-written is left."""
    directory = path.resolve().parent
    if not directory.is_dir():
        raise ScenarioError(f"--out: folder does not exist: {directory}")
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _fmt(value: float | None, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return f"{value:,.{digits}f}"


def _summary_table(result: object) -> Table:
    assert isinstance(result, SweepResult)
    table = Table(
        title=f"{result.scenario.name}: mean and 90% band (p05-p95) over {len(result.runs)} runs"
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
                f"{_fmt(band['mean'], digits)}\n[dim]{_fmt(band['p05'], digits)}-"
                f"{_fmt(band['p95'], digits)}[/]"
            )
        table.add_row(year, *cells)
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
        title=f"Model ({report.mode}, {report.runs} runs, seed {report.seed}) vs report, Tabell 2.1 and 2.2"
    )
    for name, justify in (
        ("row", "left"),
        ("year", "left"),
        ("model", "right"),
        ("report", "right"),
        ("rel. error", "right"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
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
        f"Acceptance (Tabell 2.1 2012-2014 within 15%, all trend directions): [bold]{verdict}[/] "
        f"({failing} cells outside 15%, {wrong} trend directions wrong)"
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
            help="Monte Carlo runs (default 20; calibration report 8; --calibrate 4).",
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
                console, scenario or DEFAULT_SCENARIO, runs or 8, seed, workers, mode or "fast"
            )
            return
        if calibrate:
            _calibrate(console, runs or 4, seed, workers, list(write or []))
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
            _write_atomically(out, text)
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
