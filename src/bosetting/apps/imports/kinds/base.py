"""Building blocks of an import format: columns, checked rows and row problems."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

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
