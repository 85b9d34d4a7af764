"""A year of decisions (``matching-v2.md`` §4): streams, policies, the checker and the hindsight bound.

Typical use::

    from bosetting.engine.matching.dynamic import load_stream, make_policy, run_policy

    stream = load_stream("stream.json")
    run = run_policy(stream, make_policy("lookahead", time_limit=5))
"""

from bosetting.engine.matching.dynamic.generate import generate_stream
from bosetting.engine.matching.dynamic.hindsight import Hindsight, hindsight_bound
from bosetting.engine.matching.dynamic.output import write_decisions_csv, write_dynamic_summary
from bosetting.engine.matching.dynamic.policies import (
    POLICIES,
    BatchView,
    Policy,
    Run,
    capacity_potentials,
    lookahead,
    make_policy,
    myopic,
    run_policy,
    solve_round_lookahead,
)
from bosetting.engine.matching.dynamic.stream import (
    Decision,
    Stream,
    check_decisions,
    discount,
    load_stream,
    parse_stream,
    value,
)

__all__ = [
    "POLICIES",
    "BatchView",
    "Decision",
    "Hindsight",
    "Policy",
    "Run",
    "Stream",
    "capacity_potentials",
    "check_decisions",
    "discount",
    "generate_stream",
    "hindsight_bound",
    "load_stream",
    "lookahead",
    "make_policy",
    "myopic",
    "parse_stream",
    "run_policy",
    "solve_round_lookahead",
    "value",
    "write_decisions_csv",
    "write_dynamic_summary",
]
