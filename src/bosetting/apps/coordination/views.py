"""Pages of the coordination app. Thin: parse, check permission, call a service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from bosetting import clock
from bosetting.apps.accounts.selectors import scope_for
from bosetting.apps.coordination import selectors, services
from bosetting.apps.coordination.forms import AssessmentForm, EventForm, JointReportForm
from bosetting.apps.coordination.models import JointReport, OfficePair
from bosetting.apps.geo import selectors as geo


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Table 5.2 as living data: every office pair, its current coordination forms and ladder step."""
    rows = selectors.coordination_matrix()
    footnotes = sorted({c.footnote for row in rows for c in row["cells"] if c and c.footnote})
    return render(
        request,
        "coordination/index.html",
        {"rows": rows, "forms": selectors.form_labels(), "footnotes": footnotes},
    )


@login_required
def regions(request: HttpRequest) -> HttpResponse:
    """Table 5.1: which offices cover each county, and where the maps do not line up."""
    return render(
        request,
        "coordination/regions.html",
        {"counties": selectors.county_offices(), "overlaps": selectors.overlaps()},
    )


@login_required
def programmes(request: HttpRequest) -> HttpResponse:
    """Municipal programmes of both agencies per region, with counts and sources."""
    return render(
        request, "coordination/programmes.html", {"groups": selectors.programmes_by_region()}
    )


def _pair(slug: str) -> OfficePair:
    try:
        return selectors.pair_by_slug(slug)
    except OfficePair.DoesNotExist as exc:
        raise Http404 from exc


@login_required
def pair_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """One office pair: current forms with history, agreements and annual wheel, timeline, ladder.
    POST adds an assessment or a timeline entry (staff of the pair only); HTMX gets the fragment."""
    pair = _pair(slug)
    can_edit = services.can_edit_pair(request.user, pair)
    assessment_form, event_form = AssessmentForm(prefix="a"), EventForm(prefix="e")
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        try:
            if "a-form" in request.POST:
                assessment_form = AssessmentForm(request.POST, prefix="a")
                if assessment_form.is_valid():
                    d = assessment_form.cleaned_data
                    services.do_record_assessment(
                        request.user, pair, d["form"], d["present"], d["degree"], d["as_of"],
                        d["source"],
                    )  # fmt: skip
                    messages.success(request, _("Vurderingen er lagret."))
                    return redirect("coordination:pair", slug=slug)
            else:
                event_form = EventForm(request.POST, prefix="e")
                if event_form.is_valid():
                    d = event_form.cleaned_data
                    services.do_add_event(
                        request.user, pair, d["kind"], d["title"], d["starts_on"],
                        d["description"], d["form"],
                    )  # fmt: skip
                    if request.headers.get("HX-Request"):
                        return render(
                            request,
                            "coordination/partials/timeline.html",
                            {"events": selectors.timeline(pair)},
                        )
                    messages.success(request, _("Hendelsen er lagt til."))
                    return redirect("coordination:pair", slug=slug)
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
    current = selectors.current_assessments(pair)
    context = {
        "pair": pair,
        "can_edit": can_edit,
        "rows": [(value, label, current.get(value)) for value, label in selectors.form_labels()],
        "history": selectors.assessment_history(pair),
        "agreements": selectors.agreements(pair),
        "events": selectors.timeline(pair),
        "ladder": selectors.current_ladder(pair),
        "assessment_form": assessment_form,
        "event_form": event_form,
    }
    if request.headers.get("HX-Request"):
        return render(request, "coordination/partials/timeline.html", context)
    return render(request, "coordination/pair.html", context)


@login_required
def municipality_picker(request: HttpRequest) -> HttpResponse:
    """Choose a municipality in scope for the joint view."""
    scope = scope_for(request.user)
    qs = geo.municipalities()
    if scope.municipality_numbers is not None:
        qs = qs.filter(number__in=scope.municipality_numbers)
    number = request.GET.get("kommune", "").strip()
    if number:
        return redirect("coordination:municipality", number=number)
    return render(request, "coordination/municipality_picker.html", {"municipalities": qs})


@login_required
def municipality(request: HttpRequest, number: str) -> HttpResponse:
    """The joint view of IMDi and Husbanken on one municipality (aggregates only)."""
    try:
        data = selectors.municipality_overview(request.user, number)
    except ObjectDoesNotExist as exc:  # no municipality with this number
        raise Http404 from exc
    data["can_report"] = services.can_submit_joint_report(request.user, number)
    return render(request, "coordination/municipality.html", data)


@login_required
def joint_report(request: HttpRequest, number: str) -> HttpResponse:
    """The municipality's one report to both agencies (the municipality itself only)."""
    if not services.can_submit_joint_report(request.user, number):
        raise PermissionDenied
    muni = geo.municipality(number)
    latest = JointReport.objects.filter(municipality=muni).order_by("-year").first()
    form = JointReportForm(request.POST or None, instance=None, initial=_initial(latest))
    if request.method == "POST" and form.is_valid():
        answers = {k: v for k, v in form.cleaned_data.items() if k != "year"}
        try:
            services.do_submit_joint_report(
                request.user, number, form.cleaned_data["year"], answers
            )
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
        else:
            messages.success(request, _("Rapporten er sendt til IMDi og Husbanken."))
            return redirect("coordination:municipality", number=number)
    return render(request, "coordination/joint_report.html", {"form": form, "municipality": muni})


def _initial(latest: JointReport | None) -> dict:
    if latest is None:
        return {"year": clock.today().year - 1}  # the last full year
    return {f: getattr(latest, f) for f in ("year", *services.JOINT_REPORT_FIELDS)}
