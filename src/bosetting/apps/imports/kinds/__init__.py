"""The three import formats: columns, how a row is checked, and how it is written.

Every row passes the same validation as the web forms (``full_clean()`` on the model, through the
planning services for decisions; the housing service's bulk validation for units), so rules added
to the models apply to imports too. A row is checked against the database as it is; nothing is
written until ``write_rows``. Each kind reads what its rows need in bulk (``check_rows``).
"""

from bosetting.apps.imports.kinds.base import Column, Kind, Planned, RowProblem, WriteFailed
from bosetting.apps.imports.kinds.decisions import Decisions
from bosetting.apps.imports.kinds.permits import Permits
from bosetting.apps.imports.kinds.units import Units

KINDS: dict[str, Kind] = {k.name: k for k in (Decisions(), Units(), Permits())}

__all__ = ["KINDS", "Column", "Kind", "Planned", "RowProblem", "WriteFailed"]
