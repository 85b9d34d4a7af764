"""Reading CSV and XLSX files into rows, and turning cell values into typed values.

Row numbers are the file's own line numbers (the header is row 1), so an error points at the line a
person sees in a spreadsheet. Empty lines are skipped but keep their numbers. A value parser raises
``CellError`` with a bokmål message; the caller adds the row and the column.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000


class CellError(ValueError):
    """A value that cannot be read; the message is shown to the user as it is."""


class FileError(ValueError):
    """A file that cannot be read at all (format, encoding, size, no header)."""


@dataclass
class Table:
    """The header (as written in the file) and the data rows, each with its line number."""

    header: list[str]
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)


def normalise_header(name: str) -> str:
    """``Enslige mindreårige`` -> ``enslige_mindrearige``; ``År`` -> ``ar``; ``maks-personer`` ->
    ``maks_personer``: bokmål letters may be written with or without æ, ø, å."""
    text = str(name or "").strip().casefold()
    text = text.replace("æ", "ae").replace("ø", "o").replace("å", "a").replace("aa", "a")
    return re.sub(r"[\s\-./]+", "_", text).strip("_")


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_table(content: bytes, filename: str) -> Table:
    """Read a ``.csv`` (comma, semicolon or tab; UTF-8 or Windows-1252) or ``.xlsx`` (first sheet)."""
    if len(content) > MAX_BYTES:
        raise FileError(f"Filen er for stor (over {MAX_BYTES // (1024 * 1024)} MB).")
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix == "csv":
        lines = _csv_rows(content)
    elif suffix == "xlsx":
        lines = _xlsx_rows(content)
    else:
        raise FileError("Filen må være .csv eller .xlsx.")
    table: Table | None = None
    for number, values in lines:
        if all(_blank(v) for v in values):
            continue
        if table is None:
            table = Table(header=[str(v).strip() if v is not None else "" for v in values])
            continue
        table.rows.append((number, list(values)))
        if len(table.rows) > MAX_ROWS:
            raise FileError(f"Filen har mer enn {MAX_ROWS} rader.")
    if table is None:
        raise FileError("Filen er tom (ingen overskriftsrad).")
    return table


def _csv_rows(content: bytes) -> Iterable[tuple[int, list[Any]]]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly every byte string
        raise FileError("Ukjent tegnkoding; lagre filen som UTF-8.")
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from enumerate(reader, start=1)
    except csv.Error as exc:
        raise FileError(f"CSV-filen kan ikke leses: {exc}") from None


def _xlsx_rows(content: bytes) -> Iterable[tuple[int, list[Any]]]:
    from openpyxl import load_workbook  # heavy optional library: loaded on first use

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook is the user's file problem
        raise FileError(f"XLSX-filen kan ikke leses: {type(exc).__name__}") from None
    try:
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(values)
    finally:
        workbook.close()


# --- value parsers ---------------------------------------------------------------------------------

Parser = Callable[[Any], Any]

# C0 control characters and DEL, except tab, line feed and carriage return.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def text(max_length: int | None = None) -> Parser:
    def parse(value: Any) -> str:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        result = str(value).strip()
        if max_length is not None and len(result) > max_length:
            raise CellError(f"Høyst {max_length} tegn (fikk {len(result)}).")
        control = _CONTROL.search(result)
        if control is not None:
            # PostgreSQL refuses NUL in text; no other control character belongs in a cell either.
            raise CellError(f"Kontrolltegnet U+{ord(control.group()):04X} er ikke tillatt.")
        return result

    return parse


def integer(minimum: int | None = 0, maximum: int | None = None) -> Parser:
    def parse(value: Any) -> int:
        if isinstance(value, bool):
            raise CellError("Forventet et heltall.")
        if isinstance(value, int):
            number = value
        elif isinstance(value, float):
            if not value.is_integer():
                raise CellError(f"Forventet et heltall, fikk {value}.")
            number = int(value)
        else:
            raw = re.sub(r"[\s\u00a0]", "", str(value))
            if not re.fullmatch(r"[+-]?\d+", raw):
                raise CellError(f"Forventet et heltall, fikk «{str(value).strip()}».")
            number = int(raw)
        if minimum is not None and number < minimum:
            raise CellError(f"Må være minst {minimum} (fikk {number}).")
        if maximum is not None and number > maximum:
            raise CellError(f"Må være høyst {maximum} (fikk {number}).")
        return number

    return parse


def a_date(value: Any) -> date:
    """ISO ``2014-06-19`` or Norwegian ``19.06.2014``; spreadsheet date cells as they are."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = str(value).strip()
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
    raise CellError(f"Forventet en dato (ÅÅÅÅ-MM-DD eller DD.MM.ÅÅÅÅ), fikk «{raw}».")


_TRUE = {"ja", "j", "true", "sann", "1", "x", "yes", "y"}
_FALSE = {"nei", "n", "false", "usann", "0", "no"}


def boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    raw = str(value).strip().casefold()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise CellError(f"Forventet ja eller nei, fikk «{str(value).strip()}».")


def municipality_number(value: Any) -> str:
    """Four digits; a spreadsheet that dropped the leading zero (``301``) is read as ``0301``."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    raw = str(value).strip()
    if re.fullmatch(r"\d{3,4}", raw):
        return raw.zfill(4)
    raise CellError(f"Kommunenummer må ha fire sifre, fikk «{raw}».")


def choice(mapping: dict[str, str]) -> Parser:
    """A value from a fixed list; ``mapping`` maps every accepted spelling (normalised) to the code."""

    def parse(value: Any) -> str:
        key = normalise_header(str(value))
        if key in mapping:
            return mapping[key]
        accepted = ", ".join(sorted(set(mapping)))
        raise CellError(f"Ukjent verdi «{str(value).strip()}»; bruk en av: {accepted}.")

    return parse


def tokens(value: Any) -> list[str]:
    """Several values in one cell, separated by spaces, semicolons, commas or bars."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return [t for t in re.split(r"[\s;,|]+", str(value).strip()) if t]
