"""Cases (households in the settlement pipeline): personal data, so only roles whose duty needs it.

Husbanken, county governors and analysts get 403 on every endpoint here (their role never sees
individual households); a case outside the user's scope is 404 (no existence leak). The health note is
served only where ``cases.selectors.can_see_health_note`` allows it, else ``null``.
"""

from datetime import date

from django.db.models import Count
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from bosetting import clock
from bosetting.api._errors import answers, forbid
from bosetting.api._fields import Id, MunicipalityNumber
from bosetting.api._paging import Page
from bosetting.apps.accounts.selectors import scope_for
from bosetting.apps.audit.choices import AccessAction
from bosetting.apps.audit.services import do_log_access
from bosetting.apps.cases.choices import CaseStatus, HouseholdType
from bosetting.apps.cases.selectors import can_see_health_note, case_for, cases_for

PREFIX = "cases"
router = Router(tags=["cases"])

NO_PERSONAL_DATA = "Rollen din gir ikke tilgang til enkeltsaker (bare aggregater)."


def require_personal_data(request: HttpRequest) -> None:
    """403 for roles that may never see individual households."""

    if not scope_for(request.user).personal_data:
        forbid(NO_PERSONAL_DATA)


class CaseOut(Schema):
    id: int
    reference: str
    household_type: HouseholdType
    status: CaseStatus
    size: int = Field(..., description="Persons in the household.")
    municipality_number: str | None = Field(None, alias="municipality.number")
    municipality_name: str | None = Field(None, alias="municipality.name")
    reception_centre: str | None = Field(None, alias="reception_centre.name")
    case_opened: date | None
    permit_date: date | None
    notified_on: date | None
    interview_on: date | None
    ready_on: date | None
    proposed_on: date | None
    accepted_on: date | None
    agreement_on: date | None
    settled_on: date | None
    self_settled: bool
    needs: list[str]
    ties: list[str]
    expected_reunification_persons: int = Field(
        ..., description="Family members expected through reunification, not yet arrived."
    )
    expected_reunification_on: date | None
    expected_reunification_source: str = Field(
        ..., description="own_statement | application | '' (none expected)."
    )
    preferences: list[str] = Field(
        ..., description="The refugee's wished municipalities, most wanted first (matching v2)."
    )
    country_group: str = Field(..., description="Country-of-origin group ('' if not recorded).")
    synthetic: bool

    @staticmethod
    def resolve_size(obj) -> int:
        # The list annotates the count (one query for the page); one case counts its persons.
        n_persons = getattr(obj, "n_persons", None)
        return obj.persons.count() if n_persons is None else n_persons


class PersonOut(Schema):
    birth_year: int
    sex: str
    is_principal: bool
    arrived_by_reunification: bool


class CaseEventOut(Schema):
    from_status: str
    to_status: str
    on: date
    note: str


class CaseDetailOut(CaseOut):
    persons: list[PersonOut]
    events: list[CaseEventOut]
    wait_days: int | None = Field(None, description="Days since the residence permit.")
    health_note: str | None = Field(
        None, description="Only for those whose duty needs it; null otherwise."
    )

    @staticmethod
    def resolve_persons(obj) -> list:
        return list(obj.persons.all())

    @staticmethod
    def resolve_events(obj) -> list:
        return list(obj.events.all())

    @staticmethod
    def resolve_wait_days(obj) -> int | None:

        return obj.wait_days(clock.today())

    @staticmethod
    def resolve_health_note(obj, context) -> str | None:
        return obj.health_note if can_see_health_note(context["request"].user, obj) else None


class CaseFilters(Schema):
    status: CaseStatus | None = None
    municipality: MunicipalityNumber | None = None
    household_type: HouseholdType | None = None


@router.get("", response=answers({200: list[CaseOut]}, 401, 403, 422))
@paginate(Page)
def list_cases(request, filters: Query[CaseFilters]):
    """Households within the user's scope, oldest permit first. Filters: status, municipality."""

    require_personal_data(request)
    qs = cases_for(request.user)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.municipality:
        qs = qs.filter(municipality__number=filters.municipality)
    if filters.household_type:
        qs = qs.filter(household_type=filters.household_type)
    return qs.annotate(n_persons=Count("persons")).order_by("permit_date", "reference", "id")


@router.get("/{case_id}", response=answers({200: CaseDetailOut}, 401, 403, 404, 422))
def get_case(request, case_id: Id):
    """One household with its persons (birth year and sex only) and its timeline; 404 outside scope.
    Every read is in the access log, and so is the health note when it is served."""
    require_personal_data(request)
    household = case_for(request.user, case_id)
    do_log_access(request, AccessAction.VIEW_CASE, household, purpose="API")
    if household.health_note and can_see_health_note(request.user, household):
        do_log_access(request, AccessAction.VIEW_HEALTH, household, purpose="API")
    return household
