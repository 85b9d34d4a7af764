"""Writing a policy's ``PROPOSALS.csv`` and ``SUMMARY.json`` atomically (``matching-v2.md`` §4)."""

from __future__ import annotations

import csv
import json
from os import PathLike
from typing import IO, Any

from bosetting.engine.matching.dynamic.stream import Decision
from bosetting.engine.matching.output import _atomic_write

DECISIONS_HEADER = ("household_id", "unit_id", "municipality_id", "batch_date", "value")


def write_decisions_csv(decisions: list[Decision], path: str | PathLike[str]) -> None:
    """Header ``household_id,unit_id,municipality_id,batch_date,value``; values in full precision."""

    def write(handle: IO[str]) -> None:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(DECISIONS_HEADER)
        for d in sorted(decisions, key=lambda d: (d.batch_date, d.household_id)):
            writer.writerow(
                (
                    d.household_id,
                    d.unit_id,
                    d.municipality_id,
                    d.batch_date.isoformat(),
                    repr(d.value),
                )
            )

    _atomic_write(path, write)


def write_dynamic_summary(summary: dict[str, Any], path: str | PathLike[str]) -> None:
    """Write the summary of the contract."""

    def write(handle: IO[str]) -> None:
        json.dump(summary, handle, indent=2)
        handle.write("\n")

    _atomic_write(path, write)
