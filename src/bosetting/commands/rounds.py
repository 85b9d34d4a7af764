"""``bosetting round``: run a matching round on the database and list rounds.

    bosetting round run [--as-of 2015-01-05] [--solver optimal|greedy] [--time-limit 20]
                        [--municipality 1201 --municipality 1247] [--background] [--format text|json]
    bosetting round list [--format text|json]

A round run here is started by the system (no user) and is left as drafts for an officer to review
and send on the round page. It runs in the foreground, or with ``--background`` is queued as a
background job for ``bosetting worker`` (the command prints the round id and exits).
"""

from __future__ import annotations

import json
import sys
from datetime import date

import typer
from rich.console import Console
from rich.table import Table

from bosetting.commands._django import setup

round_app = typer.Typer(help="Matching rounds (utsøking) on the database.", no_args_is_help=True)
console = Console()


def _fail(message: str) -> None:
    typer.echo(message, err=True)
    raise typer.Exit(2)


@round_app.command("run")
def run(
    as_of: str = typer.Option("", "--as-of", help="Day of the round (YYYY-MM-DD); default today."),
    solver: str = typer.Option("optimal", help="optimal or greedy."),
    time_limit: float = typer.Option(20.0, "--time-limit", help="Solver time limit in seconds."),
    municipality: list[str] = typer.Option(
        [], "--municipality", help="Limit to these municipality numbers (repeatable)."
    ),
    background: bool = typer.Option(
        False, "--background", help="Queue the round for `bosetting worker`, print its id, exit."
    ),
    format: str = typer.Option("text", "--format", help="text or json"),
) -> None:
    """Build the instance from the database, solve it and store the proposals as drafts."""
    if format not in ("text", "json"):
        _fail(f"--format: expected text or json, got {format!r}")
    if solver not in ("optimal", "greedy"):
        _fail(f"--solver: expected optimal or greedy, got {solver!r}")
    if not 0 < time_limit <= 600:
        _fail(f"--time-limit: expected 0 < seconds <= 600, got {time_limit}")
    day = None
    if as_of:
        try:
            day = date.fromisoformat(as_of)
        except ValueError:
            _fail(f"--as-of: not a date (YYYY-MM-DD): {as_of!r}")
    setup()
    # Imported after setup(): the command line starts without Django (docs/architecture.md).
    from bosetting import clock
    from bosetting.apps.geo.selectors import municipality_ids_by_number
    from bosetting.apps.matching.choices import RoundStatus
    from bosetting.apps.matching.services import do_create_round, do_run_round
    from bosetting.reference.structure import structure_year_for

    day = day or clock.today()
    known = municipality_ids_by_number(municipality, structure_year_for(day.year))
    unknown = [n for n in municipality if n not in known]
    if unknown:
        _fail(f"--municipality: unknown municipality number {unknown[0]!r}")
    if background:
        _queue(day, solver, time_limit, municipality or None, format)
        return
    rnd = do_create_round(None, day, solver, time_limit, municipality or None)
    with console.status("Utsøkingsrunde …") if format == "text" else _nothing():
        rnd = do_run_round(rnd.pk)
    if rnd.status != RoundStatus.DONE:
        _fail(f"round {rnd.pk} failed: {rnd.error}")
    summary = {"round": rnd.pk, **(rnd.summary or {})}
    if format == "json":
        typer.echo(json.dumps(summary, indent=2))
        return
    table = Table(title=f"Utsøkingsrunde {rnd.pk} ({rnd.as_of})")
    table.add_column("hva")
    table.add_column("verdi", justify="right")
    for key, value in summary.items():
        table.add_row(key, f"{value:.6g}" if isinstance(value, float) else str(value))
    console.print(table)


def _queue(day: date, solver: str, time_limit: float, numbers: list[str] | None, format: str):
    from bosetting.apps.jobs.selectors import worker_alive
    from bosetting.apps.matching.services import do_start_round

    rnd = do_start_round(
        None, as_of=day, solver=solver, time_limit=time_limit, municipality_numbers=numbers
    )
    alive = worker_alive()
    if format == "json":
        typer.echo(
            json.dumps(
                {
                    "round": rnd.pk,
                    "status": rnd.status,
                    "task_id": rnd.task_id,
                    "worker_alive": alive,
                },
                indent=2,
            )
        )
        return
    console.print(f"Utsøkingsrunde {rnd.pk} ({rnd.as_of}) er lagt i kø (jobb {rnd.task_id}).")
    if not alive:
        console.print(
            "Ingen bakgrunnsprosess kjører – start `bosetting worker` (eller `bosetting worker "
            "--burst`) for å kjøre runden."
        )


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


@round_app.command("list")
def list_rounds(format: str = typer.Option("text", "--format", help="text or json")) -> None:
    """The latest rounds with status and result figures."""
    if format not in ("text", "json"):
        _fail(f"--format: expected text or json, got {format!r}")
    setup()
    from bosetting.apps.matching.selectors import latest_rounds

    rounds = latest_rounds(50)
    columns = ("round", "as_of", "status", "solver", "households_placed", "objective", "gap")
    rows = [
        {
            "round": r.pk,
            "as_of": r.as_of.isoformat(),
            "status": r.status,
            "solver": r.solver,
            "households_placed": (r.summary or {}).get("households_placed"),
            "objective": (r.summary or {}).get("objective"),
            "gap": (r.summary or {}).get("gap"),
        }
        for r in rounds
    ]
    if format == "json":
        detailed = [
            {
                "id": r.pk,
                **row,
                "label": r.label,
                "error": r.error,
                "task_id": r.task_id,
                "summary": r.summary,
            }
            for r, row in zip(rounds, rows, strict=True)
        ]
        typer.echo(json.dumps(detailed, indent=2))
        return
    table = Table(title="Utsøkingsrunder")
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row.values()))
    Console(file=sys.stdout).print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(round_app, name="round")
