"""Case entry and letters on the case page ("registrere, rette og lage brev"): register a household
from its permit, correct its record, make the settlement agreement and the notice of a proposal as
PDF. Thin: parse the forms, call the services, put their field errors back on the forms.

Refusals: ``PermissionDenied`` (403) for a role that may not, ``Http404`` for a case outside the
user's scope; a ``Conflict`` (the reference exists, the case changed meanwhile, the step does not fit
the case) and a ``ValidationError`` come back on the form or as a message.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bosetting.apps.accounts.choices import IMDI_ROLES
from bosetting.apps.accounts.selectors import scope_for
from bosetting.apps.audit.choices import AccessAction
from bosetting.apps.audit.services import do_log_access
from bosetting.apps.cases import selectors as cases
from bosetting.apps.cases.services import do_correct_household
from bosetting.apps.lifecycle import services
from bosetting.apps.lifecycle.forms import HouseholdForm, PersonFormSet, persons_of
from bosetting.apps.lifecycle.views import _case, _error_text
from bosetting.apps.matching import selectors as matching
from bosetting.apps.matching.services import do_make_proposal_letter
from bosetting.engine.lifecycle import OPEN_STATES
from bosetting.errors import Conflict

#: Blank member rows a new household's form starts with (more are added in the browser).
BLANK_ROWS = 4


def _put_back(exc: ValidationError | Conflict, form, person_forms: list) -> None:
    """A service's refusal on the form: ``persons.<i>.<field>`` on that member's row, a known field
    on the field, anything else on the form as a whole."""
    if isinstance(exc, Conflict) or not hasattr(exc, "error_dict"):
        form.add_error(None, _error_text(exc))
        return
    for name, errors in exc.message_dict.items():
        parts = name.split(".")
        if parts[0] == "persons" and len(parts) == 3 and int(parts[1]) < len(person_forms):
            target = person_forms[int(parts[1])]
            field = parts[2] if parts[2] in target.fields else None
            for message in errors:
                target.add_error(field, message)
            continue
        field = name if name in form.fields else None
        for message in errors:
            form.add_error(field, message)


def _page(request, form, formset, h=None, persons_editable=True, health=True) -> HttpResponse:
    return render(
        request,
        "lifecycle/household_form.html",
        {
            "form": form,
            "formset": formset,
            "h": h,
            "persons_editable": persons_editable,
            "show_health": health,
        },
    )


@login_required
def register(request: HttpRequest) -> HttpResponse:
    """Register a household from its residence permit (IMDi): members, needs, ties, the health
    note, and the steps already taken."""
    if scope_for(request.user).role not in IMDI_ROLES:
        raise PermissionDenied(_("Bare IMDi kan registrere vedtak om opphold."))
    form = HouseholdForm(request.POST or None, mode="register")
    formset = PersonFormSet(
        request.POST or None, prefix="p", initial=[{}] * (0 if request.POST else BLANK_ROWS)
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        persons, person_forms = persons_of(formset)
        data = form.cleaned_data
        try:
            h = services.do_register_household(
                request.user,
                reference=data["reference"].strip(),
                permit_date=data["permit_date"],
                case_opened=data["case_opened"],
                persons=persons,
                reception_centre_name=data["reception_centre"] or None,
                needs=data["needs"],
                ties=data["ties"],
                health_note=data["health_note"],
                notified_on=data["notified_on"],
                interview_on=data["interview_on"],
                ready_on=data["ready_on"],
            )
        except (ValidationError, Conflict) as exc:
            _put_back(exc, form, person_forms)
        else:
            messages.success(
                request,
                _("Husholdningen %(r)s er registrert med status «%(s)s».")
                % {"r": h.reference, "s": h.get_status_display()},
            )
            return redirect(reverse("lifecycle:detail", args=[h.pk]))
    return _page(request, form, formset)


@login_required
def correct(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a household's record (IMDi handling the case). The members only before it is
    proposed; the health note only for those who may read it. Versioned: an edit of a page read
    before someone else's change is refused, naming who changed it."""
    h = _case(request, pk)
    if not cases.can_handle_as_imdi(request.user, h):
        raise PermissionDenied(_("Bare IMDi kan rette opplysningene i denne saken."))
    health = cases.can_see_health_note(request.user, h)
    persons_editable = h.status in OPEN_STATES
    initial = {
        "permit_date": h.permit_date,
        "case_opened": h.case_opened,
        "reception_centre": h.reception_centre.name if h.reception_centre else "",
        "needs": h.needs,
        "ties": ", ".join(h.ties or []),
        "health_note": h.health_note,
        "version": h.version,
    }
    form = HouseholdForm(request.POST or None, mode="correct", health=health, initial=initial)
    formset = PersonFormSet(
        request.POST or None,
        prefix="p",
        initial=[{"birth_year": p.birth_year, "sex": p.sex} for p in h.persons.all()],
    )
    if request.method == "GET":
        do_log_access(request, AccessAction.VIEW_CASE, h, purpose="rett saksopplysninger")
        if health and h.health_note:
            do_log_access(request, AccessAction.VIEW_HEALTH, h, purpose="rett saksopplysninger")
    valid = form.is_valid() if request.method == "POST" else False
    if valid and persons_editable:
        valid = formset.is_valid()
    if valid:
        persons, person_forms = persons_of(formset) if persons_editable else (None, [])
        data = form.cleaned_data
        try:
            do_correct_household(
                request.user,
                h.pk,
                expected_version=data["version"],
                persons=persons,
                needs=data["needs"],
                ties=data["ties"],
                health_note=data["health_note"] if health else None,
                reception_centre_name=data["reception_centre"],
                permit_date=data["permit_date"],
                case_opened=data["case_opened"],
                note=data["note"],
            )
        except (ValidationError, Conflict) as exc:
            _put_back(exc, form, person_forms)
        else:
            messages.success(request, _("Opplysningene i saken er rettet."))
            return redirect(reverse("lifecycle:detail", args=[h.pk]))
    return _page(request, form, formset, h, persons_editable, health)


# --- letters on the case page ------------------------------------------------------------------------


@login_required
@require_POST
def make_agreement_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """Make the settlement agreement as PDF from the case as it stands (archived on the case)."""
    h = _case(request, pk)
    try:
        letter = services.do_make_agreement_letter(request.user, h.pk)
    except (Conflict, ValidationError) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Avtalen er laget: %(t)s.") % {"t": letter.title})
    return redirect(reverse("lifecycle:detail", args=[pk]) + "#letters-h")


@login_required
@require_POST
def make_proposal_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """Make the notice of a proposal as PDF (archived on the proposal)."""
    proposal = matching.proposal_for(request.user, pk)
    try:
        letter = do_make_proposal_letter(request.user, proposal.pk)
    except ObjectDoesNotExist:
        messages.error(request, _("Det lages bare brev om forslag som er sendt til kommunen."))
    except (Conflict, ValidationError) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Brevet er laget: %(t)s.") % {"t": letter.title})
    return redirect(reverse("lifecycle:detail", args=[proposal.household_id]) + "#letters-h")
