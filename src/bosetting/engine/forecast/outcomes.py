"""The expected decision of a council that has not decided yet, from its own record.

Each earlier year a municipality was asked falls in one of Table 2.4's classes: in line with the
request, fewer, none (decided to settle no one), or no decision. The chances of each class for
the coming decision are the municipality's own counts, smoothed towards the national shares of
Table 2.4 (2014: 140, 201, 51 and 36 of 428 councils) with the weight of ``PRIOR_STRENGTH``
years, the same smoothing the simulator's councils use. A council that takes fewer is expected
to take its own mean share of the request in those years (smoothed the same way). The expected
persons are then ``request × (P(in line) + P(fewer) × share when fewer)``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bosetting.engine.forecast.model import YearRecord
from bosetting.engine.rules.kpi import classify_decision

CLASSES = ("in_line", "fewer", "none", "no_decision")
# Table 2.4 (L694–709), 2014: councils in line, fewer, none, no decision (of 428).
NATIONAL_SHARES = (140 / 428, 201 / 428, 51 / 428, 36 / 428)
PRIOR_STRENGTH = 3.0
NATIONAL_SHARE_WHEN_FEWER = 0.6  # decided / requested of councils that took fewer (IMDi 2012–2014)


@dataclass(frozen=True)
class ExpectedDecision:
    """What a council that has not decided is expected to decide.

    Attributes:
        probabilities: chance of each class of ``CLASSES``.
        share_when_fewer: expected decided / requested if it takes fewer.
        persons: expected persons decided for the request.
        years_on_record: the earlier years it was asked.
    """

    probabilities: dict[str, float]
    share_when_fewer: float
    persons: float
    years_on_record: int

    @property
    def likeliest(self) -> str:
        """The most probable class."""
        return max(CLASSES, key=lambda c: self.probabilities[c])


def expected_decision(requested: int, record: Iterable[YearRecord]) -> ExpectedDecision:
    """The expected decision on ``requested`` persons from a municipality's earlier years."""
    counts = dict.fromkeys(CLASSES, 0.0)
    shares: list[float] = []
    for year in record:
        if not year.requested:  # not asked that year: says nothing about how it answers
            continue
        cls = classify_decision(year.requested, year.decided)
        counts[cls] += 1
        if cls == "fewer" and year.requested and year.decided is not None:
            shares.append(year.decided / year.requested)
    asked = sum(counts.values())
    total = asked + PRIOR_STRENGTH
    probabilities = {
        c: (counts[c] + PRIOR_STRENGTH * share) / total
        for c, share in zip(CLASSES, NATIONAL_SHARES, strict=True)
    }
    share_when_fewer = (sum(shares) + PRIOR_STRENGTH * NATIONAL_SHARE_WHEN_FEWER) / (
        len(shares) + PRIOR_STRENGTH
    )
    persons = requested * (probabilities["in_line"] + probabilities["fewer"] * share_when_fewer)
    return ExpectedDecision(probabilities, share_when_fewer, persons, int(asked))
