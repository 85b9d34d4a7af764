"""Cells for CSV and XLSX exports that a spreadsheet will not run ("formula injection").

A text cell that begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return before
one) is taken by Excel and LibreOffice as a formula: a decline text such as
``=HYPERLINK("http://…","Klikk")`` in the audit export would become a live link. Every export writes
its text cells through :func:`safe_cell`, which puts an apostrophe in front (OWASP's advice); numbers
and dates are left alone.
"""

from __future__ import annotations

import csv
import io
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value`` as an export cell: text that a spreadsheet would read as a formula is neutralised."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values) -> list[Any]:
    """A row of cells through :func:`safe_cell`."""
    return [safe_cell(v) for v in values]


def csv_bytes(header, rows) -> bytes:
    """A table as CSV (UTF-8 with a byte-order mark, so that Excel reads the Norwegian letters),
    every cell through :func:`safe_cell`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(safe_row(header))
    for row in rows:
        writer.writerow(safe_row(row))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(header, rows, title: str) -> bytes:
    """A table as an XLSX workbook of one sheet, every cell through :func:`safe_cell`."""
    # openpyxl takes a fifth of a second to import and only XLSX downloads need it: first use.
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append(safe_row(header))
    for row in rows:
        ws.append(safe_row(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
