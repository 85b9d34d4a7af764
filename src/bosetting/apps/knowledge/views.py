"""Pages of the good-practice library. Thin: parse, check permission, call, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from bosetting.apps.accounts.selectors import scope_for
from bosetting.apps.geo.selectors import municipalities
from bosetting.apps.knowledge import selectors, services
from bosetting.apps.knowledge.forms import ExampleForm
from bosetting.apps.knowledge.models import PracticeExample


def _default_number(user) -> str:
    scope = scope_for(user)
    if scope.municipality_numbers and len(scope.municipality_numbers) == 1:
        return next(iter(scope.municipality_numbers))
    return ""


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The library with full-text search; an HTMX request gets the result list only."""
    query = request.GET.get("q", "").strip()
    context = {
        "query": query,
        "hits": selectors.search(query),
        "municipalities": municipalities(),
        "default_number": _default_number(request.user),
        "can_create": _writable(request.user).exists(),
    }
    if request.headers.get("HX-Request"):
        return render(request, "knowledge/partials/results.html", context)
    return render(request, "knowledge/index.html", context)


@login_required
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        item = selectors.example(slug)
    except PracticeExample.DoesNotExist as exc:
        raise Http404 from exc
    return render(request, "knowledge/detail.html", {"example": item})


@login_required
def comparable(request: HttpRequest) -> HttpResponse:
    """Examples from the municipalities most like the chosen one, with the similarity explained."""
    number = request.GET.get("kommune", "").strip() or _default_number(request.user)
    results, target = [], None
    if number:
        try:
            results = selectors.comparable_examples(number)
            target = selectors.target_profile(number)
        except ObjectDoesNotExist as exc:  # no municipality with this number
            raise Http404 from exc
    context = {
        "number": number,
        "target": target,
        "results": results,
        "municipalities": municipalities(),
    }
    if request.headers.get("HX-Request"):
        return render(request, "knowledge/partials/comparable.html", context)
    return render(request, "knowledge/comparable.html", context)


def _writable(user):
    """Municipalities the user may add examples for (none for roles that may not write)."""
    if not services.may_add_examples(user):
        return municipalities().none()
    scope = scope_for(user)
    qs = municipalities()
    if scope.municipality_numbers is not None:
        qs = qs.filter(number__in=scope.municipality_numbers)
    return qs


@login_required
def create(request: HttpRequest) -> HttpResponse:
    """Add an example (IMDi, Husbanken or the municipality itself, in scope)."""
    allowed = _writable(request.user)
    if not allowed.exists():
        raise PermissionDenied
    form = ExampleForm(request.POST or None, municipalities=allowed)
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "municipality"}
        try:
            item = services.do_save_example(request.user, form.cleaned_data["municipality"], values)
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
        else:
            messages.success(request, _("Eksempelet er lagret."))
            return redirect("knowledge:detail", slug=item.slug)
    return render(request, "knowledge/create.html", {"form": form})
