"""Helpers for benchmarks: run a function in a fresh process and measure time and peak memory.

A fresh (spawned) process per measurement means that one size's peak memory
does not hide in the next one's figure, and that imports are paid for outside
the timed part.
"""

from __future__ import annotations

import multiprocessing
import resource
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass
class Measured:
    """What :func:`run_isolated` reports.

    Attributes:
        value: The function's return value.
        seconds: Wall-clock seconds of the call (inside the child process).
        peak_mb: Peak resident memory of the child process, in MiB (everything
            the process held at its high-water mark: interpreter, libraries, data).
    """

    value: Any
    seconds: float
    peak_mb: float


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MiB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports KiB, macOS bytes.
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _child(fn: Callable[..., Any], args: tuple[Any, ...], queue: Any) -> None:
    try:
        began = time.perf_counter()
        value = fn(*args)
        seconds = time.perf_counter() - began
        queue.put(("ok", value, seconds, peak_rss_mb()))
    except BaseException as exc:  # report any failure to the parent
        queue.put(("error", repr(exc), 0.0, peak_rss_mb()))


def run_isolated(fn: Callable[..., Any], *args: Any) -> Measured:
    """Call ``fn(*args)`` in a fresh process; ``fn`` must be importable (top-level).

    Raises:
        RuntimeError: if the call raised or the process died.
    """
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    process = ctx.Process(target=_child, args=(fn, args, queue))
    process.start()
    try:
        status, value, seconds, peak = queue.get()
    finally:
        process.join()
    if status != "ok":
        raise RuntimeError(f"benchmark child failed: {value}")
    return Measured(value=value, seconds=seconds, peak_mb=peak)


def format_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A plain-text table with right-aligned columns."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
