"""Seeded random streams: one independent numpy Generator per (run, purpose, key).

Every random draw of a run comes from a stream named by its purpose (``"arrivals"``,
``"decisions"``, ...) and keys such as the calendar year. Streams are derived from one
``numpy.random.SeedSequence(seed, spawn_key=(run_index, purpose, *keys))``, so

* the same seed and run index give the identical run, in any process or on any Dask worker;
* changing one parameter leaves the draws of unrelated purposes untouched (common random
  numbers, which the calibration relies on).
"""

from __future__ import annotations

import numpy as np

PURPOSES = {
    "arrivals": 1,
    "quota": 2,
    "decisions": 3,
    "housing": 4,
    "private": 5,
    "lease": 6,
    "accept": 7,
    "self": 8,
    "allocation": 9,
    "reunification": 10,
    "attributes": 11,
}


class Streams:
    """Factory of named random generators for one simulation run.

    Args:
        seed: the sweep's seed (any non-negative integer).
        run_index: index of the Monte Carlo run within the sweep.
    """

    def __init__(self, seed: int, run_index: int = 0) -> None:
        if seed < 0 or run_index < 0:
            raise ValueError("seed and run_index must be non-negative")
        self.seed = int(seed)
        self.run_index = int(run_index)

    def get(self, purpose: str, *keys: int) -> np.random.Generator:
        """The generator for ``purpose`` and integer ``keys`` (e.g. a year and a month)."""
        sequence = np.random.SeedSequence(
            entropy=self.seed,
            spawn_key=(self.run_index, PURPOSES[purpose], *(int(k) for k in keys)),
        )
        return np.random.Generator(np.random.PCG64(sequence))
