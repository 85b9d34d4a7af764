"""Reading CSV and XLSX files into rows, and turning cell values into typed values.

Row numbers are the file's own line numbers (the header is row 1), so an error points at the line a
person sees in a spreadsheet. Empty lines are skipped but keep their numbers. A value parser raises
``CellError`` with a bokmål message; the caller adds the row and the column.

Files are checked against the limits (``Limits``: bytes, rows, columns and, for XLSX, the unpacked
size) *before* the work: ``inspect`` looks only at the size, the zip directory and the first
kilobytes of the sheet (its declared dimension), so a 10 MB file that unpacks to hundreds of
megabytes or declares millions of rows is refused at once. ``read_table`` then streams the rows
(openpyxl read-only for XLSX) and stops as soon as a limit is passed; ``LimitExceeded`` names it.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from xml.etree import ElementTree

MIB = 1024 * 1024

# How far into the sheet's XML the declared dimension is looked for (it comes before the cells).
DIMENSION_SCAN_BYTES = 64 * 1024
# The parts of the workbook read by hand to find the first sheet are small; larger ones are refused.
WORKBOOK_PART_MAX_BYTES = 4 * MIB
# ``progress("read", rows, 0)`` is called every this many rows while a file is read.
READ_PROGRESS_EVERY = 2000


class CellError(ValueError):
    """A value that cannot be read; the message is shown to the user as it is."""


class FileError(ValueError):
    """A file that cannot be read at all (format, encoding, size, no header)."""


class LimitExceeded(FileError):
    """A file over one of the limits; ``limit`` is ``bytes``, ``rows``, ``columns`` or
    ``expanded`` (the unpacked size of an XLSX file)."""

    def __init__(self, limit: str, message: str):
        super().__init__(message)
        self.limit = limit


@dataclass(frozen=True)
class Limits:
    """The most an import file may hold (settings ``BOSETTING_IMPORT_MAX_*``, docs/imports.md).

    ``max_rows`` counts the rows below the header, empty ones included; ``max_columns`` the columns
    up to the last filled one; ``max_expanded_bytes`` the unpacked size of all parts of an XLSX."""

    max_bytes: int = 10 * MIB
    max_rows: int = 50_000
    max_columns: int = 50
    max_expanded_bytes: int = 100 * MIB


@dataclass
class Table:
    """The header (as written in the file) and the data rows, each with its line number."""

    header: list[str]
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)


ReadProgress = Callable[[str, int, int], None]


def number(n: int) -> str:
    """``50000`` -> ``50 000`` (bokmål thousands separator)."""
    return f"{n:,}".replace(",", " ")


def size(n_bytes: int) -> str:
    """``10485760`` -> ``10 MB``; ``15938355`` -> ``15,2 MB``; ``2048`` -> ``2 kB``."""
    if n_bytes >= MIB:
        mb = n_bytes / MIB
        text = f"{mb:.0f}" if abs(mb - round(mb)) < 0.05 else f"{mb:.1f}".replace(".", ",")
        return f"{text} MB"
    if n_bytes >= 1024:
        return f"{n_bytes / 1024:.0f} kB"
    return f"{n_bytes} byte"


def normalise_header(name: str) -> str:
    """``Enslige mindreårige`` -> ``enslige_mindrearige``; ``År`` -> ``ar``; ``maks-personer`` ->
    ``maks_personer``: bokmål letters may be written with or without æ, ø, å."""
    text = str(name or "").strip().casefold()
    text = text.replace("æ", "ae").replace("ø", "o").replace("å", "a").replace("aa", "a")
    return re.sub(r"[\s\-./]+", "_", text).strip("_")


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _suffix(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


# --- limits, checked before the work ---------------------------------------------------------------


def too_big(content_size: int | None, limits: Limits) -> LimitExceeded:
    """The refusal of a file over ``max_bytes`` (``content_size`` None: not known, the upload was
    stopped as soon as it passed the limit)."""
    found = f" ({size(content_size)})" if content_size else ""
    return LimitExceeded(
        "bytes",
        f"Filen er for stor{found}. Grensen er {size(limits.max_bytes)} per fil; del filen i "
        "flere.",
    )


def _too_many_rows(limits: Limits) -> LimitExceeded:
    return LimitExceeded(
        "rows",
        f"Filen har flere enn {number(limits.max_rows)} rader under overskriften (tomme rader "
        f"medregnet). Grensen er {number(limits.max_rows)} rader per fil; del filen i flere.",
    )


def _too_many_columns(columns: int, limits: Limits, where: str = "") -> LimitExceeded:
    return LimitExceeded(
        "columns",
        f"{where or 'Filen'} har {number(columns)} kolonner. Grensen er "
        f"{number(limits.max_columns)} kolonner; slett tomme og ukjente kolonner.",
    )


def check_size(content_size: int, limits: Limits) -> None:
    """Refuse a file over ``max_bytes`` (``LimitExceeded("bytes")``)."""
    if content_size > limits.max_bytes:
        raise too_big(content_size, limits)


def inspect(content: bytes, filename: str, limits: Limits, *, deep: bool = True) -> str:
    """Check a file against the limits without reading its rows; returns ``csv`` or ``xlsx``.

    - any file: its size (``max_bytes``) and its name (``.csv`` or ``.xlsx``);
    - XLSX: the unpacked size of its parts from the zip directory (``max_expanded_bytes``: a zip
      bomb is refused without unpacking it), and the first sheet's declared dimension
      (``<dimension ref="A1:J3000001"/>``, found in its first kilobytes) against ``max_rows`` and
      ``max_columns``;
    - XLSX with ``deep``: every sheet is unpacked as a stream (never whole) and its row and cell
      elements are counted without parsing them: more rows than ``max_rows`` + 1, or a row with more
      cells than ``max_columns``, is refused before openpyxl reads anything (openpyxl would parse a
      sheet without a declared dimension from end to end just to open the workbook).

    The checks without ``deep`` cost next to nothing (the web request makes them); the deep ones
    unpack the file once and run in the background job.

    Raises:
        LimitExceeded: over a limit, naming it.
        FileError: not a CSV or XLSX file, or an XLSX file that cannot be opened.
    """
    check_size(len(content), limits)
    suffix = _suffix(filename)
    if suffix == "csv":
        return suffix
    if suffix != "xlsx":
        raise FileError("Filen må være .csv eller .xlsx.")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
            expanded = sum(member.file_size for member in members)
            if expanded > limits.max_expanded_bytes:
                raise LimitExceeded(
                    "expanded",
                    f"Regnearket pakkes ut til {size(expanded)}. Grensen er "
                    f"{size(limits.max_expanded_bytes)} utpakket; filen inneholder trolig svært "
                    "mange tomme eller formaterte celler. Kopier bare radene med data til et nytt "
                    "ark, eller lagre som CSV.",
                )
            first = _first_sheet_path(archive)
            if first is not None:
                _check_dimension(_declared_dimension(archive, first), limits)
            if deep:
                for member in members:
                    if _WORKSHEET_PART.fullmatch(member.filename):
                        _scan_sheet(
                            archive, member.filename, limits, first=member.filename == first
                        )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ElementTree.ParseError, KeyError, OSError):
        raise FileError("XLSX-filen kan ikke leses: den er ikke et gyldig regneark.") from None
    except EOFError:
        raise FileError("XLSX-filen kan ikke leses: den er ufullstendig.") from None
    return suffix


def _check_dimension(ref: str | None, limits: Limits) -> None:
    if ref is None:
        return
    rows, columns = _dimension_size(ref)
    if rows > limits.max_rows + 1:
        raise LimitExceeded(
            "rows",
            f"Regnearket oppgir {number(rows)} rader (område {ref}). Grensen er "
            f"{number(limits.max_rows)} rader under overskriften; slett tomme rader nederst i "
            "arket, eller del filen i flere.",
        )
    if columns > limits.max_columns:
        raise _too_many_columns(columns, limits, f"Regnearket (område {ref})")


_WORKSHEET_PART = re.compile(r"xl/worksheets/[^/]+\.xml")
# Row and cell elements, with or without a namespace prefix (``<row``, ``<x:c``).
_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,20}:)?row(?=[\s/>])")
_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,20}:)?c(?=[\s/>])")
_SCAN_CHUNK = 1024 * 1024
_SCAN_OVERLAP = 64


def _scan_sheet(archive: zipfile.ZipFile, path: str, limits: Limits, *, first: bool) -> None:
    """Count a sheet's row elements and each row's cell elements while unpacking it as a stream
    (1 MB at a time); refuse at the first one over the limits, so the count stops early on a bomb."""
    rows = cells = 0
    carry = b""
    which = "Regnearket" if first else "Et annet ark i filen"
    other = "" if first else " Importen leser bare det første arket; slett de andre arkene."
    with archive.open(path) as stream:
        while True:
            chunk = stream.read(_SCAN_CHUNK)
            buffer = carry + chunk
            cut = len(buffer)
            if chunk:  # an element cut in two by the chunk's end waits for the next chunk
                cut = buffer.rfind(b"<", 0, max(cut - _SCAN_OVERLAP, 0))
                if cut <= 0:
                    cut = max(len(buffer) - _SCAN_OVERLAP, 0)
            for index, part in enumerate(_ROW.split(buffer[:cut])):
                if index:  # a new row element begins this part
                    rows += 1
                    cells = 0
                    if rows > limits.max_rows + 1:
                        raise LimitExceeded(
                            "rows",
                            f"{which} har flere enn {number(limits.max_rows)} rader under "
                            "overskriften (tomme rader medregnet). Grensen er "
                            f"{number(limits.max_rows)} rader per fil; del filen i flere.{other}",
                        )
                cells += len(_CELL.findall(part))
                if cells > limits.max_columns:
                    raise LimitExceeded(
                        "columns",
                        f"{which} har en rad med flere enn {number(limits.max_columns)} "
                        "celler (tomme, formaterte celler medregnet). Grensen er "
                        f"{number(limits.max_columns)} kolonner; slett tomme kolonner til "
                        f"høyre.{other}",
                    )
            carry = buffer[cut:]
            if not chunk:
                return
            carry = buffer[cut:]


_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _small_part(archive: zipfile.ZipFile, name: str) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > WORKBOOK_PART_MAX_BYTES:
        raise zipfile.BadZipFile(name)
    return archive.read(info)


def _first_sheet_path(archive: zipfile.ZipFile) -> str | None:
    """The zip path of the workbook's first sheet (the one the import reads), from
    ``xl/workbook.xml`` and its relationships; None when the workbook does not say."""
    names = set(archive.namelist())
    if "xl/workbook.xml" not in names:
        raise zipfile.BadZipFile("no workbook")
    workbook = ElementTree.fromstring(_small_part(archive, "xl/workbook.xml"))
    first = workbook.find(f"{_NS_MAIN}sheets/{_NS_MAIN}sheet")
    if first is None or "xl/_rels/workbook.xml.rels" not in names:
        return None
    rel_id = first.get(f"{_NS_REL}id")
    rels = ElementTree.fromstring(_small_part(archive, "xl/_rels/workbook.xml.rels"))
    for rel in rels.iter(f"{_NS_PKG_REL}Relationship"):
        if rel.get("Id") == rel_id:
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            return path if path in names else None
    return None


_DIMENSION = re.compile(
    rb"<(?:\w+:)?dimension\b[^>]*\bref=\"([A-Za-z]{1,3}\d+(?::[A-Za-z]{1,3}\d+)?)\""
)
_SHEET_DATA = re.compile(rb"<(?:\w+:)?sheetData\b")


def _declared_dimension(archive: zipfile.ZipFile, path: str) -> str | None:
    """The ``ref`` of the sheet's ``<dimension>`` (e.g. ``A1:J51``), read from the first kilobytes of
    the sheet without unpacking the rest; None when the sheet declares none before its cells."""
    head = b""
    with archive.open(path) as stream:
        while len(head) < DIMENSION_SCAN_BYTES:
            chunk = stream.read(4096)
            if not chunk:
                break
            head += chunk
            found = _DIMENSION.search(head)
            if found:
                return found.group(1).decode("ascii").upper()
            if _SHEET_DATA.search(head):
                return None
    return None


def _column_number(letters: str) -> int:
    value = 0
    for letter in letters.upper():
        value = value * 26 + ord(letter) - ord("A") + 1
    return value


def _dimension_size(ref: str) -> tuple[int, int]:
    """``A1:J3000001`` -> (3000001, 10): the last row and the last column the sheet declares."""
    last = ref.split(":")[-1]
    match = re.fullmatch(r"([A-Z]+)(\d+)", last)
    if match is None:  # pragma: no cover - the pattern above only lets such refs through
        return 0, 0
    return int(match.group(2)), _column_number(match.group(1))


# --- reading rows ----------------------------------------------------------------------------------


def _width(values: list[Any]) -> int:
    """Columns up to the last filled cell (trailing empty cells do not count)."""
    width = len(values)
    while width and _blank(values[width - 1]):
        width -= 1
    return width


def read_table(
    content: bytes,
    filename: str,
    limits: Limits | None = None,
    progress: ReadProgress | None = None,
) -> Table:
    """Read a ``.csv`` (comma, semicolon or tab; UTF-8 or Windows-1252) or ``.xlsx`` (first sheet).

    The file is inspected first (``inspect``); the rows are then streamed and the reading stops at
    the first row over a limit (rows below the header, empty ones included; columns up to the last
    filled cell).

    Raises:
        LimitExceeded: over a limit, naming it.
        FileError: the file cannot be read.
    """
    limits = limits or Limits()
    suffix = inspect(content, filename, limits)
    lines = _csv_rows(content) if suffix == "csv" else _xlsx_rows(content)
    table: Table | None = None
    header_line = 1
    for line, values in lines:
        if line > header_line + limits.max_rows:
            raise _too_many_rows(limits)
        if progress is not None and line % READ_PROGRESS_EVERY == 0:
            progress("read", line, 0)
        width = _width(values)
        if width == 0:
            if table is None:
                header_line = line + 1
            continue
        if width > limits.max_columns:
            raise _too_many_columns(width, limits, f"Rad {line}")
        values = list(values[:width])
        if table is None:
            table = Table(header=[str(v).strip() if v is not None else "" for v in values])
            header_line = line
            continue
        table.rows.append((line, values))
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
    """The first sheet's rows, streamed (openpyxl read-only): missing rows come as empty ones, so
    the numbers are the sheet's own. The declared dimension is not trusted (``reset_dimensions``):
    a sheet that declares too few rows would lose the rest, and one that declares too many columns
    would pad every row."""
    from openpyxl import load_workbook  # heavy optional library: loaded on first use

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook is the user's file problem
        raise FileError(f"XLSX-filen kan ikke leses: {type(exc).__name__}") from None
    try:
        sheet = workbook.worksheets[0]
        if hasattr(sheet, "reset_dimensions"):
            sheet.reset_dimensions()
        try:
            for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield line, list(values)
        except (zipfile.BadZipFile, ElementTree.ParseError, ValueError, KeyError) as exc:
            raise FileError(f"XLSX-filen kan ikke leses: {type(exc).__name__}") from None
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
