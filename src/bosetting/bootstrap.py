"""Loading the real reference data into every app that owns a part of it ("referansedata").

The order matters and is the arrows of the architecture: geography first (the floor), then IMDi's
requests, decisions and settled counts (planning), then the coordination registry (Table 5.2 and the
appendix) and the good-practice library (chapter 4), which refer to the regional offices and
municipalities. Each step is idempotent, so running it again adds nothing.

The command line (``bosetting load-reference``), ``bosetting demo`` and the tests call
:func:`load_reference`; no app calls another app's loader.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from bosetting.apps.coordination.services import do_load_seed
from bosetting.apps.geo.services import do_load_geography
from bosetting.apps.knowledge.services import do_load_examples
from bosetting.apps.planning.services import do_load_real_settlement_figures

Progress = Callable[[str], None]


def _noop(_: str) -> None:
    return None


@transaction.atomic
def load_reference(progress: Progress = _noop) -> dict[str, int]:
    """Load all real reference data; returns counts per table."""
    counts = do_load_geography(progress)
    progress("anmodninger, vedtak og bosatte (IMDi)")
    counts |= do_load_real_settlement_figures()
    progress("samordning (Tabell 5.2, vedlegg) og eksempelbibliotek (kap. 4)")
    counts |= do_load_seed()
    counts |= do_load_examples()
    return counts
