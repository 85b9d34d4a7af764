"""``bosetting housing gap``: households to be settled by size against available units.

A door: the method and the figures come from the housing app (``housing.selectors.gap_of_area``).
"""

from __future__ import annotations

import json

import typer
from rich.console import Console
from rich.table import Table

from bosetting.commands._django import setup

housing_app = typer.Typer(
    help="Boliger: boliggap (mangel på boliger etter størrelse).", no_args_is_help=True
)

FORMATS = ("text", "json")
ROW_LABELS = (
    ("assigned", "Allerede foreslått/akseptert"),
    ("waiting", "Ventende (andel)"),
    ("expected", "Forventet av vedtak"),
    ("demand", "Husholdninger i alt"),
    ("units", "Ledige boliger"),
    ("missing", "Mangler bolig"),
)


def _fail(message: str) -> None:
    typer.echo(message, err=True)
    raise typer.Exit(2)


def _num(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


@housing_app.command("gap")
def gap_command(
    area: str = typer.Option(
        "national", "--area", help="national, county:12, region:imdi-vest or municipality:1201."
    ),
    year: int | None = typer.Option(
        None, "--year", help="Planning year (default: latest decisions)."
    ),
    format: str = typer.Option("text", "--format", help="text or json."),
) -> None:
    """How many units of each size (1, 2, 3–4, 5+ persons) are missing in an area and year."""
    if format not in FORMATS:
        _fail(f"--format: expected one of {', '.join(FORMATS)}, got {format!r}")
    if year is not None and not 2000 <= year <= 2100:
        _fail(f"--year: {year} is outside 2000–2100")
    setup()
    # Imported after setup(): the command line starts without Django (docs/architecture.md).
    from bosetting.apps.housing.choices import SIZE_BAND_LABELS, SIZE_BANDS
    from bosetting.apps.housing.selectors import AreaError, gap_of_area

    try:
        with Console(stderr=True).status("Beregner boliggap …"):
            report = gap_of_area(area, year)
    except AreaError as exc:
        _fail(f"--{exc}")
    if format == "json":
        typer.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        return
    table = Table(title=f"Boliggap {report.year} – {report.area_label}")
    table.add_column("")
    for band in SIZE_BANDS:
        table.add_column(SIZE_BAND_LABELS[band], justify="right")
    for name, label in ROW_LABELS:
        values = report.total.demand if name == "demand" else getattr(report.total, name)
        table.add_row(label, *(_num(values[b]) for b in SIZE_BANDS))
    console = Console(width=120)
    console.print(table)
    console.print(
        f"Mangler boliger for 5+ personer: {_num(report.total.missing['5+'])}. "
        "Metode: docs/housing.md."
    )
    for note in report.notes:
        console.print(note)


def register(app: typer.Typer) -> None:
    app.add_typer(housing_app, name="housing")
