"""Results of a matching run: assignments, their explanations and the totals.

An officer reviews every proposal, so each one carries an :class:`Explanation`:
the five weighted score terms and the constraints that were binding for it
(the municipality's capacity is used up, the flat fits the family exactly,
it was the only accessible flat within the horizon …).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from bosetting.engine.matching.prepared import Prepared
from bosetting.engine.matching.rules import score_parts

SERVICE_NB = {
    "health_high": "omfattende helsetjenester",
    "disability": "tilrettelegging ved funksjonsnedsettelse",
}
FEW_UNITS = 3
_V2_FIELDS = (
    "outcome",
    "preference",
    "preference_rank",
    "p_here",
    "p_best",
    "p_average",
    "p_best_municipality",
)


def _pct(p: float) -> str:
    return f"{round(100 * p)} %"


"""A household with at most this many fitting units in the horizon gets a note saying so."""


@dataclass(frozen=True)
class Explanation:
    """Why a household was proposed for a unit — "begrunnelse for forslaget".

    Attributes:
        settle: Weighted settlement term ``size · w.settle``.
        wait: Weighted waiting term ``size · w.wait · p``.
        ties: Weighted ties term.
        labour: Weighted labour-market term.
        fit: Weighted size-fit term.
        priority: ``p(h)``.
        wait_months: Months since the residence permit.
        target_months: The household's settlement target in months (3 or 6).
        binding: Constraints that were binding for this proposal (English).
        binding_nb: The same notes in bokmål.
        outcome: Weighted outcome term (format /2).
        preference: Weighted preference term (format /2).
        preference_rank: Which of the household's wishes the municipality is
            (1 = first wish), ``None`` when it is none of them.
        p_here: Predicted employment here, ``None`` without a prediction.
        p_best: The household's best prediction among the municipalities it could go to.
        p_average: Its average prediction over those municipalities.
        p_best_municipality: Name of the municipality with ``p_best``.
    """

    settle: float
    wait: float
    ties: float
    labour: float
    fit: float
    priority: float
    wait_months: float
    target_months: float
    binding: list[str] = field(default_factory=list)
    binding_nb: list[str] = field(default_factory=list)
    outcome: float = 0.0
    preference: float = 0.0
    preference_rank: int | None = None
    p_here: float | None = None
    p_best: float | None = None
    p_average: float | None = None
    p_best_municipality: str | None = None

    @property
    def score(self) -> float:
        """The score: the sum of the terms."""
        return (
            self.settle
            + self.wait
            + self.ties
            + self.labour
            + self.fit
            + self.outcome
            + self.preference
        )

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (score included); the /2 fields only when they say something."""
        data = asdict(self)
        for key in _V2_FIELDS:
            if data[key] in (None, 0.0):
                del data[key]
        data["score"] = self.score
        return data

    def outcome_text_nb(self) -> str:
        """Predicted employment here against the household's best and average alternative, in words."""
        if self.p_here is None:
            return ""
        here = _pct(self.p_here)
        text = f"Forventet andel i arbeid eller utdanning etter to år: {here} her"
        if self.p_best is not None and self.p_average is not None:
            best = _pct(self.p_best)
            where = f" ({self.p_best_municipality})" if self.p_best_municipality else ""
            text += f", {best} i beste alternativ{where} og {_pct(self.p_average)} i snitt"
            diff_avg = round(100 * (self.p_here - self.p_average))
            diff_best = round(100 * (self.p_best - self.p_here))
            if diff_best <= 0:
                text += " – dette er det beste stedet for husstanden"
            elif diff_avg > 0:
                text += f" – {diff_avg} prosentpoeng over snittet, {diff_best} under det beste"
            elif diff_avg < 0:
                text += f" – {-diff_avg} prosentpoeng under snittet, {diff_best} under det beste"
            else:
                text += f" – som snittet, {diff_best} prosentpoeng under det beste"
        return text + "."

    def text_nb(self) -> str:
        """One line in bokmål for the officer."""

        def n(x: float, digits: int = 2) -> str:
            return f"{x:.{digits}f}".replace(".", ",").replace("-", "−")

        text = (
            f"Poeng {n(self.score)} = bosetting {n(self.settle)} + ventetid {n(self.wait)}"
            f" + tilknytning {n(self.ties)} + arbeidsmarked {n(self.labour)}"
            f" + tilpasning {n(self.fit)}; prioritet {n(self.priority)}"
            f" (ventet {n(self.wait_months, 1)} av {n(self.target_months, 0)} måneder)."
        )
        if self.binding_nb:
            text += " Bindende: " + "; ".join(self.binding_nb) + "."
        if self.outcome or self.preference or self.preference_rank or self.p_here is not None:
            text += self._v2_text_nb()
        return text

    def _v2_text_nb(self) -> str:
        def n(x: float) -> str:
            return f"{x:.2f}".replace(".", ",")

        parts = []
        if self.preference_rank is not None:
            parts.append(f"Husstandens {self.preference_rank}. ønske")
        if self.outcome or self.preference:
            parts.append(f"integrering {n(self.outcome)} + ønske {n(self.preference)} poeng")
        text = (" " + "; ".join(parts) + ".") if parts else ""
        words = self.outcome_text_nb()
        return text + (" " + words if words else "")


