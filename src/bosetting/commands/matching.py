"""``bosetting match``, ``match-instance``, ``match-stream`` and ``match-dynamic``: the matching
engine on files (``matching.md``, ``matching-v2.md``)."""

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


def _write_json(data: dict, out: Path) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, indent=1)
            handle.write("\n")
        os.replace(tmp, out)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise _fail(f"cannot write {str(out)!r}: {exc.strerror or exc}") from None


def match_stream(
    seed: Annotated[int, typer.Option("--seed", help="Random seed.")],
    households: Annotated[int, typer.Option("--households", min=0, help="Households arriving.")],
    municipalities: Annotated[
        int, typer.Option("--municipalities", min=1, help="Municipalities with a decision.")
    ],
    units: Annotated[int, typer.Option("--units", min=0, help="Flats freeing up.")],
    out: Annotated[Path, typer.Option("--out", help="Stream JSON to write.")],
    months: Annotated[int, typer.Option("--months", min=1, help="Length of the period.")] = 12,
    v2: Annotated[
        bool, typer.Option("--v2", help="Add predicted outcomes, wishes and groups.")
    ] = False,
) -> None:
    """Write a synthetic stream: a period of arrivals and flats (same seed, same file)."""
    from bosetting.engine.matching.dynamic import generate_stream

    if not out.parent.is_dir():
        raise _fail(f"--out: directory {str(out.parent)!r} does not exist")
    data = generate_stream(seed, households, municipalities, units, months, v2=v2)
    _write_json(data, out)
    Console().print(
        f"Wrote {out}: {households} households and {units} flats over {months} months "
        f"({data['period_start']}–{data['period_end']}, batches every {data['batch_days']} days)."
    )


def match_dynamic(
    stream: Annotated[Path, typer.Option("--stream", help="Stream file (bosetting.matching/2).")],
    out: Annotated[Path, typer.Option("--out", help="Proposals CSV to write.")],
    summary: Annotated[Path, typer.Option("--summary", help="SUMMARY.json to write.")],
    policy: Annotated[str, typer.Option("--policy", help="myopic or lookahead.")] = "lookahead",
    time_limit: Annotated[
        float, typer.Option("--time-limit", min=0.1, help="Seconds per batch.")
    ] = 5.0,
    hindsight: Annotated[
        bool, typer.Option("--hindsight", help="Also compute the hindsight bound with HiGHS.")
    ] = False,
    hindsight_time_limit: Annotated[
        float, typer.Option("--hindsight-time-limit", min=1.0, help="Seconds for the bound.")
    ] = 120.0,
) -> None:
    """Run a year of decisions batch by batch and write PROPOSALS.csv and SUMMARY.json."""
    import time

    from bosetting.engine.matching.dynamic import (
        POLICIES,
        check_decisions,
        hindsight_bound,
        load_stream,
        make_policy,
        run_policy,
        write_decisions_csv,
        write_dynamic_summary,
    )

    if policy not in POLICIES:
        raise _fail(f"--policy: must be one of {', '.join(POLICIES)}, not {policy!r}")
    for flag, path in (("--out", out), ("--summary", summary)):
        if not path.parent.is_dir():
            raise _fail(f"--{flag.lstrip('-')}: directory {str(path.parent)!r} does not exist")
    try:
        data = load_stream(stream)
    except InstanceError as exc:
        raise _fail(f"{stream}: {exc}") from None
    began = time.perf_counter()
    console = Console()
    with console.status(f"{policy}: {len(data.batch_dates)} batches …"):
        run = run_policy(data, make_policy(policy, time_limit))
        problems = check_decisions(data, run.decisions)
        if problems:
            raise _fail(f"policy {policy} broke a rule: {problems[0]}")
        myopic_value = run.value
        if policy != "myopic":
            myopic_value = run_policy(data, make_policy("myopic", time_limit)).value
        bound = None
        if hindsight:
            bound = hindsight_bound(data, time_limit=hindsight_time_limit).bound
    document = {
        "value": run.value,
        "hindsight_bound": bound,
        "ratio": None if not bound else run.value / bound,
        "batches": run.batches,
        "seconds": time.perf_counter() - began,
        "policy": policy,
        "myopic_value": myopic_value,
    }
    written: list[Path] = []
    try:
        write_decisions_csv(run.decisions, out)
        written.append(out)
        write_dynamic_summary(document, summary)
    except OSError as exc:
        for path in written:
            path.unlink(missing_ok=True)
        raise _fail(f"cannot write output: {exc.strerror or exc}") from None
    ratio = "—" if document["ratio"] is None else f"{100 * document['ratio']:.2f} %"
    console.print(
        f"{policy}: {len(run.decisions)} households placed, value {run.value:.1f} "
        f"(myopic {myopic_value:.1f}), hindsight bound "
        f"{'—' if bound is None else f'{bound:.1f}'}, ratio {ratio}; "
        f"slowest batch {max(run.batch_seconds, default=0.0):.2f} s."
    )
    console.print(f"Wrote {out} and {summary}")


def register(app: typer.Typer) -> None:
    """Add ``match``, ``match-instance``, ``match-stream`` and ``match-dynamic``."""
    app.command("match")(match)
    app.command("match-instance")(match_instance)
    app.command("match-stream")(match_stream)
    app.command("match-dynamic")(match_dynamic)
