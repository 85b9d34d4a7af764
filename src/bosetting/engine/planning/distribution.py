"""The proposed distribution of the national need by county and then by municipality.

The national committee sets the need from UDI's prognoses; IMDi's regional offices and KS choose
municipalities and numbers "by population, labour market, competence and quality of the work"
(Fafo 2015, L568–579). Here every criterion gives each municipality a share of the country:

==============  ==========================================================================
criterion       the municipality's share of the country
==============  ==========================================================================
``population``  its population
``labour``      its population times its employment rate (the country's rate where unknown)
``record``      its population times its settlement record: persons settled against persons
                decided in the earlier years, smoothed towards the country's record
``housing``     its housing free for settlement; the population share where no municipality
                keeps its flats in the system
``quality``     its population times the regional office's assessment of the quality of its
                work (1–5; 3 is neutral)
==============  ==========================================================================

A municipality's *score* is the weighted mean of its shares, so the scores add up to 1. The need
goes first to the counties — each the sum of its municipalities' scores, rounded to whole persons
by the largest remainder so the counties add up to the need exactly — and then within each county
to its municipalities the same way. Every figure is explained by what each criterion contributed.
Unaccompanied minors are distributed by the same scores.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

CRITERIA = ("population", "labour", "record", "housing", "quality")
MAX_NEED = 100_000  # a national need above this is a typo (the largest so far: 37,000 in 2024)
QUALITY_RANGE = (1, 5)
NEUTRAL_QUALITY = 3
RECORD_PRIOR = 20.0  # persons of the country's record added to each municipality's (smoothing)
RECORD_CAP = 1.5  # a record above this (settling far beyond decisions) counts as this


class DistributionError(ValueError):
    """Bad input to the distribution; ``field`` names the offending input."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class MunicipalityCriteria:
    """What the criteria read of one municipality.

    Attributes:
        number: municipality number.
        county: county number.
        population: residents.
        employment_rate_pct: employment rate (%), None when unknown.
        settled_before: persons settled in the earlier years counted.
        decided_before: persons decided in the same years.
        free_housing: persons its free flats can take, None when it keeps no flats in the system.
        quality: the regional office's assessment (1–5).
    """

    number: str
    county: str
    population: int
    employment_rate_pct: float | None = None
    settled_before: int = 0
    decided_before: int = 0
    free_housing: int | None = None
    quality: int = NEUTRAL_QUALITY


@dataclass(frozen=True)
class Contribution:
    """What one criterion contributes to a municipality's figure."""

    criterion: str
    value: float | None  # the municipality's raw value (population, rate %, record, flats, score)
    share: float  # its share of the country under this criterion
    weight: float  # the criterion's weight, as a fraction of all weights
    persons: float  # need × weight × share


@dataclass
class Allocation:
    """One municipality's proposed figure and why."""

    number: str
    county: str
    score: float
    persons: int
    uam_persons: int
    contributions: list[Contribution] = field(default_factory=list)


@dataclass(frozen=True)
class Distribution:
    """The proposed distribution: by county and by municipality, adding up to the need."""

    need: int
    need_uam: int
    weights: dict[str, float]
    counties: dict[str, int]
    allocations: list[Allocation]
    notes: list[str]  # codes: "housing_by_population" (no flats in the system: population used)


def check_inputs(need: int, need_uam: int, weights: Mapping[str, float]) -> dict[str, float]:
    """The weights as fractions of their sum, after checking need and weights.

    Raises:
        DistributionError: a need below 0 or above ``MAX_NEED``, minors above the need, an
            unknown or negative weight, or weights that are all zero.
    """
    if need < 0 or need > MAX_NEED:
        raise DistributionError("need_persons", f"must be between 0 and {MAX_NEED:,}, not {need:,}")
    if need_uam < 0 or need_uam > need:
        raise DistributionError("need_uam_persons", f"must be between 0 and the need ({need:,})")
    for name, weight in weights.items():
        if name not in CRITERIA:
            raise DistributionError(f"weight_{name}", "unknown criterion")
        if weight < 0:
            raise DistributionError(f"weight_{name}", "a weight cannot be negative")
    total = float(sum(weights.get(c, 0.0) for c in CRITERIA))
    if total <= 0:
        raise DistributionError("weights", "the weights are all zero: nothing to distribute by")
    return {c: float(weights.get(c, 0.0)) / total for c in CRITERIA}


def largest_remainder(total: int, scores: Mapping[str, float]) -> dict[str, int]:
    """Whole numbers in proportion to ``scores`` that add up to ``total`` exactly (Hamilton's
    method; ties go to the lower key)."""
    mass = sum(scores.values())
    if total <= 0 or mass <= 0:
        return dict.fromkeys(scores, 0)
    exact = {k: total * v / mass for k, v in scores.items()}
    result = {k: int(v) for k, v in exact.items()}
    left = total - sum(result.values())
    order = sorted(exact, key=lambda k: (-(exact[k] - result[k]), k))
    for key in order[:left]:
        result[key] += 1
    return result


def _record(m: MunicipalityCriteria, national: float) -> float:
    ratio = (m.settled_before + RECORD_PRIOR * national) / (m.decided_before + RECORD_PRIOR)
    return min(ratio, RECORD_CAP)


