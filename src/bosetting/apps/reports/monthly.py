"""The monthly settlement report ("månedsrapport om bosetting"), like IMDi's: PDF and XLSX.

Figures for the month and the year to date, the queue over the last twelve months, the waiting-time
distribution at month end, requests and decisions, and Tables 2.1–2.4 as of the month's last day.
All figures come from the KPI engine; charts in the PDF are static SVG drawn here, charts in the
XLSX are native Excel charts (openpyxl).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from bosetting import clock
from bosetting.apps.geo.selectors import demo_world_loaded
from bosetting.apps.reports import dashboard, export, kpis, sources, svg, tables
from bosetting.engine.rules.kpi import Period
from bosetting.engine.rules.kpi.periods import add_months


def parse_month(text: str) -> dt.date:
    """First day of the month ``YYYY-MM``.

    Raises:
        ValueError: not a month in the form YYYY-MM.
    """
    try:
        year, month = (int(p) for p in text.split("-"))
        return dt.date(year, month, 1)
    except ValueError:
        raise ValueError(f"expected a month as YYYY-MM, got {text!r}") from None


@dataclass
class MonthlyReport:
    """Everything the monthly report shows (rendered to PDF and XLSX)."""

    month: dt.date
    month_end: dt.date
    area_label: str
    synthetic: bool
    month_kpis: dict[str, Any]
    ytd_kpis: dict[str, Any]
    queue: list[dict[str, Any]]
    settled_by_month: list[dict[str, Any]]
    waiting_distribution: list[dict[str, Any]]
    planning: dict[int, dict[str, int | None]]
    tables: dict[str, Any]
    generated_on: dt.date

    @property
    def title(self) -> str:
        return f"Månedsrapport om bosetting – {MONTHS_NB[self.month.month - 1]} {self.month.year}"

    def key_figures(self) -> list[tuple[str, Any]]:
        """The key figures as (label, value) rows, in the order of the report."""
        m, y = self.month_kpis, self.ytd_kpis
        return [
            ("Bosatte personer i måneden", m["settled_persons"]),
            ("Bosatte personer hittil i år", y["settled_persons"]),
            ("Bosettingsklare i mottak ved månedsslutt", m["waiting_ready_persons"]),
            (
                f"Lengeventende ved månedsslutt (over {m['long_wait_threshold_months']} md.)",
                m["long_waiters"],
            ),
            ("Andel bosatt innen 6 md., hittil i år (%)", y["share_settled_within_6_months_pct"]),
            ("Andel bosatt innen 12 md., hittil i år (%)", y["share_settled_within_12_months_pct"]),
            (
                "Barnefamilier bosatt innen 3 md., hittil i år (%)",
                y["share_family_children_within_3_months_pct"],
            ),
            (
                "Enslige mindreårige bosatt innen 3 md., hittil i år (%)",
                y["share_uam_within_3_months_pct"],
            ),
            (
                "Ventetid vedtak → bosetting, snitt hittil i år (md.)",
                y["waiting_permit_to_settlement"]["mean_months"],
            ),
            (
                "Ventetid vedtak → bosetting, median hittil i år (md.)",
                y["waiting_permit_to_settlement"]["median_months"],
            ),
            (
                "Ventetid saksopprettelse → bosetting, snitt hittil i år (md.)",
                y["waiting_case_to_settlement"]["mean_months"],
            ),
            ("Bosatte per 1000 innbyggere, hittil i år", y["settled_per_1000"]),
        ]


#: The time targets in words (engine codes -> bokmål).
TARGET_LABELS = {
    "all_within_6_months": "Alle bosatt innen 6 måneder etter vedtak",
    "all_within_12_months": "Alle bosatt innen 12 måneder etter vedtak",
    "family_children_within_3_months": "Barnefamilier bosatt innen 3 måneder",
    "uam_within_3_months": "Enslige mindreårige bosatt innen 3 måneder",
}

MONTHS_NB = (
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
)


def build_monthly(
    month: dt.date, numbers: Collection[str] | None, area: sources.Area | None = None
) -> MonthlyReport:
    """Compute the monthly report for the municipalities ``numbers`` (None = the country)."""
    month_end = add_months(month, 1) - dt.timedelta(days=1)
    arrays = sources.case_arrays(numbers)
    month_period = Period(month, month_end)
    ytd = Period(dt.date(month.year, 1, 1), month_end)
    # The queue chart starts in the same month a year before (December: in January of the year).
    last_12 = Period(
        add_months(month, -12) if month.month < 12 else dt.date(month.year, 1, 1),
        month_end,
    )
    series_12 = kpis.dashboard_series(arrays, last_12)
    series_ytd = kpis.dashboard_series(arrays, ytd)
    planning = {
        y: row
        for y, row in dashboard.planning_by_year(numbers).items()
        if month.year <= y <= month.year + 2
    }
    result_tables = tables.tables_for_numbers(
        numbers, range(month.year - 5, month.year + 1), as_of=month_end, cases=arrays
    )
    return MonthlyReport(
        month=month,
        month_end=month_end,
        area_label=(area or sources.Area()).label(),
        synthetic=demo_world_loaded(),
        month_kpis=kpis.kpis_for_numbers(numbers, month_period, cases=arrays),
        ytd_kpis=kpis.kpis_for_numbers(numbers, ytd, cases=arrays),
        queue=series_12["queue"],
        settled_by_month=series_ytd["settled_by_month"],
        waiting_distribution=series_ytd["waiting_distribution"],
        planning=planning,
        tables=result_tables,
        generated_on=clock.today(),
    )


def _charts_svg(report: MonthlyReport) -> dict[str, str]:
    months = [r["month"] for r in report.queue]
    dist = [b for b in report.waiting_distribution if b["months_from"] is not None]
    return {
        "queue": svg.line_chart(
            "Bosettingsklare i mottak ved månedsslutt (siste 12 måneder)",
            months,
            {
                "Bosettingsklare": [r["waiting_ready_persons"] for r in report.queue],
                "Lengeventende": [r["long_waiters"] for r in report.queue],
            },
        ),
        "settled": svg.bar_chart(
            "Bosatte per måned hittil i år",
            [r["month"] for r in report.settled_by_month],
            {"Bosatte": [r["settled_persons"] for r in report.settled_by_month]},
        ),
        "waiting": svg.bar_chart(
            f"Ventende per {report.month_end.isoformat()} etter måneder siden vedtak",
            [f"{b['bucket']} md." for b in dist],
            {"Personer": [b["persons"] for b in dist]},
        ),
        "planning": svg.bar_chart(
            "Anmodninger og vedtak (personer)",
            [str(y) for y in report.planning],
            {
                "Anmodning": [r["requested"] for r in report.planning.values()],
                "Vedtak": [r["decided"] for r in report.planning.values()],
            },
        ),
    }


def render_pdf(report: MonthlyReport) -> bytes:
    """The report as PDF (WeasyPrint; charts as inline SVG)."""
    # WeasyPrint is heavy (Pango, fonts) and only the PDF needs it: loaded on first use.
    from weasyprint import HTML

    blocks = [
        {
            "title": tables.TABLE_TITLES[t],
            "years": list(report.tables[t]),
            "rows": [
                {**row, "cells": [tables.format_value(row["values"][y]) for y in report.tables[t]]}
                for row in tables.table_rows(report.tables, t)
            ],
        }
        for t in tables.TABLE_ROWS
    ]
    html = render_to_string(
        "reports/monthly_pdf.html",
        {
            "report": report,
            "key_figures": [
                (label, tables.format_value(value)) for label, value in report.key_figures()
            ],
            "charts": {k: mark_safe(v) for k, v in _charts_svg(report).items()},  # noqa: S308 - our own SVG, values escaped
            "blocks": blocks,
            "targets": {
                TARGET_LABELS.get(name, name): target
                for name, target in report.ytd_kpis["time_targets"].items()
            },
        },
    )
    return HTML(string=html).write_pdf()


def render_xlsx(report: MonthlyReport) -> bytes:
    """The report as XLSX: key figures, chart data with native charts, and Tables 2.1–2.4."""
    # openpyxl takes a fifth of a second to import and only XLSX downloads need it: first use.
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, LineChart, Reference
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Nøkkeltall"
    ws.append([report.title])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([f"Område: {report.area_label}"])
    if report.synthetic:
        ws.append(["SYNTETISKE DEMODATA: husholdninger og personer er oppdiktet (demoverden)."])
        ws.cell(ws.max_row, 1).font = Font(bold=True, color="B00020")
    ws.append([])
    for label, value in report.key_figures():
        ws.append([label, value])
    ws.column_dimensions["A"].width = 62

    def sheet_with_chart(
        name: str, header: list[str], rows: list[list[Any]], kind: str, title: str
    ):
        sheet = wb.create_sheet(name)
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        chart = LineChart() if kind == "line" else BarChart()
        chart.title = title
        chart.height, chart.width = 8, 18
        data = Reference(
            sheet, min_col=2, max_col=len(header), min_row=1, max_row=max(1, len(rows)) + 1
        )
        cats = Reference(sheet, min_col=1, min_row=2, max_row=max(1, len(rows)) + 1)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(cats)
        sheet.add_chart(chart, "E2")
        sheet.column_dimensions["A"].width = 18

    sheet_with_chart(
        "Kø per måned",
        ["måned", "bosettingsklare", "lengeventende"],
        [[r["month"], r["waiting_ready_persons"], r["long_waiters"]] for r in report.queue],
        "line",
        "Bosettingsklare i mottak ved månedsslutt",
    )
    sheet_with_chart(
        "Bosatte per måned",
        ["måned", "bosatte"],
        [[r["month"], r["settled_persons"]] for r in report.settled_by_month],
        "bar",
        "Bosatte per måned",
    )
    sheet_with_chart(
        "Ventetid",
        ["måneder siden vedtak", "personer"],
        [[b["bucket"], b["persons"]] for b in report.waiting_distribution],
        "bar",
        "Ventende etter måneder siden vedtak",
    )
    sheet_with_chart(
        "Anmodning og vedtak",
        ["år", "anmodning", "vedtak"],
        [[str(y), r["requested"], r["decided"]] for y, r in report.planning.items()],
        "bar",
        "Anmodninger og vedtak",
    )
    export.write_tables_sheets(wb, report.tables, report.area_label)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
