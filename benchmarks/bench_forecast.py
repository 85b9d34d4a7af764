"""Out-of-sample test of the forecast of settled persons per municipality (prints figures).

Trained on 2012–2013 (2013 with 2012 as its record), it forecasts 2014 for each of the 428
municipalities from the year's requests and decisions and each municipality's record, and is
scored against IMDi's real settled counts beside the naive forecast "settled = decided":

* national error — Σ forecast − Σ settled;
* weighted absolute percentage error — Σ|forecast − settled| / Σ settled.

Target (issue 15): beat the naive forecast on both. Also timed: fitting and forecasting a year.
The figures are IMDi's, shipped in the package (``reference/data``); docs/forecast.md quotes them.
"""

from __future__ import annotations

import time

from bosetting.engine.forecast import YearRecord, evaluate, fit, forecast
from bosetting.reference.loaders import settlement_figures_2012_2014


def real_records() -> list[YearRecord]:
    """IMDi's figures 2012–2014 by municipality; an empty settled cell is 0 (IMDi's 2014 extract
    lists no zeros and its rows add up to the national total)."""
    return [
        YearRecord(r.municipality_number, r.year, r.requested, r.decided, r.settled or 0)
        for r in settlement_figures_2012_2014()
        if r.municipality_number != "9999"
    ]


def main() -> None:
    records = real_records()
    result = evaluate(records, 2014)
    for line in result.lines():
        print(line, flush=True)
    print(
        f"  target (beat the naive forecast on both measures): {'met' if result.beats_naive else 'NOT MET'}"
    )
    started = time.perf_counter()
    model = fit(records, 2014)
    this_year = [r for r in records if r.year == 2014]
    forecast(model, 2014, this_year, records)
    print(
        f"fit (3 quantile regressions) and forecast of 428 municipalities: {time.perf_counter() - started:.2f} s"
    )


if __name__ == "__main__":
    main()
