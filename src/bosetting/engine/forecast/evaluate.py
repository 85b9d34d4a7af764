"""Out-of-sample test of the forecast against the naive forecast "settled = decided".

Two measures over the municipalities of the test year:

* national error — Σ forecast − Σ settled (persons; 0 is perfect);
* weighted absolute percentage error (WAPE) — Σ|forecast − settled| / Σ settled.

The naive forecast takes each council's decision as the persons it will settle (0 without a
decision).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from bosetting.engine.forecast.model import Forecast, YearRecord, band_of_sum, fit, forecast


@dataclass(frozen=True)
class Measures:
    """The two measures of one forecast against what was settled."""

    forecast_total: float
    settled_total: float
    wape: float

    @property
    def national_error(self) -> float:
        """Σ forecast − Σ settled, persons."""
        return self.forecast_total - self.settled_total

    @property
    def national_error_pct(self) -> float:
        """The national error relative to Σ settled."""
        return self.national_error / self.settled_total if self.settled_total else 0.0


@dataclass(frozen=True)
class Evaluation:
    """The model and the naive forecast for one test year, trained on the years before it."""

    year: int
    trained_on: tuple[int, ...]
    municipalities: int
    model: Measures
    naive: Measures
    band_coverage: float = 0.0  # share of municipalities whose settled count fell in their band
    national_band: tuple[float, float] = (0.0, 0.0)

    @property
    def beats_naive(self) -> bool:
        """Better on both measures (smaller absolute national error and smaller WAPE)."""
        return abs(self.model.national_error) < abs(self.naive.national_error) and (
            self.model.wape < self.naive.wape
        )

    def lines(self) -> list[str]:
        """The figures as printed by ``make bench`` and in ``docs/forecast.md``."""
        trained = "–".join(str(y) for y in (self.trained_on[0] - 1, self.trained_on[-1]))
        rows = [
            f"forecast {self.year} per municipality ({self.municipalities} municipalities), "
            f"trained on {trained}:",
        ]
        for label, m in (("model", self.model), ("naive settled = decided", self.naive)):
            rows.append(
                f"  {label:<24} national error {m.national_error:+,.0f} "
                f"({100 * m.national_error_pct:+.1f}%), WAPE {100 * m.wape:.1f}% "
                f"(forecast {m.forecast_total:,.0f}, settled {m.settled_total:,.0f})"
            )
        low, high = self.national_band
        inside = low <= self.model.settled_total <= high
        rows.append(
            f"  10-90% band: {100 * self.band_coverage:.0f}% of municipalities inside their own "
            f"(nominal 80%); national band {low:,.0f}-{high:,.0f} "
            f"({'holds' if inside else 'misses'} the {self.model.settled_total:,.0f} settled)"
        )
        rows.append(f"  beats the naive forecast on both measures: {self.beats_naive}")
        return rows


def measures(predicted: Mapping[str, float], settled: Mapping[str, int]) -> Measures:
    """National totals and WAPE of ``predicted`` against ``settled`` over the settled keys."""
    numbers = sorted(settled)
    total = float(sum(settled[n] for n in numbers))
    absolute = sum(abs(predicted.get(n, 0.0) - settled[n]) for n in numbers)
    return Measures(
        forecast_total=float(sum(predicted.get(n, 0.0) for n in numbers)),
        settled_total=total,
        wape=absolute / total if total else 0.0,
    )


def naive_forecast(this_year: Sequence[YearRecord]) -> dict[str, float]:
    """ "Settled = decided": each council's decision (0 without one)."""
    return {r.number: float(r.decided or 0) for r in this_year}


def evaluate(records: Iterable[YearRecord], year: int, *, rounded: bool = True) -> Evaluation:
    """Fit on the years before ``year``, forecast ``year`` and compare with what was settled.

    Args:
        records: every municipality's figures, the test year's settled counts included (they are
            read only to score the forecast).
        year: the test year.
        rounded: score whole persons, as the command writes them.
    """
    records = list(records)
    this_year = [r for r in records if r.year == year and r.settled is not None]
    model = fit(records, year)
    predicted: list[Forecast] = forecast(model, year, this_year, records)
    values = {f.number: (round(f.settled) if rounded else f.settled) for f in predicted}
    settled = {r.number: int(r.settled or 0) for r in this_year}
    inside = sum(1 for f in predicted if f.p10 <= settled[f.number] <= f.p90)
    return Evaluation(
        year=year,
        trained_on=model.trained_on,
        municipalities=len(this_year),
        model=measures(values, settled),
        naive=measures(naive_forecast(this_year), settled),
        band_coverage=inside / len(predicted) if predicted else 0.0,
        national_band=band_of_sum(
            ((f.p10, f.settled, f.p90) for f in predicted), model.national_relative_sd
        ),
    )
