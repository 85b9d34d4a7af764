"""Matching pages: the rounds list with "run a new round" and the round page (progress, summary,
proposals with their explanations). Sending a round and answering a proposal move cases: those forms
post to the lifecycle's views."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from bosetting import clock
from bosetting.apps.accounts.selectors import pilot_notice
from bosetting.apps.audit.selectors import entries_for_objects, rows
from bosetting.apps.jobs.selectors import worker_alive
from bosetting.apps.matching import selectors, services
from bosetting.apps.matching.choices import ProposalStatus
from bosetting.apps.matching.models import MatchingRound
from bosetting.errors import Throttled

PAGE_SIZE = 50


def _error_text(exc: Exception) -> str:
    return " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


def _only_imdi(request: HttpRequest) -> None:
    if not selectors.may_see_rounds(request.user):
        raise PermissionDenied(
            _(
                "Bare bosettingsmyndigheten (IMDi, eller fylkesmannen i et forsøksfylke) har tilgang til utsøkingsrunder."
            )
        )


@login_required
def rounds(request: HttpRequest) -> HttpResponse:
    """Rounds list and the form to run a new round (IMDi only)."""
    _only_imdi(request)
    if request.method == "POST":
        try:
            as_of = date.fromisoformat(request.POST.get("as_of") or clock.today().isoformat())
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
                outcome_weight=float(request.POST.get("outcome_weight") or 0),
                lookahead=request.POST.get("lookahead") == "1",
            )
        except (ValueError, ValidationError, Throttled) as exc:
            messages.error(request, _error_text(exc))
            return redirect("matching:rounds")
        return redirect("matching:round", pk=rnd.pk)
    return render(
        request,
        "matching/rounds.html",
        {
            "rounds": selectors.rounds_for(request.user)[:100],
            "may_run": selectors.may_run_rounds(request.user),
            "pilot": pilot_notice(request.user),
            "today": clock.today(),
            "decline_counts": selectors.decline_counts(request.user),
        },
    )


def _round(request: HttpRequest, pk: int) -> MatchingRound:
    _only_imdi(request)
    return selectors.round_for(request.user, pk)


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The round page. HTMX polls the status fragment while the round runs; when it is done the
    fragment asks the browser to reload the full page (``HX-Refresh``)."""
    rnd = _round(request, pk)
    running = selectors.is_running(rnd)
    # A queued round with no worker alive would wait silently: the page says so.
    no_worker = running and bool(rnd.task_id) and not worker_alive()
    if request.headers.get("HX-Request"):
        response = render(
            request,
            "matching/partials/round_status.html",
            {"round": rnd, "no_worker": no_worker},
        )
        if not running:
            response["HX-Refresh"] = "true"
        return response
    # Each explanation names the household's size ("Familien på 8 …"): counted here, not row by row.
    proposals = (
        rnd.proposals.select_related("household", "municipality", "unit")
        .annotate(persons_n=Count("household__persons"))
        .order_by("municipality__number", "-score")
    )
    muni = request.GET.get("kommune", "").strip()
    if muni:
        proposals = proposals.filter(municipality__number=muni)
    page = Paginator(proposals, PAGE_SIZE).get_page(request.GET.get("side"))
    groups = (rnd.summary or {}).get("groups") or {}
    return render(
        request,
        "matching/round.html",
        {
            "round": rnd,
            "running": running,
            "no_worker": no_worker,
            "page": page,
            "kommune": muni,
            "groups": sorted(groups.items()),
            "may_send": rnd.status == MatchingRound.Status.DONE
            and selectors.may_send_round(request.user, rnd),
            "draft_count": rnd.proposals.filter(status=ProposalStatus.DRAFT).count(),
            "trail": rows(request.user, entries_for_objects(request.user, [rnd])[:50]),
            "trail_link": reverse("audit:log") + f"?type=matching.matchinground&id={rnd.pk}",
        },
    )