@dataclass(frozen=True)
class Assignment:
    """One proposal: a household to a unit — "forslag om bosetting".

    Attributes:
        household_id: The household.
        unit_id: The unit.
        municipality_id: The unit's municipality.
        score: ``s(h,u)``.
        explanation: Score terms and binding constraints.
    """

    household_id: str
    unit_id: str
    municipality_id: str
    score: float
    explanation: Explanation


@dataclass
class MatchResult:
    """The outcome of one matching run — "resultat av utsøking".

    Attributes:
        assignments: One per placed household, in household order.
        objective: Sum of the scores.
        upper_bound: Proven upper bound on the objective, if the solver has one.
        gap: ``(upper_bound - objective) / max(|upper_bound|, 1e-9)``, or ``None``.
        seconds: Wall-clock time of the run.
        solver: ``"optimal"`` or ``"greedy"``.
        groups: With the fairness rule on, per group ``placed``,
            ``mean_p_employment`` and ``mean_p_employment_outcome_blind``; else ``None``.
        households_placed: Number of households placed.
        persons_placed: Number of persons placed.
        status: ``"optimal"`` (gap within tolerance), ``"time_limit"`` (stopped by
            the time limit with a valid assignment) or ``"feasible"`` (valid
            assignment without an optimality proof, e.g. from the greedy solver).
    """

    assignments: list[Assignment]
    objective: float
    upper_bound: float | None
    gap: float | None
    seconds: float
    solver: str
    households_placed: int
    persons_placed: int
    status: str
    groups: dict[str, dict[str, Any]] | None = None

    def summary(self) -> dict[str, Any]:
        """The ``SUMMARY.json`` document of the contract (``groups`` only with the fairness rule)."""
        data: dict[str, Any] = {
            "objective": self.objective,
            "upper_bound": self.upper_bound,
            "gap": self.gap,
            "seconds": self.seconds,
            "households_placed": self.households_placed,
            "persons_placed": self.persons_placed,
            "solver": self.solver,
        }
        if self.groups is not None:
            data["groups"] = self.groups
        return data


def relative_gap(objective: float, upper_bound: float | None) -> float | None:
    """``(ub - obj) / max(|ub|, 1e-9)``, never negative; ``None`` without a bound."""
    if upper_bound is None:
        return None
    return max(upper_bound - objective, 0.0) / max(abs(upper_bound), 1e-9)


def _num_nb(x: float) -> str:
    return f"{x:g}".replace(".", ",")


