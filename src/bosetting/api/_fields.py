"""The API's input types: every number, day and text a request carries is bounded at the edge.

A value outside its range is 422 naming the field (``query.offset``, ``body.payload.note``), never a
500 from the database (an id past 2^63 overflows SQLite; a NUL byte is refused by PostgreSQL; a date
in year 9999 overflows date arithmetic). The types are shared by the routers (not a router):

- ``Id`` — a database id, 1 … 2^31−1; ``Offset`` 0 … 2^31−1; page sizes are in ``_paging``.
- ``Year`` — 1990 … 2100; ``Day`` — a date in 1990-01-01 … 2100-12-31; ``PastDay`` — a day of
  something that has happened: not after the business date (``bosetting.clock.today``).
- ``Text(max_length)`` / ``Line(max_length)`` — text without control characters (NUL and the other
  C0 controls and DEL; a ``Text`` may hold tab and line breaks, a ``Line`` none of them).
- ``MunicipalityNumber`` (four digits), ``Slug``, ``Reference`` — identifiers in their shapes.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from pydantic import AfterValidator, Field

from bosetting import clock

MAX_ID = 2**31 - 1
"""The largest id, offset or count the API accepts (PostgreSQL's ``integer``)."""

MAX_NOK = 10**11
"""The largest amount of money (kroner) the API accepts: far above any real one."""

FIRST_DAY = date(1990, 1, 1)
LAST_DAY = date(2100, 12, 31)

Id = Annotated[int, Field(ge=1, le=MAX_ID, description="An id (1 … 2³¹−1).")]
Offset = Annotated[int, Field(ge=0, le=MAX_ID)]
Count = Annotated[int, Field(ge=0, le=MAX_ID)]
Nok = Annotated[int, Field(ge=0, le=MAX_NOK, description="Kroner (never negative).")]
Year = Annotated[int, Field(ge=1990, le=2100)]
Day = Annotated[
    date, Field(ge=FIRST_DAY, le=LAST_DAY, description="A day in 1990-01-01 … 2100-12-31.")
]


def _not_after_today(day: date) -> date:
    if day > clock.today():
        raise ValueError(f"kan ikke være etter dagens dato ({clock.today().isoformat()})")
    return day


PastDay = Annotated[
    date,
    Field(ge=FIRST_DAY, le=LAST_DAY, description="A day in 1990-01-01 … the business date."),
    AfterValidator(_not_after_today),
]

# C0 controls (U+0000–U+001F) and DEL, except tab, line feed and carriage return in multi-line text.
_TEXT_FORBIDDEN = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f"
_LINE_FORBIDDEN = "\x00-\x1f\x7f"
_TEXT_BAD = re.compile(f"[{_TEXT_FORBIDDEN}]")
_LINE_BAD = re.compile(f"[{_LINE_FORBIDDEN}]")
# The same rules as JSON-schema patterns (escaped, so the description holds no control character).
TEXT_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
LINE_PATTERN = r"^[^\x00-\x1f\x7f]*$"


def check_text(value: str, *, multiline: bool = True) -> str:
    """``value`` unchanged, or ``ValueError`` naming the first control character in it."""
    found = (_TEXT_BAD if multiline else _LINE_BAD).search(value)
    if found is not None:
        allowed = "bare tabulator og linjeskift er tillatt" if multiline else "ingen er tillatt"
        raise ValueError(f"inneholder kontrolltegnet U+{ord(found.group()):04X} ({allowed})")
    return value


def _check_line(value: str) -> str:
    return check_text(value, multiline=False)


def Text(max_length: int, **field: Any) -> Any:
    """Multi-line text (a note, a description) of at most ``max_length`` characters."""
    return Annotated[
        str,
        Field(max_length=max_length, json_schema_extra={"pattern": TEXT_PATTERN}, **field),
        AfterValidator(check_text),
    ]


def Line(max_length: int, **field: Any) -> Any:
    """One line (a title, a code, a name) of at most ``max_length`` characters."""
    return Annotated[
        str,
        Field(max_length=max_length, json_schema_extra={"pattern": LINE_PATTERN}, **field),
        AfterValidator(_check_line),
    ]


MunicipalityNumber = Annotated[
    str, Field(pattern=r"^\d{4}$", description="Kommunenummer (four digits).")
]
Slug = Annotated[str, Field(pattern=r"^[-a-zA-Z0-9_]{1,100}$")]
Reference = Line(20, min_length=1, description="A case's reference (saksreferanse).")
