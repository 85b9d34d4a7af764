"""``bosetting import decisions|units|permits FILE``: CSV/XLSX imports, all rows or none;
``bosetting import purge``: empty the content of old uploads."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from bosetting.commands._django import setup

console = Console()
app = typer.Typer(
    help="Importer vedtak, boliger og vedtak om opphold fra CSV eller XLSX (alt eller ingenting).",
    no_args_is_help=True,
)

FILE = typer.Argument(..., help="A .csv (comma or semicolon) or .xlsx file; see docs/imports.md.")
USER = typer.Option(
    None, "--user", help="Import as this user (its role and scope apply). Default: the system."
)
DRY_RUN = typer.Option(False, "--dry-run", help="Check every row and report; write nothing.")


def _fail(message: str) -> None:
    typer.echo(message, err=True)
    raise typer.Exit(2)


def _run(kind: str, file: Path, username: str | None, dry_run: bool) -> None:
    if not file.is_file():
        _fail(f"{file}: filen finnes ikke.")
    setup()
    # Imported after setup(): the command line starts without Django (docs/architecture.md).
    from django.core.exceptions import PermissionDenied

    from bosetting.apps.accounts.selectors import active_user
    from bosetting.apps.imports.services import do_import

    user = None
    if username:
        user = active_user(username)
        if user is None:
            _fail(f"--user: ukjent bruker {username!r}.")
    content = file.read_bytes()
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=console
    ) as progress:
        task = progress.add_task(f"Importerer {file.name}", total=None)

        def step(stage: str, done: int, total: int) -> None:
            label = {"read": "Leser", "check": "Kontrollerer"}.get(stage, "Skriver")
            progress.update(
                task, completed=done, total=total or None, description=f"{label} {file.name}"
            )

        try:
            report = do_import(user, kind, content, file.name, dry_run=dry_run, progress=step)
        except PermissionDenied as exc:
            progress.stop()
            _fail(f"{file.name}: {exc}")
    if report.errors:
        for e in report.errors:
            where = f"rad {e.row}" if e.row else "filen"
            column = f", kolonne {e.column}" if e.column else ""
            typer.echo(f"{file.name}: {where}{column}: {e.message}", err=True)
        typer.echo(f"{len(report.errors)} feil i {file.name}; ingenting ble skrevet.", err=True)
        raise typer.Exit(2)
    verb = "ville blitt" if dry_run else "ble"
    console.print(
        f"{file.name}: {report.rows} rader – {report.created} nye, {report.updated} endret, "
        f"{report.unchanged} uendret ({verb} skrevet{' – prøvekjøring' if dry_run else ''})."
    )


def decisions(file: Path = FILE, user: str | None = USER, dry_run: bool = DRY_RUN) -> None:
    """Council decisions: kommunenummer,år,antall,enslige_mindreårige,vedtaksdato[,periode_fra,periode_år,merknad]."""
    _run("decisions", file, user, dry_run)


def units(file: Path = FILE, user: str | None = USER, dry_run: bool = DRY_RUN) -> None:
    """Housing units: kode,kommunenummer,type,soverom,maks_personer,senger,sone,tilrettelagt,ledig_fra,husleie."""
    _run("units", file, user, dry_run)


def permits(file: Path = FILE, user: str | None = USER, dry_run: bool = DRY_RUN) -> None:
    """Permit notifications (new cases): saksreferanse,vedtaksdato,saksopprettet,personer[,mottak,behov,tilknytning]."""
    _run("permits", file, user, dry_run)


def sample(
    kind: str = typer.Argument(..., help="decisions, units or permits"),
) -> None:
    """Print a sample CSV file of a kind (the same as docs/samples/)."""
    setup()
    # Imported after setup(): the command line starts without Django (docs/architecture.md).
    from bosetting.apps.imports.selectors import kind_names, sample_rows

    if kind not in kind_names():
        _fail(f"kind: expected one of {', '.join(kind_names())}, got {kind!r}")
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerows(sample_rows(kind))


def purge(
    days: int | None = typer.Option(
        None,
        "--days",
        min=0,
        help="Empty uploads older than this many days (default: BOSETTING_IMPORT_RETENTION_DAYS).",
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Count what would be emptied; change nothing."
    ),
) -> None:
    """Empty the content of uploaded import files older than the retention period; their reports
    and counts are kept, and each emptied file is audited."""
    setup()
    # Imported after setup(): the command line starts without Django (docs/architecture.md).
    from bosetting.apps.imports.services import do_purge_contents

    result = do_purge_contents(days=days, dry_run=dry_run)
    mb = result.bytes / (1024 * 1024)
    verb = "ville fått" if dry_run else "fikk"
    console.print(
        f"{result.batches} importfiler eldre enn {result.days} dager {verb} innholdet slettet "
        f"({mb:.1f} MB); rapportene er beholdt{' – prøvekjøring' if dry_run else ''}."
    )


def register(root: typer.Typer) -> None:
    app.command("decisions")(decisions)
    app.command("units")(units)
    app.command("permits")(permits)
    app.command("sample")(sample)
    app.command("purge")(purge)
    root.add_typer(app, name="import")
