"""Operators' commands: backup and restore (docs/operations.md)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from bosetting.commands._django import setup

console = Console()


def _fail(message: str) -> None:
    typer.echo(message, err=True)
    raise typer.Exit(2)


def backup(
    out: Path = typer.Option(..., "--out", help="A new or empty folder for the backup."),
) -> None:
    """Back up the database and the stored files, with a manifest of row counts and checksums."""
    setup()
    # Imported after setup(): the command line starts without Django (docs/architecture.md).
    from bosetting.backup import BackupError
    from bosetting.backup import backup as do_backup

    try:
        with console.status("Tar sikkerhetskopi …"):
            summary = do_backup(out)
    except BackupError as exc:
        _fail(f"backup: {exc}")
    console.print(
        f"Sikkerhetskopi i {summary.folder}: {summary.engine}, {summary.tables} tabeller, "
        f"{summary.rows} rader, {summary.files} filer med sjekksum."
    )


def restore(
    folder: Path = typer.Argument(..., help="A folder written by `bosetting backup`."),
) -> None:
    """Restore a backup into an empty data folder (SQLite) or a new, empty database (PostgreSQL);
    every checksum is verified first and every table's row count after."""
    setup()
    from bosetting.backup import BackupError
    from bosetting.backup import restore as do_restore

    try:
        with console.status("Gjenoppretter …"):
            summary = do_restore(folder)
    except BackupError as exc:
        _fail(f"restore: {exc}")
    console.print(
        f"Gjenopprettet fra {summary.folder}: {summary.tables} tabeller og {summary.rows} rader "
        f"som i manifestet, {summary.files} filer kontrollert."
    )


def register(app: typer.Typer) -> None:
    app.command("backup")(backup)
    app.command("restore")(restore)
