"""Run an import: read the file, check every row, and write all rows or none.

- Limits first: the file is checked against ``BOSETTING_IMPORT_MAX_*`` before any row is read, and
  the reading stops at the first row over a limit (``parsing``); the report names the limit.
- A row-level report lists every error as (row, column, message); the row is the file's line number
  (header = 1; 0 = the file as a whole) and the column is the header as written in the file.
- All or nothing: the rows are checked first; if any fails nothing is written, and if a write fails
  the transaction is rolled back.
- Idempotent: rows are matched on their natural key (decision: municipality number + year; unit: unit
  code; permit: case reference); a row equal to what is stored is left alone and not audited.
- In bulk: each kind reads what its rows need in a few queries (``Kind.check_rows``) and units are
  written in bulk (``Kind.write_rows``).

The command line calls ``run_import`` through ``services.do_import``; the web upload's background
jobs (``runner``) call it for the preview and for the confirmed write.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from bosetting.apps.imports import parsing
from bosetting.apps.imports.kinds import KINDS, Kind, Planned, RowProblem, WriteFailed

# ``progress(stage, done, total)``: stage "read" while the file is read (``total`` 0: not known
# yet), "check" while rows are checked, "write" while they are written.
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class RowError:
    """An error in a file: line number (header = 1; 0 = the file as a whole), column, message."""

    row: int
    column: str
    message: str


@dataclass
class ImportReport:
    """What an import found and did. ``limit`` names the limit a refused file was over (``bytes``,
    ``rows``, ``columns``, ``expanded``), empty otherwise."""

    kind: str
    filename: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    written: bool = False
    errors: list[RowError] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)  # row, key, change
    limit: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def file_errors(self) -> list[RowError]:
        """Errors of the file as a whole (unreadable, over a limit, a write that failed)."""
        return [e for e in self.errors if e.row == 0]

    @property
    def row_errors(self) -> list[RowError]:
        return [e for e in self.errors if e.row != 0]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportReport:
        data = dict(data)
        data["errors"] = [RowError(**e) for e in data.get("errors", [])]
        return cls(**data)


def upload_limits() -> parsing.Limits:
    """The limits of an import file, from the settings (``BOSETTING_IMPORT_MAX_*``)."""
    return parsing.Limits(
        max_bytes=settings.BOSETTING_IMPORT_MAX_BYTES,
        max_rows=settings.BOSETTING_IMPORT_MAX_ROWS,
        max_columns=settings.BOSETTING_IMPORT_MAX_COLUMNS,
        max_expanded_bytes=settings.BOSETTING_IMPORT_MAX_EXPANDED_BYTES,
    )


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
    """Parse and validate every row; errors go into the report (in row order), checked rows are
    returned. The cells are read first (types, required values, keys repeated in the file), then
    the kind checks the rows against the database in bulk."""
    mapping = _columns(kind, table.header, report.errors)
    if report.errors:
        return []
    header_of = {column.field: table.header[i] for i, column in mapping.items()}
    present = set(header_of)
    candidates: list[tuple[int, dict[str, Any]]] = []
    first_row_of_key: dict[str, int] = {}
    for row, cells in table.rows:
        report.rows += 1
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
        candidates.append((row, values))

    total = len(candidates)

    def step(done: int) -> None:
        if progress is not None:
            progress("check", done, total)

    step(0)
    planned: list[Planned] = []
    for row, outcome in kind.check_rows(user, candidates, present, step):
        if isinstance(outcome, RowProblem):
            for field_name, message in outcome.problems:
                report.errors.append(
                    RowError(row, header_of.get(field_name, field_name), str(message))
                )
        else:
            planned.append(outcome)
    step(total)
    report.errors.sort(key=lambda e: e.row)  # stable: a row's errors keep their order
    return planned


def run_import(
    user,
    kind_name: str,
    content: bytes,
    filename: str,
    *,
    commit: bool,
    progress: Progress | None = None,
    limits: parsing.Limits | None = None,
) -> ImportReport:
    """Check a file and, when ``commit`` and every row is valid, write it in one transaction.

    Without ``commit`` nothing is written and no transaction is held while the rows are checked.

    Raises ``PermissionDenied`` when the user may not import this kind at all; everything else ends
    up in the report."""
    kind = KINDS[kind_name]
    if not kind.may_import(user):
        raise PermissionDenied(_("Du har ikke tilgang til å importere denne filtypen."))
    report = ImportReport(kind=kind_name, filename=filename)
    try:
        table = parsing.read_table(content, filename, limits or upload_limits(), progress)
    except parsing.FileError as exc:
        report.limit = getattr(exc, "limit", "")
        report.errors.append(RowError(0, "", str(exc)))
        return report
    if not commit:
        planned = check_table(user, kind, table, report, progress)
        return _counted(report, planned)
    planned = []
    try:
        with transaction.atomic():
            planned = check_table(user, kind, table, report, progress)
            if report.errors:
                return _counted(report, planned)
            to_write = [p for p in planned if p.change != "unchanged"]

            def step(done: int) -> None:
                if progress is not None:
                    progress("write", done, len(to_write))

            step(0)
            kind.write_rows(user, to_write, note=f"import {filename}", progress=step)
            report.written = True
    except WriteFailed as exc:
        report.errors.append(RowError(exc.row, "", exc.message))
        report.written = False
    return _counted(report, planned)


def _counted(report: ImportReport, planned: list[Planned]) -> ImportReport:
    report.changes = [{"row": p.row, "key": p.key, "change": p.change} for p in planned]
    report.created = sum(p.change == "create" for p in planned)
    report.updated = sum(p.change == "update" for p in planned)
    report.unchanged = sum(p.change == "unchanged" for p in planned)
    return report


def summary(report: ImportReport) -> dict[str, Any]:
    """The counts of an import, as recorded in the audit log."""
    return {
        "kind": report.kind,
        "filename": report.filename,
        "rows": report.rows,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "errors": len(report.errors),
    }
