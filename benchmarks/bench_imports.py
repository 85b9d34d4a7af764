"""Benchmark of ``bosetting import units`` on 50,000 rows in SQLite, from the command line.

Target (docs/imports.md): a valid 50,000-row units import finishes in under a minute. A temporary
SQLite database is built (migrate, real reference data); a CSV of 50,000 valid units spread over
the municipalities is written; then the real command line (``bosetting import units FILE``) is run
in a fresh process, as a user would, for:

- the first import (50,000 new units, each audited);
- the same file again (50,000 unchanged: nothing written);
- a changed file (every rent changed: 50,000 updates, each audited);
- a check only (``--dry-run``) of the same rows as an XLSX file (reading with openpyxl).

Prints the wall-clock seconds of the whole command (start-up included), rows per second, and the
command's CPU seconds (the cost of the work itself, which other load on a shared machine does not
inflate); asserts nothing. ``BENCH_IMPORT_ROWS`` changes the number of rows.
"""

from __future__ import annotations

import csv
import io
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

N_ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "50000"))
TODAY = "2015-01-05"  # the 2014 municipal structure
HEADER = [
    "kode",
    "kommunenummer",
    "type",
    "soverom",
    "maks_personer",
    "senger",
    "sone",
    "tilrettelagt",
    "ledig_fra",
    "husleie",
]
KINDS = ["kommunal", "fremleie", "selvfunnet", "bofellesskap"]


def _setup_database(var_dir: str) -> list[str]:
    os.environ["BOSETTING_VAR_DIR"] = var_dir
    os.environ["BOSETTING_TODAY"] = TODAY
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bosetting.web.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", interactive=False, verbosity=0)
    from bosetting.apps.geo.selectors import municipalities
    from bosetting.bootstrap import load_reference

    load_reference()
    numbers = list(municipalities(2014).values_list("number", flat=True))
    connections.close_all()
    return numbers


def _rows(numbers: list[str], n: int, rent_offset: int = 0) -> list[list[str]]:
    rows = []
    for i in range(n):
        kind = KINDS[i % len(KINDS)]
        occupants = 1 + i % 6
        rows.append(
            [
                f"BENCH-{i:06d}",
                numbers[i % len(numbers)],
                kind,
                str(1 + i % 4),
                str(occupants),
                str(occupants if kind == "bofellesskap" else 1),
                f"Sone {i % 17}",
                "ja" if i % 9 == 0 else "nei",
                "" if i % 5 == 0 else f"2015-{1 + i % 12:02d}-{1 + i % 28:02d}",
                str(6000 + (i % 50) * 100 + rent_offset),
            ]
        )
    return rows


def _write_csv(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)


def _write_xlsx(path: Path, rows: list[list[str]]) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(buffer.getvalue())


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _cli(var_dir: str, *args: str) -> tuple[float, float]:
    """Run ``bosetting ARGS`` in a fresh process; returns its wall-clock and CPU seconds."""
    bosetting = Path(sys.executable).with_name("bosetting")
    env = {**os.environ, "BOSETTING_VAR_DIR": var_dir, "BOSETTING_TODAY": TODAY}
    env.pop("DATABASE_URL", None)
    began, cpu = time.perf_counter(), _children_cpu()
    result = subprocess.run(
        [str(bosetting), *args], env=env, capture_output=True, text=True, check=False
    )
    seconds, cpu = time.perf_counter() - began, _children_cpu() - cpu
    if result.returncode != 0:
        raise RuntimeError(f"bosetting {' '.join(args)} failed:\n{result.stderr[-2000:]}")
    print(f"    {result.stdout.strip().splitlines()[-1]}")
    return seconds, cpu


def _line(label: str, measured: tuple[float, float]) -> None:
    seconds, cpu = measured
    print(f"{label}: {seconds:.1f} s, {N_ROWS / seconds:,.0f} rows/s (CPU {cpu:.1f} s)")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-imports-") as var_dir:
        t0 = time.perf_counter()
        numbers = _setup_database(var_dir)
        folder = Path(var_dir)
        first = folder / "boliger.csv"
        changed = folder / "boliger-endret.csv"
        xlsx = folder / "boliger.xlsx"
        _write_csv(first, _rows(numbers, N_ROWS))
        _write_csv(changed, _rows(numbers, N_ROWS, rent_offset=250))
        _write_xlsx(xlsx, _rows(numbers, N_ROWS))
        print(
            f"setup: SQLite with the reference data, {N_ROWS:,} units over {len(numbers)} "
            f"municipalities as CSV ({first.stat().st_size / 1e6:.1f} MB) and XLSX "
            f"({xlsx.stat().st_size / 1e6:.1f} MB) ({time.perf_counter() - t0:.1f} s)"
        )
        _line(
            f"bosetting import units: {N_ROWS:,} new units (target < 60 s)",
            _cli(var_dir, "import", "units", str(first)),
        )
        _line(
            f"the same file again: {N_ROWS:,} unchanged",
            _cli(var_dir, "import", "units", str(first)),
        )
        _line(
            f"a changed file: {N_ROWS:,} updated units",
            _cli(var_dir, "import", "units", str(changed)),
        )
        _line(
            f"check only (--dry-run) of {N_ROWS:,} rows as XLSX",
            _cli(var_dir, "import", "units", str(xlsx), "--dry-run"),
        )


if __name__ == "__main__":
    sys.exit(main())
