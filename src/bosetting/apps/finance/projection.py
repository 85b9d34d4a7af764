"""Integration-grant income projection per municipality ("prognose for integreringstilskudd").

Method (docs/housing.md, "Projections"):

- Settled persons: every person of a household settled in the municipality, by year of settlement S
  and grant category (``person_category``), for the cohorts still inside their five grant years.
- Decided but not yet settled: for each projection year Y with a council decision, the persons decided
  minus the persons already settled in Y, split by the national category mix of persons settled in
  Y-3..Y-1, assumed settled in Y.
- In calendar year T a person settled in S brings the budget-year-T rate for settlement-year index
  T-S+1 (1–5) of its category, from ``bosetting.engine.rules.grants``. Where the published yearly
  rate is not in the data, the stated assumption of ``GrantTable.assumed_rate`` is used (the known
  five-year total split evenly over the five years; the latest earlier total carried forward when the
  budget year has none) and the year is marked as resting on an assumption, with a note naming the
  rates assumed. ``assume=False`` switches the assumption off: a year that needs a missing rate is
  then "ukjent", gets no amount and is left out of the total, with a note. Never a silent 0.
- Reference: each cohort's five-year sum at its settlement year's budget (``total(S, category)``),
  labelled as such — not a forecast.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from bosetting.apps.cases.selectors import settled_person_counts
from bosetting.apps.planning.selectors import decided_persons_by_year
from bosetting.engine.rules.grants import EVEN_SPLIT, SETTLEMENT_YEARS, GrantTable

ELDERLY_FROM_AGE = 60
CATEGORY_LABELS = {
    "adult": "Voksne",
    "single_adult": "Enslige voksne",
    "child": "Barn",
    "uam": "Enslige mindreårige",
    "elderly": "Eldre (60+)",
}


def person_category(household_type: str, birth_year: int, settled_year: int) -> str:
    """The integration-grant category of a person settled in ``settled_year``."""
    age = settled_year - birth_year
    if household_type == "uam":
        return "uam"
    if age < 18:
        return "child"
    if age >= ELDERLY_FROM_AGE:
        return "elderly"
    if household_type == "single":
        return "single_adult"
    return "adult"


def settled_cohorts(numbers, first_year: int, last_year: int) -> Counter:
    """Persons settled by (year, category) in municipalities ``numbers`` (None = all)."""
    counts: Counter = Counter()
    for year, htype, birth_year, n in settled_person_counts(numbers, first_year, last_year):
        counts[(year, person_category(htype, birth_year, year))] += n
    return counts


def national_category_mix(year: int) -> dict[str, float]:
    """Shares of persons settled nationally in year-3..year-1 by category (empty when none)."""
    cohorts = settled_cohorts(None, year - 3, year - 1)
    by_category: Counter = Counter()
    for (_, category), n in cohorts.items():
        by_category[category] += n
    total = sum(by_category.values())
    return {c: n / total for c, n in by_category.items()} if total else {}


@dataclass
class ProjectionYear:
    year: int
    amount_nok: int | None
    persons_paid_for: float
    missing: list[str] = field(default_factory=list)
    assumed: list[str] = field(default_factory=list)

    @property
    def known(self) -> bool:
        return self.amount_nok is not None


@dataclass
class Projection:
    municipality: str
    start_year: int
    years: list[ProjectionYear]
    cohorts: dict[tuple[int, str], float]
    decided_remaining: dict[int, float]
    reference: list[dict]
    notes: list[str]
    assumption: bool = True

    @property
    def total_known_nok(self) -> int:
        return sum(y.amount_nok for y in self.years if y.amount_nok is not None)

    @property
    def excluded_years(self) -> list[int]:
        return [y.year for y in self.years if not y.known]

    def as_dict(self) -> dict:
        return {
            "municipality": self.municipality,
            "start_year": self.start_year,
            "years": [
                {
                    "year": y.year,
                    "amount_nok": y.amount_nok,
                    "known": y.known,
                    "persons_paid_for": round(y.persons_paid_for, 2),
                    "missing": y.missing,
                    "assumed": y.assumed,
                }
                for y in self.years
            ],
            "total_known_nok": self.total_known_nok,
            "excluded_years": self.excluded_years,
            "cohorts": [
                {"settled_year": s, "category": c, "persons": round(n, 2)}
                for (s, c), n in sorted(self.cohorts.items())
            ],
            "decided_not_settled": {str(y): round(n, 2) for y, n in self.decided_remaining.items()},
            "reference_five_year_sums": self.reference,
            "notes": self.notes,
            "assumption": {"even_split": self.assumption, "name": EVEN_SPLIT},
        }


def project(
    number: str,
    start_year: int,
    years: int = SETTLEMENT_YEARS,
    table: GrantTable | None = None,
    *,
    assume: bool = True,
) -> Projection:
    """Integration-grant income of municipality ``number`` for ``start_year`` and the next years
    (each year's council decision in that year's municipal structure); ``assume`` uses the stated
    even-split assumption where a yearly rate is not published (module docstring)."""
    table = table or GrantTable.default()
    last = start_year + years - 1
    cohorts: dict[tuple[int, str], float] = defaultdict(float)
    for key, n in settled_cohorts({number}, start_year - SETTLEMENT_YEARS + 1, last).items():
        cohorts[key] += n
    decided_remaining: dict[int, float] = {}
    notes: list[str] = []
    for year, decided in decided_persons_by_year(number, start_year, last).items():
        settled = sum(n for *_, n in settled_person_counts({number}, year, year))
        remaining = max(0, decided - settled)
        if not remaining:
            continue
        mix = national_category_mix(year)
        if not mix:
            notes.append(
                f"Vedtaket for {year} er ikke tatt med: ingen bosatte de tre foregående "
                "årene å hente kategorifordelingen fra."
            )
            continue
        decided_remaining[year] = float(remaining)
        for category, share in mix.items():
            cohorts[(year, category)] += remaining * share

    projection_years = []
    for year in range(start_year, last + 1):
        amount = 0.0
        persons = 0.0
        missing: list[str] = []
        assumed: list[str] = []
        for (settled_year, category), n in sorted(cohorts.items()):
            index = year - settled_year + 1
            if not 1 <= index <= SETTLEMENT_YEARS or n <= 0:
                continue
            persons += n
            rate = table.assumed_rate(year, category, index, assume=assume)
            what = f"{CATEGORY_LABELS[category]}, år {index} (budsjett {year})"
            if rate.amount_nok is None:
                missing.append(what)
                continue
            amount += n * rate.amount_nok
            if rate.assumed:
                assumed.append(
                    f"{what}: {rate.amount_nok} kr = femårssummen {rate.basis_total_nok} kr "
                    f"({CATEGORY_LABELS[rate.basis_category or category].lower()}, budsjett "
                    f"{rate.basis_year}) / {SETTLEMENT_YEARS}"
                )
        projection_years.append(
            ProjectionYear(year, None if missing else round(amount), persons, missing, assumed)
        )
    if any(y.assumed for y in projection_years):
        notes.append(
            "Antakelse: satsene per bosettingsår er ikke publisert i kildene vi har. Der en sats "
            "mangler, er den kjente femårssummen delt likt på de fem årene (for budsjettår uten "
            "kjent sum: siste kjente femårssum videreført; for kategorier uten egen sum: voksnes "
            "eller barns sum, et minimum). Årene det gjelder er merket «antakelse». "
            "Antakelsen kan slås av."
        )
    if any(not y.known for y in projection_years):
        notes.append(
            "Der en sats mangler i regeldataene og ingen antakelse brukes, vises året som «ukjent» "
            "og holdes utenfor summen."
        )
    reference = []
    for (settled_year, category), n in sorted(cohorts.items()):
        total = table.total(settled_year, category)
        reference.append(
            {
                "settled_year": settled_year,
                "category": category,
                "persons": round(n, 2),
                "rate_total_nok": total,
                "amount_nok": None if total is None else round(n * total),
            }
        )
    return Projection(
        number,
        start_year,
        projection_years,
        dict(cohorts),
        decided_remaining,
        reference,
        notes,
        assume,
    )
