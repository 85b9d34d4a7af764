"""The training data of the outcome model: columns, reading, and the features of one adult.

One row is one adult (18–55) settled in a municipality, with what was known at
settlement and whether the person was employed or in education two years later
(the label). Municipality attributes are columns of the row, so a model learns
from the municipality's labour market, size, centrality and introduction
programme results rather than from its name, and can predict for a
municipality with few past settlements.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from os import PathLike
from pathlib import Path

CATEGORICAL = ("sex", "household_type", "education", "country_group", "centrality")
"""Categorical features (``centrality`` is SSB's six-step index, 1 = most central)."""

NUMERIC = (
    "age",
    "months_in_reception",
    "labour_index",
    "log_population",
    "intro_result",
)
"""Numeric features (``log_population`` is computed from ``population``)."""

LABEL = "employed_2y"
"""1 when the person was employed or in education two years after settlement."""

COLUMNS = (
    "person_id",
    "settled_year",
    "age",
    "sex",
    "household_type",
    "education",
    "country_group",
    "months_in_reception",
    "municipality",
    "labour_index",
    "population",
    "centrality",
    "intro_result",
    LABEL,
)
"""Columns a training file must have (others are ignored)."""

SEXES = ("f", "m", "u")
HOUSEHOLD_TYPES = ("single", "couple", "family_children", "single_parent", "uam")
EDUCATION = ("none", "primary", "secondary", "higher", "unknown")


class OutcomeDataError(ValueError):
    """Training data or a model file that cannot be used — "ubrukelige data"."""


@dataclass(frozen=True)
class AdultFeatures:
    """What the model needs to know about one adult and one municipality."""

    age: int
    sex: str
    household_type: str
    education: str
    country_group: str
    months_in_reception: float
    labour_index: float
    population: int
    centrality: int
    intro_result: float

    def row(self) -> dict[str, object]:
        """The features as a model input row."""
        return {
            "age": float(self.age),
            "sex": self.sex,
            "household_type": self.household_type,
            "education": self.education,
            "country_group": self.country_group,
            "months_in_reception": float(self.months_in_reception),
            "labour_index": float(self.labour_index),
            "log_population": math.log(max(self.population, 1)),
            "centrality": str(self.centrality),
            "intro_result": float(self.intro_result),
        }


def read_training_csv(path: str | PathLike[str]) -> list[dict[str, str]]:
    """Rows of a training file, checked for the columns the model needs.

    Raises:
        OutcomeDataError: naming the missing columns, an unreadable file, or a bad label.
    """
    try:
        with Path(path).open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            missing = [c for c in COLUMNS if c not in header]
            if missing:
                raise OutcomeDataError(f"{path}: missing columns: {', '.join(missing)}")
            rows = list(reader)
    except OSError as exc:
        raise OutcomeDataError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if not rows:
        raise OutcomeDataError(f"{path}: no rows")
    for i, row in enumerate(rows, start=2):
        if row[LABEL] not in ("0", "1"):
            raise OutcomeDataError(f"{path}: line {i}: {LABEL} must be 0 or 1, not {row[LABEL]!r}")
    return rows


def feature_row(row: dict[str, str]) -> dict[str, object]:
    """A training row as a model input row."""
    return AdultFeatures(
        age=int(float(row["age"])),
        sex=row["sex"] or "u",
        household_type=row["household_type"],
        education=row["education"] or "unknown",
        country_group=row["country_group"] or "unknown",
        months_in_reception=float(row["months_in_reception"]),
        labour_index=float(row["labour_index"]),
        population=int(float(row["population"])),
        centrality=int(float(row["centrality"])),
        intro_result=float(row["intro_result"]),
    ).row()
