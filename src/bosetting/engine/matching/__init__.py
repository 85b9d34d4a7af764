"""The matching engine — "utsøking": propose settlement-ready households to housing units.

The contract is ``matching.md`` (exchange format ``bosetting.matching/1``). Typical use::

    from bosetting.engine.matching import load_instance, solve, write_proposals_csv

    instance = load_instance("instance.json")
    result = solve(instance, solver="optimal", time_limit=30)
    write_proposals_csv(result, "proposals.csv")
"""

from bosetting.engine.matching.generate import generate_instance
from bosetting.engine.matching.model import (
    FORMAT,
    Household,
    Instance,
    Municipality,
    Person,
    Unit,
    Weights,
)
from bosetting.engine.matching.output import write_proposals_csv, write_summary_json
from bosetting.engine.matching.parse import (
    InstanceError,
    instance_to_dict,
    load_instance,
    parse_instance,
)
from bosetting.engine.matching.result import Assignment, Explanation, MatchResult
from bosetting.engine.matching.rules import (
    ScoreParts,
    check_assignment,
    failed_rules,
    feasible,
    fit,
    rule_failures,
    score,
    score_parts,
)
from bosetting.engine.matching.solve import SOLVERS, solve

__all__ = [
    "FORMAT",
    "SOLVERS",
    "Assignment",
    "Explanation",
    "Household",
    "Instance",
    "InstanceError",
    "MatchResult",
    "Municipality",
    "Person",
    "ScoreParts",
    "Unit",
    "Weights",
    "check_assignment",
    "failed_rules",
    "feasible",
    "fit",
    "generate_instance",
    "instance_to_dict",
    "load_instance",
    "parse_instance",
    "rule_failures",
    "score",
    "score_parts",
    "solve",
    "write_proposals_csv",
    "write_summary_json",
]
