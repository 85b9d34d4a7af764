"""Who may read and write housing data (documented in docs/housing.md).

- Read units and leases: roles with ``scope.housing`` (IMDi, municipal officers, Husbanken), within
  their municipalities. Household references on leases only for roles with ``scope.personal_data``.
- Write units and leases: municipal officers in their own municipality, and IMDi national.
  Husbanken, IMDi regional offices, county governors and analysts read only (or not at all).
- Book a unit for a household in the settlement process (a reservation when a proposal is sent or
  accepted, the lease when the household is settled): the writers above and IMDi's regional office
  within its area.
"""

from __future__ import annotations

from bosetting.apps.accounts.choices import Role
from bosetting.apps.accounts.selectors import Scope, scope_for

WRITE_ROLES = frozenset({Role.MUNICIPAL, Role.IMDI_NATIONAL})


def may_read_housing(user) -> bool:
    return scope_for(user).housing


def may_write_housing(user, municipality_number: str | None = None) -> bool:
    """Whether ``user`` may create or change units and leases (in ``municipality_number``)."""
    scope = scope_for(user)
    if scope.role not in WRITE_ROLES or not scope.housing:
        return False
    return municipality_number is None or scope.covers(municipality_number)


def may_book(user, municipality_number: str) -> bool:
    """Whether ``user`` may book (reserve or let) units in a municipality.

    Everyone who may write housing there, and IMDi's regional office for its area: IMDi decides who
    is settled where, so a flat is reserved when IMDi sends or answers a proposal on a municipality's
    behalf. ``None`` is the system itself (imports, the demo builder).
    """
    if user is None:
        return True
    if may_write_housing(user, municipality_number):
        return True
    scope = scope_for(user)
    return scope.role == Role.IMDI_REGIONAL and scope.covers(municipality_number)


def area_allowed(scope: Scope, numbers: set[str] | frozenset[str]) -> bool:
    """Whether every municipality of an area lies inside the scope (aggregates)."""
    if not scope.aggregates:
        return False
    if scope.municipality_numbers is None:
        return True
    return set(numbers) <= scope.municipality_numbers
