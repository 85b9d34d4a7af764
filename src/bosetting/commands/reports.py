"""``bosetting report …``: the report's Tables 2.1–2.4 and the monthly report.

A door: the figures come from :mod:`bosetting.apps.reports` (which calls the KPI engine).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import typer
from rich.console import Console

from bosetting.commands._django import setup

report_app = typer.Typer(
    help="Rapporter: tabell 2.1–2.4 fra databasen eller en simulering, og månedsrapporten.",
    no_args_is_help=True,
)

FORMATS = ("text", "json", "csv", "xlsx")


def _fail(message: str) -> None:
    typer.echo(message, err=True)
    raise typer.Exit(2)


@report_app.command("tables")
def tables_command(
    year_from: int = typer.Option(2009, "--from", help="First year (column)."),
    year_to: int = typer.Option(2014, "--to", help="Last year (column)."),
    format: str = typer.Option("text", "--format", help="text, json, csv or xlsx."),
    out: Path | None = typer.Option(None, "--out", help="Write to this file (xlsx needs it)."),
    area: str = typer.Option(
        "national",
        "--area",
        help="national, county:12, region:imdi-vest or municipality:1201.",
    ),
    as_of: str | None = typer.Option(
        None, "--as-of", help="Date of the data extract (YYYY-MM-DD); default: full years."
    ),
    long_wait_months: int = typer.Option(
        6, "--long-wait-months", help="Months since the permit that make a long-waiter."
    ),
    from_simulation: Path | None = typer.Option(
        None, "--from-simulation", help="A simulation result (JSON) instead of the database."
    ),
) -> None:
    """Tables 2.1–2.4 in the report's row layout, with the published figures alongside."""
    if format not in FORMATS:
        _fail(f"--format: expected one of {', '.join(FORMATS)}, got {format!r}")
    if year_to < year_from:
        _fail(f"--to: {year_to} is before --from {year_from}")
    if year_to - year_from > 50:
        _fail("--to: at most 50 years")
    if format == "xlsx" and out is None:
        _fail("--out: xlsx needs a file to write to")
    if long_wait_months < 0:
        _fail("--long-wait-months: must be >= 0")
    as_of_date = None
    if as_of:
        try:
            as_of_date = dt.date.fromisoformat(as_of)
        except ValueError:
            _fail(f"--as-of: not a date (YYYY-MM-DD): {as_of!r}")
    years = list(range(year_from, year_to + 1))

    setup()
    # The app only after setup(): ``bosetting --help`` starts without Django.
    from bosetting.apps.reports import selectors

    if from_simulation is not None:
        try:
            data = json.loads(from_simulation.read_text(encoding="utf-8"))
        except FileNotFoundError:
            _fail(f"--from-simulation: no such file: {from_simulation}")
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            _fail(f"--from-simulation: not valid JSON: {exc}")
        if not isinstance(data, dict):
            _fail("--from-simulation: expected a JSON object with table_2_1 …")
        try:
            result = selectors.tables_from_simulation(data, years)
        except ValueError as exc:
            _fail(f"--from-simulation: {exc}")
        area_label = "simulering"
    else:
        try:
            parsed = selectors.Area.parse(area)
            selectors.area_numbers(parsed)
        except ValueError as exc:
            _fail(f"--area: {exc}")
        result = _with_progress(
            lambda: selectors.tables_for_area(
                parsed, years, as_of=as_of_date, long_wait_threshold_months=long_wait_months
            )
        )
        area_label = parsed.label()

    if format == "json":
        _write_text(out, json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    elif format == "csv":
        _write_text(out, selectors.tables_csv(result))
    elif format == "xlsx":
        assert out is not None
        _write_bytes(out, selectors.tables_xlsx(result, area_label))
    else:
        text = selectors.tables_text(result, area_label)
        _write_text(out, text)


def _with_progress(fn):
    """Run ``fn`` under a Rich spinner on a terminal (tables on 50,000 cases take about a second)."""
    if not sys.stderr.isatty():
        return fn()
    with Console(stderr=True).status("Beregner tabellene …"):
        return fn()


def _write_text(out: Path | None, text: str) -> None:
    if out is None:
        typer.echo(text, nl=False)
        return
    _write_bytes(out, text.encode("utf-8"))


def _write_bytes(out: Path, data: bytes) -> None:
    """Write atomically: a temp file beside the target, then rename (nothing half-written)."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(out.name + ".part")
        tmp.write_bytes(data)
        tmp.replace(out)
    except OSError as exc:
        _fail(f"--out: cannot write {out}: {exc.strerror or exc}")
    typer.echo(f"Skrev {out}", err=True)


@report_app.command("monthly")
def monthly_command(
    month: str = typer.Option(..., "--month", help="The month, YYYY-MM (e.g. 2014-11)."),
    out: Path = typer.Option(Path("."), "--out", help="Folder for the PDF and XLSX."),
    area: str = typer.Option("national", "--area", help="national, county:12, region:…, …"),
) -> None:
    """The monthly settlement report ("månedsrapport") as PDF and XLSX."""
    setup()
    # The app only after setup(): ``bosetting --help`` starts without Django.
    from bosetting.apps.reports import selectors

    try:
        first_day = selectors.parse_month(month)
    except ValueError as exc:
        _fail(f"--month: {exc}")

    try:
        parsed = selectors.Area.parse(area)
        selectors.area_numbers(parsed)
    except ValueError as exc:
        _fail(f"--area: {exc}")
    console = Console(stderr=True)
    with console.status("Lager månedsrapporten …"):
        report = selectors.monthly_report_for_area(first_day, parsed)
        pdf = selectors.monthly_pdf(report)
        xlsx = selectors.monthly_xlsx(report)
    stem = f"manedsrapport-{first_day:%Y-%m}"
    if parsed.code is not None:
        stem += f"-{parsed.kind}-{parsed.code}"
    _write_bytes(out / f"{stem}.pdf", pdf)
    _write_bytes(out / f"{stem}.xlsx", xlsx)


def register(app: typer.Typer) -> None:
    app.add_typer(report_app, name="report")
