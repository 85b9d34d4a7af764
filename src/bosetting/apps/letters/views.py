"""Downloading an archived letter ("last ned brev"): the PDF as it was made, to whoever may see the
object it is about. A letter about a household is a read of personal data: in the access log."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from bosetting.apps.audit.choices import AccessAction
from bosetting.apps.audit.services import do_log_access
from bosetting.apps.letters.selectors import letter_for


def pdf_response(request: HttpRequest, letter, purpose: str) -> HttpResponse:
    """The letter's PDF as a download, logged in the access log."""
    do_log_access(request, AccessAction.EXPORT, letter, purpose=purpose)
    response = HttpResponse(bytes(letter.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{letter.filename}"'
    return response


@login_required
def download(request: HttpRequest, pk: int) -> HttpResponse:
    """The PDF of one archived letter."""
    return pdf_response(request, letter_for(request.user, pk), "brev")
