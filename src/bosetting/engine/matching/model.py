"""The matching instance: municipalities, units, households and weights.

These frozen dataclasses mirror the exchange format ``bosetting.matching/1`` and its
optional additions ``bosetting.matching/2`` (the contracts ``matching.md`` and
``matching-v2.md``: outcomes, the refugee's preferences, groups and fairness). Dates are :class:`datetime.date`,
lists are tuples so that an instance can be shared between threads and
simulation months without anyone changing it under another's feet.

The derived quantities of the contract (size, children, adults, waiting time,
target and priority) are methods here so that every solver, the checker and the
explanations compute them in exactly one way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

FORMAT = "bosetting.matching/1"
"""The value of the ``format`` field of an instance without any addition of version 2."""

FORMAT_V2 = "bosetting.matching/2"
"""The ``format`` of an instance that uses outcomes, preferences, groups or fairness."""

FORMATS = {FORMAT: 1, FORMAT_V2: 2}
"""Formats this engine reads, with their version number."""

MAX_PREFERENCES = 5
"""A household names at most this many wanted municipalities (bosettingssamtalen)."""

OUTCOME_SCALE = 100.0
"""``w.outcome · 100 · p_employment · adults``: the outcome term on the scale of the others."""

FAIRNESS_MIN_PLACED = 20
"""Fairness binds for groups with at least this many households placed outcome-blind."""

FAIRNESS_TOLERANCE = 1e-6
"""A group's mean may fall this much below its outcome-blind mean (rounding of the solver)."""

DAYS_PER_MONTH = 30.4375
"""Average days in a month (365.25 / 12): ``wait_months = wait_days / DAYS_PER_MONTH``."""

PRIORITY_CAP = 3.0
"""Priority ``p(h)`` is capped at three times the target."""

TARGET_MONTHS_CHILDREN = 3.0
"""Settlement target for families with children and unaccompanied minors (months)."""

TARGET_MONTHS_OTHERS = 6.0
"""Settlement target for everybody else (months)."""

ADULT_MIN_AGE = 18
ADULT_MAX_AGE = 55
"""``adults(h)`` counts persons aged 18 to 55 inclusive (labour-market age in the score)."""

MAX_EXPECTED_ADDITIONAL_PERSONS = 20
"""Most family members a household may be expecting through reunification."""

UNIT_KINDS = ("municipal", "private_sublet", "private_self", "shared")
SERVICES = ("health_high", "disability")
NEEDS = ("accessible", "health_high", "disability")


@dataclass(frozen=True)
class Weights:
    """Weights of the score terms (vekter). All are >= 0.

    The defaults are the example weights of the contract; an instance file must
    state its own five. ``outcome`` and ``preference`` (format /2) default to 0.
    """

    settle: float = 10.0
    wait: float = 4.0
    ties: float = 3.0
    labour: float = 1.0
    fit: float = 2.0
    outcome: float = 0.0
    preference: float = 0.0


@dataclass(frozen=True)
class Municipality:
    """A municipality with a council decision — "kommune med vedtak om bosetting".

    Attributes:
        id: Municipality number or other unique id.
        name: Display name.
        capacity_persons: Persons it can still receive under its decision (vedtak).
        capacity_uam: Of those, unaccompanied minors (enslige mindreårige).
        labour_index: Local labour-market strength, 0..1.
        services: Special services it provides (``health_high``, ``disability``).
    """

    id: str
    name: str
    capacity_persons: int
    labour_index: float
    capacity_uam: int = 0
    services: tuple[str, ...] = ()


@dataclass(frozen=True)
class Unit:
    """A housing unit offered for settlement — "bolig".

    Attributes:
        id: Unique unit id.
        municipality: Id of the municipality it lies in.
        kind: ``municipal`` (kommunal bolig), ``private_sublet`` (fremleie),
            ``private_self`` (funnet av flyktningen selv) or ``shared`` (bofellesskap).
        bedrooms: Number of bedrooms (informative).
        max_occupants: Most persons the unit may house (non-shared units).
        zone: Neighbourhood id inside the municipality (spredt bosetting).
        accessible: Step-free / universally designed (tilgjengelig).
        available_from: First day the unit is free.
        beds: For ``shared`` units, how many single adults it takes.
    """

    id: str
    municipality: str
    kind: str
    bedrooms: int
    max_occupants: int
    zone: str
    accessible: bool
    available_from: date
    beds: int = 1

    @property
    def shared(self) -> bool:
        """True for a shared unit (bofellesskap)."""
        return self.kind == "shared"

    @property
    def slots(self) -> int:
        """How many households the unit can take at once (G2)."""
        return self.beds if self.shared else 1


@dataclass(frozen=True)
class Person:
    """A person in a household — "person".

    Attributes:
        age: Age in whole years on ``as_of``.
    """

    age: int


