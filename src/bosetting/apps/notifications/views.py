"""The inbox ("varsler"): the user's own notices, unread first; mark read; the e-mail settings.
Thin: every read and write is the user's own (``selectors``, ``services``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bosetting.apps.notifications import selectors, services
from bosetting.apps.notifications.choices import NoticeKind

PAGE_SIZE = 50


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """The user's notices, unread first, newest first; 50 to a page."""
    page = Paginator(selectors.notifications_for(request.user), PAGE_SIZE).get_page(
        request.GET.get("side")
    )
    return render(
        request,
        "notifications/inbox.html",
        {
            "page": page,
            "rows": [selectors.shown(n) for n in page],
            "unread": selectors.unread_count(request.user),
        },
    )


def _safe_target(request: HttpRequest, url: str) -> str:
    """Only a path on this site (a notice's link is made by the system, but a link is a link)."""
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts=None) and url.startswith("/"):
        return url
    return "notifications:inbox"


@login_required
def open_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a notice: it is marked read and the user is taken to where to act."""
    notification = services.do_mark_read(request.user, pk)
    return redirect(_safe_target(request, notification.url))


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notice read (the inbox's button)."""
    services.do_mark_read(request.user, pk)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    """Mark every notice read."""
    n = services.do_mark_all_read(request.user)
    messages.success(request, _("%(n)s varsler er merket som lest.") % {"n": n})
    return redirect("notifications:inbox")


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    """Which kinds of notice also come by e-mail (each kind of the user's role, one checkbox each)."""
    kinds = selectors.kinds_for(request.user)
    if request.method == "POST":
        chosen = [k for k in request.POST.getlist("email_kinds") if k in kinds]
        try:
            services.do_set_email_kinds(request.user, chosen)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Varslingsinnstillingene er lagret."))
            return redirect("notifications:settings")
    on = selectors.email_kinds_for(request.user)
    return render(
        request,
        "notifications/settings.html",
        {
            "kinds": [(k, NoticeKind(k).label, k in on) for k in kinds],
            "email": request.user.email,
        },
    )
