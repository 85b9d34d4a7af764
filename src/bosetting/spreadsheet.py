"""Cells for CSV and XLSX exports that a spreadsheet will not run ("formula injection").

A text cell that begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return before
one) is taken by Excel and LibreOffice as a formula: a decline text such as
``=HYPERLINK("http://…","Klikk")`` in the audit export would become a live link. Every export writes
its text cells through :func:`safe_cell`, which puts an apostrophe in front (OWASP's advice); numbers
and dates are left alone.
"""

from __future__ import annotations

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
