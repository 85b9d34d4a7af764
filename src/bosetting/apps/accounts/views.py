"""The user's own page for API tokens ("API-nøkler"): see them, make one, revoke one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bosetting.apps.accounts.selectors import tokens_of
from bosetting.apps.accounts.services import do_create_token, do_revoke_token


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    """The user's tokens with when they were made, last used and expire; a new key is shown once."""
    return render(
        request,
        "accounts/tokens.html",
        {
            "tokens": tokens_of(request.user),
            "now": timezone.now(),
            "new_key": request.session.pop("new_token_key", None),
        },
    )


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    """Make a new token; its key is shown on the next page, once."""
    label = request.POST.get("label", "").strip()
    request.session["new_token_key"] = do_create_token(request.user, label=label)
    return redirect("accounts:tokens")


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of the user's own tokens."""
    if do_revoke_token(request.user, pk):
        messages.success(request, _("Nøkkelen er trukket tilbake og virker ikke lenger."))
    else:
        messages.error(request, _("Fant ingen aktiv nøkkel med det nummeret."))
    return redirect("accounts:tokens")
