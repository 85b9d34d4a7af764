"""Run an import: read the file, check every row, and write all rows or none.

- A row-level report lists every error as (row, column, message); the row is the file's line number
  (header = 1) and the column is the header as written in the file.
- All or nothing: the rows are checked first; if any fails nothing is written, and if a write fails
  the transaction is rolled back.
- Idempotent: rows are matched on their natural key (decision: municipality number + year; unit: unit
  code; permit: case reference); a row equal to what is stored is left alone and not audited.
- Every written row is audited (``do_record``), as is the import itself (on its ``ImportBatch``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bosetting.apps.audit.services import do_record
from bosetting.apps.imports import parsing
from bosetting.apps.imports.kinds import KINDS, Kind, Planned, RowProblem
from bosetting.apps.imports.models import ImportBatch

# ``progress(stage, done, total)``: stage "check" while rows are checked, "write" while they are written.
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class RowError:
    """An error in a file: line number (header = 1; 0 = the file as a whole), column, message."""

    row: int
    column: str
    message: str


@dataclass
class ImportReport:
    """What an import found and did."""

    kind: str
    filename: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    written: bool = False
    errors: list[RowError] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)  # row, key, change

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportReport:
        data = dict(data)
        data["errors"] = [RowError(**e) for e in data.get("errors", [])]
        return cls(**data)


def kinds_for(user) -> list[str]:
    """The kinds of file a user may import (``user=None``: the system, from the command line)."""
    return [name for name, kind in KINDS.items() if kind.may_import(user)]


def _columns(kind: Kind, header: list[str], errors: list[RowError]) -> dict[int, Any]:
    """Map file columns to the kind's columns; unknown, duplicate and missing columns are errors."""
    by_alias = {
        parsing.normalise_header(alias): column
        for column in kind.columns
        for alias in column.headers
    }
    ignored = {parsing.normalise_header(h) for h in kind.ignored_headers}
    mapping: dict[int, Any] = {}
    seen: dict[str, str] = {}
    for index, name in enumerate(header):
        key = parsing.normalise_header(name)
        if not key or key in ignored:
            continue
        column = by_alias.get(key)
        if column is None:
            errors.append(RowError(1, name, _("Ukjent kolonne.")))
        elif column.field in seen:
            errors.append(
                RowError(
                    1,
                    name,
                    _("Kolonnen står to ganger (også som «%(h)s»).") % {"h": seen[column.field]},
                )
            )
        else:
            seen[column.field] = name
            mapping[index] = column
    for column in kind.columns:
        if column.required and column.field not in seen:
            errors.append(RowError(1, column.header, _("Kolonnen mangler.")))
    return mapping


def check_table(
    user, kind: Kind, table: parsing.Table, report: ImportReport, progress: Progress | None = None
) -> list[Planned]:
    """Parse and validate every row; errors go into the report, checked rows are returned."""
    mapping = _columns(kind, table.header, report.errors)
    if report.errors:
        return []
    header_of = {column.field: table.header[i] for i, column in mapping.items()}
    present = set(header_of)
    planned: list[Planned] = []
    first_row_of_key: dict[str, int] = {}
    for row, cells in table.rows:
        report.rows += 1
        if progress is not None and report.rows % 50 == 0:
            progress("check", report.rows, len(table.rows))
        values: dict[str, Any] = {c.field: c.default for c in kind.columns}
        row_errors = []
        for index, column in mapping.items():
            cell = cells[index] if index < len(cells) else None
            if cell is None or (isinstance(cell, str) and not cell.strip()):
                if column.required:
                    row_errors.append(RowError(row, header_of[column.field], _("Mangler verdi.")))
                continue
            try:
                values[column.field] = column.parse(cell)
            except parsing.CellError as exc:
                row_errors.append(RowError(row, header_of[column.field], str(exc)))
        if row_errors:
            report.errors.extend(row_errors)
            continue
        key = kind.key_of(values)
        if key in first_row_of_key:
            report.errors.append(
                RowError(
                    row,
                    header_of[kind.key_fields[0]],
                    _("Samme nøkkel (%(key)s) som rad %(first)s.")
                    % {"key": key, "first": first_row_of_key[key]},
                )
            )
            continue
        first_row_of_key[key] = row
        try:
            planned.append(kind.check(user, row, values, present))
        except RowProblem as problem:
            for field_name, message in problem.problems:
                report.errors.append(
                    RowError(row, header_of.get(field_name, field_name), str(message))
                )
    return planned


