"""``bosetting match`` and ``bosetting match-instance``: the matching engine on files."""

from __future__ import annotations

import json
import os
import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from bosetting.engine.matching import (
    SOLVERS,
    InstanceError,
    generate_instance,
    load_instance,
    solve,
    write_proposals_csv,
    write_summary_json,
)


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(2)


def match(
    instance: Annotated[
        Path, typer.Option("--instance", help="Instance file (bosetting.matching/1 JSON).")
    ],
    out: Annotated[Path, typer.Option("--out", help="Proposals CSV to write.")],
    summary: Annotated[
        Path | None, typer.Option("--summary", help="Also write SUMMARY.json here.")
    ] = None,
    time_limit: Annotated[
        float, typer.Option("--time-limit", min=0.01, help="Seconds the solver may spend.")
    ] = 30.0,
    solver: Annotated[str, typer.Option("--solver", help="optimal (HiGHS) or greedy.")] = "optimal",
) -> None:
    """Propose households for housing units (utsøking) and write PROPOSALS.csv."""
    if solver not in SOLVERS:
        raise _fail(f"--solver: must be one of {', '.join(SOLVERS)}, not {solver!r}")
    for flag, path in (("--out", out), ("--summary", summary)):
        if path is not None and not path.parent.is_dir():
            raise _fail(f"{flag}: directory {str(path.parent)!r} does not exist")
    try:
        inst = load_instance(instance)
    except InstanceError as exc:
        raise _fail(f"{instance}: {exc}") from None

    console = Console()
    with Progress(
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        progress.add_task(
            f"Matching {len(inst.households)} households to {len(inst.units)} units ({solver})",
            total=None,
        )
        result = solve(inst, solver=solver, time_limit=time_limit)

    written: list[Path] = []
    try:
        write_proposals_csv(result, out)
        written.append(out)
        if summary is not None:
            write_summary_json(result, summary)
    except OSError as exc:
        for path in written:
            path.unlink(missing_ok=True)
        raise _fail(f"cannot write output: {exc.strerror or exc}") from None

    bound = "—" if result.upper_bound is None else f"{result.upper_bound:.2f}"
    gap = "—" if result.gap is None else f"{100 * result.gap:.3f} %"
    console.print(
        f"Placed {result.households_placed} of {len(inst.households)} households "
        f"({result.persons_placed} persons). Objective {result.objective:.2f}, "
        f"upper bound {bound}, gap {gap}, {result.status}, {result.seconds:.1f} s."
    )
    console.print(f"Wrote {out}" + (f" and {summary}" if summary is not None else ""))


def match_instance(
    seed: Annotated[int, typer.Option("--seed", help="Random seed.")],
    households: Annotated[int, typer.Option("--households", min=0, help="Number of households.")],
    municipalities: Annotated[
        int, typer.Option("--municipalities", min=1, help="Number of municipalities.")
    ],
    units: Annotated[int, typer.Option("--units", min=0, help="Number of housing units.")],
    out: Annotated[Path, typer.Option("--out", help="Instance JSON to write.")],
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Batch date YYYY-MM-DD (default 2015-01-15).")
    ] = None,
) -> None:
    """Write a synthetic, realistic matching instance (same seed, same file)."""
    day = None
    if as_of is not None:
        try:
            day = date.fromisoformat(as_of)
        except ValueError:
            raise _fail(f"--as-of: not a date (expected YYYY-MM-DD): {as_of!r}") from None
    if not out.parent.is_dir():
        raise _fail(f"--out: directory {str(out.parent)!r} does not exist")
    data = generate_instance(seed, households, municipalities, units, as_of=day)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, indent=1)
            handle.write("\n")
        os.replace(tmp, out)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise _fail(f"cannot write {str(out)!r}: {exc.strerror or exc}") from None
    Console().print(
        f"Wrote {out}: {households} households, {municipalities} municipalities, {units} units."
    )


def register(app: typer.Typer) -> None:
    """Add ``match`` and ``match-instance`` to the ``bosetting`` command."""
    app.command("match")(match)
    app.command("match-instance")(match_instance)
