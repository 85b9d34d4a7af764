"""Money pages: grant schedule, Husbanken's instruments, bostøtte calculator, projections, start loan.

Every figure comes from ``bosetting.engine.rules`` (dated data); unknown figures show as «ukjent».
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from bosetting import clock
from bosetting.apps.accounts.selectors import scope_for
from bosetting.apps.cases.selectors import cases_for
from bosetting.apps.finance import selectors
from bosetting.apps.finance.forms import (
    AllowanceForm,
    BasicLoanForm,
    CandidatesForm,
    EconomyForm,
    EligibilityForm,
    ProjectionForm,
    RentalUnitsForm,
    tri,
)
from bosetting.apps.finance.projection import CATEGORY_LABELS
from bosetting.apps.finance.services import do_set_economy
from bosetting.apps.housing.selectors import default_year
from bosetting.engine.rules import husbanken


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The money overview: links to the rule pages and the user's own lists."""
    scope = scope_for(request.user)
    return render(request, "finance/index.html", {"scope": scope})


@login_required
def grants(request: HttpRequest) -> HttpResponse:
    """Integration grant per person by budget year and category (rates from the rule data)."""
    rows = [(s, CATEGORY_LABELS[s.category]) for s in selectors.grant_schedules()]
    return render(request, "finance/grants.html", {"rows": rows, "indices": range(1, 6)})


@login_required
def instruments(request: HttpRequest) -> HttpResponse:
    """Husbanken's instruments with eligibility and financing forms (nothing is stored)."""
    rental_form = RentalUnitsForm(request.GET if "n_units" in request.GET else None)
    loan_form = BasicLoanForm(request.GET if "cost_nok" in request.GET else None)
    check_form = EligibilityForm(request.GET if "instrument" in request.GET else None)
    rental = loan = check = None
    if rental_form.is_bound and rental_form.is_valid():
        d = rental_form.cleaned_data
        rental = husbanken.rental_units_cost_and_grant(
            d["n_units"], d["cost_per_unit_nok"], d["year"]
        )
    if loan_form.is_bound and loan_form.is_valid():
        loan = husbanken.basic_loan_limit(
            loan_form.cleaned_data["cost_nok"], loan_form.cleaned_data["loan_year"]
        )
    if check_form.is_bound and check_form.is_valid():
        d = check_form.cleaned_data
        facts = husbanken.HouseholdFinances(
            can_get_ordinary_bank_loan=tri(d["can_get_ordinary_bank_loan"]),
            can_service_loan=tri(d["can_service_loan"]),
            long_term_low_income=tri(d["long_term_low_income"]),
            has_work_income=tri(d["has_work_income"]),
            months_in_norway=d["months_in_norway"],
        )
        policy = husbanken.StartLoanPolicy(d["require_work_income"], d["min_months_in_norway"])
        check_fn = (
            husbanken.check_start_loan
            if d["instrument"] == "start_loan"
            else husbanken.check_establishment_grant
        )
        check = check_fn(facts, policy)
    return render(
        request,
        "finance/instruments.html",
        {
            "rental_form": rental_form,
            "loan_form": loan_form,
            "check_form": check_form,
            "rental": rental,
            "loan": loan,
            "check": check,
        },
    )


@login_required
def allowance(request: HttpRequest) -> HttpResponse:
    """Housing allowance (bostøtte) calculator with every step shown."""
    form = AllowanceForm(request.GET or None)
    estimate = None
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        estimate = selectors.allowance_estimate(
            d["income_nok"],
            d["housing_cost_nok"],
            d["household_size"],
            d["year"],
            municipality=d["municipality"] or None,
            adapted_dwelling=d["adapted_dwelling"],
        )
    return render(
        request,
        "finance/allowance.html",
        {"form": form, "estimate": estimate, "years": selectors.allowance_years()},
    )


@login_required
def projection(request: HttpRequest) -> HttpResponse:
    """Expected integration-grant income of a municipality over five years."""
    scope = scope_for(request.user)
    if not scope.aggregates:
        raise PermissionDenied(_("Rollen din gir ikke tilgang til aggregater."))
    initial = {}
    if scope.municipality_numbers and len(scope.municipality_numbers) == 1:
        initial["municipality"] = next(iter(scope.municipality_numbers))
    form = ProjectionForm(request.GET or None, initial=initial)
    result = None
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        result = selectors.projection_for(
            request.user,
            d["municipality"],
            d["start_year"] or default_year(),
            assume=not d["no_assumption"],
        )
    return render(
        request,
        "finance/projection.html",
        {"form": form, "result": result, "labels": CATEGORY_LABELS},
    )


@login_required
def candidates(request: HttpRequest) -> HttpResponse:
    """Tenants whose lease ends soon and who may qualify for a start loan (personal data)."""
    scope = scope_for(request.user)
    if not scope.personal_data:
        raise PermissionDenied(
            _("Listen inneholder personopplysninger rollen din ikke har tilgang til.")
        )
    form = CandidatesForm(request.GET or None)
    number = None
    if scope.municipality_numbers and len(scope.municipality_numbers) == 1:
        number = next(iter(scope.municipality_numbers))
    within, min_months, include = 6, None, False
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        number = d["municipality"] or number
        within = d["within_months"] or 6
        min_months = d["min_months_in_norway"]
        include = d["include_not_eligible"]
    rows = None
    as_of = clock.today()
    if number:
        rows = selectors.start_loan_candidates(
            request.user,
            number,
            as_of,
            within,
            husbanken.StartLoanPolicy(min_months_in_norway=min_months),
            include,
        )
    return render(
        request,
        "finance/candidates.html",
        {"form": form, "rows": rows, "number": number, "as_of": as_of, "within": within},
    )


@login_required
def economy(request: HttpRequest, household_pk: int) -> HttpResponse:
    """A household's economic facts (sensitive) and its start-loan check; the municipality may edit."""
    if not scope_for(request.user).personal_data:
        raise PermissionDenied(_("Rollen din gir ikke tilgang til enkelthusholdninger."))
    household = cases_for(request.user).filter(pk=household_pk).first()
    if household is None:
        raise Http404(_("Saken finnes ikke, eller du har ikke tilgang til den."))
    current = selectors.economy_for(request.user, household)
    form = EconomyForm(request.POST or None, initial=EconomyForm.initial_from(current))
    if request.method == "POST" and form.is_valid():
        try:
            do_set_economy(request.user, household, clock.today(), **form.facts())
        except ValidationError as exc:
            form.add_error(None, " ".join(exc.messages))
        else:
            messages.success(request, _("Opplysningene er lagret."))
            return redirect("finance:economy", household_pk=household.pk)
    check = selectors.household_start_loan_check(household, current, clock.today())
    return render(
        request,
        "finance/economy.html",
        {"household": household, "form": form, "economy": current, "check": check},
    )