def _bases(
    municipalities: Sequence[MunicipalityCriteria],
) -> tuple[dict[str, dict[str, float]], dict[str, dict[str, float | None]], list[str]]:
    """Per criterion: each municipality's base (its share before normalising) and raw value."""
    notes: list[str] = []
    rates = [m.employment_rate_pct for m in municipalities if m.employment_rate_pct is not None]
    mean_rate = sum(rates) / len(rates) if rates else 100.0
    settled = sum(m.settled_before for m in municipalities)
    decided = sum(m.decided_before for m in municipalities)
    national_record = settled / decided if decided else 1.0
    with_housing = any(m.free_housing is not None for m in municipalities)
    if not with_housing:
        notes.append("housing_by_population")  # no municipality keeps its flats in the system
    bases: dict[str, dict[str, float]] = {c: {} for c in CRITERIA}
    values: dict[str, dict[str, float | None]] = {c: {} for c in CRITERIA}
    for m in municipalities:
        population = float(max(m.population, 0))
        rate = m.employment_rate_pct if m.employment_rate_pct is not None else mean_rate
        record = _record(m, national_record)
        quality = min(max(m.quality, QUALITY_RANGE[0]), QUALITY_RANGE[1])
        bases["population"][m.number] = population
        values["population"][m.number] = population
        bases["labour"][m.number] = population * rate / 100.0
        values["labour"][m.number] = m.employment_rate_pct
        bases["record"][m.number] = population * record
        values["record"][m.number] = round(record, 3)
        if with_housing:
            bases["housing"][m.number] = float(max(m.free_housing or 0, 0))
            values["housing"][m.number] = m.free_housing
        else:
            bases["housing"][m.number] = population
            values["housing"][m.number] = None
        bases["quality"][m.number] = population * quality / NEUTRAL_QUALITY
        values["quality"][m.number] = float(quality)
    return bases, values, notes


def distribute(
    need: int,
    need_uam: int,
    municipalities: Sequence[MunicipalityCriteria],
    weights: Mapping[str, float],
) -> Distribution:
    """Distribute ``need`` (and ``need_uam`` minors) by county and then municipality.

    Raises:
        DistributionError: see :func:`check_inputs`; also when no municipality is given.
    """
    fractions = check_inputs(need, need_uam, weights)
    if not municipalities:
        raise DistributionError("municipalities", "no municipalities to distribute to")
    bases, values, notes = _bases(municipalities)
    shares: dict[str, dict[str, float]] = {}
    for criterion in CRITERIA:
        total = sum(bases[criterion].values())
        shares[criterion] = {
            n: (b / total if total > 0 else 0.0) for n, b in bases[criterion].items()
        }
    scores = {
        m.number: sum(fractions[c] * shares[c][m.number] for c in CRITERIA) for m in municipalities
    }
    if need > 0 and sum(scores.values()) <= 0:
        raise DistributionError(
            "weights", "no municipality has any of the weighted criteria: nothing to distribute by"
        )
    county_of = {m.number: m.county for m in municipalities}
    county_scores: dict[str, float] = {}
    for number, score in scores.items():
        county_scores[county_of[number]] = county_scores.get(county_of[number], 0.0) + score
    counties = largest_remainder(need, county_scores)
    counties_uam = largest_remainder(need_uam, county_scores)
    persons: dict[str, int] = {}
    uam: dict[str, int] = {}
    for county in sorted(county_scores):
        members = {n: s for n, s in scores.items() if county_of[n] == county}
        persons.update(largest_remainder(counties[county], members))
        uam.update(largest_remainder(counties_uam[county], members))
    _fit_minors(uam, persons, scores)
    allocations = []
    for m in sorted(municipalities, key=lambda m: m.number):
        contributions = [
            Contribution(
                criterion=c,
                value=values[c][m.number],
                share=shares[c][m.number],
                weight=fractions[c],
                persons=need * fractions[c] * shares[c][m.number],
            )
            for c in CRITERIA
        ]
        allocations.append(
            Allocation(
                number=m.number,
                county=m.county,
                score=scores[m.number],
                persons=persons[m.number],
                uam_persons=uam[m.number],
                contributions=contributions,
            )
        )
    return Distribution(need, need_uam, fractions, counties, allocations, notes)


def _fit_minors(uam: dict[str, int], persons: dict[str, int], scores: Mapping[str, float]) -> None:
    """Keep each municipality's minors within its figure (rounding can put a minor where the
    figure rounded to less); places taken away go to the best-scored municipalities with room."""
    freed = 0
    for number in uam:
        excess = uam[number] - persons[number]
        if excess > 0:
            uam[number] -= excess
            freed += excess
    for number in sorted(uam, key=lambda n: (-scores[n], n)):
        if freed <= 0:
            break
        room = min(persons[number] - uam[number], freed)
        if room > 0:
            uam[number] += room
            freed -= room


def spread_difference(
    difference: int, figures: Mapping[str, int], fixed: frozenset[str] | set[str]
) -> dict[str, int]:
    """Spread ``difference`` persons (positive: add, negative: take away) over the figures not in
    ``fixed``, in proportion to them, so the total changes by exactly ``difference``; no figure
    goes below 0. Returns the new figures of every key."""
    result = dict(figures)
    free = {k: v for k, v in figures.items() if k not in fixed and v > 0}
    if difference == 0 or not free:
        return result
    if difference > 0:
        for key, extra in largest_remainder(difference, free).items():
            result[key] += extra
        return result
    take = min(-difference, sum(free.values()))
    for key, less in largest_remainder(take, free).items():
        result[key] -= min(less, result[key])
    return result
