"""Operators' commands: backup, restore and retention (docs/operations.md)."""

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


def retention(
    dry_run: bool = typer.Option(False, "--dry-run", help="Say what would go; change nothing."),
    years: int = typer.Option(
        0, "--years", help="Years after settlement (default BOSETTING_RETENTION_YEARS, 5)."
    ),
) -> None:
    """Anonymise the personal data of cases settled longer ago than the retention period; the
    figures stay (docs/operations.md). Every anonymised case is audited."""
    setup()
    from bosetting.apps.lifecycle.services import do_apply_retention

    report = do_apply_retention(None, years=years or None, dry_run=dry_run)
    verb = "Ville anonymisert" if dry_run else "Anonymiserte"
    console.print(
        f"{verb} {report.households} saker ({report.persons} personer) bosatt før "
        f"{report.settled_before:%d.%m.%Y}."
    )
    if report.references:
        shown = ", ".join(report.references)
        more = " …" if report.households > len(report.references) else ""
        console.print(f"Eldste: {shown}{more}")
    if not dry_run and report.households:
        console.print(
            f"Forslag renset: {report.proposals}; økonomiopplysninger slettet: "
            f"{report.economies}; endringslogg sladdet: {report.audit_entries} innslag."
        )


def register(app: typer.Typer) -> None:
    app.command("backup")(backup)
    app.command("restore")(restore)
    app.command("retention")(retention)
