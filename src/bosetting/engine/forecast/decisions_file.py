"""A year's requests and decisions given from outside: ``kommunenummer,anmodning,vedtak``.

For ``bosetting forecast --decisions FILE.csv`` — a year the database does not hold. Every row is
checked before anything is used; the first problem is refused with a message naming the row
(counting the header as row 1, as a spreadsheet does) and the column:

* the three columns must be there (others are ignored);
* ``kommunenummer`` must be a municipality of the year's structure, once only;
* ``anmodning`` and ``vedtak`` must be whole numbers of persons, 0 or more, or empty (no request;
  no decision registered).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection

from bosetting.engine.forecast.model import YearRecord

COLUMNS = ("kommunenummer", "anmodning", "vedtak")
MAX_PERSONS = 100_000  # a municipality's yearly figure above this is a typo, not a decision


class DecisionsFileError(ValueError):
    """A decisions file is refused; ``row`` and ``column`` say where (row 1 is the header)."""

    def __init__(self, message: str, row: int | None = None, column: str | None = None) -> None:
        where = []
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column}")
        super().__init__((", ".join(where) + ": " if where else "") + message)
        self.row = row
        self.column = column


def _persons(text: str, row: int, column: str) -> int | None:
    text = text.strip()
    if text == "":
        return None
    try:
        value = int(text)
    except ValueError:
        raise DecisionsFileError(
            f"{text!r} is not a whole number of persons", row, column
        ) from None
    if value < 0:
        raise DecisionsFileError(f"{value} is below 0", row, column)
    if value > MAX_PERSONS:
        raise DecisionsFileError(f"{value} is above {MAX_PERSONS:,}", row, column)
    return value


def parse_decisions_csv(text: str, year: int, known_numbers: Collection[str]) -> list[YearRecord]:
    """The rows of a decisions file as records of ``year``.

    Args:
        text: the file's content (UTF-8, comma-separated, header row).
        year: the year the figures are for.
        known_numbers: the municipality numbers of the year's structure.

    Raises:
        DecisionsFileError: naming the row and column of the first problem.
    """
    text = text.lstrip("\ufeff")
    # A row with fewer cells than the header gets None for the missing ones (``restval``).
    reader = csv.DictReader(io.StringIO(text, newline=""), restval=None)
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise DecisionsFileError(
            f"missing column(s) {', '.join(missing)} (the header must have {','.join(COLUMNS)})",
            1,
            missing[0],
        )
    reader.fieldnames = header
    known = set(known_numbers)
    seen: dict[str, int] = {}
    records = []
    for index, row in enumerate(reader, start=2):
        if None in row:
            raise DecisionsFileError("more cells than columns in the header", index)
        for column in COLUMNS:
            if row[column] is None:
                raise DecisionsFileError("the row has no cell for this column", index, column)
        number = row["kommunenummer"].strip()
        if number == "":
            raise DecisionsFileError("empty municipality number", index, "kommunenummer")
        if number not in known:
            raise DecisionsFileError(
                f"unknown municipality number {number!r} in the structure of {year}",
                index,
                "kommunenummer",
            )
        if number in seen:
            raise DecisionsFileError(
                f"municipality {number} appears twice (first in row {seen[number]})",
                index,
                "kommunenummer",
            )
        seen[number] = index
        records.append(
            YearRecord(
                number=number,
                year=year,
                requested=_persons(row["anmodning"], index, "anmodning"),
                decided=_persons(row["vedtak"], index, "vedtak"),
            )
        )
    if not records:
        raise DecisionsFileError("the file has no rows below the header", 2)
    return records
