"""Per-request memory: answers that cannot change while one request is served, computed once.

A page asks "who is this user allowed to see?" (``accounts.selectors.scope_for``) and "what day is
it?" (``clock.today``) dozens of times — every selector, the menu and the template context ask again,
and each answer costs database queries. While a request is being served neither answer changes, so
:func:`remembered` keeps it for the rest of that request.

The memory exists only inside :func:`request_memo`, which the web middleware
(``web.middleware.RequestMemoMiddleware``) opens around each request (pages and the API alike) and
closes when the response is ready. Everywhere else — the command line, the background worker, tests
that call selectors directly — nothing is remembered and every call computes its answer afresh, as
before. Each thread (gunicorn's gthread worker serves one request per thread) has its own memory.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_memo: ContextVar[dict[Hashable, object] | None] = ContextVar(
    "bosetting_request_memo", default=None
)


@contextmanager
def request_memo() -> Iterator[None]:
    """Remember answers until the block ends (one request)."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def remembered[T](key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, once per request for each ``key``; outside a request, every time.

    The key must name everything the answer depends on (e.g. the user's id and role), so that two
    questions never share an answer by mistake.
    """
    memo = _memo.get()
    if memo is None:
        return compute()
    if key in memo:
        return memo[key]  # type: ignore[return-value]
    value = compute()
    memo[key] = value
    return value


def forget() -> None:
    """Drop what this request remembers (after a write that changes an answer, e.g. a profile)."""
    memo = _memo.get()
    if memo is not None:
        memo.clear()
