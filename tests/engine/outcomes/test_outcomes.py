"""The outcome model: synthetic data that follow SSB's employment rates, training with metrics per
group, model files that refuse another version, predictions for an instance, the command line."""

from __future__ import annotations

import csv
import pickle
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from bosetting.cli import app
from bosetting.engine.matching import generate_instance, parse_instance
from bosetting.engine.outcomes import (
    COLUMNS,
    OutcomeDataError,
    generate_training_rows,
    load_model,
    municipality_facts,
    predict_outcomes,
    save_model,
    train,
    write_training_csv,
)
from bosetting.engine.outcomes.card import card_html
from bosetting.engine.outcomes.features import AdultFeatures
from bosetting.engine.outcomes.predict import PersonInfo, household_type

runner = CliRunner()


@pytest.fixture(scope="module")
def data_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("outcomes") / "train.csv"
    write_training_csv(generate_training_rows(7, 2500), path)
    return path


@pytest.fixture(scope="module")
def model(data_file: Path):
    return train(data_file)


def test_the_synthetic_municipal_effect_follows_the_real_immigrant_employment_rates() -> None:
    facts = {f.number: f for f in municipality_facts()}
    assert facts["0301"].name == "Oslo" and 0.3 < facts["0301"].employment_immigrants < 0.9
    rows = generate_training_rows(3, 20_000)
    assert all(r["synthetic"] == 1 for r in rows)
    rates = np.array([facts[str(r["municipality"])].employment_immigrants for r in rows])
    label = np.array([r["employed_2y"] for r in rows])
    low, high = np.quantile(rates, [0.25, 0.75])
    assert label[rates >= high].mean() > label[rates <= low].mean() + 0.03


def test_training_reports_cross_validated_metrics_overall_and_per_group(model) -> None:
    assert model.synthetic and model.rows == 2500 and model.period == (2010, 2012)
    assert 0.55 < model.overall.auc < 0.9
    assert 0.1 < model.overall.brier < 0.3
    assert abs(model.overall.mean_predicted - model.overall.positives) < 0.05
    assert {"sex", "country_group", "household_type", "education", "age_band", "centrality"} <= set(
        model.by_group
    )
    assert sum(m.rows for m in model.by_group["sex"].values()) == 2500
    assert all(0 <= q <= 1 for _p, q, _n in model.overall.reliability)


def test_training_data_with_missing_columns_is_refused_naming_them(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([c for c in COLUMNS if c not in ("education", "employed_2y")])
        writer.writerow(["x"] * (len(COLUMNS) - 2))
    with pytest.raises(OutcomeDataError, match="missing columns: education, employed_2y"):
        train(path)


def test_a_model_file_from_another_version_is_refused_saying_which(tmp_path: Path, model) -> None:
    good = tmp_path / "m.bin"
    save_model(model, good)
    assert load_model(good).rows == model.rows
    old = tmp_path / "old.bin"
    with old.open("wb") as handle:
        pickle.dump({"format": "bosetting.outcomes/0", "sklearn": "1.0"}, handle)
    with pytest.raises(OutcomeDataError, match="format 'bosetting.outcomes/0'"):
        load_model(old)
    other = tmp_path / "other.bin"
    with other.open("wb") as handle:
        pickle.dump({"format": "bosetting.outcomes/1", "sklearn": "0.24.2"}, handle)
        pickle.dump(model, handle)
    with pytest.raises(OutcomeDataError, match="scikit-learn 0.24.2"):
        load_model(other)


def test_predictions_for_an_instance_are_the_model_averaged_over_the_adults(model) -> None:
    inst = parse_instance(generate_instance(2, 30, 4, 40))
    outcomes = predict_outcomes(model, inst)
    with_adults = [h for h in inst.households if h.adults]
    assert len(outcomes) == len(with_adults) * len(inst.municipalities)
    h = with_adults[0]
    m = inst.municipalities[1]
    adults = [
        AdultFeatures(
            p.age,
            "u",
            household_type(h),
            "unknown",
            h.group or "unknown",
            max(h.wait_months(inst.as_of), 0.0),
            m.labour_index,
            12_000,
            4,
            0.55,
        )
        for p in h.persons
        if 18 <= p.age <= 55
    ]
    expected = float(model.predict(adults).mean())
    got = next(p for hid, mid, p in outcomes if hid == h.id and mid == m.id)
    assert got == pytest.approx(expected, abs=1e-6)
    # What the database knows beyond the format changes the prediction.
    women = predict_outcomes(model, inst, people={h.id: [PersonInfo(30, "f", "none")]})
    men = predict_outcomes(model, inst, people={h.id: [PersonInfo(30, "m", "higher")]})
    pick = lambda out: next(p for hid, mid, p in out if hid == h.id and mid == m.id)  # noqa: E731
    assert pick(men) > pick(women)


def test_the_model_card_says_what_how_well_for_whom_and_that_an_officer_decides(model) -> None:
    html = card_html(model)
    for text in (
        "SYNTETISKE DATA",
        "Hva modellen forutsier",
        "Hvor godt",
        "For hvem den er dårligere",
        "Kjente begrensninger",
        "saksbehandler",
        "AUC",
        "Brier",
        "<svg",
    ):
        assert text in html


def test_the_outcome_commands_train_report_and_predict(tmp_path: Path) -> None:
    data, model_file = tmp_path / "train.csv", tmp_path / "model.bin"
    r = runner.invoke(
        app, ["outcomes", "synthetic", "--rows", "800", "--out", str(data)], terminal_width=120
    )
    assert r.exit_code == 0, r.output
    r = runner.invoke(
        app,
        ["outcomes", "train", "--data", str(data), "--out", str(model_file)],
        terminal_width=120,
    )
    assert r.exit_code == 0, r.output
    assert "AUC" in r.output and "SYNTHETIC" in r.output
    r = runner.invoke(
        app, ["outcomes", "report", "--model", str(model_file), "--out", str(tmp_path)]
    )
    assert r.exit_code == 0, r.output
    assert (tmp_path / "model-card.html").exists()
    assert (tmp_path / "model-card.pdf").read_bytes()[:4] == b"%PDF"
    inst, out = tmp_path / "i.json", tmp_path / "i2.json"
    runner.invoke(
        app,
        [
            "match-instance",
            "--seed",
            "1",
            "--households",
            "20",
            "--municipalities",
            "3",
            "--units",
            "25",
            "--out",
            str(inst),
        ],
    )
    r = runner.invoke(
        app,
        [
            "outcomes",
            "predict",
            "--model",
            str(model_file),
            "--instance",
            str(inst),
            "--out",
            str(out),
            "--weight",
            "0.05",
        ],
    )
    assert r.exit_code == 0, r.output
    v2 = parse_instance(__import__("json").loads(out.read_text()))
    assert v2.version == 2 and v2.outcomes and v2.weights.outcome == 0.05
    bad = tmp_path / "bad.csv"
    bad.write_text("person_id,age\n1,30\n")
    r = runner.invoke(
        app, ["outcomes", "train", "--data", str(bad), "--out", str(tmp_path / "x.bin")]
    )
    assert r.exit_code != 0 and "missing columns" in r.output
    assert not (tmp_path / "x.bin").exists()
