"""``bosetting outcomes``: train, describe and use the outcome model (``docs/outcomes.md``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

outcomes_app = typer.Typer(
    name="outcomes",
    help="The outcome model: expected employment or education two years after settlement.",
    no_args_is_help=True,
)


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(2)


def _check_dir(flag: str, path: Path) -> None:
    if not path.parent.is_dir():
        raise _fail(f"{flag}: directory {str(path.parent)!r} does not exist")


@outcomes_app.command("synthetic")
def synthetic(
    out: Annotated[Path, typer.Option("--out", help="Training CSV to write (marked synthetic).")],
    rows: Annotated[int, typer.Option("--rows", min=100, help="Adults.")] = 20_000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = 2014,
) -> None:
    """Write SYNTHETIC training data; municipal effects follow SSB's immigrant employment rates."""
    from bosetting.engine.outcomes import generate_training_rows, write_training_csv

    _check_dir("--out", out)
    write_training_csv(generate_training_rows(seed, rows), out)
    Console().print(f"Wrote {out}: {rows} synthetic adults (synthetic=1 on every row).")


@outcomes_app.command("train")
def train_cmd(
    data: Annotated[Path, typer.Option("--data", help="CSV of past settled adults.")],
    out: Annotated[Path, typer.Option("--out", help="Model file to write.")],
) -> None:
    """Train with cross-validation and calibration; print AUC and Brier overall and per group."""
    from bosetting.engine.outcomes import OutcomeDataError, save_model, train

    _check_dir("--out", out)
    console = Console()
    try:
        with console.status("Trener og kryssvaliderer …"):
            model = train(data)
    except OutcomeDataError as exc:
        raise _fail(str(exc)) from None
    save_model(model, out)
    o = model.overall
    console.print(
        f"Trained on {model.rows} adults ({model.period[0]}–{model.period[1]}"
        f"{', SYNTHETIC' if model.synthetic else ''}): cross-validated AUC {o.auc:.3f}, "
        f"Brier {o.brier:.3f}, observed {o.positives:.3f}, predicted {o.mean_predicted:.3f}."
    )
    console.print(f"Wrote {out}")


@outcomes_app.command("report")
def report(
    model_path: Annotated[Path, typer.Option("--model", help="Model file.")],
    out: Annotated[
        Path, typer.Option("--out", help="Folder for model-card.html and model-card.pdf.")
    ] = Path("."),
    pdf: Annotated[bool, typer.Option("--pdf/--no-pdf", help="Also write the PDF.")] = True,
) -> None:
    """Write the model card: data, period, metrics overall and per group, known limits."""
    from bosetting.engine.outcomes import OutcomeDataError, load_model
    from bosetting.engine.outcomes.card import write_card

    if not out.is_dir():
        raise _fail(f"--out: {str(out)!r} is not a folder")
    try:
        model = load_model(model_path)
    except OutcomeDataError as exc:
        raise _fail(str(exc)) from None
    html, pdf_path = out / "model-card.html", (out / "model-card.pdf") if pdf else None
    write_card(model, html, pdf_path)
    Console().print(f"Wrote {html}" + (f" and {pdf_path}" if pdf_path else ""))


@outcomes_app.command("predict")
def predict(
    model_path: Annotated[Path, typer.Option("--model", help="Model file.")],
    instance: Annotated[Path, typer.Option("--instance", help="Instance (format /1 or /2).")],
    out: Annotated[Path, typer.Option("--out", help="The /2 instance with outcomes to write.")],
    weight: Annotated[
        float | None, typer.Option("--weight", min=0.0, help="Set weights.outcome (default: keep).")
    ] = None,
    fairness: Annotated[
        bool, typer.Option("--fairness/--no-fairness", help="Set fairness.no_group_worse_off.")
    ] = True,
) -> None:
    """Fill an instance's outcomes from the model (format bosetting.matching/2)."""
    from dataclasses import replace

    from bosetting.engine.matching import InstanceError, instance_to_dict, load_instance
    from bosetting.engine.outcomes import (
        OutcomeDataError,
        load_model,
        municipality_facts,
        predict_outcomes,
    )

    _check_dir("--out", out)
    try:
        model = load_model(model_path)
        inst = load_instance(instance)
    except (OutcomeDataError, InstanceError) as exc:
        raise _fail(str(exc)) from None
    facts = {f.number: f for f in municipality_facts()}
    outcomes = predict_outcomes(model, inst, municipalities=facts)
    w = inst.weights if weight is None else replace(inst.weights, outcome=weight)
    has_groups = any(h.group for h in inst.households)
    inst = replace(
        inst, outcomes=tuple(outcomes), weights=w, version=2, fairness=fairness and has_groups
    )
    out.write_text(
        json.dumps(instance_to_dict(inst), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    Console().print(
        f"Wrote {out}: {len(outcomes)} predictions for "
        f"{len({o[0] for o in outcomes})} households × {len(inst.municipalities)} municipalities."
    )


def register(app: typer.Typer) -> None:
    """Add ``outcomes`` (synthetic, train, report, predict)."""
    app.add_typer(outcomes_app)
