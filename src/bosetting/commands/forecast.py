"""``bosetting forecast``: persons settled per municipality in a year (a door: the method is in
``engine.forecast``, the database's figures come from ``planning.selectors``).

    bosetting forecast --year 2014 --out forecast-2014.csv
    bosetting forecast --year 2016 --decisions vedtak-2016.csv --out forecast-2016.csv

The output has the columns ``kommunenummer,settled_forecast,p10,p90``, one row per municipality
in the decisions file or, without one, per municipality of the year's structure in the database.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from bosetting.commands._django import setup
from bosetting.commands._files import write_atomically

OUTPUT_COLUMNS = ("kommunenummer", "settled_forecast", "p10", "p90")


def _fail(message: str) -> typer.Exit:
    Console(stderr=True, highlight=False).print(f"[bold red]error:[/] {message}", soft_wrap=True)
    return typer.Exit(2)


def forecast_csv(rows) -> str:
    """The output file's text: one row per municipality, whole persons."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(OUTPUT_COLUMNS)
    for row in sorted(rows, key=lambda r: r.number):
        writer.writerow([row.number, round(row.settled), round(row.p10), round(row.p90)])
    return buffer.getvalue()


def forecast(
    year: Annotated[int, typer.Option("--year", help="The year to forecast.")],
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the forecast here (CSV).")
    ] = None,
    decisions: Annotated[
        Path | None,
        typer.Option(
            "--decisions",
            help="The year's requests and decisions: CSV with kommunenummer,anmodning,vedtak.",
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="The day of the forecast (YYYY-MM-DD); default the business date. Within the "
            "year: settled so far plus the rest.",
        ),
    ] = None,
) -> None:
    """Forecast the persons settled per municipality in a year, with a 10–90 % band, trained on
    earlier years only; compared with "settled = decided" where the year's settlements are known."""
    if not 1990 <= year <= 2100:
        raise _fail(f"--year: {year} is not between 1990 and 2100")
    day = None
    if as_of is not None:
        try:
            day = dt.date.fromisoformat(as_of)
        except ValueError:
            raise _fail(f"--as-of: not a date (YYYY-MM-DD): {as_of!r}") from None
    text = None
    if decisions is not None:
        try:
            text = decisions.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise _fail(f"--decisions: no such file: {decisions}") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise _fail(f"--decisions: cannot read {decisions}: {exc}") from None

    setup()
    # Django apps only after setup(): ``bosetting --help`` starts without Django.
    from bosetting import clock
    from bosetting.apps.geo.selectors import municipalities
    from bosetting.apps.planning.selectors import forecast_year, year_records
    from bosetting.engine.forecast import DecisionsFileError, naive_forecast, parse_decisions_csv
    from bosetting.engine.forecast.evaluate import measures
    from bosetting.reference.structure import structure_year_for

    structure_year = structure_year_for(year)
    this_year = None
    if text is not None:
        known = list(municipalities(structure_year).values_list("number", flat=True))
        try:
            this_year = parse_decisions_csv(text, year, known)
        except DecisionsFileError as exc:
            raise _fail(f"--decisions {decisions}: {exc}") from None
    try:
        result = forecast_year(year, day or clock.today(), this_year)
    except ValueError as exc:
        raise _fail(str(exc)) from None
    if out is not None:
        try:
            write_atomically(out, forecast_csv(result.rows))
        except (OSError, ValueError) as exc:
            raise _fail(str(exc)) from None

    console = Console(highlight=False, soft_wrap=True)
    trained = f"{result.trained_on[0] - 1}–{result.trained_on[-1]}"
    console.print(
        f"Forecast {year} as of {result.as_of.isoformat()} (trained on {trained}): "
        f"{result.total:,.0f} settled, 10–90 % band {result.total_p10:,.0f}–{result.total_p90:,.0f}, "
        f"{len(result.rows)} municipalities" + (f"; wrote {out}" if out is not None else "")
    )
    known_year = [r for r in year_records(structure_year, [year]) if r.settled is not None]
    if known_year and this_year is None and result.months_done == 0:
        settled = {r.number: int(r.settled or 0) for r in known_year}
        model = measures({r.number: float(round(r.settled)) for r in result.rows}, settled)
        naive = measures(naive_forecast(known_year), settled)
        for label, m in (("forecast", model), ('naive "settled = decided"', naive)):
            console.print(
                f"  {label:<26} national error {m.national_error:+,.0f}, "
                f"WAPE {100 * m.wape:.1f}% against {m.settled_total:,.0f} settled"
            )


def register(app: typer.Typer) -> None:
    """Add ``bosetting forecast``."""
    app.command("forecast")(forecast)


__all__ = ["forecast", "forecast_csv", "register"]
