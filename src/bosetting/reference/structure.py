"""Which municipal structure a year belongs to ("kommunestruktur").

The reference data holds two structures: 2014 (428 municipalities, 19 counties) — the report's and the
demo world's — and 2024 (357 municipalities, 15 counties). Every figure and every live operation for a
year uses the structure of that year; this module is the one place that says which.
"""

from __future__ import annotations

STRUCTURE_2014 = 2014
"""The report's structure (and the demo world's, which is Norway at the turn of 2014/2015)."""

STRUCTURE_2024 = 2024
"""Today's structure, after the municipal and regional reforms."""

STRUCTURES = (STRUCTURE_2014, STRUCTURE_2024)

DEFAULT_STRUCTURE_YEAR = STRUCTURE_2014
"""The structure shown when nothing else decides it (the demo world and the report's tables)."""


def structure_year_for(year: int) -> int:
    """The structure a year's figures and operations belong to: 2024's from 2024, else 2014's.

    The years 2020–2023 had structures of their own that the reference data does not hold; they are
    mapped to 2014's, whose municipality numbers the data for those years can be traced back to.
    """
    return STRUCTURE_2024 if year >= STRUCTURE_2024 else STRUCTURE_2014
