"""Helpers for import tests: files made in the test, in CSV or XLSX."""

from __future__ import annotations

import io
from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[3] / "docs" / "samples"


def csv_bytes(*lines: str, encoding: str = "utf-8") -> bytes:
    return ("\n".join(lines) + "\n").encode(encoding)


def xlsx_bytes(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
