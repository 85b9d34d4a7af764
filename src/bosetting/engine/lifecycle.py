"""The life of a settlement case as one state machine ("bosettingsforløpet").

This module is the single transition table of the product. The web pages, the API, the command line,
the demo builder and the simulator all go through it: the Django app ``apps.lifecycle`` executes a
transition only after :func:`transition` has found it here, and the simulator's household states are
checked against it (``engine.simulation.households``).

A case (a household, "sak") moves through the report's four phases in finer steps::

    permit_granted -> notified -> interviewed -> ready -> proposed -> accepted -> preparing -> settled
                                       \\            \\          \\-> ready (declined / withdrawn)
                                        `------------`-> self_pending -> preparing | back to where it was

Each :class:`Transition` names the event, the state it leaves and the state it reaches, who may make
it, the phase date it stamps and the effects the executor must carry out in other parts of the system
(reserve or release a flat, book the lease, withdraw open proposals). Events whose source and target
are the same state (expected family reunification, a family member's arrival) change the case
without moving it.

Pure Python: no Django, no database.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from enum import StrEnum


class CaseState(StrEnum):
    """Where a household is in the pipeline (the values are stored in the database)."""

    PERMIT_GRANTED = "permit_granted"
    NOTIFIED = "notified"
    INTERVIEWED = "interviewed"
    READY = "ready"
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    PREPARING = "preparing"
    SELF_PENDING = "self_pending"
    SETTLED = "settled"
    FOLLOW_UP = "follow_up"


class Event(StrEnum):
    """What happens to a case ("hendelse")."""

    REGISTER_PERMIT = "register_permit"
    NOTIFY = "notify"
    INTERVIEW = "interview"
    MARK_READY = "mark_ready"
    PROPOSE = "propose"
    ACCEPT = "accept"
    DECLINE = "decline"
    WITHDRAW = "withdraw"
    MAKE_AGREEMENT = "make_agreement"
    SETTLE = "settle"
    FOLLOW_UP = "follow_up"
    SUBMIT_SELF_SETTLEMENT = "submit_self_settlement"
    APPROVE_SELF_SETTLEMENT = "approve_self_settlement"
    REJECT_SELF_SETTLEMENT = "reject_self_settlement"
    EXPECT_REUNIFICATION = "expect_reunification"
    REUNIFICATION_ARRIVED = "reunification_arrived"


class Actor(StrEnum):
    """Who may make a transition.

    ``imdi``: IMDi national, or the regional office whose area holds the case. ``receiving``: an
    officer of the municipality the case is proposed to, agreed with or settled in. ``local``: an
    officer of the municipality where a self-found home lies. ``system``: imports, the demo builder and
    the command line run by the operator.
    """

    IMDI = "imdi"
    RECEIVING = "receiving"
    LOCAL = "local"
    SYSTEM = "system"


class Effect(StrEnum):
    """Work outside the case record that a transition carries out (by the owning app's service)."""

    HOLD_UNIT = "hold_unit"  # the proposed flat is held for the household (housing)
    RESERVE_UNIT = "reserve_unit"  # the accepted household's flat is reserved (housing)
    RELEASE_UNIT = "release_unit"  # a held or reserved flat is released (housing)
    BOOK_LEASE = "book_lease"  # the reservation becomes a lease from the settlement day (housing)
    ANSWER_PROPOSAL = "answer_proposal"  # the sent proposal is marked accepted/declined (matching)
    WITHDRAW_PROPOSALS = "withdraw_proposals"  # open proposals of the case are withdrawn (matching)
    CHECKLIST_COMPLETE = "checklist_complete"  # guard: the preparation checklist is done
    OFFER_OPEN = "offer_open"  # guard: the landlord's offer has not lapsed
    RECORD_SELF_SETTLEMENT = "record_self_settlement"  # the self-settlement row is written/decided
    CLEAR_PLACEMENT = "clear_placement"  # municipality, unit and later phase dates are cleared


SYSTEM_AND_IMDI = frozenset({Actor.SYSTEM, Actor.IMDI})
IMDI_OR_RECEIVING = frozenset({Actor.SYSTEM, Actor.IMDI, Actor.RECEIVING})


@dataclass(frozen=True)
class Transition:
    """One legal move of a case.

    Attributes:
        event: What happens.
        source: The state the case must be in (None: the case does not exist yet).
        target: The state it reaches (equal to ``source`` for events that do not move it).
        actors: Who may make it.
        stamps: The phase-date field set to the day of the transition, if any.
        effects: What the executor must do besides moving the case, in order.
    """

    event: Event
    source: CaseState | None
    target: CaseState
    actors: frozenset[Actor]
    stamps: str | None = None
    effects: tuple[Effect, ...] = ()

    @property
    def moves(self) -> bool:
        """Whether the case changes state."""
        return self.source != self.target


S, E, A, X = CaseState, Event, Actor, Effect
_BACK = (X.WITHDRAW_PROPOSALS, X.RELEASE_UNIT, X.CLEAR_PLACEMENT)

#: The transition table. Order matters only for display (the case page lists moves in this order).
TRANSITIONS: tuple[Transition, ...] = (
    Transition(E.REGISTER_PERMIT, None, S.PERMIT_GRANTED, SYSTEM_AND_IMDI, "permit_date"),
    Transition(E.NOTIFY, S.PERMIT_GRANTED, S.NOTIFIED, SYSTEM_AND_IMDI, "notified_on"),
    Transition(E.INTERVIEW, S.NOTIFIED, S.INTERVIEWED, SYSTEM_AND_IMDI, "interview_on"),
    Transition(E.MARK_READY, S.INTERVIEWED, S.READY, SYSTEM_AND_IMDI, "ready_on"),
    Transition(E.SUBMIT_SELF_SETTLEMENT, S.INTERVIEWED, S.SELF_PENDING,
               frozenset({A.SYSTEM, A.IMDI, A.LOCAL}), None, (X.RECORD_SELF_SETTLEMENT,)),
    Transition(E.SUBMIT_SELF_SETTLEMENT, S.READY, S.SELF_PENDING,
               frozenset({A.SYSTEM, A.IMDI, A.LOCAL}), None, (X.RECORD_SELF_SETTLEMENT,)),
    Transition(E.PROPOSE, S.READY, S.PROPOSED, SYSTEM_AND_IMDI, "proposed_on", (X.HOLD_UNIT,)),
    Transition(E.ACCEPT, S.PROPOSED, S.ACCEPTED, IMDI_OR_RECEIVING, "accepted_on",
               (X.ANSWER_PROPOSAL, X.RESERVE_UNIT)),
    Transition(E.DECLINE, S.PROPOSED, S.READY, IMDI_OR_RECEIVING, None,
               (X.ANSWER_PROPOSAL, *_BACK)),
    Transition(E.WITHDRAW, S.PROPOSED, S.READY, SYSTEM_AND_IMDI, None, _BACK),
    Transition(E.MAKE_AGREEMENT, S.ACCEPTED, S.PREPARING, IMDI_OR_RECEIVING, "agreement_on"),
    Transition(E.WITHDRAW, S.ACCEPTED, S.READY, SYSTEM_AND_IMDI, None, _BACK),
    Transition(E.SETTLE, S.PREPARING, S.SETTLED, IMDI_OR_RECEIVING, "settled_on",
               (X.CHECKLIST_COMPLETE, X.BOOK_LEASE)),
    Transition(E.WITHDRAW, S.PREPARING, S.READY, SYSTEM_AND_IMDI, None, _BACK),
    Transition(E.APPROVE_SELF_SETTLEMENT, S.SELF_PENDING, S.PREPARING, SYSTEM_AND_IMDI,
               "agreement_on", (X.OFFER_OPEN, X.RECORD_SELF_SETTLEMENT)),
    Transition(E.REJECT_SELF_SETTLEMENT, S.SELF_PENDING, S.READY, SYSTEM_AND_IMDI, None,
               (X.RECORD_SELF_SETTLEMENT, X.CLEAR_PLACEMENT)),
    Transition(E.REJECT_SELF_SETTLEMENT, S.SELF_PENDING, S.INTERVIEWED, SYSTEM_AND_IMDI, None,
               (X.RECORD_SELF_SETTLEMENT, X.CLEAR_PLACEMENT)),
    Transition(E.FOLLOW_UP, S.SETTLED, S.FOLLOW_UP, IMDI_OR_RECEIVING, None),
    *(
        Transition(E.EXPECT_REUNIFICATION, state, state, IMDI_OR_RECEIVING)
        for state in (S.PERMIT_GRANTED, S.NOTIFIED, S.INTERVIEWED, S.READY, S.PROPOSED,
                      S.ACCEPTED, S.PREPARING, S.SELF_PENDING, S.SETTLED, S.FOLLOW_UP)
    ),
    *(
        Transition(E.REUNIFICATION_ARRIVED, state, state, IMDI_OR_RECEIVING)
        for state in (S.SETTLED, S.FOLLOW_UP)
    ),
)  # fmt: skip

#: States in which a case holds a flat (proposed to it, accepted, preparing or self-found pending).
HOLDING_STATES = frozenset({S.PROPOSED, S.ACCEPTED, S.PREPARING, S.SELF_PENDING})
#: States counted against a municipality's decision before settlement.
PENDING_STATES = HOLDING_STATES
#: States before the case is placed anywhere.
OPEN_STATES = frozenset({S.PERMIT_GRANTED, S.NOTIFIED, S.INTERVIEWED, S.READY})
#: States in which the receiving municipality has the case in hand.
MUNICIPAL_STATES = frozenset(
    {S.PROPOSED, S.ACCEPTED, S.PREPARING, S.SELF_PENDING, S.SETTLED, S.FOLLOW_UP}
)
#: States after the municipality has accepted (it may then read the health note).
AFTER_ACCEPTANCE = frozenset({S.ACCEPTED, S.PREPARING, S.SETTLED, S.FOLLOW_UP})
#: States in which the preparation checklist may be changed.
CHECKLIST_STATES = frozenset({S.ACCEPTED, S.PREPARING})
#: Settled states.
SETTLED_STATES = frozenset({S.SETTLED, S.FOLLOW_UP})

#: Events that need more than a date and have their own service and form.
DEDICATED_EVENTS = frozenset(
    {
        E.REGISTER_PERMIT,
        E.PROPOSE,
        E.ACCEPT,
        E.DECLINE,
        E.SUBMIT_SELF_SETTLEMENT,
        E.APPROVE_SELF_SETTLEMENT,
        E.REJECT_SELF_SETTLEMENT,
        E.EXPECT_REUNIFICATION,
        E.REUNIFICATION_ARRIVED,
    }
)

_BY_KEY: dict[tuple[CaseState | None, Event], tuple[Transition, ...]] = {}
for _t in TRANSITIONS:
    _BY_KEY[(_t.source, _t.event)] = (*_BY_KEY.get((_t.source, _t.event), ()), _t)


class IllegalTransition(Exception):
    """The event is not allowed from the case's state (the message names both)."""

    def __init__(self, source: CaseState | str | None, event: Event | str, target=None) -> None:
        self.source = source
        self.event = event
        self.target = target
        super().__init__(f"{event} is not allowed from {source or 'nothing'}")


def transition(
    source: CaseState | str | None, event: Event | str, target: CaseState | str | None = None
) -> Transition:
    """The transition for ``event`` from ``source`` (and to ``target`` where an event may end in
    more than one state, such as rejecting a self-settlement).

    Raises:
        IllegalTransition: no such row in the table.
    """
    try:
        key = (CaseState(source) if source else None, Event(event))
    except ValueError as exc:
        raise IllegalTransition(source, event, target) from exc
    rows = _BY_KEY.get(key, ())
    if target is not None:
        rows = tuple(t for t in rows if t.target == target)
    if not rows:
        raise IllegalTransition(source, event, target)
    return rows[0]


def events_from(source: CaseState | str) -> tuple[Transition, ...]:
    """All transitions out of a state, in table order."""
    state = CaseState(source)
    return tuple(t for t in TRANSITIONS if t.source == state)


def path_exists(source: CaseState | str, target: CaseState | str) -> bool:
    """Whether some sequence of transitions leads from ``source`` to ``target`` (or they are equal)."""
    start, goal = CaseState(source), CaseState(target)
    seen, queue = {start}, deque([start])
    while queue:
        state = queue.popleft()
        if state == goal:
            return True
        for t in events_from(state):
            if t.target not in seen:
                seen.add(t.target)
                queue.append(t.target)
    return False


def stamps_before(state: CaseState | str) -> tuple[str, ...]:
    """The phase-date fields a case in ``state`` has passed, along the main path (for checks and for
    building synthetic cases)."""
    order = (
        ("permit_date", S.PERMIT_GRANTED),
        ("notified_on", S.NOTIFIED),
        ("interview_on", S.INTERVIEWED),
        ("ready_on", S.READY),
        ("proposed_on", S.PROPOSED),
        ("accepted_on", S.ACCEPTED),
        ("agreement_on", S.PREPARING),
        ("settled_on", S.SETTLED),
    )
    main = [s for _f, s in order]
    goal = CaseState(state)
    if goal in (S.SELF_PENDING,):
        goal = S.READY
    if goal == S.FOLLOW_UP:
        goal = S.SETTLED
    last = main.index(goal)
    return tuple(f for f, _s in order[: last + 1])
