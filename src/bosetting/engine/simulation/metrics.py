"""Yearly figures of one run, defined as in the report's tables (IMDi's annual reports).

All counts are persons. "Waiting" (bosettingsklare i mottak) means a refugee in reception who
has been notified of the permit — the report calls the refugee "den bosettingsklare" when
IMDi's letter is sent (L1149) — and is still waiting for a municipality: no agreement yet
(glossary: "waiting in a reception centre for a municipality"). Households waiting for the
settlement interview, in the pool, or with a proposal out count; those with an agreement who
wait for their flat (phase 4) do not. Long-waiters are those of them whose permit is more than
six months old. Waiting times run from the residence permit to the move (Tabell 2.2 "fra
vedtak"). Resettlement (quota) refugees never wait in reception: they count as settled but not
in the waiting figures or the waiting times, which the report gives for "bosatte fra mottak"
(settled from reception)."""

from __future__ import annotations

import math

import numpy as np

from bosetting.engine.simulation.households import FAMILY, UAM
from bosetting.engine.simulation.model import RunRecord

LONG_WAIT_MONTHS = 6.0

# The headline metrics, in the order of the result JSON.
HEADLINE_METRICS = (
    "settled",
    "waiting_dec31",
    "share_settled_within_6_months_pct",
    "long_waiters",
    "mean_wait_months_permit_to_settlement",
)

EXTRA_METRICS = (
    "mean_wait_months_case_to_settlement",
    "settled_from_reception",
    "settled_quota",
    "self_settled",
    "self_settled_without_agreement",
    "permits_persons",
    "share_families_within_3_months_pct",
    "requested_persons",
    "decided_persons",
    "councils_in_line",
    "councils_fewer",
    "councils_none",
    "councils_no_decision",
    "proposals",
    "proposals_rejected",
    "reunified_persons",
    "units_procured",
    "units_granted",
    "private_offers",
    "units_vacant_dec31",
    "overcrowded_households",
    "unused_places",
)

ALL_METRICS = HEADLINE_METRICS + EXTRA_METRICS


def _weighted_mean(values: np.ndarray, weights: np.ndarray) -> float:
    total = float(weights.sum())
    return float((values * weights).sum() / total) if total > 0 else math.nan


def year_metrics(record: RunRecord, year: int, months: int = 12) -> dict[str, float]:
    """The figures of ``year`` over its first ``months`` months.

    ``months=12`` gives the calendar year with the stock on 31 December; ``months=11`` gives
    January–November with the stock on 30 November (the report's "2014 (nov.)" column).
    Means and shares are ``nan`` when nobody was settled in the window.
    """
    hh = record.households
    start = 12.0 * (year - record.first_year)
    end = start + months
    size = hh.size0.astype(np.float64)
    reception = ~hh.quota
    exit_t = np.minimum(hh.move_t, hh.self_t)
    # IMDi counts as settled those settled by agreement with a municipality: matched, quota,
    # and self-settled with the municipality's agreement; self-settlers without one leave
    # reception but are not "bosatt" (and lose the introduction programme, L606-609).
    counted = np.isfinite(hh.move_t) | hh.with_agreement
    settled_in = (exit_t >= start) & (exit_t < end) & counted
    from_reception = settled_in & reception
    wait = exit_t - hh.permit_t
    case_wait = exit_t - hh.case_t
    waiting = reception & (hh.notified_t < end) & (hh.left_waiting_t >= end)
    long_wait = waiting & (end - hh.permit_t > LONG_WAIT_MONTHS)
    short_target = from_reception & ((hh.kind == FAMILY) | (hh.kind == UAM))
    self_in = (hh.self_t >= start) & (hh.self_t < end)

    w = size[from_reception]
    values: dict[str, float] = {
        "settled": float(size[settled_in].sum()),
        "waiting_dec31": float(size[waiting].sum()),
        "share_settled_within_6_months_pct": 100.0
        * _weighted_mean((wait[from_reception] <= LONG_WAIT_MONTHS).astype(float), w),
        "long_waiters": float(size[long_wait].sum()),
        "mean_wait_months_permit_to_settlement": _weighted_mean(wait[from_reception], w),
        "mean_wait_months_case_to_settlement": _weighted_mean(case_wait[from_reception], w),
        "settled_from_reception": float(w.sum()),
        "settled_quota": float(size[settled_in & hh.quota].sum()),
        "self_settled": float(size[self_in].sum()),
        "self_settled_without_agreement": float(size[self_in & ~hh.with_agreement].sum()),
        "permits_persons": float(
            size[reception & (hh.permit_t >= start) & (hh.permit_t < end)].sum()
        ),
        "share_families_within_3_months_pct": 100.0
        * _weighted_mean((wait[short_target] <= 3.0).astype(float), size[short_target]),
    }
    decisions = record.decisions.get(year, {})
    values["requested_persons"] = float(decisions.get("requested_persons", 0.0))
    values["decided_persons"] = float(decisions.get("decided_persons", 0.0))
    for key in ("councils_in_line", "councils_fewer", "councils_none", "councils_no_decision"):
        values[key] = float(decisions.get(key, 0.0))
    counters = record.counters.get(year, {})
    for key in (
        "proposals",
        "proposals_rejected",
        "reunified_persons",
        "units_procured",
        "units_granted",
        "private_offers",
    ):
        values[key] = float(counters.get(key, 0.0))
    housing = record.housing_year_end.get(year, {})
    values["units_vacant_dec31"] = float(housing.get("units_vacant", 0.0))
    values["overcrowded_households"] = float(housing.get("overcrowded_households", 0.0))
    values["unused_places"] = float(housing.get("unused_places", 0.0))
    return values


def monthly_series(record: RunRecord, first_month: int, n_months: int) -> dict[str, list[float]]:
    """Month-end waiting persons and persons settled per month, for charts."""
    hh = record.households
    size = hh.size0.astype(np.float64)
    reception = ~hh.quota
    exit_t = np.minimum(hh.move_t, hh.self_t)
    ends = np.arange(first_month + 1, first_month + n_months + 1, dtype=np.float64)
    ready_order = np.argsort(hh.notified_t[reception])
    permit_sorted = hh.notified_t[reception][ready_order]
    permit_cum = np.concatenate([[0.0], np.cumsum(size[reception][ready_order])])
    left = hh.left_waiting_t[reception]
    exit_order = np.argsort(left)
    exit_sorted = left[exit_order]
    exit_cum = np.concatenate([[0.0], np.cumsum(size[reception][exit_order])])
    arrived = permit_cum[np.searchsorted(permit_sorted, ends, side="left")]
    left_by = exit_cum[np.searchsorted(exit_sorted, ends, side="left")]
    all_order = np.argsort(exit_t)
    all_sorted = exit_t[all_order]
    all_cum = np.concatenate([[0.0], np.cumsum(size[all_order])])
    settled_cum = all_cum[
        np.searchsorted(all_sorted, np.concatenate([[ends[0] - 1.0], ends]), side="left")
    ]
    return {
        "waiting": (arrived - left_by).tolist(),
        "settled": np.diff(settled_cum).tolist(),
    }