class _Rollback(Exception):
    pass


def run_import(
    user,
    kind_name: str,
    content: bytes,
    filename: str,
    *,
    commit: bool,
    progress: Progress | None = None,
) -> ImportReport:
    """Check a file and, when ``commit`` and every row is valid, write it in one transaction.

    Raises ``PermissionDenied`` when the user may not import this kind at all; everything else ends
    up in the report."""
    kind = KINDS[kind_name]
    if not kind.may_import(user):
        raise PermissionDenied(_("Du har ikke tilgang til å importere denne filtypen."))
    report = ImportReport(kind=kind_name, filename=filename)
    try:
        table = parsing.read_table(content, filename)
    except parsing.FileError as exc:
        report.errors.append(RowError(0, "", str(exc)))
        return report
    try:
        with transaction.atomic():
            planned = check_table(user, kind, table, report, progress)
            for p in planned:
                report.changes.append({"row": p.row, "key": p.key, "change": p.change})
            if report.errors or not commit:
                return _counted(report, planned)
            to_write = [p for p in planned if p.change != "unchanged"]
            for done, p in enumerate(to_write, start=1):
                try:
                    kind.write(user, p, note=f"import {filename} rad {p.row}")
                except (ValidationError, PermissionDenied, DatabaseError) as exc:
                    message = "; ".join(getattr(exc, "messages", None) or [str(exc)])
                    report.errors.append(RowError(p.row, "", message))
                    raise _Rollback from exc
                if progress is not None:
                    progress("write", done, len(to_write))
            report.written = True
    except _Rollback:
        report.written = False
    return _counted(report, planned)


def _counted(report: ImportReport, planned: list[Planned]) -> ImportReport:
    report.created = sum(p.change == "create" for p in planned)
    report.updated = sum(p.change == "update" for p in planned)
    report.unchanged = sum(p.change == "unchanged" for p in planned)
    return report


def _store(
    user, kind_name: str, content: bytes, filename: str, report: ImportReport
) -> ImportBatch:
    return ImportBatch.objects.create(
        kind=kind_name,
        filename=filename[:200],
        content=content,
        created_by=user if user is not None and user.is_authenticated else None,
        report=report.as_dict(),
    )


def do_import(
    user,
    kind_name: str,
    content: bytes,
    filename: str,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import a file at once (the command line). A written import is kept as an audited batch."""
    report = run_import(user, kind_name, content, filename, commit=not dry_run, progress=progress)
    if report.written:
        with transaction.atomic():
            batch = _store(user, kind_name, content, filename, report)
            batch.status = ImportBatch.Status.IMPORTED
            batch.imported_at = timezone.now()
            batch.save(update_fields=["status", "imported_at"])
            do_record(user, "import", batch, after=_summary(report))
    return report


def do_preview(user, kind_name: str, content: bytes, filename: str) -> ImportBatch:
    """Check an uploaded file and keep it for confirmation; nothing else is written."""
    report = run_import(user, kind_name, content, filename, commit=False)
    return _store(user, kind_name, content, filename, report)


@transaction.atomic
def do_confirm(user, batch_id: int) -> ImportBatch:
    """Write a previewed file (checked again: the database may have changed since the preview)."""
    batch = ImportBatch.objects.select_for_update(of=("self",)).get(pk=batch_id)
    if batch.created_by_id != getattr(user, "pk", None):
        raise PermissionDenied(_("Bare den som lastet opp filen kan bekrefte importen."))
    if batch.status != ImportBatch.Status.PREVIEWED:
        raise ValidationError(_("Filen er allerede behandlet."))
    report = run_import(user, batch.kind, bytes(batch.content), batch.filename, commit=True)
    batch.report = report.as_dict()
    batch.status = ImportBatch.Status.IMPORTED if report.written else ImportBatch.Status.FAILED
    batch.imported_at = timezone.now() if report.written else None
    batch.save(update_fields=["report", "status", "imported_at"])
    do_record(user, "import" if report.written else "import_refused", batch, after=_summary(report))
    return batch


def _summary(report: ImportReport) -> dict[str, Any]:
    return {
        "kind": report.kind,
        "filename": report.filename,
        "rows": report.rows,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "errors": len(report.errors),
    }
