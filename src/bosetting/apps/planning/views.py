"""Planning pages: requests and decisions per year with Table 2.4, and their registration; the
planning year (need, distribution, adjustments, approval) and its follow-up with the forecast.

Views parse, check and call the services; who may write is decided in ``services``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from bosetting import clock
from bosetting.apps.accounts.selectors import scope_for
from bosetting.apps.geo.choices import Agency
from bosetting.apps.geo.selectors import (
    counties,
    municipality_numbers_for_office,
    regional_offices,
)
from bosetting.apps.letters.selectors import letters_about
from bosetting.apps.planning import forms, selectors, services
from bosetting.apps.planning.choices import Criterion, Provenance
from bosetting.errors import Conflict
from bosetting.reference.structure import structure_year_for

# Table 2.4's row labels.
CLASS_LABELS = {
    "in_line": gettext_lazy("Vedtak i tråd med anmodning"),
    "fewer": gettext_lazy("Tar imot færre enn anmodning"),
    "none": gettext_lazy("Bosetter ikke"),
    "no_decision": gettext_lazy("Uten vedtak"),
}


def _require_scope(request: HttpRequest) -> None:
    if not scope_for(request.user).decisions:
        raise PermissionDenied(_("Rollen din gir ikke tilgang til anmodninger og vedtak."))


def _filter_form(request: HttpRequest, years: list[int]) -> forms.OverviewFilter:
    form = forms.OverviewFilter(request.GET or None)
    form.fields["year"].choices = [(y, str(y)) for y in years]
    asked = request.GET.get("year", "")
    year = int(asked) if asked.isdigit() and int(asked) in years else years[0]
    in_structure = counties(structure_year_for(year))
    form.fields["county"].choices = [("", _("Alle"))] + [(c.number, str(c)) for c in in_structure]
    offices = regional_offices(Agency.IMDI).order_by("name")
    form.fields["office"].choices = [("", _("Alle"))] + [(o.code, o.name) for o in offices]
    return form


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Requests and decisions per municipality for a year, Table 2.4's classes, filters by year,
    county and IMDi region. One view serves the page and (``HX-Request``) the table fragment."""
    _require_scope(request)
    years = selectors.planning_years(request.user) or [clock.today().year]
    form = _filter_form(request, years)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    year = data.get("year") or years[0]
    numbers = None
    office_code = data.get("office")
    if office_code:
        office = regional_offices(Agency.IMDI).filter(code=office_code).first()
        numbers = municipality_numbers_for_office(office) if office else set()
    overview = selectors.planning_overview(
        request.user, year, county_number=data.get("county") or None, municipality_numbers=numbers
    )
    context = {
        "form": form,
        "overview": overview,
        "classes": [(key, CLASS_LABELS[key], overview.counts[key]) for key in CLASS_LABELS],
        "class_labels": CLASS_LABELS,
        "may_register_decision": services.may_register_any_decision(request.user),
        "may_register_request": services.may_register_any_request(request.user),
        "editable": _editable(request.user, overview),
    }
    template = (
        "planning/partials/overview.html"
        if request.headers.get("HX-Request")
        else "planning/index.html"
    )
    return render(request, template, context)


def _editable(user, overview) -> dict[str, set[str]]:
    """Which rows' decision and request this user may edit (by municipality number)."""
    numbers = [r.number for r in overview.rows]
    return {
        "decisions": services.decision_numbers_for(user, numbers),
        "requests": services.request_numbers_for(user, numbers),
    }


def _apply_errors(form, exc: ValidationError | Conflict) -> None:
    if isinstance(exc, Conflict):
        form.add_error(None, str(exc))
    elif hasattr(exc, "error_dict"):
        for field, messages_ in exc.message_dict.items():
            target = field if field in form.fields else None
            for message in messages_:
                form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def _form_page(
    request, form, title: str, submit: str, back_year: int | None = None
) -> HttpResponse:
    return render(
        request,
        "planning/form.html",
        {"form": form, "title": title, "submit": submit, "back_year": back_year},
    )


