"""``bosetting worker``: the background worker that runs matching rounds and simulations.

    bosetting worker            # run until stopped (SIGTERM/Ctrl+C), heartbeat, recover dead jobs
    bosetting worker --burst    # recover dead jobs, run what is queued, print what ran, exit

``bosetting serve`` starts one beside the web server. See docs/pipeline.md for recovery.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from bosetting.commands._django import setup

console = Console()

STATUS_TEXT = {
    "SUCCESSFUL": "fullført",
    "FAILED": "feilet",
    "ABANDONED": "avbrutt, lagt i kø igjen",
}


def _result_text(value) -> str:
    if isinstance(value, dict):
        return " ".join(f"{k}={v}" for k, v in value.items())
    return "" if value is None else str(value)


@contextmanager
def _signal_handlers(worker) -> Iterator[None]:
    """The worker's graceful SIGTERM/SIGINT handling while it runs; the old handlers afterwards."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    worker.install_signal_handlers()
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def worker(
    burst: bool = typer.Option(
        False, "--burst", help="Recover dead jobs, run what is queued, then exit."
    ),
    interval: float = typer.Option(
        1.0, "--interval", min=0.1, max=60.0, help="Seconds between looks at an empty queue."
    ),
) -> None:
    """Run background jobs (matching rounds, simulations) until stopped, with a heartbeat.

    The first SIGTERM or Ctrl+C lets the running job finish; a second one puts it back in the queue.
    Jobs left running by a dead worker are queued again (or given up after too many attempts).
    """
    setup()
    # The lines below say what the worker does; the framework's own INFO lines would repeat them.
    logging.getLogger("django.tasks").setLevel(logging.WARNING)
    from django.db import OperationalError, ProgrammingError

    from bosetting.apps.jobs.selectors import max_attempts, stale_seconds
    from bosetting.apps.jobs.worker import Worker, WorkerEvents

    limit = max_attempts()

    def started(w: Worker) -> None:
        how = "kjører det som står i kø og avslutter" if burst else "Ctrl+C stopper"
        console.print(
            f"Bakgrunnsprosess {w.worker_id} startet ({how}; død etter {stale_seconds()} s "
            "uten livstegn)."
        )

    def recovered(jobs) -> None:
        for job in jobs:
            call = f"{job.name}({', '.join(repr(a) for a in job.args)})"
            if job.given_up:
                console.print(
                    f"[red]Gitt opp[/red] {escape(call)} etter {job.attempts} forsøk: "
                    f"{escape(job.error)}"
                )
            else:
                console.print(
                    f"Gjenopptatt {escape(call)}: prosessen døde under forsøk {job.attempts} av {limit}; "
                    "lagt i kø igjen."
                )

    def job_started(run) -> None:
        console.print(f"Starter {escape(run.call)} (jobb {run.task_id}) …")

    def job_finished(run) -> None:
        text = STATUS_TEXT.get(run.status, run.status.lower())
        result = _result_text(run.return_value) or run.error
        console.print(escape(f"{run.call}: {text} på {run.seconds:.1f} s {result}".rstrip()))

    def stopping(busy: bool) -> None:
        if busy:
            console.print(
                "Stopper når jobben som kjører er ferdig (signal en gang til avbryter den og "
                "legger den tilbake i køen)."
            )
        else:
            console.print("Stopper.")

    try:
        w = Worker(
            burst=burst,
            interval=interval,
            events=WorkerEvents(
                started=started,
                recovered=recovered,
                job_started=job_started,
                job_finished=job_finished,
                stopping=stopping,
            ),
        )
    except RuntimeError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    with _signal_handlers(w):
        try:
            w.run()
        except (OperationalError, ProgrammingError) as exc:
            typer.echo(
                f"Databasen kan ikke brukes av bakgrunnsprosessen ({exc}). "
                "Er den migrert? Kjør `bosetting migrate`.",
                err=True,
            )
            raise typer.Exit(1) from None
    if burst:
        _print_ran(w.ran)
    console.print(f"Bakgrunnsprosess {w.worker_id} stoppet.")
    if any(run.status == "FAILED" for run in w.ran):
        raise typer.Exit(1)


def _print_ran(ran) -> None:
    if not ran:
        console.print("Ingen jobber i kø.")
        return
    table = Table(title="Kjørte jobber")
    for column in ("jobb", "status", "resultat", "sekunder"):
        table.add_column(column)
    for run in ran:
        table.add_row(
            escape(run.call),
            STATUS_TEXT.get(run.status, run.status.lower()),
            escape(_result_text(run.return_value) or run.error),
            f"{run.seconds:.1f}",
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    app.command("worker")(worker)