@dataclass(frozen=True)
class Household:
    """A settlement-ready household in reception — "husstand klar for bosetting".

    Attributes:
        id: Unique household id.
        persons: The persons, never split by a placement.
        permit_date: Day the residence permit was granted (vedtak om opphold).
        uam: Unaccompanied minor(s) (enslig mindreårig): all under 18, no parent.
        needs: Any of ``accessible``, ``health_high``, ``disability``.
        ties: Municipality ids where the household has family or network
            (ids not in the instance are ignored).
        expected_additional_persons: Family members expected through
            reunification (familiegjenforening), not yet arrived: counted for
            the unit size (F2) and ``fit``, not for capacity (G3–G5, F5).
        preferences: Up to five municipality ids the household wants, most
            wanted first (ønsker fra bosettingssamtalen; format /2).
        group: The household's group for the fairness rule (format /2), or ``None``.
        ready_date: The day it became settlement-ready (streams only), or ``None``.
    """

    id: str
    persons: tuple[Person, ...]
    permit_date: date
    uam: bool = False
    needs: tuple[str, ...] = ()
    ties: tuple[str, ...] = ()
    expected_additional_persons: int = 0
    preferences: tuple[str, ...] = ()
    group: str | None = None
    ready_date: date | None = None

    @property
    def size(self) -> int:
        """``size(h)``: number of persons."""
        return len(self.persons)

    @property
    def housing_size(self) -> int:
        """Persons the unit must house: ``size(h)`` plus the family expected through reunification."""
        return len(self.persons) + self.expected_additional_persons

    @property
    def may_share(self) -> bool:
        """A single adult who expects nobody: the only household a shared unit takes (F2)."""
        return self.single_adult and self.expected_additional_persons == 0

    @property
    def children(self) -> bool:
        """``children(h)``: any person under 18."""
        return any(p.age < ADULT_MIN_AGE for p in self.persons)

    @property
    def adults(self) -> int:
        """``adults(h)``: persons aged 18 to 55 inclusive."""
        return sum(1 for p in self.persons if ADULT_MIN_AGE <= p.age <= ADULT_MAX_AGE)

    @property
    def single_adult(self) -> bool:
        """One person aged 18 or over, not an unaccompanied minor (may use shared units)."""
        return self.size == 1 and self.persons[0].age >= ADULT_MIN_AGE and not self.uam

    def wait_days(self, as_of: date) -> int:
        """Days from the residence permit to ``as_of`` (negative for a future permit)."""
        return (as_of - self.permit_date).days

    def wait_months(self, as_of: date) -> float:
        """``wait_months(h)`` = waiting days / 30.4375."""
        return self.wait_days(as_of) / DAYS_PER_MONTH

    @property
    def target_months(self) -> float:
        """``T(h)``: 3 months with children or for minors, else 6 months."""
        if self.children or self.uam:
            return TARGET_MONTHS_CHILDREN
        return TARGET_MONTHS_OTHERS

    def priority(self, as_of: date) -> float:
        """``p(h)`` = min(max(wait_months / T, 0), 3); 1.0 means "at target"."""
        return min(max(self.wait_months(as_of) / self.target_months, 0.0), PRIORITY_CAP)

    def preference_rank(self, municipality_id: str) -> int | None:
        """1 for the most wanted municipality, ``None`` when it is not among the wishes."""
        try:
            return self.preferences.index(municipality_id) + 1
        except ValueError:
            return None

    def preference_share(self, municipality_id: str) -> float:
        """``(k − r + 1) / k`` for the r-th of k wishes, 0 when it is not wished for."""
        rank = self.preference_rank(municipality_id)
        if rank is None:
            return 0.0
        k = len(self.preferences)
        return (k - rank + 1) / k


@dataclass(frozen=True)
class Instance:
    """One matching batch — "utsøkingsrunde".

    Attributes:
        as_of: The day the batch is run.
        weights: The five score weights.
        municipalities: Municipalities with remaining decision capacity.
        units: Units offered by those municipalities.
        households: Settlement-ready households.
        horizon_days: A unit counts only if free within this many days of ``as_of``.
        zone_cap: Most households one batch may place in one zone; ``None`` = no cap.
        outcomes: ``(household id, municipality id, p_employment)`` predictions
            (format /2); a missing pair has no prediction and contributes 0.
        fairness: The rule "no group worse off" is on (format /2).
        fairness_groups: The groups the rule protects (``None``: every group).
        version: 1 or 2, the version of the format the instance was read from.
    """

    as_of: date
    weights: Weights
    municipalities: tuple[Municipality, ...]
    units: tuple[Unit, ...]
    households: tuple[Household, ...]
    horizon_days: int = 90
    zone_cap: int | None = None
    outcomes: tuple[tuple[str, str, float], ...] = ()
    fairness: bool = False
    fairness_groups: tuple[str, ...] | None = None
    version: int = 1

    @property
    def horizon_end(self) -> date:
        """Last day a unit may become free and still count (F1)."""
        return self.as_of + timedelta(days=self.horizon_days)

    @cached_property
    def municipality_by_id(self) -> dict[str, Municipality]:
        """Municipalities keyed by id."""
        return {m.id: m for m in self.municipalities}

    @cached_property
    def unit_by_id(self) -> dict[str, Unit]:
        """Units keyed by id."""
        return {u.id: u for u in self.units}

    @cached_property
    def household_by_id(self) -> dict[str, Household]:
        """Households keyed by id."""
        return {h.id: h for h in self.households}

    @cached_property
    def outcome_by_pair(self) -> dict[tuple[str, str], float]:
        """``p_employment`` keyed by (household id, municipality id)."""
        return {(h, m): p for h, m, p in self.outcomes}

    def p_employment(self, household_id: str, municipality_id: str) -> float | None:
        """The predicted employment probability of the pair, ``None`` without a prediction."""
        return self.outcome_by_pair.get((household_id, municipality_id))

    @property
    def pair_terms(self) -> bool:
        """Whether the score has household–municipality terms beyond ties.

        Such an instance (outcomes or preferences with a positive weight) is
        solved household by household; every other instance exactly as in format /1.
        """
        w = self.weights
        if w.outcome > 0 and self.outcomes:
            return True
        return w.preference > 0 and any(h.preferences for h in self.households)

    def known_ties(self, household: Household) -> frozenset[str]:
        """The household's ties to municipalities in this instance (others are ignored)."""
        return frozenset(t for t in household.ties if t in self.municipality_by_id)
