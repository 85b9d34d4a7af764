"""Training, evaluating, storing and using the outcome model — "prediksjonsmodell for integrering".

The model is a logistic regression on one-hot categorical and scaled numeric
features (:mod:`.features`), calibrated (Platt) inside cross-validation. It is
deliberately simple: an officer and a critic can read what it learnt (each
coefficient is a log-odds effect), and its errors are measured where they
matter — per group.

Evaluation is by stratified 5-fold cross-validation: every row is predicted by
a model that never saw it, and from those out-of-fold predictions come the AUC,
the Brier score, the reliability curve (10 bins) and the same per subgroup
(sex, country group, household type, education, age band, centrality).

A model file is a pickle of :class:`OutcomeModel` with a header naming the
format version and the scikit-learn version it was trained with; a file from
another version is refused, saying which (a pickle from another scikit-learn
may load and still predict wrongly).
"""

from __future__ import annotations

import math
import pickle
from dataclasses import dataclass, field
from datetime import UTC, datetime
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np

from bosetting.engine.outcomes.features import (
    CATEGORICAL,
    LABEL,
    NUMERIC,
    AdultFeatures,
    OutcomeDataError,
    feature_row,
    read_training_csv,
)

MODEL_FORMAT = "bosetting.outcomes/1"
FOLDS = 5
BINS = 10
SEED = 2015
SUBGROUPS = ("sex", "country_group", "household_type", "education", "age_band", "centrality")
MIN_SUBGROUP_ROWS = 50
"""Subgroups with fewer rows are reported as too small to judge."""


def _age_band(age: float) -> str:
    return "18–24" if age < 25 else "25–39" if age < 40 else "40–55"


@dataclass
class Metrics:
    """How well predictions match outcomes.

    Attributes:
        rows: Rows measured.
        positives: Share with the label 1.
        mean_predicted: Mean prediction.
        auc: Area under the ROC curve (``None`` when one class is missing).
        brier: Brier score (mean squared error of the probability).
        reliability: (mean predicted, observed share, rows) per bin of the prediction.
    """

    rows: int
    positives: float
    mean_predicted: float
    auc: float | None
    brier: float
    reliability: list[tuple[float, float, int]] = field(default_factory=list)


def metrics(y: np.ndarray, p: np.ndarray) -> Metrics:
    """AUC, Brier score and reliability curve of predictions ``p`` for labels ``y``."""
    from sklearn.metrics import brier_score_loss, roc_auc_score

    auc = float(roc_auc_score(y, p)) if len(set(y.tolist())) == 2 else None
    bins = np.minimum((p * BINS).astype(int), BINS - 1)
    curve = [
        (float(p[bins == b].mean()), float(y[bins == b].mean()), int((bins == b).sum()))
        for b in range(BINS)
        if (bins == b).any()
    ]
    return Metrics(
        rows=len(y),
        positives=float(y.mean()),
        mean_predicted=float(p.mean()),
        auc=auc,
        brier=float(brier_score_loss(y, p)),
        reliability=curve,
    )


@dataclass
class OutcomeModel:
    """A trained outcome model with its card — "modell med modellkort".

    Attributes:
        estimator: The fitted scikit-learn pipeline.
        data_file: Name of the training file.
        rows: Training rows.
        period: First and last ``settled_year`` in the data.
        synthetic: Whether the training data were synthetic.
        overall: Cross-validated metrics.
        by_group: Cross-validated metrics per subgroup and value.
        coefficients: Log-odds effect per encoded feature.
        trained_at: When.
        sklearn_version: scikit-learn version it was trained with.
    """

    estimator: Any
    encoder: Encoder
    data_file: str
    rows: int
    period: tuple[int, int]
    synthetic: bool
    overall: Metrics
    by_group: dict[str, dict[str, Metrics]]
    coefficients: dict[str, float]
    trained_at: str
    sklearn_version: str

    def predict(self, adults: list[AdultFeatures]) -> np.ndarray:
        """Probability of employment or education after two years for each adult."""
        if not adults:
            return np.zeros(0)
        x = self.encoder.transform([a.row() for a in adults])
        return self.estimator.predict_proba(x)[:, 1]


def _pipeline() -> Any:
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.linear_model import LogisticRegression

    return CalibratedClassifierCV(LogisticRegression(max_iter=2000, C=1.0), method="sigmoid", cv=3)


