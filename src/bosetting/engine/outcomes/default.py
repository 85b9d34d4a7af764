"""The default outcome model of the product: trained on the synthetic data on first use.

The product ships no model file (a pickle is tied to one scikit-learn version). The first matching
round that needs predictions trains the model on the synthetic training data (seeded, so every
installation gets the same model) and keeps it in the given cache folder (the product's ``var/``);
later rounds load it. A cached file from another version is refused by :func:`.load_model` and
trained again. Replace it with a model trained on real data with ``bosetting outcomes train``.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from bosetting.engine.outcomes.features import OutcomeDataError
from bosetting.engine.outcomes.model import (
    MODEL_FORMAT,
    OutcomeModel,
    load_model,
    save_model,
    train,
)
from bosetting.engine.outcomes.synthetic import generate_training_rows, write_training_csv

DEFAULT_SEED = 2014
DEFAULT_ROWS = 20_000


def default_model_path(cache_dir: Path) -> Path:
    """Where the default model is kept."""
    return cache_dir / f"outcome-model-synthetic-{MODEL_FORMAT.replace('/', '-')}.bin"


def default_model(cache_dir: Path) -> OutcomeModel:
    """The default model: loaded from ``cache_dir``, or trained on synthetic data and kept there."""
    path = default_model_path(cache_dir)
    if path.exists():
        try:
            return load_model(path)
        except OutcomeDataError:
            pass  # another version: train again below
    cache_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "synthetic-training.csv"
        write_training_csv(generate_training_rows(DEFAULT_SEED, DEFAULT_ROWS), data)
        model = train(data)
    fd, tmp_path = tempfile.mkstemp(prefix=".outcome-model.", dir=cache_dir)
    os.close(fd)
    try:
        save_model(model, tmp_path)
        os.replace(tmp_path, path)
    finally:
        Path(tmp_path).unlink(missing_ok=True)
    return model
