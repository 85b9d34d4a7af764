"""Matching pages: the rounds list with "run a new round", the round page (progress, summary,
proposals with their explanations, send), and the municipality's answers to proposals."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bosetting.apps.audit.selectors import entries_for_objects, rows
from bosetting.apps.cases.selectors import case_today
from bosetting.apps.cases.views import refused
from bosetting.apps.jobs.selectors import worker_alive
from bosetting.apps.matching import selectors, services
from bosetting.apps.matching.models import DeclineReason, MatchingRound, Proposal

PAGE_SIZE = 50
RUNNING = (MatchingRound.Status.QUEUED, MatchingRound.Status.RUNNING)


def _error_text(exc: Exception) -> str:
    return " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


def _only_imdi(request: HttpRequest) -> HttpResponse | None:
    if not selectors.may_run_rounds(request.user):
        return refused(request, 403, _("Bare IMDi har tilgang til utsøkingsrunder."))
    return None


@login_required
def rounds(request: HttpRequest) -> HttpResponse:
    """Rounds list and the form to run a new round (IMDi only)."""
    denied = _only_imdi(request)
    if denied:
        return denied
    if request.method == "POST":
        try:
            as_of = date.fromisoformat(request.POST.get("as_of") or case_today().isoformat())
            numbers = [
                n.strip()
                for n in request.POST.get("municipalities", "").replace(";", ",").split(",")
                if n.strip()
            ]
            rnd = services.do_start_round(
                request.user,
                as_of=as_of,
                solver=request.POST.get("solver", "optimal"),
                time_limit=float(request.POST.get("time_limit") or 20),
                municipality_numbers=numbers or None,
            )
        except PermissionDenied as exc:
            return refused(request, 403, str(exc))
        except (ValueError, ValidationError) as exc:
            messages.error(request, _error_text(exc))
            return redirect("matching:rounds")
        return redirect("matching:round", pk=rnd.pk)
    return render(
        request,
        "matching/rounds.html",
        {
            "rounds": selectors.rounds_for(request.user)[:100],
            "today": case_today(),
            "decline_counts": services.decline_counts(request.user),
        },
    )


def _round_or_refusal(request: HttpRequest, pk: int) -> MatchingRound | HttpResponse:
    denied = _only_imdi(request)
    if denied:
        return denied
    try:
        return selectors.round_for(request.user, pk)
    except Http404:
        return refused(request, 404, _("Runden finnes ikke, eller du har ikke tilgang til den."))


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The round page. HTMX polls the status fragment while the round runs; when it is done the
    fragment asks the browser to reload the full page (``HX-Refresh``)."""
    rnd = _round_or_refusal(request, pk)
    if isinstance(rnd, HttpResponse):
        return rnd
    # A queued round with no worker alive would wait silently: the page says so.
    no_worker = rnd.status in RUNNING and bool(rnd.task_id) and not worker_alive()
    if request.headers.get("HX-Request"):
        response = render(
            request,
            "matching/partials/round_status.html",
            {"round": rnd, "no_worker": no_worker},
        )
        if rnd.status not in RUNNING:
            response["HX-Refresh"] = "true"
        return response
    proposals = rnd.proposals.select_related("household", "municipality", "unit").order_by(
        "municipality__number", "-score"
    )
    muni = request.GET.get("kommune", "").strip()
    if muni:
        proposals = proposals.filter(municipality__number=muni)
    page = Paginator(proposals, PAGE_SIZE).get_page(request.GET.get("side"))
    return render(
        request,
        "matching/round.html",
        {
            "round": rnd,
            "running": rnd.status in RUNNING,
            "no_worker": no_worker,
            "page": page,
            "kommune": muni,
            "may_send": rnd.status == MatchingRound.Status.DONE
            and services._may_send(request.user, rnd),
            "draft_count": rnd.proposals.filter(status=Proposal.Status.DRAFT).count(),
            "trail": rows(request.user, entries_for_objects(request.user, [rnd])[:50]),
            "trail_link": reverse("audit:log") + f"?type=matching.matchinground&id={rnd.pk}",
        },
    )


@login_required
@require_POST
def send(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = _round_or_refusal(request, pk)
    if isinstance(rnd, HttpResponse):
        return rnd
    try:
        sent = services.do_send_round(request.user, rnd.pk)
    except PermissionDenied as exc:
        return refused(request, 403, str(exc))
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("%(n)s forslag er sendt til kommunene.") % {"n": sent})
    return redirect("matching:round", pk=rnd.pk)


def _answer(request: HttpRequest, pk: int, accept: bool) -> HttpResponse:
    try:
        proposal = selectors.proposal_for(request.user, pk)
    except Http404:
        return refused(request, 404, _("Forslaget finnes ikke, eller du har ikke tilgang til det."))
    error = ""
    try:
        if accept:
            services.do_accept_proposal(request.user, proposal.pk)
        else:
            services.do_decline_proposal(
                request.user,
                proposal.pk,
                request.POST.get("reason", ""),
                request.POST.get("text", ""),
            )
    except PermissionDenied as exc:
        return refused(request, 403, str(exc))
    except ValidationError as exc:
        error = _error_text(exc)
    if request.headers.get("HX-Request"):
        p = selectors.proposal_for(request.user, pk)
        today = case_today()
        p.ages = sorted(
            (today.year - x.birth_year for x in p.household.persons.all()), reverse=True
        )
        return render(
            request,
            "matching/partials/incoming_row.html",
            {"p": p, "reasons": DeclineReason.choices, "error": error},
        )
    if error:
        messages.error(request, error)
    elif accept:
        messages.success(
            request,
            _("Forslaget for %(r)s er akseptert.") % {"r": proposal.household.reference},
        )
        return redirect(reverse("cases:detail", args=[proposal.household_id]))
    else:
        messages.success(
            request, _("Forslaget for %(r)s er avslått.") % {"r": proposal.household.reference}
        )
    return redirect("cases:worklist")


@login_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _answer(request, pk, accept=True)


@login_required
@require_POST
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    return _answer(request, pk, accept=False)
