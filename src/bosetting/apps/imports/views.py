"""Upload a file, see every error row by row, and confirm: nothing is written before the confirmation,
and nothing at all if a row fails."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bosetting.apps.imports.forms import UploadForm
from bosetting.apps.imports.kinds import KINDS
from bosetting.apps.imports.selectors import batch_for, batches_for
from bosetting.apps.imports.services import ImportReport, do_confirm, do_preview, kinds_for

MAX_CHANGES_SHOWN = 500


def _kinds(request: HttpRequest) -> list[str]:
    kinds = kinds_for(request.user)
    if not kinds:
        raise PermissionDenied(_("Rollen din kan ikke importere filer."))
    return kinds


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The upload form, the formats the user may import, and the user's earlier imports."""
    kinds = _kinds(request)
    form = UploadForm(request.POST or None, request.FILES or None, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        batch = do_preview(request.user, form.cleaned_data["kind"], upload.read(), upload.name)
        return redirect("imports:batch", pk=batch.pk)
    return render(
        request,
        "imports/index.html",
        {
            "form": form,
            "formats": [KINDS[k] for k in kinds],
            "batches": batches_for(request.user)[:20],
        },
    )


@login_required
def batch(request: HttpRequest, pk: int) -> HttpResponse:
    """The preview (or result) of one uploaded file: counts, every error, the rows' changes."""
    item = batch_for(request.user, pk)
    report = ImportReport.from_dict(item.report) if item.report else None
    return render(
        request,
        "imports/batch.html",
        {
            "batch": item,
            "report": report,
            "changes": report.changes[:MAX_CHANGES_SHOWN] if report else [],
            "more_changes": max(0, len(report.changes) - MAX_CHANGES_SHOWN) if report else 0,
            "can_confirm": item.status == item.Status.PREVIEWED
            and report is not None
            and report.ok,
        },
    )


@login_required
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Write a previewed file; it is checked again first."""
    item = batch_for(request.user, pk)
    try:
        item = do_confirm(request.user, item.pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("imports:batch", pk=pk)
    report = ImportReport.from_dict(item.report)
    if report.written:
        messages.success(
            request,
            _("Importert: %(c)s nye, %(u)s endret, %(n)s uendret.")
            % {"c": report.created, "u": report.updated, "n": report.unchanged},
        )
    else:
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