def build_assignments(prepared: Prepared, pairs: list[tuple[int, int]]) -> list[Assignment]:
    """Score and explain placements given as (household index, unit index) pairs.

    The notes look at the whole batch: a municipality's capacity is "used up"
    when no persons are left after all placements of the batch.
    """
    inst = prepared.instance
    persons = Counter[int]()
    uam = Counter[int]()
    zone_load = Counter[tuple[str, str]]()
    unit_load = Counter[int]()
    for h, u in pairs:
        household, unit = inst.households[h], inst.units[u]
        m = prepared.mun_index[unit.municipality]
        persons[m] += household.size
        if household.uam:
            uam[m] += household.size
        zone_load[(unit.municipality, unit.zone)] += 1
        unit_load[u] += 1

    fitting_units: dict[Any, int] = {}
    out: list[Assignment] = []
    for h, u in sorted(pairs):
        household, unit = inst.households[h], inst.units[u]
        m = prepared.mun_index[unit.municipality]
        municipality = inst.municipalities[m]
        en: list[str] = []
        nb: list[str] = []

        left = municipality.capacity_persons - persons[m]
        if left == 0:
            en.append(
                f"municipality capacity used up ({persons[m]} of {municipality.capacity_persons} persons)"
            )
            nb.append(
                f"kommunens kapasitet er brukt opp ({persons[m]} av {municipality.capacity_persons} personer)"
            )
        elif left < household.size:
            en.append(f"municipality capacity tight ({left} persons left)")
            nb.append(f"kommunens kapasitet er nesten brukt opp ({left} personer igjen)")
        if household.uam:
            left_uam = municipality.capacity_uam - uam[m]
            if left_uam < household.size:
                en.append(
                    f"UAM capacity {'used up' if left_uam == 0 else 'tight'} ({uam[m]} of {municipality.capacity_uam})"
                )
                nb.append(
                    f"kapasiteten for enslige mindreårige er {'brukt opp' if left_uam == 0 else 'nesten brukt opp'}"
                    f" ({uam[m]} av {municipality.capacity_uam})"
                )
        if inst.zone_cap is not None and zone_load[(unit.municipality, unit.zone)] >= inst.zone_cap:
            count = zone_load[(unit.municipality, unit.zone)]
            en.append(
                f"zone cap reached in zone {unit.zone} ({count} of {inst.zone_cap} households)"
            )
            nb.append(f"taket for sone {unit.zone} er nådd ({count} av {inst.zone_cap} husstander)")
        if unit.shared:
            if unit_load[u] >= unit.beds:
                en.append(f"shared unit full ({unit_load[u]} of {unit.beds} beds)")
                nb.append(f"bofellesskapet er fullt ({unit_load[u]} av {unit.beds} senger)")
        elif household.housing_size == unit.max_occupants:
            en.append(
                f"unit size fits exactly ({household.housing_size} of {unit.max_occupants} occupants)"
            )
            nb.append(
                f"boligen passer nøyaktig ({household.housing_size} av {unit.max_occupants} personer)"
            )
        if household.expected_additional_persons:
            expected = household.expected_additional_persons
            en.append(
                f"room for the {expected} family member(s) expected through reunification "
                f"({household.housing_size} persons in all)"
            )
            nb.append(
                f"plass til {expected} familiemedlem(mer) som ventes ved familiegjenforening "
                f"({household.housing_size} personer i alt)"
            )

        profile = prepared.h_profile[h]
        if profile not in fitting_units:
            ok = prepared.type_ok(profile)
            fitting_units[profile] = int(prepared.t_units[ok].sum())
        k = fitting_units[profile]
        if k == 1:
            en.append("the only unit within the horizon that fits this household")
            nb.append("den eneste boligen innenfor horisonten som passer husstanden")
        elif k <= FEW_UNITS:
            en.append(f"one of only {k} units within the horizon that fit this household")
            nb.append(f"én av bare {k} boliger innenfor horisonten som passer husstanden")
        if "accessible" in household.needs and k > 1:
            ok = prepared.type_ok(profile) & (prepared.t_mun == m)
            if int(prepared.t_units[ok].sum()) == 1:
                en.append("the only fitting accessible unit in the municipality within the horizon")
                nb.append(
                    "den eneste passende tilgjengelige boligen i kommunen innenfor horisonten"
                )
        for need in household.needs:
            if need in SERVICE_NB:
                offering = int(np.count_nonzero(prepared.municipality_ok(profile)))
                en.append(
                    f"needs {need}: offered by {offering} of {len(inst.municipalities)} municipalities"
                )
                nb.append(
                    f"trenger {SERVICE_NB[need]}: tilbys i {offering} av {len(inst.municipalities)} kommuner"
                )

        parts = score_parts(inst, household, unit)
        p_here = p_best = p_average = None
        best_name = None
        if inst.outcomes:
            p_here = inst.p_employment(household.id, unit.municipality)
            alternatives = _alternatives(prepared, profile, household.id)
            if alternatives:
                p_best, best_name = max(alternatives, key=lambda a: (a[0], a[1]))
                p_average = sum(p for p, _ in alternatives) / len(alternatives)
        explanation = Explanation(
            settle=parts.settle,
            wait=parts.wait,
            ties=parts.ties,
            labour=parts.labour,
            fit=parts.fit,
            priority=household.priority(inst.as_of),
            wait_months=household.wait_months(inst.as_of),
            target_months=household.target_months,
            binding=en,
            binding_nb=nb,
            outcome=parts.outcome,
            preference=parts.preference,
            preference_rank=household.preference_rank(unit.municipality)
            if household.preferences
            else None,
            p_here=p_here,
            p_best=p_best,
            p_average=p_average,
            p_best_municipality=best_name,
        )
        out.append(
            Assignment(
                household_id=household.id,
                unit_id=unit.id,
                municipality_id=unit.municipality,
                score=parts.total,
                explanation=explanation,
            )
        )
    return out


def _alternatives(prepared: Prepared, profile: Any, household_id: str) -> list[tuple[float, str]]:
    """(prediction, municipality name) where the household could go (a fitting unit) and has one."""
    inst = prepared.instance
    ok = prepared.type_ok(profile)
    out = []
    for m in sorted({int(x) for x in prepared.t_mun[ok]}):
        municipality = inst.municipalities[m]
        p = inst.p_employment(household_id, municipality.id)
        if p is not None:
            out.append((p, municipality.name))
    return out


def make_result(
    prepared: Prepared,
    pairs: list[tuple[int, int]],
    *,
    upper_bound: float | None,
    seconds: float,
    solver: str,
    status: str,
) -> MatchResult:
    """Assemble a :class:`MatchResult` from (household index, unit index) pairs."""
    assignments = build_assignments(prepared, pairs)
    objective = float(sum(a.score for a in assignments))
    if upper_bound is not None:
        upper_bound = max(upper_bound, objective)
    return MatchResult(
        assignments=assignments,
        objective=objective,
        upper_bound=upper_bound,
        gap=relative_gap(objective, upper_bound),
        seconds=seconds,
        solver=solver,
        households_placed=len(assignments),
        persons_placed=int(sum(prepared.instance.households[h].size for h, _ in pairs)),
        status=status,
    )
