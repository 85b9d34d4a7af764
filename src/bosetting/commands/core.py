"""Core commands: setup, reference data, demo world, serve, check, stats, sources."""

from __future__ import annotations

import json
import os
import sys

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from bosetting.commands._django import setup

console = Console()


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )


def migrate() -> None:
    """Create or upgrade the database schema (the embedded SQLite in var/ unless DATABASE_URL is set)."""
    setup()
    from django.core.management import call_command

    with console.status("Migrerer databasen …"):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
    console.print("Databasen er oppdatert.")


def load_reference() -> None:
    """Load the real reference data: municipalities, counties, statistics, regional offices, IMDi figures."""
    setup()
    from bosetting.bootstrap import load_reference

    with _progress() as progress:
        task = progress.add_task("Referansedata", total=None)
        counts = load_reference(
            lambda step: progress.update(task, description=f"Referansedata: {step}")
        )
        progress.update(task, total=1, completed=1, description="Referansedata lastet")
    _print_counts("Referansedata", counts)


def demo_world(
    seed: int = typer.Option(2014, help="Seed of the synthetic people (same seed, same world)."),
) -> None:
    """Build the demo world: Norway at the end of 2014, real figures plus synthetic people (labelled)."""
    setup()
    from bosetting.demo.users import create_demo_users
    from bosetting.demo.world import build_demo_world

    with _progress() as progress:
        task = progress.add_task("Demoverden", total=1.0)
        summary = build_demo_world(
            seed,
            lambda step, frac: progress.update(
                task, completed=frac, description=f"Demoverden: {step}"
            ),
        )
    users = create_demo_users()
    if summary.get("already_loaded"):
        console.print("Demoverdenen var allerede lastet – ingenting ble lagt til.")
    _print_counts(
        "Demoverden (syntetisk)", {k: v for k, v in summary.items() if k != "already_loaded"}
    )
    console.print(f"Demobrukere (passord «demo»): {', '.join(users)}")


def stats(
    format: str = typer.Option("text", "--format", help="text or json"),
) -> None:
    """Counts of municipalities, households, persons, units, requests and decisions in the database."""
    if format not in ("text", "json"):
        typer.echo(f"--format: expected text or json, got {format!r}", err=True)
        raise typer.Exit(2)
    setup()
    counts = _stats()
    if format == "json":
        typer.echo(json.dumps(counts, indent=2))
        return
    _print_counts("Innhold i databasen", counts)


def _stats() -> dict[str, int]:
    # Imported after setup(): the command line starts without Django (docs/architecture.md).
    from bosetting.apps.cases.selectors import totals as case_totals
    from bosetting.apps.geo.selectors import totals as geo_totals
    from bosetting.apps.housing.selectors import totals as housing_totals
    from bosetting.apps.planning.selectors import totals as planning_totals

    return {**geo_totals(), **case_totals(), **housing_totals(), **planning_totals()}


def _print_counts(title: str, counts: dict) -> None:
    table = Table(title=title)
    table.add_column("hva")
    table.add_column("antall", justify="right")
    for key, value in counts.items():
        table.add_row(key, f"{value:,}".replace(",", " ") if isinstance(value, int) else str(value))
    console.print(table)


def demo(
    seed: int = typer.Option(2014, help="Seed of the demo world."),
) -> None:
    """Set up everything for a demo: migrate, load reference data and the demo world, run the main job."""
    migrate()
    load_reference()
    demo_world(seed)
    run_main_job()
    _print_counts("Innhold i databasen", _stats())


def run_main_job() -> None:
    """The demo's main job: the demo's matching round (IMDi national, 5 January 2015)."""
    setup()
    from bosetting.apps.matching.services import do_demo_round

    _print_counts("Utsøkingsrunde (hovedjobb)", do_demo_round(console=console))


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    workers: int = typer.Option(2, help="Web server (gunicorn) worker processes."),
    worker: bool = typer.Option(
        True,
        "--worker/--no-worker",
        help="Also run one background worker (matching rounds, simulations) and supervise both.",
    ),
) -> None:
    """Serve the web app with gunicorn (production-grade; static files through WhiteNoise).

    By default one background worker (``bosetting worker``) runs beside it: if either stops, the
    other is stopped too, and Ctrl+C or SIGTERM stops both cleanly.
    """
    setup()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    args = [
        sys.executable,
        "-m",
        "gunicorn",
        "bosetting.web.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--access-logfile",
        "-",
        "--timeout",
        "120",
    ]
    if not worker:
        console.print(f"Bosetting kjører på http://{host}:{port}/  (Ctrl+C stopper)")
        os.execvp(args[0], args)
    console.print(
        f"Bosetting kjører på http://{host}:{port}/ med én bakgrunnsprosess  (Ctrl+C stopper)"
    )
    from bosetting.commands._supervise import supervise

    code = supervise(
        {
            "webserveren": args,
            "bakgrunnsprosessen": [sys.executable, "-m", "bosetting.cli", "worker"],
        },
        say=console.print,
    )
    raise typer.Exit(code)


def check() -> None:
    """Verify the configuration: settings, database connection, migrations, static files."""
    setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    problems = []
    try:
        call_command("check", verbosity=0)
    except Exception as exc:  # noqa: BLE001
        problems.append(f"django check: {exc}")
    try:
        connection.ensure_connection()
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending:
            problems.append(
                f"database: {len(pending)} migrations not applied (run `bosetting migrate`)"
            )
    except Exception as exc:  # noqa: BLE001
        problems.append(f"database: {exc}")
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    console.print(f"Database: {engine} ({settings.DATABASES['default']['NAME']})")
    console.print(
        f"Debug: {settings.DEBUG}  Språk: {settings.LANGUAGE_CODE}  var/: {settings.VAR_DIR}"
    )
    if problems:
        for p in problems:
            typer.echo(p, err=True)
        raise typer.Exit(1)
    console.print("Konfigurasjonen er i orden.")


def sources(format: str = typer.Option("text", "--format", help="text or json")) -> None:
    """List each data set's source and licence."""
    from dataclasses import asdict

    from bosetting.reference.sources import SOURCES

    if format == "json":
        typer.echo(json.dumps([asdict(s) for s in SOURCES], ensure_ascii=False, indent=2))
        return
    table = Table(title="Datakilder", show_lines=True)
    for col in ("datasett", "utgiver", "lisens", "opprinnelse"):
        table.add_column(col, overflow="fold")
    for s in SOURCES:
        table.add_row(
            s.title + (" [syntetisk]" if s.synthetic else ""), s.publisher, s.licence, s.origin
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    app.command("migrate")(migrate)
    app.command("load-reference")(load_reference)
    app.command("demo-world")(demo_world)
    app.command("demo")(demo)
    app.command("main-job")(run_main_job)
    app.command("serve")(serve)
    app.command("check")(check)
    app.command("stats")(stats)
    app.command("sources")(sources)
