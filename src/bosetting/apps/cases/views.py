"""Case pages: the worklist per role and the case page. Thin: parse, check, call a service, render.

Refusals: 403 (with a message page) when the role may not do the thing at all; 404 for a case outside
the user's scope, so that its existence does not leak.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from bosetting.apps.accounts.choices import Role
from bosetting.apps.accounts.selectors import scope_for
from bosetting.apps.cases import selectors, services
from bosetting.apps.cases.choices import CaseStatus, HouseholdType
from bosetting.apps.cases.models import Household, SelfSettlement

PAGE_SIZE = 50
IMDI = (Role.IMDI_NATIONAL, Role.IMDI_REGIONAL)


def refused(request: HttpRequest, status: int, message: str) -> HttpResponse:
    """A 403/404 page with a clear message and no data."""
    return render(
        request, "cases/refused.html", {"message": message, "status": status}, status=status
    )


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)


def _date(value: str | None, default: date | None = None) -> date | None:
    if not value:
        return default
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ValidationError(_("Ugyldig dato: %(v)s (bruk ÅÅÅÅ-MM-DD)") % {"v": value}) from exc


# --- worklist ---------------------------------------------------------------------------------------


@login_required
def worklist(request: HttpRequest) -> HttpResponse:
    """The worklist of the user's role ("arbeidsliste")."""
    scope = scope_for(request.user)
    if scope.role in IMDI:
        return _imdi_worklist(request, scope)
    if scope.role == Role.MUNICIPAL:
        return _municipal_worklist(request, scope)
    if scope.role is None:
        return refused(request, 403, _("Brukeren din har ingen rolle i systemet."))
    return _aggregate_worklist(request, scope)


def _self_settlement_rows(qs, today: date) -> list[dict]:
    rows = []
    for ss in qs.select_related("household", "municipality"):
        days_left = (ss.lease_offer_deadline - today).days
        rows.append({"ss": ss, "days_left": days_left, "urgent": days_left <= 2})
    return rows


def _imdi_worklist(request: HttpRequest, scope) -> HttpResponse:
    user = request.user
    today = selectors.case_today()
    status = request.GET.get("status", CaseStatus.READY)
    muni = request.GET.get("kommune", "").strip()
    htype = request.GET.get("type", "")
    ref = request.GET.get("ref", "").strip()
    qs = selectors.cases_for(user)
    if status == "open":
        qs = qs.filter(status__in=selectors.OPEN_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if muni:
        qs = qs.filter(municipality__number=muni)
    if htype:
        qs = qs.filter(household_type=htype)
    if ref:
        qs = qs.filter(reference__icontains=ref)
    rows = selectors.worklist_rows(qs, today)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("side"))
    query = request.GET.copy()
    query.pop("side", None)
    pending = SelfSettlement.objects.filter(
        status=SelfSettlement.Status.PENDING, household__in=selectors.cases_for(user)
    )
    queue = selectors.queue_counts(user)
    return render(
        request,
        "cases/worklist_imdi.html",
        {
            "page": page,
            "total": len(rows),
            "overdue": sum(1 for r in rows if r["overdue"]),
            "queue": queue,
            "settled_year": selectors.settled_persons_in_year(user, today.year),
            "today": today,
            "year": today.year,
            "self_settlements": _self_settlement_rows(pending, today),
            "filters": {"status": status, "kommune": muni, "type": htype, "ref": ref},
            "statuses": CaseStatus.choices,
            "types": HouseholdType.choices,
            "query": query.urlencode(),
        },
    )


