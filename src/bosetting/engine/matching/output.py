"""Writing ``PROPOSALS.csv`` and ``SUMMARY.json`` atomically.

Each file is written to a temporary file in the target directory and renamed
into place, so a reader never sees half a file and a failure leaves nothing.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Callable
from os import PathLike
from pathlib import Path
from typing import IO, Any

from bosetting.engine.matching.result import MatchResult

PROPOSALS_HEADER = ("household_id", "unit_id", "municipality_id", "score")


def _atomic_write(path: str | PathLike[str], write: Callable[[IO[str]], Any]) -> None:
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_proposals_csv(result: MatchResult, path: str | PathLike[str]) -> None:
    """Write the proposals: header ``household_id,unit_id,municipality_id,score``.

    Scores are written with full precision (``repr`` of the float).
    """

    def write(handle: IO[str]) -> None:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(PROPOSALS_HEADER)
        for a in result.assignments:
            writer.writerow((a.household_id, a.unit_id, a.municipality_id, repr(a.score)))

    _atomic_write(path, write)


def write_summary_json(result: MatchResult, path: str | PathLike[str]) -> None:
    """Write the summary of the contract (objective, bound, gap, time, counts, solver)."""

    def write(handle: IO[str]) -> None:
        json.dump(result.summary(), handle, indent=2)
        handle.write("\n")

    _atomic_write(path, write)
