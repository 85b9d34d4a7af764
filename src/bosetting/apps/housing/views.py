"""Housing pages: units, a unit with its leases, the housing gap, turnover and housing careers.

Thin: parse, check, call a service or selector, render. Refusals: 403 page when the role may not use
the page at all; 404 for a unit or household outside the user's scope (no existence leak).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bosetting import clock
from bosetting.apps.accounts.selectors import scope_for
from bosetting.apps.cases.selectors import cases_for
from bosetting.apps.geo.selectors import municipalities
from bosetting.apps.housing import selectors, services
from bosetting.apps.housing.areas import AreaError, default_area_for
from bosetting.apps.housing.choices import SIZE_BAND_LABELS, SIZE_BANDS
from bosetting.apps.housing.forms import (
    CareerStepForm,
    GapForm,
    LeaseForm,
    OutcomeForm,
    UnitFilterForm,
    UnitForm,
)
from bosetting.apps.housing.selectors import may_read_housing, may_write_housing
from bosetting.errors import Conflict
from bosetting.reference.structure import structure_year_for

PAGE_SIZE = 50


def _errors(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return " ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items())
    return " ".join(exc.messages)


def plotly_src() -> str:
    """The Plotly bundle: the reports app's view (reused), else our own fallback."""
    try:
        return reverse("reports:plotly_js")
    except NoReverseMatch:
        return reverse("housing:plotly_js")


def plotly_js(request: HttpRequest) -> HttpResponse:
    """Fallback Plotly bundle from the installed package (only used when reports has none)."""
    from plotly.offline import get_plotlyjs  # heavy optional library: loaded on first use

    response = HttpResponse(get_plotlyjs(), content_type="application/javascript")
    response["Cache-Control"] = "public, max-age=604800"
    return response


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    """The housing stock in the user's area, with filters ("boliger")."""
    if not may_read_housing(request.user):
        raise PermissionDenied(_("Rollen din gir ikke tilgang til boliger."))
    form = UnitFilterForm(request.GET or None)
    qs = selectors.units_for(request.user)
    today = clock.today()
    if form.is_valid():
        data = form.cleaned_data
        if data["municipality"]:
            qs = qs.filter(municipality__number=data["municipality"])
        if data["kind"]:
            qs = qs.filter(kind=data["kind"])
        if data["min_occupants"]:
            qs = qs.filter(max_occupants__gte=data["min_occupants"])
        if data["available"]:
            qs = qs.filter(pk__in=selectors.available_within(qs, today, today).values("pk"))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("side"))
    context = {
        "form": form,
        "page": page,
        "today": today,
        "can_write": may_write_housing(request.user),
        "query": request.GET.copy().urlencode(),
    }
    if request.headers.get("HX-Request"):
        return render(request, "housing/partials/unit_table.html", context)
    return render(request, "housing/unit_list.html", context)


@login_required
def unit_create(request: HttpRequest) -> HttpResponse:
    """Register a unit (municipal officers in their own municipality, IMDi national)."""
    if not may_write_housing(request.user):
        raise PermissionDenied(_("Rollen din kan ikke registrere boliger."))
    scope = scope_for(request.user)
    munis = municipalities()
    if scope.municipality_numbers is not None:
        munis = munis.filter(number__in=scope.municipality_numbers)
    form = UnitForm(request.POST or None, municipalities=munis)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "municipality"}
        try:
            unit = services.do_create_unit(
                request.user, form.cleaned_data["municipality"], **fields
            )
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("Boligen er registrert."))
            return redirect("housing:unit_detail", pk=unit.pk)
    return render(request, "housing/unit_form.html", {"form": form})


