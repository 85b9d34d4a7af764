"""The lifecycle's transition table: a sound state machine, the one the product and the simulator
follow, and the one docs/lifecycle.md shows."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.engine.simulation.simulation_worlds import tiny_scenario, tiny_world

from bosetting.engine import lifecycle as lc
from bosetting.engine.lifecycle import CaseState, Event, IllegalTransition, transition
from bosetting.engine.simulation import households as sim
from bosetting.engine.simulation.model import Simulation
from bosetting.engine.simulation.scenario import load_scenario

DOC = Path(__file__).resolve().parents[2] / "docs" / "lifecycle.md"


def test_every_state_is_reached_from_the_first_step_and_can_reach_settled():
    start = transition(None, Event.REGISTER_PERMIT).target
    for state in CaseState:
        assert lc.path_exists(start, state), state
    for state in lc.OPEN_STATES | lc.HOLDING_STATES:
        assert lc.path_exists(state, CaseState.SETTLED), state


def test_no_step_is_listed_twice_and_only_rejection_has_two_targets():
    keys = [(t.source, t.event, t.target) for t in lc.TRANSITIONS]
    assert len(keys) == len(set(keys))
    by_event = {}
    for t in lc.TRANSITIONS:
        if t.moves:
            by_event.setdefault((t.source, t.event), set()).add(t.target)
    several = {k for k, targets in by_event.items() if len(targets) > 1}
    assert several == {(CaseState.SELF_PENDING, Event.REJECT_SELF_SETTLEMENT)}


def test_settled_is_reached_only_through_settling_and_leaves_only_to_follow_up():
    into = {t.event for t in lc.TRANSITIONS if t.target == CaseState.SETTLED and t.moves}
    out = {t.target for t in lc.events_from(CaseState.SETTLED) if t.moves}
    assert into == {Event.SETTLE} and out == {CaseState.FOLLOW_UP}


def test_settling_books_the_lease_and_needs_the_checklist():
    t = transition(CaseState.PREPARING, Event.SETTLE)
    assert t.effects == (lc.Effect.CHECKLIST_COMPLETE, lc.Effect.BOOK_LEASE)
    assert t.stamps == "settled_on"


def test_every_way_back_to_the_queue_withdraws_proposals_and_releases_the_flat():
    back = [
        t for t in lc.TRANSITIONS if t.target == CaseState.READY and t.source in lc.HOLDING_STATES
    ]
    assert back and all(
        lc.Effect.RELEASE_UNIT in t.effects or t.event == Event.REJECT_SELF_SETTLEMENT for t in back
    )
    assert all(lc.Effect.CLEAR_PLACEMENT in t.effects for t in back)


@given(st.sampled_from(list(CaseState)), st.sampled_from(list(Event)))
def test_transition_either_finds_the_row_or_refuses(state, event):
    rows = [t for t in lc.TRANSITIONS if t.source == state and t.event == event]
    if rows:
        assert transition(state, event) in rows
    else:
        with pytest.raises(IllegalTransition):
            transition(state, event)


def test_the_simulator_moves_households_only_along_the_table(monkeypatch):
    scenario = load_scenario(tiny_scenario())
    model = Simulation(scenario, seed=3, municipalities=tiny_world())
    seen: set[tuple[int, int]] = set()
    step = model.step

    def recording_step(month: int) -> None:
        before = model.hh.status.copy()
        step(month)
        changed = np.flatnonzero(before != model.hh.status)
        seen.update(zip(before[changed].tolist(), model.hh.status[changed].tolist(), strict=True))

    monkeypatch.setattr(model, "step", recording_step)
    model.run()
    assert (sim.POOL, sim.PROPOSED) in seen and (sim.ACCEPTED, sim.SETTLED) in seen
    for before, after in seen:
        assert lc.path_exists(sim.CASE_STATE[before], sim.CASE_STATE[after]), (before, after)


def test_the_documentation_shows_the_table():
    """docs/lifecycle.md's table lists the engine's rows, in order."""
    text = DOC.read_text(encoding="utf-8")
    table = text.split("<!-- lifecycle-table -->")[1].split("<!-- /lifecycle-table -->")[0]
    rows = [line for line in table.strip().splitlines()[2:]]
    assert len(rows) == len(lc.TRANSITIONS)
    for line, t in zip(rows, lc.TRANSITIONS, strict=True):
        cells = [c.strip() for c in line.strip("|").split("|")]
        source = "—" if t.source is None else f"`{t.source.value}`"
        assert cells[0] == f"`{t.event.value}`" and cells[2] == source
        assert cells[3] == f"`{t.target.value}`"
        assert set(re.split(r",\s*", cells[4])) == {a.value for a in t.actors}
        assert cells[6] == (", ".join(e.value for e in t.effects) or "—")
