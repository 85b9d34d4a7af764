"""Tables 2.1–2.4 as text, CSV and XLSX (openpyxl), in the report's row layout."""

from __future__ import annotations

import csv
import io
from typing import Any

from rich.console import Console
from rich.table import Table

from bosetting.apps.reports.tables import (
    TABLE_ROWS,
    TABLE_TITLES,
    format_value,
    partial_note,
    published,
    table_rows,
)


def tables_text(result: dict[str, Any], area_label: str) -> str:
    """The four tables as plain text: the report's rows, the published figures under each row."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=200, no_color=True, highlight=False, emoji=False)
    console.print(f"Område: {area_label}")
    for table in TABLE_ROWS:
        years = list(result[table])
        t = Table(title=TABLE_TITLES[table], title_justify="left")
        t.add_column("")
        for y in years:
            t.add_column(y, justify="right")
        for row in table_rows(result, table):
            t.add_row(row["label"], *(format_value(row["values"][y]) for y in years))
        console.print(t)
        note = partial_note(table)
        if note:
            console.print(f"Publiserte tall: {note}.")
        console.print()
    console.print("– = tallet kan ikke beregnes fra dataene (ingen oppdiktede tall).")
    return buffer.getvalue()


def tables_csv(result: dict[str, Any]) -> str:
    """Long CSV: one line per table, row and year with the computed and the published figure."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["table", "row", "label", "year", "value", "published"])
    for table in TABLE_ROWS:
        for row in table_rows(result, table):
            if row["published"]:
                continue
            for year, value in row["values"].items():
                pub = published(table, year, row["key"])
                writer.writerow(
                    [
                        table,
                        row["key"],
                        row["label"],
                        year,
                        "" if value is None else value,
                        "" if pub is None else pub,
                    ]
                )
    return buffer.getvalue()


def tables_xlsx(result: dict[str, Any], area_label: str) -> bytes:
    """An XLSX workbook with one sheet per table, laid out as in the report."""
    # openpyxl takes a fifth of a second to import and only XLSX downloads need it: first use.
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    write_tables_sheets(wb, result, area_label)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def write_tables_sheets(wb, result: dict[str, Any], area_label: str) -> None:
    """Add a sheet per table to an openpyxl workbook (also used by the monthly report)."""
    # openpyxl: loaded on first use, as in tables_xlsx.
    from openpyxl.styles import Font

    for table in TABLE_ROWS:
        ws = wb.create_sheet(table.replace("table_", "Tabell ").replace("_", "."))
        years = list(result[table])
        ws.append([TABLE_TITLES[table]])
        ws["A1"].font = Font(bold=True)
        ws.append([f"Område: {area_label}"])
        ws.append(["", *years])
        for cell in ws[3]:
            cell.font = Font(bold=True)
        for row in table_rows(result, table):
            ws.append([row["label"], *(row["values"][y] for y in years)])
            if row["published"]:
                for cell in ws[ws.max_row]:
                    cell.font = Font(italic=True, color="666666")
        note = partial_note(table)
        if note:
            ws.append([])
            ws.append([f"Publiserte tall: {note}."])
        ws.column_dimensions["A"].width = 62