def _unit_or_404(request: HttpRequest, pk: int):
    """The unit, if the user may see it; else 404 (no existence leak)."""
    unit = selectors.units_for(request.user).filter(pk=pk).first()
    if unit is None:
        raise Http404(_("Boligen finnes ikke, eller du har ikke tilgang til den."))
    return unit


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One unit with its leases; household references only for roles that may see them."""
    if not may_read_housing(request.user):
        raise PermissionDenied(_("Rollen din gir ikke tilgang til boliger."))
    unit = _unit_or_404(request, pk)
    leases = selectors.leases_for(request.user).filter(unit=unit).order_by("start")
    return render(
        request,
        "housing/unit_detail.html",
        {
            "unit": unit,
            "leases": leases,
            "personal": scope_for(request.user).personal_data,
            "can_write": may_write_housing(request.user, unit.municipality.number),
            "lease_form": LeaseForm(),
            "outcome_form": OutcomeForm(),
        },
    )


@login_required
@require_POST
def lease_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Let the unit (refuses overlap and over-occupancy with the model's message)."""
    unit = _unit_or_404(request, pk)
    form = LeaseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(ValidationError(form.errors.get_json_data())))
        return redirect("housing:unit_detail", pk=unit.pk)
    data = form.cleaned_data
    household = None
    if data["household_reference"]:
        household = cases_for(request.user).filter(reference=data["household_reference"]).first()
        if household is None:
            messages.error(request, _("Fant ingen sak med den referansen i ditt område."))
            return redirect("housing:unit_detail", pk=unit.pk)
    try:
        services.do_book(
            request.user,
            unit,
            household,
            start=data["start"],
            end=data["end"],
            notice_months=data["notice_months"],
            rent_nok=data["rent_nok"],
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Leiekontrakten er registrert."))
    return redirect("housing:unit_detail", pk=unit.pk)


@login_required
@require_POST
def lease_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    """Record how a lease ended."""
    lease = selectors.leases_for(request.user).filter(pk=pk).first()
    if lease is None:
        raise Http404(_("Kontrakten finnes ikke, eller du har ikke tilgang til den."))
    form = OutcomeForm(request.POST)
    if form.is_valid():
        try:
            services.do_record_lease_outcome(
                request.user,
                lease,
                form.cleaned_data["outcome"],
                form.cleaned_data["on"],
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        except Conflict as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Utfallet er registrert."))
    else:
        messages.error(request, _("Velg utfall og dato."))
    return redirect("housing:unit_detail", pk=lease.unit_id)


def _gap_chart(report) -> str:
    import plotly.graph_objects as go  # heavy optional library: loaded on first use

    labels = [SIZE_BAND_LABELS[b] for b in SIZE_BANDS]
    fig = go.Figure(
        [
            go.Bar(
                name=_("Husholdninger"), x=labels, y=[report.total.demand[b] for b in SIZE_BANDS]
            ),
            go.Bar(
                name=_("Ledige boliger"), x=labels, y=[report.total.units[b] for b in SIZE_BANDS]
            ),
            go.Bar(
                name=_("Mangler bolig"), x=labels, y=[report.total.missing[b] for b in SIZE_BANDS]
            ),
        ]
    )
    fig.update_layout(barmode="group", height=360, margin={"t": 30, "l": 40, "r": 10, "b": 40})
    return fig.to_json()


@login_required
def gap(request: HttpRequest) -> HttpResponse:
    """Households to be settled by size against available units, for an area and year."""
    scope = scope_for(request.user)
    if not scope.aggregates:
        raise PermissionDenied(_("Rollen din gir ikke tilgang til aggregater."))
    form = GapForm(request.GET or None)
    area = default_area_for(request.user)
    year = None
    if form.is_valid():
        area = form.cleaned_data["area"] or area
        year = form.cleaned_data["year"]
    try:
        report = selectors.gap_for(request.user, area, year)
    except AreaError as exc:
        return render(request, "housing/gap.html", {"form": form, "error": str(exc)}, status=400)
    names = dict(
        municipalities(structure_year_for(report.year))
        .filter(number__in=report.rows)
        .values_list("number", "name")
    )
    rows = [
        (number, names.get(number, number), row)
        for number, row in sorted(report.rows.items(), key=lambda kv: -kv[1].missing["5+"])
    ]
    context = {
        "form": form,
        "report": report,
        "bands": [(b, SIZE_BAND_LABELS[b]) for b in SIZE_BANDS],
        "rows": rows[:200],
        "chart_json": _gap_chart(report),
        "plotly_src": plotly_src(),
    }
    if request.headers.get("HX-Request"):
        return render(request, "housing/partials/gap_table.html", context)
    return render(request, "housing/gap.html", context)


@login_required
def turnover(request: HttpRequest) -> HttpResponse:
    """Turnover (gjennomstrømning) of municipal rental units per municipality and year."""
    scope = scope_for(request.user)
    if not scope.housing:
        raise PermissionDenied(_("Rollen din gir ikke tilgang til boliger."))
    years = [2012, 2013, 2014, 2015]
    rows = selectors.turnover(scope.municipality_numbers, years)
    return render(request, "housing/turnover.html", {"rows": rows, "years": years})


def _household_or_404(request: HttpRequest, household_pk: int):
    """The household, if the user may see it; else 404 (no existence leak)."""
    household = cases_for(request.user).filter(pk=household_pk).first()
    if household is None:
        raise Http404(_("Saken finnes ikke, eller du har ikke tilgang til den."))
    return household


@login_required
def career(request: HttpRequest, household_pk: int) -> HttpResponse:
    """A household's housing career: dated steps and the leases behind them (personal data)."""
    if not scope_for(request.user).personal_data:
        raise PermissionDenied(_("Rollen din gir ikke tilgang til enkelthusholdninger."))
    household = _household_or_404(request, household_pk)
    steps = selectors.career_for(request.user, household)
    leases = selectors.leases_for(request.user).filter(household=household).order_by("start")
    number = household.municipality.number if household.municipality_id else None
    return render(
        request,
        "housing/career.html",
        {
            "household": household,
            "steps": steps,
            "leases": leases,
            "can_write": may_write_housing(request.user, number),
            "step_form": CareerStepForm(),
        },
    )


@login_required
@require_POST
def career_step(request: HttpRequest, household_pk: int) -> HttpResponse:
    """Record a career step by hand (a move the municipality learns of)."""
    household = _household_or_404(request, household_pk)
    form = CareerStepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Oppgi dato og boform."))
        return redirect("housing:career", household_pk=household.pk)
    try:
        services.do_record_career_step(request.user, household, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Trinnet er registrert."))
    return redirect("housing:career", household_pk=household.pk)