@login_required
def decision_new(request: HttpRequest) -> HttpResponse:
    """Register a council decision (the municipality itself, or IMDi within its scope)."""
    if not services.may_register_any_decision(request.user):
        raise PermissionDenied(_("Rollen din kan ikke registrere vedtak."))
    scope = scope_for(request.user)
    initial = {"year": request.GET.get("year"), "period_years": 1}
    own = sorted(scope.municipality_numbers or ())
    initial["municipality_number"] = request.GET.get("kommune") or (own[0] if len(own) == 1 else "")
    form = forms.DecisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            rows = services.do_register_decision(request.user, **form.cleaned_data)
        except (ValidationError, Conflict) as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Vedtaket er registrert (%(n)s år).") % {"n": len(rows)})
            return redirect(f"{_index_url()}?year={rows[0].year}")
    return _form_page(request, form, _("Registrer vedtak"), _("Lagre vedtak"))


@login_required
def decision_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change one year's decision (persons, minors, date, note)."""
    decision = get_object_or_404(selectors.decisions_for(request.user), pk=pk)
    if not services.can_register_decision(request.user, decision.municipality.number):
        raise PermissionDenied(_("Du kan ikke endre vedtak for denne kommunen."))
    if decision.provenance == Provenance.REAL:
        raise PermissionDenied(_("IMDis publiserte tall kan ikke endres."))
    form = forms.DecisionEditForm(
        request.POST or None,
        initial={
            "persons": decision.persons,
            "uam_persons": decision.uam_persons,
            "decided_on": decision.decided_on,
            "note": decision.note,
            "expected_version": decision.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.do_update_decision(request.user, decision.pk, **form.cleaned_data)
        except (ValidationError, Conflict) as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Vedtaket er endret."))
            return redirect(f"{_index_url()}?year={decision.year}")
    title = _("Endre vedtak: %(m)s %(y)s") % {"m": decision.municipality, "y": decision.year}
    return _form_page(request, form, title, _("Lagre endringen"), decision.year)


@login_required
def request_new(request: HttpRequest) -> HttpResponse:
    """Register IMDi's request to a municipality (IMDi only)."""
    if not services.may_register_any_request(request.user):
        raise PermissionDenied(_("Bare IMDi registrerer anmodninger."))
    initial = {
        "year": request.GET.get("year"),
        "period_years": 1,
        "municipality_number": request.GET.get("kommune", ""),
    }
    form = forms.RequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            rows = services.do_register_request(request.user, **form.cleaned_data)
        except (ValidationError, Conflict) as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Anmodningen er registrert (%(n)s år).") % {"n": len(rows)})
            return redirect(f"{_index_url()}?year={rows[0].year}")
    return _form_page(request, form, _("Registrer anmodning"), _("Lagre anmodning"))


@login_required
def request_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change one year's request (IMDi only)."""
    req = get_object_or_404(selectors.requests_for(request.user), pk=pk)
    if not services.can_register_request(request.user, req.municipality.number):
        raise PermissionDenied(_("Bare IMDi kan endre anmodninger."))
    if req.provenance == Provenance.REAL:
        raise PermissionDenied(_("IMDis publiserte tall kan ikke endres."))
    form = forms.RequestEditForm(
        request.POST or None,
        initial={
            "persons": req.persons,
            "uam_persons": req.uam_persons,
            "sent_on": req.sent_on,
            "expected_version": req.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.do_update_request(request.user, req.pk, **form.cleaned_data)
        except (ValidationError, Conflict) as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Anmodningen er endret."))
            return redirect(f"{_index_url()}?year={req.year}")
    title = _("Endre anmodning: %(m)s %(y)s") % {"m": req.municipality, "y": req.year}
    return _form_page(request, form, title, _("Lagre endringen"), req.year)


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One request ("anmodning"): its years and the letters made from it, and — for IMDi — the
    button that makes the letter from the request as it stands."""
    req = get_object_or_404(selectors.requests_for(request.user), pk=pk)
    return render(
        request,
        "planning/request.html",
        {
            "req": req,
            "rows": selectors.period_rows(req),
            "letters": letters_about(request.user, req),
            "may_write": services.can_register_request(request.user, req.municipality.number),
        },
    )


@login_required
@require_POST
def request_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """Make IMDi's request letter as PDF (archived on the request)."""
    req = get_object_or_404(selectors.requests_for(request.user), pk=pk)
    letter = services.do_make_request_letter(request.user, req.pk)
    messages.success(request, _("Brevet er laget: %(t)s.") % {"t": letter.title})
    return redirect("planning:request", pk=req.pk)


def _index_url() -> str:
    return reverse("planning:index")


# --- The planning year ------------------------------------------------------------------------------

CRITERION_LABELS = dict(Criterion.choices)
CLASS_SHORT = {
    "in_line": gettext_lazy("i tråd"),
    "fewer": gettext_lazy("færre"),
    "none": gettext_lazy("bosetter ikke"),
    "no_decision": gettext_lazy("uten vedtak"),
}


def _plan_or_404(year: int):
    plan = selectors.plan_of(year)
    if plan is None:
        raise Http404(_("Det finnes ingen plan for %(year)s.") % {"year": year})
    return plan


def _forecast(year: int):
    """The year's forecast as of the business date, or None where no earlier year can train it."""
    try:
        return selectors.forecast_year(year, clock.today())
    except ValueError:
        return None


def _explained(row) -> list[dict]:
    """A row's criteria with their labels, for the explanation."""
    return [
        {
            **c,
            "label": CRITERION_LABELS.get(c["criterion"], c["criterion"]),
            "share_pct": 100 * c["share"],
            "weight_pct": 100 * c["weight"],
        }
        for c in row.criteria
    ]


@login_required
def plans(request: HttpRequest) -> HttpResponse:
    """The planning years; the newest opens, or the form for the first one."""
    _require_scope(request)
    years = selectors.plan_years()
    if years:
        return redirect("planning:plan", year=years[0])
    if services.can_plan(request.user):
        return redirect("planning:plan_new")
    return render(request, "planning/plan_none.html", {})


@login_required
def plan_new(request: HttpRequest) -> HttpResponse:
    """IMDi national enters the need from the prognosis and the criteria's weights."""
    if not services.can_plan(request.user):
        raise PermissionDenied(_("Bare IMDi nasjonalt kan legge inn behovet og fordelingen."))
    form = forms.NewPlanForm(request.POST or None, initial={"year": clock.today().year + 1})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "expected_version"}
        try:
            plan = services.do_create_plan(request.user, **data)
        except (ValidationError, Conflict) as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Behovet er lagt inn og fordelingen foreslått."))
            return redirect("planning:plan", year=plan.year)
    return render(request, "planning/plan_form.html", {"form": form, "plan": None})


@login_required
def plan_edit(request: HttpRequest, year: int) -> HttpResponse:
    """Change the need, its source, the period or the weights; the proposal is computed again."""
    plan = _plan_or_404(year)
    if not services.can_plan(request.user):
        raise PermissionDenied(_("Bare IMDi nasjonalt kan endre behovet og fordelingen."))
    initial = {field: getattr(plan, field) for field in services.PLAN_FIELDS}
    initial["expected_version"] = plan.version
    form = forms.PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.do_update_plan(request.user, plan.pk, **form.cleaned_data)
        except (ValidationError, Conflict) as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Planen er endret og fordelingen beregnet på nytt."))
            return redirect("planning:plan", year=plan.year)
    return render(request, "planning/plan_form.html", {"form": form, "plan": plan})


@login_required
def plan_detail(request: HttpRequest, year: int) -> HttpResponse:
    """The planning year: the need, the distribution by county and municipality with each figure
    explained by its criteria, adjustments, the difference to the need, approval, and the
    headline of the follow-up (decisions so far and the forecast)."""
    _require_scope(request)
    plan = _plan_or_404(year)
    county = request.GET.get("fylke", "")
    rows = selectors.allocations_for(request.user, plan)
    if county:
        rows = rows.filter(municipality__county__number=county)
    rows = list(rows)
    adjustable = services.adjustable_numbers_for(
        request.user, [r.municipality.number for r in rows]
    )
    forecast = _forecast(year)
    follow = selectors.follow_up(request.user, year, clock.today(), forecast)
    context = {
        "plan": plan,
        "years": selectors.plan_years(),
        "rows": [(row, _explained(row)) for row in rows],
        "adjustable": adjustable,
        "totals": selectors.plan_totals(plan),
        "counties": selectors.county_totals(plan),
        "county": county,
        "may_plan": services.can_plan(request.user),
        "follow": follow,
        "forecast": forecast,
        "approve_form": forms.ApproveForm(initial={"expected_version": plan.version}),
        "criteria": [(key, CRITERION_LABELS[key], weight) for key, weight in plan.weights.items()],
        "housing_by_population": "housing_by_population" in (plan.notes or []),
    }
    return render(request, "planning/plan.html", context)


@login_required
def plan_follow_up(request: HttpRequest, year: int) -> HttpResponse:
    """As decisions come in: requested against decided by municipality, county and nationally
    (Table 2.3 and 2.4 live), the expected decisions of the councils without one, the places
    missing against the need, the supplementary-request list and the forecast of settled."""
    _require_scope(request)
    forecast = _forecast(year)
    follow = selectors.follow_up(request.user, year, clock.today(), forecast)
    context = {
        "year": year,
        "plan": selectors.plan_of(year),
        "follow": follow,
        "forecast": forecast,
        "classes": [(key, CLASS_LABELS[key], follow.counts[key]) for key in CLASS_LABELS],
        "class_short": CLASS_SHORT,
    }
    return render(request, "planning/follow_up.html", context)


@login_required
def plan_balance(request: HttpRequest, year: int) -> HttpResponse:
    """Spread the difference to the need over the municipalities not adjusted (POST)."""
    plan = _plan_or_404(year)
    if request.method != "POST":
        return redirect("planning:plan", year=year)
    try:
        moved = services.do_balance_plan(
            request.user, plan.pk, expected_version=_int(request.POST.get("expected_version"))
        )
    except Conflict as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("Differansen (%(n)s personer) er fordelt.") % {"n": f"{moved:+d}"}
        )
    return redirect("planning:plan", year=year)


@login_required
def plan_approve(request: HttpRequest, year: int) -> HttpResponse:
    """Approve the plan: the requests are created (POST)."""
    plan = _plan_or_404(year)
    if request.method != "POST":
        return redirect("planning:plan", year=year)
    form = forms.ApproveForm(request.POST)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    try:
        made = services.do_approve_plan(
            request.user,
            plan.pk,
            accept_difference=bool(data.get("accept_difference")),
            expected_version=data.get("expected_version"),
        )
    except Conflict as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Planen er godkjent: %(n)s anmodninger er opprettet.") % {"n": len(made)},
        )
    return redirect("planning:plan", year=year)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _allocation(request: HttpRequest, pk: int):
    try:
        return selectors.allocation_for(request.user, pk)
    except ObjectDoesNotExist:
        raise Http404 from None


@login_required
def allocation_adjust(request: HttpRequest, pk: int) -> HttpResponse:
    """A regional office adjusts a municipality's figure, with its reason."""
    row = _allocation(request, pk)
    if not services.can_adjust(request.user, row.municipality.number):
        raise PermissionDenied(
            _("Bare IMDi nasjonalt og regionkontoret for kommunen kan endre kommunens tall.")
        )
    form = forms.AdjustForm(
        request.POST or None,
        initial={
            "persons": row.persons,
            "uam_persons": row.uam_persons,
            "reason": row.reason,
            "expected_version": row.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.do_adjust_allocation(request.user, row.pk, **form.cleaned_data)
        except (ValidationError, Conflict) as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request, _("Tallet for %(m)s er endret.") % {"m": row.municipality.name}
            )
            return redirect(
                f"{reverse('planning:plan', args=[row.plan.year])}#kommune-{row.municipality.number}"
            )
    title = _("Juster tallet for %(m)s (%(y)s)") % {"m": row.municipality, "y": row.plan.year}
    return render(
        request,
        "planning/allocation_form.html",
        {"form": form, "row": row, "title": title, "criteria": _explained(row)},
    )


@login_required
def allocation_quality(request: HttpRequest, pk: int) -> HttpResponse:
    """The regional office's assessment of the quality of a municipality's work (a criterion)."""
    row = _allocation(request, pk)
    if not services.can_adjust(request.user, row.municipality.number):
        raise PermissionDenied(
            _("Bare IMDi nasjonalt og regionkontoret for kommunen kan vurdere kommunen.")
        )
    form = forms.QualityForm(
        request.POST or None,
        initial={"quality": row.quality, "note": row.quality_note, "expected_version": row.version},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.do_assess_quality(request.user, row.pk, **form.cleaned_data)
        except (ValidationError, Conflict) as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Vurderingen av %(m)s er lagret; fordelingen er beregnet på nytt.")
                % {"m": row.municipality.name},
            )
            return redirect(
                f"{reverse('planning:plan', args=[row.plan.year])}#kommune-{row.municipality.number}"
            )
    title = _("Vurder kvaliteten i arbeidet: %(m)s") % {"m": row.municipality}
    return render(
        request,
        "planning/allocation_form.html",
        {"form": form, "row": row, "title": title, "criteria": _explained(row)},
    )
