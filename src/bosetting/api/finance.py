"""Money: grant schedules, Husbanken's instruments, housing allowance, projections, start-loan candidates.

Every figure comes from the dated rules in ``bosetting.engine.rules``; where a figure is not in the
data the answer says ``known: false`` with a reason, never a guess. The rule endpoints are open to every
signed-in user; projections need the municipality in scope (aggregates); the start-loan candidate list
is personal data (IMDi and municipal officers in scope; others 403).
"""

from dataclasses import asdict
from datetime import date
from typing import Annotated

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from bosetting import clock
from bosetting.api._errors import answers, forbid, service_errors, validation_422
from bosetting.api._fields import Day, Line, MunicipalityNumber, Nok, PastDay, Reference, Year
from bosetting.apps.accounts.selectors import scope_for
from bosetting.apps.cases.selectors import cases_for
from bosetting.apps.finance.selectors import (
    allowance_estimate,
    economy_facts,
    economy_for,
    household_start_loan_check,
    projection_for,
)
from bosetting.apps.finance.selectors import grant_schedules as schedules
from bosetting.apps.finance.selectors import start_loan_candidates as candidates
from bosetting.apps.finance.services import do_set_economy
from bosetting.apps.housing.selectors import default_year
from bosetting.engine.rules import husbanken

PREFIX = "finance"
router = Router(tags=["finance"])

Months = Annotated[int, Field(ge=0, le=1200)]


class GrantQuery(Schema):
    budget_year: Year | None = None
    category: Line(60) | None = None


@router.get("/grants", response=answers({200: list[dict]}, 401, 422))
def grant_schedules(request: HttpRequest, query: Query[GrantQuery]):
    """Integration grant per person by budget year and category: five yearly rates (null where not in
    the data), the five-year total, status, sources and what is unknown."""
    rows = []
    for s in schedules():
        if query.budget_year and s.budget_year != query.budget_year:
            continue
        if query.category and s.category != query.category:
            continue
        rows.append({**asdict(s), "known": s.known})
    return rows


class RentalUnitsQuery(Schema):
    n_units: int = Field(..., ge=0, le=100_000)
    cost_per_unit_nok: Nok
    year: int = Field(..., ge=2000, le=2100)


@router.get("/rental-units", response=answers({200: dict}, 401, 422))
def rental_units(request: HttpRequest, query: Query[RentalUnitsQuery]):
    """Cost, maximum rental-housing grant (boligtilskudd til utleieboliger) and remaining loan need for
    building or buying N rental dwellings."""
    return asdict(
        husbanken.rental_units_cost_and_grant(query.n_units, query.cost_per_unit_nok, query.year)
    )


class BasicLoanQuery(Schema):
    cost_nok: Nok
    year: int = Field(..., ge=2000, le=2100)


@router.get("/basic-loan", response=answers({200: dict}, 401, 422))
def basic_loan(request: HttpRequest, query: Query[BasicLoanQuery]):
    """Largest basic loan (grunnlån) for an individual building a new dwelling."""
    return asdict(husbanken.basic_loan_limit(query.cost_nok, query.year))


class EligibilityIn(Schema):
    instrument: str = Field("start_loan", pattern="^(start_loan|establishment_grant)$")
    can_get_ordinary_bank_loan: bool | None = None
    can_service_loan: bool | None = None
    long_term_low_income: bool | None = None
    has_work_income: bool | None = None
    months_in_norway: Months | None = None
    require_work_income: bool = True
    min_months_in_norway: Months | None = None


@router.post("/eligibility", response=answers({200: dict}, 400, 401, 403, 422))
def eligibility(request: HttpRequest, payload: EligibilityIn):
    """Check facts against the start-loan or establishment-grant conditions (Husbanken's and the
    municipality's own, each with its source). Nothing is stored."""
    facts = husbanken.HouseholdFinances(
        can_get_ordinary_bank_loan=payload.can_get_ordinary_bank_loan,
        can_service_loan=payload.can_service_loan,
        long_term_low_income=payload.long_term_low_income,
        has_work_income=payload.has_work_income,
        months_in_norway=payload.months_in_norway,
    )
    policy = husbanken.StartLoanPolicy(payload.require_work_income, payload.min_months_in_norway)
    check = (
        husbanken.check_start_loan
        if payload.instrument == "start_loan"
        else husbanken.check_establishment_grant
    )
    return asdict(check(facts, policy))


class AllowanceQuery(Schema):
    income_nok: Nok
    housing_cost_nok: Nok = Field(..., description="Per year.")
    household_size: int = Field(..., ge=1, le=20)
    year: int = Field(..., ge=2000, le=2100)
    cap_group: Line(40, description="ordinary | oslo | large_cities | pressure_area") | None = None
    municipality: Line(100, description="Municipality name, to find the cap group.") | None = None
    adapted_dwelling: bool = False


