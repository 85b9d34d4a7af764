"""The audit log page ("endringslogg"): filter by object, user or action, and export as CSV."""

from __future__ import annotations

import csv
import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from bosetting.apps.audit import selectors
from bosetting.apps.audit.choices import AccessAction
from bosetting.apps.audit.services import do_log_access
from bosetting.spreadsheet import safe_row

PAGE_SIZE = 100
CSV_COLUMNS = (
    "at",
    "username",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "before",
    "after",
    "note",
)


def _entries(request: HttpRequest):
    return selectors.filtered(selectors.entries_for(request.user), request.GET)


@login_required
def log(request: HttpRequest) -> HttpResponse:
    """The audit log in the user's scope (IMDi national: everything)."""
    if not selectors.may_read_log(request.user):
        raise PermissionDenied(_("Din rolle har ikke tilgang til endringsloggen."))
    entries = _entries(request)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("side"))
    query = request.GET.copy()
    query.pop("side", None)
    return render(
        request,
        "audit/log.html",
        {
            "page": page,
            "entries": selectors.rows(request.user, page.object_list),
            "filters": {k: request.GET.get(k, "") for k in ("type", "id", "user", "action")},
            "query": query.urlencode(),
        },
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
def access_log(request: HttpRequest) -> HttpResponse:
    """The access log in the user's scope ("tilgangslogg"): reads of cases and health notes, exports
    and logins. Read-only: the application has no way to change it."""
    if not selectors.may_read_log(request.user):
        raise PermissionDenied(_("Din rolle har ikke tilgang til tilgangsloggen."))
    entries = selectors.filtered(selectors.access_entries_for(request.user), request.GET)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("side"))
    query = request.GET.copy()
    query.pop("side", None)
    return render(
        request,
        "audit/access.html",
        {
            "page": page,
            "actions": AccessAction.choices,
            "filters": {k: request.GET.get(k, "") for k in ("type", "id", "user", "action")},
            "query": query.urlencode(),
        },
    )


@login_required
def export_csv(request: HttpRequest) -> HttpResponse:
    """The same entries as the page (same filters), as CSV (UTF-8, one row per change)."""
    if not selectors.may_read_log(request.user):
        raise PermissionDenied(_("Din rolle har ikke tilgang til endringsloggen."))
    writer = csv.writer(_Echo())
    user = request.user
    do_log_access(request, AccessAction.EXPORT, purpose="endringslogg (CSV)")

    def lines():
        yield "\ufeff" + writer.writerow(CSV_COLUMNS)
        for chunk_start in range(0, 10**9, 2000):
            chunk = list(_entries(request)[chunk_start : chunk_start + 2000])
            if not chunk:
                break
            for row in selectors.rows(user, chunk):
                yield writer.writerow(
                    safe_row(
                        [
                            row["at"].isoformat(),
                            row["username"],
                            row["action"],
                            row["object_type"],
                            row["object_id"],
                            row["object_repr"],
                            json.dumps(row["before"], ensure_ascii=False)
                            if row["before"] is not None
                            else "",
                            json.dumps(row["after"], ensure_ascii=False)
                            if row["after"] is not None
                            else "",
                            row["note"],
                        ]
                    )
                )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="endringslogg.csv"'
    return response