def _municipal_worklist(request: HttpRequest, scope) -> HttpResponse:
    from bosetting.apps.matching.choices import DeclineReason
    from bosetting.apps.matching.models import Proposal
    from bosetting.apps.matching.selectors import proposals_for

    user = request.user
    today = selectors.case_today()
    incoming = (
        proposals_for(user)
        .filter(status=Proposal.Status.SENT)
        .select_related("household", "unit", "municipality")
        .prefetch_related("household__persons")
        .order_by("sent_on", "-score")
    )
    incoming = list(incoming)
    for p in incoming:
        p.ages = sorted(
            (today.year - x.birth_year for x in p.household.persons.all()), reverse=True
        )
    mine = selectors.cases_for(user)
    preparing = []
    for h in mine.filter(status__in=[CaseStatus.ACCEPTED, CaseStatus.PREPARING]).prefetch_related(
        "persons"
    ):
        required = services.required_items(h, today)
        missing = services.missing_items(h, today)
        preparing.append({"h": h, "done": len(required) - len(missing), "required": len(required)})
    pending = SelfSettlement.objects.filter(
        status=SelfSettlement.Status.PENDING, municipality__number__in=scope.municipality_numbers
    )
    from bosetting.apps.geo.selectors import municipality as get_municipality
    from bosetting.apps.matching.services import HORIZON_DAYS, capacity_for, free_units

    number = next(iter(scope.municipality_numbers or ()), None)
    own = get_municipality(number) if number else None
    capacity = capacity_for(own, today.year) if own else None
    units_free = free_units([own.pk], today + timedelta(days=HORIZON_DAYS)).count() if own else 0
    settled = mine.filter(status__in=[CaseStatus.SETTLED, CaseStatus.FOLLOW_UP]).order_by(
        "-settled_on", "-pk"
    )[:10]
    return render(
        request,
        "cases/worklist_municipal.html",
        {
            "incoming": incoming,
            "preparing": preparing,
            "self_settlements": _self_settlement_rows(pending, today),
            "settled": settled,
            "settled_year": selectors.settled_persons_in_year(user, today.year),
            "year": today.year,
            "today": today,
            "reasons": DeclineReason.choices,
            "capacity": capacity,
            "units_free": units_free,
            "municipality": own,
        },
    )


def _aggregate_worklist(request: HttpRequest, scope) -> HttpResponse:
    today = selectors.case_today()
    counts = selectors.status_counts(request.user)
    rows = [
        {
            "status": label,
            "households": counts.get(value, {}).get("households", 0),
            "persons": counts.get(value, {}).get("persons", 0),
        }
        for value, label in CaseStatus.choices
    ]
    return render(
        request,
        "cases/worklist_aggregate.html",
        {
            "rows": rows,
            "settled_year": selectors.settled_persons_in_year(request.user, today.year),
            "year": today.year,
            "national": scope.municipality_numbers is None,
        },
    )


# --- case page --------------------------------------------------------------------------------------


def _case_or_refusal(request: HttpRequest, pk: int) -> Household | HttpResponse:
    scope = scope_for(request.user)
    if not scope.personal_data:
        return refused(
            request, 403, _("Din rolle har ikke tilgang til opplysninger om enkeltpersoner.")
        )
    try:
        return selectors.case_for(request.user, pk)
    except Http404:
        return refused(request, 404, _("Saken finnes ikke, eller du har ikke tilgang til den."))


PHASES = (
    ("case_opened", _("Sak opprettet")),
    ("permit_date", _("Innvilget opphold")),
    ("notified_on", _("Vedtak forkynt")),
    ("interview_on", _("Bosettingssamtale")),
    ("ready_on", _("Bosettingsklar")),
    ("proposed_on", _("Foreslått for kommune")),
    ("accepted_on", _("Akseptert")),
    ("agreement_on", _("Avtale inngått")),
    ("settled_on", _("Bosatt")),
)
# The report's four phases, each from one phase date to the next.
FOUR_PHASES = (
    (_l("1. Søknad til vedtak"), "case_opened", "permit_date"),
    (_l("2. Vedtak til forkynt"), "permit_date", "notified_on"),
    (_l("3. Bosettingsklar til akseptert"), "ready_on", "accepted_on"),
    (_l("4. Akseptert til bosatt"), "accepted_on", "settled_on"),
)


def _timeline(h: Household) -> tuple[list[dict], list[dict]]:
    steps, previous = [], None
    for field, label in PHASES:
        on = getattr(h, field)
        if on is None:
            continue
        steps.append({"label": label, "on": on, "days": (on - previous).days if previous else None})
        previous = on
    phases = []
    for label, start, end in FOUR_PHASES:
        a, b = getattr(h, start), getattr(h, end)
        phases.append({"label": label, "days": (b - a).days if a and b else None})
    return steps, phases


def _allowed_moves(user, h: Household) -> list[tuple[str, str]]:
    moves = []
    for status in services.TRANSITIONS.get(h.status, ()):
        if status in services.DEDICATED:
            continue
        if h.status == CaseStatus.SELF_SETTLEMENT_PENDING:
            continue
        if services._may_move(user, h, status):
            moves.append((status, str(CaseStatus(status).label)))
    return moves


