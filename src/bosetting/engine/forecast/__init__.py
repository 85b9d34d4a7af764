"""Forecast of persons settled per municipality in a year ("prognose for bosatte").

Pure Python + numpy/scipy. The method (``model``) is a quantile regression trained on earlier
years: from a year's request and council decision and the municipality's own record of the
years before, it predicts the persons settled over the year (median) with a 10–90 % band. During
the year (``in_year``) the forecast becomes the year-to-date settlements plus what remains,
bounded by the cases already matched to the municipality, its free housing and the national
queue. ``evaluate`` tests the method out of sample against the naive forecast "settled =
decided"; ``decisions_file`` reads a year's requests and decisions given from outside; and
``outcomes`` expects the council decision of a municipality that has not decided yet from its
own record. See ``docs/forecast.md``.
"""

from bosetting.engine.forecast.decisions_file import DecisionsFileError, parse_decisions_csv
from bosetting.engine.forecast.evaluate import Evaluation, evaluate, naive_forecast
from bosetting.engine.forecast.in_year import SEASONAL_SHARE, InYear, in_year, share_by_month
from bosetting.engine.forecast.model import (
    Forecast,
    ForecastModel,
    YearRecord,
    band_of_sum,
    fit,
    forecast,
    history_of,
)
from bosetting.engine.forecast.outcomes import ExpectedDecision, expected_decision

__all__ = [
    "SEASONAL_SHARE",
    "DecisionsFileError",
    "Evaluation",
    "ExpectedDecision",
    "Forecast",
    "ForecastModel",
    "InYear",
    "YearRecord",
    "band_of_sum",
    "evaluate",
    "expected_decision",
    "fit",
    "forecast",
    "history_of",
    "in_year",
    "naive_forecast",
    "parse_decisions_csv",
    "share_by_month",
]
