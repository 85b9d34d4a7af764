"""Synthetic training data for the outcome model — clearly marked synthetic ("syntetiske data").

Nobody's records are used. Each row is a made-up adult settled in a real municipality of the 2014
structure; what is real is the municipality: its population (SSB 07459) and, above all, the
employment rate of immigrants there (SSB register-based employment, via IMDi, in the reference data
``sysselsetting_kommune_2006_2014.csv``). The *municipal effect* of the generator is that rate: on
the logit scale a person's chance moves one for one with the logit of the municipality's immigrant
employment rate (centred on the national rate, 63 % in 2014). The *individual effects* are plausible
sizes taken from the direction of the Norwegian register studies of refugees' employment (men above
women, more so with small children; rising with education; falling with age after 40 and with long
stays in reception; differences between country groups; introduction programme results of the
municipality help a little) — they are assumptions, not estimates.

Centrality (SSB's index 1–6) and the share of introduction programme participants in work or
education afterwards are not in the reference data; the generator derives them from population and
the employment rate with noise, and says so. Every file it writes has ``synthetic=1`` in each row.
"""

from __future__ import annotations

import csv
import math
import random
from dataclasses import dataclass
from os import PathLike
from pathlib import Path

from bosetting.engine.outcomes.features import COLUMNS, LABEL

COUNTRY_GROUPS = {
    # group: (share of refugees, effect on the logit)
    "Afrika øst": (0.30, -0.45),
    "Midtøsten": (0.30, -0.15),
    "Asia": (0.15, 0.10),
    "Europa": (0.10, 0.35),
    "Afrika ellers": (0.10, -0.30),
    "Annet": (0.05, 0.0),
}
NATIONAL_RATE = 0.63
"""Employment rate of immigrants in Norway, 2014 (the centre of the municipal effect)."""


@dataclass(frozen=True)
class MunicipalityFacts:
    """What the generator and the model know about a municipality."""

    number: str
    name: str
    population: int
    employment_immigrants: float
    centrality: int
    intro_result: float

    @property
    def labour_index(self) -> float:
        """The matching instance's ``labour_index``: the immigrants' employment rate, 0..1."""
        return self.employment_immigrants


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def municipality_facts(seed: int = 0) -> list[MunicipalityFacts]:
    """The 2014 municipalities with population and immigrants' employment (real), centrality and
    introduction results (derived, synthetic)."""
    from bosetting.reference.loaders import employment, municipalities

    rng = random.Random(f"facts-{seed}")
    rates: dict[str, float] = {}
    for row in employment():
        if row.rate_immigrants_pct is not None and row.year == 2014:
            rates[row.municipality_number] = row.rate_immigrants_pct / 100
    out = []
    for m in municipalities(2014):
        population = next(
            (p for p in (m.populations.get(2014), m.populations.get(2015)) if p), None
        )
        rate = rates.get(m.number)
        if not population or rate is None:
            continue
        centrality = 1 + sum(
            population < limit for limit in (250_000, 50_000, 15_000, 5_000, 2_000)
        )
        intro = min(max(0.55 + 0.5 * (rate - NATIONAL_RATE) + rng.gauss(0, 0.06), 0.2), 0.9)
        out.append(
            MunicipalityFacts(
                m.number, m.name, population, round(rate, 3), centrality, round(intro, 3)
            )
        )
    return out


def _person(rng: random.Random) -> dict[str, object]:
    household_type = rng.choices(
        ["single", "couple", "family_children", "single_parent"], weights=[55, 8, 30, 7]
    )[0]
    sex = "m" if rng.random() < (0.75 if household_type == "single" else 0.5) else "f"
    age = min(18 + int(rng.gammavariate(2.2, 6.0)), 55)
    education = rng.choices(
        ["none", "primary", "secondary", "higher", "unknown"], [12, 30, 28, 18, 12]
    )[0]
    groups = list(COUNTRY_GROUPS)
    country = rng.choices(groups, weights=[COUNTRY_GROUPS[g][0] for g in groups])[0]
    months = round(min(rng.expovariate(1 / 7.0), 36.0), 1)
    return {
        "age": age,
        "sex": sex,
        "household_type": household_type,
        "education": education,
        "country_group": country,
        "months_in_reception": months,
    }


def individual_logit(p: dict[str, object]) -> float:
    """The individual part of a person's logit (the assumptions of the module docstring)."""
    age = int(p["age"])  # type: ignore[call-overload]
    x = 0.0
    x += {"none": -0.7, "primary": -0.25, "secondary": 0.2, "higher": 0.6, "unknown": -0.1}[
        str(p["education"])
    ]
    if p["sex"] == "f":
        x -= 0.9 if p["household_type"] in ("family_children", "single_parent") else 0.45
    x -= 0.05 * max(age - 40, 0)
    x += 0.15 if 22 <= age <= 35 else 0.0
    x -= 0.03 * float(p["months_in_reception"])  # type: ignore[arg-type]
    x += COUNTRY_GROUPS.get(str(p["country_group"]), (0.0, 0.0))[1]
    return x


def true_probability(p: dict[str, object], m: MunicipalityFacts) -> float:
    """The generator's probability of employment or education after two years."""
    x = 0.2 + (_logit(m.employment_immigrants) - _logit(NATIONAL_RATE))
    x += individual_logit(p) + 1.2 * (m.intro_result - 0.55)
    return 1.0 / (1.0 + math.exp(-x))


def generate_training_rows(
    seed: int, rows: int, years: tuple[int, int] = (2010, 2012)
) -> list[dict[str, object]]:
    """Synthetic adults settled in ``years`` (inclusive), with the label drawn from the generator.

    Municipalities are drawn in proportion to population (settlement roughly follows size).
    """
    rng = random.Random(seed)
    facts = municipality_facts(seed)
    weights = [math.sqrt(f.population) for f in facts]
    out: list[dict[str, object]] = []
    for i in range(rows):
        m = rng.choices(facts, weights=weights)[0]
        person = _person(rng)
        p = true_probability(person, m)
        out.append(
            {
                "person_id": f"syn-{seed}-{i + 1:06d}",
                "settled_year": rng.randint(*years),
                **person,
                "municipality": m.number,
                "labour_index": m.labour_index,
                "population": m.population,
                "centrality": m.centrality,
                "intro_result": m.intro_result,
                LABEL: int(rng.random() < p),
                "synthetic": 1,
            }
        )
    return out


def write_training_csv(rows: list[dict[str, object]], path: str | PathLike[str]) -> None:
    """Write rows with the training columns (and ``synthetic``)."""
    with Path(path).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=[*COLUMNS, "synthetic"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
