"""Outcome prediction — "forventet integrering": will an adult be employed or in education two
years after settlement, if settled here?

* :mod:`.features` — the training data's columns and the features of one adult;
* :mod:`.synthetic` — synthetic training data (marked synthetic) whose municipal effect follows the
  real SSB employment rates of immigrants per municipality;
* :mod:`.model` — training with cross-validation, calibration, AUC, Brier and the reliability curve,
  overall and per subgroup; model files that refuse another version;
* :mod:`.predict` — an instance's ``outcomes`` (format /2) from a model;
* :mod:`.card` — the model card (HTML; PDF through WeasyPrint).

scikit-learn is imported on first use (training, loading a model).
"""

from bosetting.engine.outcomes.features import COLUMNS, LABEL, OutcomeDataError
from bosetting.engine.outcomes.model import (
    MODEL_FORMAT,
    Metrics,
    OutcomeModel,
    load_model,
    save_model,
    train,
)
from bosetting.engine.outcomes.predict import PersonInfo, household_type, predict_outcomes
from bosetting.engine.outcomes.synthetic import (
    MunicipalityFacts,
    generate_training_rows,
    municipality_facts,
    write_training_csv,
)

__all__ = [
    "COLUMNS",
    "LABEL",
    "MODEL_FORMAT",
    "Metrics",
    "MunicipalityFacts",
    "OutcomeDataError",
    "OutcomeModel",
    "PersonInfo",
    "generate_training_rows",
    "household_type",
    "load_model",
    "municipality_facts",
    "predict_outcomes",
    "save_model",
    "train",
    "write_training_csv",
]
