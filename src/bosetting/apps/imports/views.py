"""Upload a file, see every error row by row, and confirm: nothing is written before the confirmation,
and nothing at all if a row fails.

The request only stores the file (after the checks that cost nothing); a background job reads and
checks it, and the batch page polls its progress (HTMX, or a refresh without JavaScript) until the
preview is ready. Confirming enqueues the write the same way. An upload larger than the limit is
stopped while it arrives (the rest is discarded, not stored).
"""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from bosetting.apps.imports import parsing
from bosetting.apps.imports.forms import UploadForm
from bosetting.apps.imports.kinds import KINDS
from bosetting.apps.imports.selectors import batch_for, batches_for, is_running, limits
from bosetting.apps.imports.services import ImportReport, do_confirm, do_upload, kinds_for
from bosetting.apps.jobs.selectors import worker_alive
from bosetting.errors import Throttled

MAX_CHANGES_SHOWN = 500
MAX_ERRORS_SHOWN = 1000


class _FileSizeLimit(FileUploadHandler):
    """Stops reading an uploaded file as soon as it passes ``max_bytes``: the rest of the request is
    read and discarded, never stored, and the form says which limit it passed."""

    def __init__(self, request: HttpRequest, max_bytes: int):
        super().__init__(request)
        self.max_bytes = max_bytes
        self.exceeded = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.max_bytes:
            self.exceeded = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def _kinds(request: HttpRequest) -> list[str]:
    kinds = kinds_for(request.user)
    if not kinds:
        raise PermissionDenied(_("Rollen din kan ikke importere filer."))
    return kinds


@csrf_exempt  # the upload handler must be in place before the CSRF check reads the body
@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The upload form, the formats the user may import, the limits and the user's earlier
    imports."""
    size_limit = None
    if request.method == "POST":
        size_limit = _FileSizeLimit(request, limits().max_bytes)
        request.upload_handlers.insert(0, size_limit)
    return _index(request, size_limit)


@csrf_protect
def _index(request: HttpRequest, size_limit: _FileSizeLimit | None) -> HttpResponse:
    kinds = _kinds(request)
    file_limits = limits()
    form = UploadForm(request.POST or None, request.FILES or None, kinds=kinds, limits=file_limits)
    if size_limit is not None and size_limit.exceeded:
        form.is_valid()
        form.errors.pop("file", None)
        form.add_error("file", str(parsing.too_big(None, file_limits)))
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            item = do_upload(request.user, form.cleaned_data["kind"], form.content, upload.name)
        except Throttled as exc:
            messages.error(request, str(exc))
            return redirect("imports:index")
        return redirect("imports:batch", pk=item.pk)
    return render(
        request,
        "imports/index.html",
        {
            "form": form,
            "formats": [KINDS[k] for k in kinds],
            "limits": {
                "size": parsing.size(file_limits.max_bytes),
                "rows": parsing.number(file_limits.max_rows),
                "columns": parsing.number(file_limits.max_columns),
            },
            "batches": batches_for(request.user).defer("report")[:20],
        },
    )


@login_required
def batch(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress, then the preview (or result) of one uploaded file: counts, every error, the
    rows' changes. HTMX polls the status fragment while a job runs; when it is done the fragment
    asks the browser to reload the full page (``HX-Refresh``)."""
    item = batch_for(request.user, pk)
    running = is_running(item)
    # A waiting job with no worker alive would wait silently: the page says so.
    no_worker = running and bool(item.task_id) and not worker_alive()
    if request.headers.get("HX-Request"):
        response = render(
            request,
            "imports/partials/batch_status.html",
            {"batch": item, "running": running, "no_worker": no_worker},
        )
        if not running:
            response["HX-Refresh"] = "true"
        return response
    report = ImportReport.from_dict(item.report) if item.report and not running else None
    row_errors = report.row_errors if report else []
    return render(
        request,
        "imports/batch.html",
        {
            "batch": item,
            "running": running,
            "no_worker": no_worker,
            "report": report,
            "file_errors": report.file_errors if report else [],
            "row_errors": row_errors[:MAX_ERRORS_SHOWN],
            "more_errors": max(0, len(row_errors) - MAX_ERRORS_SHOWN),
            "changes": report.changes[:MAX_CHANGES_SHOWN] if report else [],
            "more_changes": max(0, len(report.changes) - MAX_CHANGES_SHOWN) if report else 0,
            "can_confirm": item.status == item.Status.PREVIEWED
            and item.purged_at is None
            and report is not None
            and report.ok,
        },
    )


@login_required
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm a previewed file: its write is enqueued (it is checked again first)."""
    item = batch_for(request.user, pk)
    try:
        item = do_confirm(request.user, item.pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("imports:batch", pk=pk)
    report = ImportReport.from_dict(item.report) if item.report else None
    if item.status == item.Status.IMPORTED and report is not None:
        messages.success(
            request,
            _("Importert: %(c)s nye, %(u)s endret, %(n)s uendret.")
            % {"c": report.created, "u": report.updated, "n": report.unchanged},
        )
    elif item.status == item.Status.FAILED:
        messages.error(request, _("Importen ble avvist; ingenting ble skrevet. Se feilene under."))
    return redirect("imports:batch", pk=pk)


@login_required
def sample(request: HttpRequest, kind: str) -> HttpResponse:
    """A sample CSV file of a format."""
    if kind not in KINDS or kind not in _kinds(request):
        raise Http404(kind)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{kind}.csv"'
    csv.writer(response, lineterminator="\n").writerows(KINDS[kind].sample)
    return response
