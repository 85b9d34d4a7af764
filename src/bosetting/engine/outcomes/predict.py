"""Filling an instance's ``outcomes`` from a trained model (``bosetting outcomes predict``).

``p_employment(h, m)`` is the mean of the model's probability over the
household's adults (18–55) if settled in m; a household without such adults
gets no prediction (the contract's "missing pair"). What the exchange format
does not carry — sex, education — comes from ``people`` when the caller has it
and is "unknown" otherwise; the country group is the household's ``group``.
Municipality attributes come from ``municipalities`` (the reference data by
municipality number), falling back to the instance's ``labour_index`` and
middling values for a municipality the reference data does not know.

The model is linear before calibration, so the person part and the
municipality part of each score are computed once and added for every pair:
a few million pairs take seconds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from bosetting.engine.matching.model import ADULT_MAX_AGE, ADULT_MIN_AGE, Household, Instance
from bosetting.engine.outcomes.features import CATEGORICAL, NUMERIC, AdultFeatures
from bosetting.engine.outcomes.model import OutcomeModel
from bosetting.engine.outcomes.synthetic import MunicipalityFacts

PERSON_COLUMNS = (
    "sex",
    "household_type",
    "education",
    "country_group",
    "age",
    "months_in_reception",
)
DEFAULT_POPULATION = 12_000
DEFAULT_CENTRALITY = 4
DEFAULT_INTRO = 0.55


@dataclass(frozen=True)
class PersonInfo:
    """What the database knows about an adult beyond the exchange format."""

    age: int
    sex: str = "u"
    education: str = "unknown"


def household_type(household: Household) -> str:
    """``single``, ``couple``, ``family_children``, ``single_parent`` or ``uam``."""
    if household.uam:
        return "uam"
    adults = sum(1 for p in household.persons if p.age >= ADULT_MIN_AGE)
    if household.children:
        return "single_parent" if adults == 1 else "family_children"
    return "single" if household.size == 1 else "couple"


def predict_outcomes(
    model: OutcomeModel,
    instance: Instance,
    people: Mapping[str, list[PersonInfo]] | None = None,
    municipalities: Mapping[str, MunicipalityFacts] | None = None,
) -> list[tuple[str, str, float]]:
    """``(household id, municipality id, p_employment)`` for every household with adults."""
    people = people or {}
    municipalities = municipalities or {}
    adults: list[AdultFeatures] = []
    owner: list[int] = []
    for i, h in enumerate(instance.households):
        known = people.get(h.id)
        persons = known if known is not None else [PersonInfo(p.age) for p in h.persons]
        for person in persons:
            if not ADULT_MIN_AGE <= person.age <= ADULT_MAX_AGE:
                continue
            adults.append(
                AdultFeatures(
                    age=person.age,
                    sex=person.sex,
                    household_type=household_type(h),
                    education=person.education,
                    country_group=h.group or "unknown",
                    months_in_reception=max(h.wait_months(instance.as_of), 0.0),
                    labour_index=0.0,
                    population=1,
                    centrality=DEFAULT_CENTRALITY,
                    intro_result=DEFAULT_INTRO,
                )
            )
            owner.append(i)
    if not adults or not instance.municipalities:
        return []
    places = []
    for m in instance.municipalities:
        facts = municipalities.get(m.id)
        places.append(
            AdultFeatures(
                age=30,
                sex="u",
                household_type="single",
                education="unknown",
                country_group="unknown",
                months_in_reception=0.0,
                labour_index=facts.labour_index if facts else m.labour_index,
                population=facts.population if facts else DEFAULT_POPULATION,
                centrality=facts.centrality if facts else DEFAULT_CENTRALITY,
                intro_result=facts.intro_result if facts else DEFAULT_INTRO,
            )
        )
    p = _pair_probabilities(model, adults, places)  # adults × municipalities
    owner_arr = np.array(owner)
    out: list[tuple[str, str, float]] = []
    for i in sorted(set(owner)):
        mean = p[owner_arr == i].mean(axis=0)
        hid = instance.households[i].id
        out.extend(
            (hid, m.id, round(float(q), 6))
            for m, q in zip(instance.municipalities, mean, strict=True)
        )
    return out


def _pair_probabilities(
    model: OutcomeModel, adults: list[AdultFeatures], places: list[AdultFeatures]
) -> np.ndarray:
    """Calibrated probabilities for every (adult, municipality) pair."""
    encoder = model.encoder
    names = encoder.names()
    person_cols = np.array([n.split("=")[0] in PERSON_COLUMNS for n in names], dtype=bool)
    xa = encoder.transform([a.row() for a in adults]) * person_cols
    xm = encoder.transform([m.row() for m in places]) * ~person_cols
    total = np.zeros((len(adults), len(places)))
    classifiers = model.estimator.calibrated_classifiers_
    for c in classifiers:
        w = c.estimator.coef_[0]
        f = c.estimator.intercept_[0] + (xa @ w)[:, None] + (xm @ w)[None, :]
        total += c.calibrators[0].predict(f.ravel()).reshape(f.shape)
    return total / len(classifiers)


assert set(PERSON_COLUMNS) | {"centrality", "labour_index", "log_population", "intro_result"} == (
    set(CATEGORICAL) | set(NUMERIC)
)
