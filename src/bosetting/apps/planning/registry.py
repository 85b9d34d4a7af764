"""What apps above planning tell the planning year and the forecast, contributed in their
``AppConfig.ready`` (as the audit log's ``registry``).

Planning is a domain at the bottom of the domains: it may not import the cases or housing apps.
Yet the planning year's distribution reads the housing free in each municipality, and the forecast
reads the settlements registered so far this year, the cases matched to each municipality and the
national queue. Each of those apps registers a function here; planning calls it when it is there
and does without it when it is not (a database without cases or flats):

===================  ========================================================================
name                 function
===================  ========================================================================
``settled``          ``(year, until, structure_year) -> {number: persons}`` settled in ``year``
                     up to and including ``until`` (cases)
``queues``           ``(structure_year) -> ({number: persons}, persons)``: proposed to, accepted
                     by or in preparation in each municipality and not settled yet, and
                     settlement-ready and not matched nationally — in one read (cases)
``free_housing``     ``(until, structure_year) -> {number: persons}`` its free flats can take by
                     ``until``; only municipalities that keep flats in the system (housing)
===================  ========================================================================
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

SOURCES = ("settled", "queues", "free_housing")

_REGISTERED: dict[str, Callable[..., Any]] = {}


def register_source(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """Register the function that answers ``name`` (one of ``SOURCES``)."""
    if name not in SOURCES:
        raise ValueError(f"unknown planning source {name!r} (known: {', '.join(SOURCES)})")
    _REGISTERED[name] = function
    return function


def ask(name: str, *args: Any, default: Any = None) -> Any:
    """The registered function's answer, or ``default`` when no app has registered one."""
    function = _REGISTERED.get(name)
    return default if function is None else function(*args)


# --- After a planning year is approved ---------------------------------------------------------------
#
# Approving a plan creates the requests (``services.do_approve_plan``). What should follow them —
# the request letters of the workflow issue — registers a hook here:
#
#     register_approval_hook(lambda plan_id, request_ids: make_letters(request_ids))
#
# Hooks run after the approval is committed, in the order registered.

ApprovalHook = Callable[[int, list[int]], None]
_APPROVAL_HOOKS: list[ApprovalHook] = []


def register_approval_hook(hook: ApprovalHook) -> ApprovalHook:
    """Run ``hook(plan_id, request_ids)`` after every approved planning year."""
    if hook not in _APPROVAL_HOOKS:
        _APPROVAL_HOOKS.append(hook)
    return hook


def unregister_approval_hook(hook: ApprovalHook) -> None:
    """Remove a hook (tests)."""
    if hook in _APPROVAL_HOOKS:
        _APPROVAL_HOOKS.remove(hook)


def run_approval_hooks(plan_id: int, request_ids: list[int]) -> None:
    """Call every registered hook with the approved plan and its new requests."""
    for hook in list(_APPROVAL_HOOKS):
        hook(plan_id, request_ids)