def _checklist_context(user, h: Household) -> dict:
    from bosetting.apps.housing.models import HousingUnit

    if (
        h.status
        not in (
            CaseStatus.ACCEPTED,
            CaseStatus.PREPARING,
            CaseStatus.SETTLED,
            CaseStatus.FOLLOW_UP,
        )
        or h.self_settled
    ):
        return {"checklist": None}
    checklist = services.checklist_of(h)
    on = h.settled_on or selectors.case_today()
    required = services.required_items(h, on)
    items = [
        {
            "name": name,
            "label": services.CHECKLIST_LABELS[name],
            "done": checklist.item_done(name),
            "required": name in required,
            "stamp": (checklist.done or {}).get(name),
        }
        for name in services.CaseChecklist.ITEMS
        if name != "housing_unit"
    ]
    editable = h.status in (CaseStatus.ACCEPTED, CaseStatus.PREPARING) and (
        selectors.is_receiving_municipality(user, h) or selectors.can_handle_as_imdi(user, h)
    )
    units = []
    if editable and h.municipality_id:
        units = list(
            HousingUnit.objects.filter(
                municipality_id=h.municipality_id, available_from__isnull=False
            )
            .order_by("code")
            .values("pk", "code", "max_occupants")[:300]
        )
    missing = [i for i in required if not checklist.item_done(i)]
    return {
        "checklist": checklist,
        "checklist_items": items,
        "checklist_editable": editable,
        "checklist_units": units,
        "checklist_missing": [services.CHECKLIST_LABELS[m] for m in missing],
        "checklist_done": len(required) - len(missing),
        "checklist_required": len(required),
    }


def _case_context(request: HttpRequest, h: Household) -> dict:
    from bosetting.apps.audit.selectors import entries_for_objects, rows
    from bosetting.apps.matching.selectors import proposals_for

    user = request.user
    today = selectors.case_today()
    persons = list(h.persons.all())
    proposals = list(proposals_for(user).filter(household=h).order_by("-round__created_at"))
    self_settlements = list(h.self_settlements.select_related("municipality", "decided_by"))
    steps, phases = _timeline(h)
    checklist_ctx = _checklist_context(user, h)
    objects = [h, checklist_ctx.get("checklist"), *self_settlements, *proposals]
    scope = scope_for(user)
    return {
        "h": h,
        "today": today,
        "persons": [{"p": p, "age": p.age_on(today)} for p in persons],
        "steps": steps,
        "phases": phases,
        "events": h.events.select_related("user"),
        "proposals": proposals,
        "self_settlements": [
            {"ss": ss, "days_left": (ss.lease_offer_deadline - today).days}
            for ss in self_settlements
        ],
        "show_health": selectors.can_see_health_note(user, h),
        "moves": _allowed_moves(user, h),
        "can_decide_self": scope.role in IMDI,
        "can_reunify": selectors.can_handle_as_imdi(user, h)
        or selectors.is_receiving_municipality(user, h),
        "wait_days": h.wait_days(today),
        "target_months": selectors.target_months(h.household_type),
        "priority": selectors.priority(h.permit_date, h.household_type, h.settled_on or today),
        "trail": rows(user, entries_for_objects(user, objects)[:200]),
        "trail_link": reverse("audit:log") + f"?type=cases.household&id={h.pk}",
        **checklist_ctx,
    }


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The case page ("saksside")."""
    h = _case_or_refusal(request, pk)
    if isinstance(h, HttpResponse):
        return h
    return render(request, "cases/detail.html", _case_context(request, h))


def _back(pk: int) -> HttpResponse:
    return redirect(reverse("cases:detail", args=[pk]))


@login_required
@require_POST
def transition(request: HttpRequest, pk: int) -> HttpResponse:
    """Move the case one step (form on the case page)."""
    h = _case_or_refusal(request, pk)
    if isinstance(h, HttpResponse):
        return h
    to_status = request.POST.get("to_status", "")
    try:
        on = _date(request.POST.get("on"), selectors.case_today())
        services.do_transition(request.user, h, to_status, on=on, note=request.POST.get("note", ""))
    except PermissionDenied as exc:
        return refused(request, 403, str(exc) or _("Du har ikke tilgang til å gjøre dette."))
    except (services.TransitionError, ValidationError) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(
            request, _("Saken har nå status «%(s)s».") % {"s": CaseStatus(to_status).label}
        )
    return _back(pk)


@login_required
@require_POST
def checklist(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the checklist. With HTMX the checklist fragment comes back; without, the case page."""
    h = _case_or_refusal(request, pk)
    if isinstance(h, HttpResponse):
        return h
    items = {
        name: name in request.POST
        for name in services.CaseChecklist.ITEMS
        if name != "housing_unit"
    }
    if "housing_unit_id" in request.POST:
        items["housing_unit_id"] = request.POST.get("housing_unit_id") or None
    error = ""
    try:
        services.do_update_checklist(request.user, h, **items)
    except PermissionDenied as exc:
        return refused(request, 403, str(exc))
    except (services.TransitionError, ValidationError) as exc:
        error = _error_text(exc)
    if request.headers.get("HX-Request"):
        h.refresh_from_db()
        ctx = {"h": h, **_checklist_context(request.user, h), "checklist_error": error}
        return render(request, "cases/partials/checklist.html", ctx)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Sjekklisten er lagret."))
    return _back(pk)