@router.get("/housing-allowance", response=answers({200: dict}, 401, 422))
def housing_allowance(request: HttpRequest, query: Query[AllowanceQuery]):
    """Estimated bostøtte per year with every step; ``known`` false when the year has no parameters."""
    try:
        return asdict(allowance_estimate(**query.dict()))
    except ValueError as exc:
        raise validation_422(ValidationError({"cap_group": str(exc)}), "query") from None


class ProjectionQuery(Schema):
    municipality: MunicipalityNumber
    start_year: int | None = Field(None, ge=2000, le=2100)
    years: int = Field(5, ge=1, le=10)
    assume_even_split: bool = Field(
        True,
        description="Where a yearly rate is not published, split the known five-year total evenly "
        "(marked in ``assumed``); false: such years are null.",
    )


@router.get("/projection", response=answers({200: dict}, 401, 403, 404, 422))
def projection(request: HttpRequest, query: Query[ProjectionQuery]):
    """Expected integration-grant income of a municipality, year by year. A rate that is not published
    is the stated even-split assumption (named per year in ``assumed``) unless ``assume_even_split``
    is false; then unknown years are null and left out of ``total_known_nok`` (``excluded_years``)."""
    with service_errors("query"):
        result = projection_for(
            request.user,
            query.municipality,
            query.start_year or default_year(),
            query.years,
            assume=query.assume_even_split,
        )
    return result.as_dict()


class CandidateQuery(Schema):
    municipality: MunicipalityNumber
    as_of: Day | None = None
    within_months: int = Field(6, ge=1, le=36)
    min_months_in_norway: Months | None = None
    require_work_income: bool = True
    include_not_eligible: bool = False


@router.get("/start-loan-candidates", response=answers({200: list[dict]}, 401, 403, 404, 422))
def start_loan_candidates(request: HttpRequest, query: Query[CandidateQuery]):
    """Tenants whose lease ends soon and who may qualify for a start loan (personal data)."""
    with service_errors("query"):
        rows = candidates(
            request.user,
            query.municipality,
            query.as_of or clock.today(),
            query.within_months,
            husbanken.StartLoanPolicy(query.require_work_income, query.min_months_in_norway),
            query.include_not_eligible,
        )
    return [
        {
            "lease_id": r.lease_id,
            "household_reference": r.reference,
            "persons": r.persons,
            "unit_code": r.unit_code,
            "lease_end": r.lease_end,
            "months_in_norway": r.months_in_norway,
            "status": r.status,
            "unmet": [c.code for c in r.result.unmet],
            "unknown": [c.code for c in r.result.unknown],
        }
        for r in rows
    ]


class EconomyIn(Schema):
    has_work_income: bool | None = None
    yearly_income_nok: Nok | None = None
    arrived_in_norway_on: PastDay | None = None
    can_get_ordinary_bank_loan: bool | None = None
    can_service_loan: bool | None = None
    long_term_low_income: bool | None = None


class EconomyOut(Schema):
    has_work_income: bool | None
    yearly_income_nok: int | None
    arrived_in_norway_on: date | None
    can_get_ordinary_bank_loan: bool | None
    can_service_loan: bool | None
    long_term_low_income: bool | None
    household_reference: str
    months_in_norway: int | None
    updated_on: date | None
    start_loan: dict


def _economy_household(request: HttpRequest, reference: str):
    if not scope_for(request.user).personal_data:
        forbid("Rollen din gir ikke tilgang til enkelthusholdninger.")
    household = cases_for(request.user).filter(reference=reference).first()
    if household is None:
        raise HttpError(404, "Saken finnes ikke, eller du har ikke tilgang til den.")
    return household


def _economy_out(household, economy) -> dict:
    today = clock.today()
    return {
        "household_reference": household.reference,
        **economy_facts(household, economy, today),
        "start_loan": asdict(household_start_loan_check(household, economy, today)),
    }


@router.get("/economy/{reference}", response=answers({200: EconomyOut}, 401, 403, 404, 422))
def get_economy(request: HttpRequest, reference: Reference):
    """A household's economic facts (sensitive) with its start-loan check."""
    household = _economy_household(request, reference)
    return _economy_out(household, economy_for(request.user, household))


@router.put("/economy/{reference}", response=answers({200: EconomyOut}, 400, 401, 403, 404, 422))
def put_economy(request: HttpRequest, reference: Reference, payload: EconomyIn):
    """Replace a household's economic facts (null = not known)."""
    household = _economy_household(request, reference)
    with service_errors():
        economy = do_set_economy(request.user, household, clock.today(), **payload.dict())
    return _economy_out(household, economy)
