"""Who may read and write housing data (documented in docs/housing.md).

- Read units and leases: roles with ``scope.housing`` (IMDi, municipal officers, Husbanken), within
  their municipalities. Household references on leases only for roles with ``scope.personal_data``.
- Write units and leases: municipal officers in their own municipality, and IMDi national.
  Husbanken, IMDi regional offices, county governors and analysts read only (or not at all).
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


def area_allowed(scope: Scope, numbers: set[str] | frozenset[str]) -> bool:
    """Whether every municipality of an area lies inside the scope (aggregates)."""
    if not scope.aggregates:
        return False
    if scope.municipality_numbers is None:
        return True
    return set(numbers) <= scope.municipality_numbers