@login_required
@require_POST
def reunification(request: HttpRequest, pk: int) -> HttpResponse:
    h = _case_or_refusal(request, pk)
    if isinstance(h, HttpResponse):
        return h
    try:
        persons = int(request.POST.get("persons", "0"))
        on = _date(request.POST.get("expected_on"), selectors.case_today())
        services.do_register_reunification(request.user, h, persons, on)
    except PermissionDenied as exc:
        return refused(request, 403, str(exc))
    except (ValueError, ValidationError) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Familiegjenforening er registrert."))
    return _back(pk)


@login_required
@require_POST
def submit_self_settlement(request: HttpRequest) -> HttpResponse:
    """A municipality reports a self-found private rental, by case reference."""
    scope = scope_for(request.user)
    if scope.role not in (Role.MUNICIPAL, *IMDI):
        return refused(request, 403, _("Din rolle kan ikke melde selvbosetting."))
    if scope.role == Role.MUNICIPAL:
        number = next(iter(scope.municipality_numbers or ()), "")
    else:
        number = request.POST.get("municipality", "").strip()
    reference = request.POST.get("reference", "").strip()
    h = Household.objects.filter(
        reference=reference, status__in=[CaseStatus.READY, CaseStatus.INTERVIEWED]
    ).first()
    if h is None:
        messages.error(
            request,
            _("Fant ingen bosettingsklar sak med referansen «%(r)s».") % {"r": reference},
        )
        return redirect("cases:worklist")
    try:
        deadline = _date(request.POST.get("deadline"))
        if deadline is None:
            raise ValidationError(_("Oppgi fristen i leietilbudet."))
        rent = int(request.POST.get("rent_nok") or 0)
        services.do_submit_self_settlement(
            request.user, h, number, deadline, rent, request.POST.get("note", "")
        )
    except PermissionDenied as exc:
        return refused(request, 403, str(exc))
    except (ValueError, ValidationError, services.TransitionError) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(
            request, _("Selvbosetting for %(r)s er sendt til IMDi.") % {"r": reference}
        )
    return redirect("cases:worklist")


@login_required
@require_POST
def decide_self_settlement(request: HttpRequest, ss_pk: int) -> HttpResponse:
    ss = SelfSettlement.objects.filter(
        pk=ss_pk, household__in=selectors.cases_for(request.user)
    ).first()
    if ss is None:
        return refused(request, 404, _("Selvbosettingen finnes ikke, eller du har ikke tilgang."))
    approve = request.POST.get("approve") == "1"
    try:
        services.do_decide_self_settlement(
            request.user, ss.pk, approve, request.POST.get("note", "")
        )
    except PermissionDenied as exc:
        return refused(request, 403, str(exc))
    except (services.TransitionError, ValidationError) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(
            request,
            _("Selvbosettingen er godkjent.") if approve else _("Selvbosettingen er avslått."),
        )
    target = request.POST.get("next", "")
    if not (target.startswith("/") and not target.startswith("//")):
        target = reverse("cases:detail", args=[ss.household_id])
    return redirect(target)
