"""Paging of the API's lists (shared by the routers; not a router).

Every list answers at most :data:`MAX_PAGE` rows. A paged list takes ``limit`` (1 … 500, default
100) and ``offset`` (0 … 2^31−1) and answers ``{"items": [...], "count": n}``; a larger ``limit`` is
422 naming ``query.limit`` — refused rather than clamped, so a client that asks for more than it can
get learns it at once instead of silently missing rows.
"""

from __future__ import annotations

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

from bosetting.api._fields import Offset

MAX_PAGE = 500
"""The most rows one answer holds, on every list endpoint."""

DEFAULT_PAGE = 100


class PageQuery(Schema):
    limit: int = Field(DEFAULT_PAGE, ge=1, le=MAX_PAGE, description="Rows per page (1 … 500).")
    offset: Offset = Field(0, description="Rows to skip (0 … 2³¹−1).")


class Page(LimitOffsetPagination):
    """``limit``/``offset`` paging with the API's bounds (use with ``@paginate(Page)``)."""

    Input = PageQuery

    def __init__(self, **kwargs):
        super().__init__(max_limit=MAX_PAGE, **kwargs)