class Encoder:
    """One-hot categorical and standardised numeric features into a dense matrix."""

    def fit(self, rows: list[dict[str, object]]) -> Encoder:
        """Learn the levels and the scaling from ``rows``."""
        self.levels = {c: sorted({str(r[c]) for r in rows}) for c in CATEGORICAL}
        numeric = np.array([[float(r[c]) for c in NUMERIC] for r in rows])  # type: ignore[arg-type]
        self.mean = numeric.mean(axis=0)
        self.scale = numeric.std(axis=0) + 1e-9
        return self

    def transform(self, rows: list[dict[str, object]]) -> np.ndarray:
        """The matrix of ``rows`` (a level never seen in training is all zeros)."""
        blocks = []
        for c in CATEGORICAL:
            values = np.array([str(r[c]) for r in rows], dtype=object)
            blocks.append(
                np.column_stack([values == level for level in self.levels[c]]).astype(float)
            )
        numeric = np.array([[float(r[c]) for c in NUMERIC] for r in rows])  # type: ignore[arg-type]
        blocks.append((numeric - self.mean) / self.scale)
        return np.hstack(blocks)

    def names(self) -> list[str]:
        """Names of the matrix columns."""
        return [f"{c}={level}" for c in CATEGORICAL for level in self.levels[c]] + list(NUMERIC)


def train(path: str | PathLike[str]) -> OutcomeModel:
    """Train on a CSV of past settled adults, with cross-validated metrics per group.

    Raises:
        OutcomeDataError: for missing columns (named), an unreadable file or a bad label.
    """
    import sklearn
    from sklearn.base import clone
    from sklearn.model_selection import StratifiedKFold

    raw = read_training_csv(path)
    try:
        rows = [feature_row(r) for r in raw]
    except (KeyError, ValueError) as exc:
        raise OutcomeDataError(f"{path}: a value cannot be read: {exc}") from None
    y = np.array([int(r[LABEL]) for r in raw])
    if len(set(y.tolist())) < 2:
        raise OutcomeDataError(f"{path}: {LABEL} has only one value")

    # Cross-validation: every row predicted by a model that never saw it.
    oof = np.zeros(len(y))
    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
    for train_idx, test_idx in folds.split(np.zeros(len(y)), y):
        train_rows = [rows[i] for i in train_idx]
        encoder = Encoder().fit(train_rows)
        model = clone(_pipeline())
        model.fit(encoder.transform(train_rows), y[train_idx])
        oof[test_idx] = model.predict_proba(encoder.transform([rows[i] for i in test_idx]))[:, 1]
    overall = metrics(y, oof)
    by_group: dict[str, dict[str, Metrics]] = {}
    for g in SUBGROUPS:
        values = (
            np.array([_age_band(float(r["age"])) for r in rows])  # type: ignore[arg-type]
            if g == "age_band"
            else np.array([str(r[g]) for r in rows])
        )
        by_group[g] = {
            v: metrics(y[values == v], oof[values == v]) for v in sorted(set(values.tolist()))
        }

    encoder = Encoder().fit(rows)
    final = _pipeline()
    final.fit(encoder.transform(rows), y)
    # The calibrated model averages three fits; their mean coefficient is what is reported.
    coefs = np.mean([c.estimator.coef_[0] for c in final.calibrated_classifiers_], axis=0)
    names = encoder.names()
    years = [int(r["settled_year"]) for r in raw]
    return OutcomeModel(
        estimator=final,
        encoder=encoder,
        data_file=Path(path).name,
        rows=len(y),
        period=(min(years), max(years)),
        synthetic=all(r.get("synthetic") == "1" for r in raw),
        overall=overall,
        by_group=by_group,
        coefficients={n: float(c) for n, c in zip(names, coefs, strict=True)},
        trained_at=datetime.now(UTC).isoformat(timespec="seconds"),
        sklearn_version=sklearn.__version__,
    )


def save_model(model: OutcomeModel, path: str | PathLike[str]) -> None:
    """Write a model file: a header with the versions, then the pickled model."""
    header = {"format": MODEL_FORMAT, "sklearn": model.sklearn_version}
    with Path(path).open("wb") as handle:
        pickle.dump(header, handle)
        pickle.dump(model, handle)


def load_model(path: str | PathLike[str]) -> OutcomeModel:
    """Read a model file, refusing one from another version.

    Raises:
        OutcomeDataError: naming the format or scikit-learn version that differs.
    """
    import sklearn

    try:
        with Path(path).open("rb") as handle:
            header = pickle.load(handle)
            if not isinstance(header, dict) or header.get("format") != MODEL_FORMAT:
                found = header.get("format") if isinstance(header, dict) else "unknown"
                raise OutcomeDataError(
                    f"{path}: model file of format {found!r}, this version reads {MODEL_FORMAT!r}"
                )
            if header.get("sklearn") != sklearn.__version__:
                raise OutcomeDataError(
                    f"{path}: trained with scikit-learn {header.get('sklearn')}, "
                    f"this installation has {sklearn.__version__}: train it again"
                )
            model = pickle.load(handle)
    except OSError as exc:
        raise OutcomeDataError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except (pickle.UnpicklingError, EOFError, AttributeError, ModuleNotFoundError) as exc:
        raise OutcomeDataError(f"{path}: not a model file ({type(exc).__name__})") from None
    if not isinstance(model, OutcomeModel):
        raise OutcomeDataError(f"{path}: not a model file")
    return model


def finite(x: float | None) -> bool:
    """Whether a metric is a real number."""
    return x is not None and math.isfinite(x)
