"""Planning pages: requests and decisions per year with Table 2.4, and their registration.

Views parse, check and call the services; who may write is decided in ``services``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
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
from bosetting.apps.planning.choices import Provenance
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
