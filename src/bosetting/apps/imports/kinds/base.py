"""Building blocks of an import format: columns, checked rows and row problems."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError

from bosetting.apps.imports import parsing as p


@dataclass(frozen=True)
class Column:
    """A column: the model field it fills, the headers accepted (the first is the documented bokmål
    one), how a cell is read, whether it must be filled, and its meaning for docs and the web page."""

    field: str
    headers: tuple[str, ...]
    parse: p.Parser
    required: bool = True
    default: Any = None
    help: str = ""

    @property
    def header(self) -> str:
        return self.headers[0]


class RowProblem(Exception):
    """One or more errors of a row: ``[(field, message)]``."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__(problems)


@dataclass
class Planned:
    """A checked row: its natural key, what will happen (create/update/unchanged) and the payload."""

    row: int
    key: str
    change: str
    payload: Any


class WriteFailed(Exception):
    """A write that failed (everything is rolled back): its row (0: the file as a whole) and why."""

    def __init__(self, row: int, message: str):
        self.row = row
        self.message = message
        super().__init__(row, message)


#: ``progress(done)``: rows checked or written so far.
RowProgress = Callable[[int], None]
# The default ``check_rows`` reports progress every this many rows.
PROGRESS_EVERY = 50


def message_of(exc: Exception) -> str:
    """The bokmål text of a refusal (the messages of a ``ValidationError``, else the exception)."""
    return "; ".join(getattr(exc, "messages", None) or [str(exc)])


def problems_of(exc: ValidationError, default_field: str) -> RowProblem:
    if hasattr(exc, "error_dict"):
        items = [
            (default_field if f in ("__all__", "municipality") else f, m)
            for f, ms in exc.message_dict.items()
            for m in ms
        ]
    else:
        items = [(default_field, m) for m in exc.messages]
    return RowProblem(items)


class Kind(ABC):
    """One import format."""

    name: str
    label: str
    columns: tuple[Column, ...]
    key_fields: tuple[str, ...]
    ignored_headers: tuple[str, ...] = ("kommunenavn", "kommune", "municipality_name", "navn")
    sample: tuple[tuple[str, ...], ...] = ()

    @abstractmethod
    def may_import(self, user) -> bool:
        """Whether the user may import this kind at all (rows are checked one by one as well)."""

    def key_of(self, values: dict[str, Any]) -> str:
        return " ".join(str(values[f]) for f in self.key_fields)

    @abstractmethod
    def check(self, user, row: int, values: dict[str, Any], present: set[str]) -> Planned:
        """Validate a parsed row against the database; ``RowProblem`` lists what is wrong."""

    @abstractmethod
    def write(self, user, planned: Planned, note: str) -> None:
        """Write a checked row (created or changed) and audit it."""

    def check_rows(
        self,
        user,
        rows: list[tuple[int, dict[str, Any]]],
        present: set[str],
        progress: RowProgress | None = None,
    ) -> list[tuple[int, Planned | RowProblem]]:
        """Check many parsed rows ``(row, values)``: each gives its plan or its problems, in order.

        By default one by one with ``check``; a kind overrides this to read what its rows need in
        a few bulk queries (a large file must not cost several queries per row)."""
        result: list[tuple[int, Planned | RowProblem]] = []
        for done, (row, values) in enumerate(rows, start=1):
            try:
                result.append((row, self.check(user, row, values, present)))
            except RowProblem as problem:
                result.append((row, problem))
            if progress is not None and done % PROGRESS_EVERY == 0:
                progress(done)
        return result

    def write_rows(
        self, user, planned: list[Planned], note: str, progress: RowProgress | None = None
    ) -> None:
        """Write checked rows (created or changed) inside the caller's transaction and audit them.

        By default one by one with ``write``, each audited with ``note`` and its row number
        (``import FILE rad N``); a kind overrides this to write in bulk.

        Raises:
            WriteFailed: a row could not be written (the caller rolls everything back).
        """
        for done, item in enumerate(planned, start=1):
            try:
                self.write(user, item, note=f"{note} rad {item.row}")
            except (ValidationError, PermissionDenied, DatabaseError) as exc:
                raise WriteFailed(item.row, message_of(exc)) from exc
            if progress is not None:
                progress(done)
