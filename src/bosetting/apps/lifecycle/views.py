"""The lifecycle's pages: the worklist per role, the case page and every step a user takes on a case
(status steps, the checklist item by item, the flat, self-settlement, reunification, sending a round
and answering a proposal). Thin: parse, check, call a lifecycle service, render.

Refusals raise ``PermissionDenied`` (403) or ``Http404`` (a case outside the user's scope: its
existence does not leak); the site's handlers render both with their message. A ``Conflict`` (the
case's state forbids the step, or someone changed it meanwhile) and a ``ValidationError`` come back
as a message on the page.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from bosetting import clock
from bosetting.apps.accounts.choices import Role
from bosetting.apps.accounts.selectors import (
    pilot_notice,
    scope_for,
    sees_as_settlement_authority,
    settlement_powers,
)
from bosetting.apps.audit.choices import AccessAction
from bosetting.apps.audit.selectors import entries_for_objects, rows
from bosetting.apps.audit.services import do_log_access
from bosetting.apps.cases import selectors as cases
from bosetting.apps.cases.choices import (
    CaseStatus,
    ChecklistItem,
    HouseholdType,
    ReunificationSource,
    SelfSettlementStatus,
    Step,
)
from bosetting.apps.cases.services import (
    PREFERENCE_STATES,
    do_set_checklist_item,
    do_set_preferences,
    may_keep_checklist,
)
from bosetting.apps.geo.selectors import municipality as get_municipality
from bosetting.apps.housing.selectors import free_units, units_to_choose
from bosetting.apps.lifecycle import services
from bosetting.apps.lifecycle.letters import case_letters
from bosetting.apps.lifecycle.selectors import days_text, urgency_of
from bosetting.apps.matching import selectors as matching
from bosetting.apps.matching.choices import DeclineReason
from bosetting.apps.notifications.choices import LEAD_DAYS, NoticeKind
from bosetting.engine.lifecycle import AFTER_ACCEPTANCE, CHECKLIST_STATES, SETTLED_STATES
from bosetting.engine.rules.targets import answer_due, priority, target_months
from bosetting.errors import Conflict
from bosetting.reference.structure import structure_year_for
from bosetting.spreadsheet import csv_bytes, xlsx_bytes

PAGE_SIZE = 50
#: Days ahead the municipal worklist counts reported-free flats (the matching horizon).
UNITS_HORIZON_DAYS = 90


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


def _version(request: HttpRequest) -> int | None:
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() else None


def _case(request: HttpRequest, pk: int):
    """The case in the user's scope (403 for roles without personal data, else 404 outside it)."""
    if not scope_for(request.user).personal_data:
        raise PermissionDenied(_("Din rolle har ikke tilgang til opplysninger om enkeltpersoner."))
    return cases.case_for(request.user, pk)


# --- worklists ---------------------------------------------------------------------------------------


@login_required
def worklist(request: HttpRequest) -> HttpResponse:
    """The worklist of the user's role ("arbeidsliste")."""
    scope = scope_for(request.user)
    if sees_as_settlement_authority(request.user):
        return _imdi_worklist(request)
    if scope.role == Role.MUNICIPAL:
        return _municipal_worklist(request, scope)
    if scope.role is None:
        raise PermissionDenied(_("Brukeren din har ingen rolle i systemet."))
    return _aggregate_worklist(request, scope)


def _self_settlement_rows(qs, today: date, user=None) -> list[dict]:
    """Pending self-settlements, the offer lapsing first, each with its days left in words and a
    colour (``bad`` within the notice's lead days or lapsed); with ``user``, whether that user may
    decide each one."""
    out = []
    for ss in qs.order_by("lease_offer_deadline", "pk"):
        days_left = (ss.lease_offer_deadline - today).days
        out.append(
            {
                "ss": ss,
                "days_left": days_left,
                "when": days_text(days_left),
                "urgency": urgency_of(days_left),
                "urgent": days_left <= LEAD_DAYS[NoticeKind.SELF_SETTLEMENT_DUE],
                "can_decide": user is not None and services.may_decide_self_settlement(user, ss),
            }
        )
    return out


def _pending_self_settlements(user):
    return cases.self_settlements_for(user).filter(status=SelfSettlementStatus.PENDING)


#: The IMDi worklist's columns: (sort key or "", heading). The page and its export show the same.
IMDI_COLUMNS = (
    ("sak", gettext_lazy("Sak")),
    ("type", gettext_lazy("Type")),
    ("personer", gettext_lazy("Personer")),
    ("vedtak", gettext_lazy("Vedtak om opphold")),
    ("ventet", gettext_lazy("Ventet (dager)")),
    ("mal", gettext_lazy("Til målet (dager)")),
    ("status", gettext_lazy("Status")),
    ("sted", gettext_lazy("Mottak / kommune")),
)
#: Rows at most in one export (the whole filtered list of the demo world is about 3,000).
EXPORT_MAX_ROWS = 20_000


def _target_text(row: dict) -> str:
    """Days to or past the household's target in words (the column's text beside its colour)."""
    if row["days_left"] is None:
        return "—"
    if row["status"] in cases.SETTLED_STATUSES:
        return _("bosatt")
    if row["days_left"] >= 0:
        return _("%(n)s dager igjen") % {"n": row["days_left"]}
    return _("%(n)s dager over målet") % {"n": -row["days_left"]}


def _imdi_cells(row: dict, types: dict, statuses: dict) -> list:
    """One worklist row as the export's cells: what the page shows, in the same order."""
    return [
        row["reference"],
        str(types.get(row["household_type"], row["household_type"])),
        row["n_persons"],
        row["permit_date"],
        row["wait_days"],
        _target_text(row),
        str(statuses.get(row["status"], row["status"])),
        row["municipality__name"] or row["reception_centre__name"] or "",
    ]


def _export(rows, columns, name: str, fmt: str, cells) -> HttpResponse:
    header = [str(label) for _key, label in columns]
    body = [cells(r) for r in rows]
    if fmt == "xlsx":
        response = HttpResponse(
            xlsx_bytes(header, body, name),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(csv_bytes(header, body), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _sort_links(query, columns, current: str) -> list[dict]:
    """Each column's heading as a link that sorts by it (again: the other way), filters kept."""
    out = []
    for key, label in columns:
        if not key:
            out.append({"label": label, "url": None, "aria": None})
            continue
        active = current.lstrip("-") == key
        descending = current.startswith("-")
        q = query.copy()
        q.pop("side", None)
        q["sort"] = key if active and descending else f"-{key}" if active else key
        out.append(
            {
                "label": label,
                "url": "?" + q.urlencode(),
                "aria": ("descending" if descending else "ascending") if active else None,
            }
        )
    return out


def _imdi_worklist(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = clock.today()
    status = request.GET.get("status", CaseStatus.READY)
    muni = request.GET.get("kommune", "").strip()
    htype = request.GET.get("type", "")
    ref = request.GET.get("ref", "").strip()
    over = request.GET.get("over", "")
    sort = cases.worklist_sort(request.GET.get("sort"))
    qs = cases.cases_for(user)
    if status == "open":
        qs = qs.filter(status__in=cases.OPEN_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if muni:
        qs = qs.filter(municipality__number=muni)
    if htype:
        qs = qs.filter(household_type=htype)
    if ref:
        qs = qs.filter(reference__icontains=ref)
    if over in ("mal", "12"):
        qs = qs.filter(pk__in=cases.over_target(qs, today, all_months=over == "12").values("pk"))
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "xlsx"):
        rows = cases.worklist_rows(qs, today, sort, limit=EXPORT_MAX_ROWS)
        types, statuses = dict(HouseholdType.choices), dict(CaseStatus.choices)
        return _export(
            rows, IMDI_COLUMNS, "arbeidsliste", fmt, lambda r: _imdi_cells(r, types, statuses)
        )
    page, overdue = cases.worklist_page(qs, today, request.GET.get("side"), PAGE_SIZE, sort)
    for row in page.object_list:
        row["target_text"] = _target_text(row)
    query = request.GET.copy()
    query.pop("side", None)
    query.pop("format", None)
    export_query = query.copy()
    export_query["sort"] = sort
    return render(
        request,
        "lifecycle/worklist_imdi.html",
        {
            "page": page,
            "total": page.paginator.count,
            "overdue": overdue,
            "queue": cases.queue_counts(user),
            "settled_year": cases.settled_persons_in_year(user, today.year),
            "today": today,
            "year": today.year,
            "self_settlements": _self_settlement_rows(_pending_self_settlements(user), today, user),
            "pilot": pilot_notice(user, today),
            "filters": {
                "status": status,
                "kommune": muni,
                "type": htype,
                "ref": ref,
                "over": over,
                "sort": sort,
            },
            "statuses": CaseStatus.choices,
            "types": HouseholdType.choices,
            "query": query.urlencode(),
            "export_query": export_query.urlencode(),
            "columns": _sort_links(query, IMDI_COLUMNS, sort),
        },
    )


def _with_ages(proposal, today: date):
    proposal.ages = sorted(
        (today.year - x.birth_year for x in proposal.household.persons.all()), reverse=True
    )
    proposal.due_on = answer_due(proposal.sent_on) if proposal.sent_on else None
    proposal.days_left = (proposal.due_on - today).days if proposal.due_on else None
    proposal.due_text = days_text(proposal.days_left)
    proposal.due_urgency = urgency_of(proposal.days_left)
    permit = proposal.household.permit_date
    proposal.waited_days = (today - permit).days if permit else None
    return proposal


#: The municipality's incoming proposals: (sort key or "", heading); the export has the same.
INCOMING_COLUMNS = (
    ("sak", gettext_lazy("Sak")),
    ("personer", gettext_lazy("Husholdning")),
    ("", gettext_lazy("Bolig")),
    ("frist", gettext_lazy("Svarfrist")),
    ("ventet", gettext_lazy("Ventet (dager)")),
    ("", gettext_lazy("Begrunnelse")),
)
_INCOMING_KEYS = {
    "sak": lambda p: p.household.reference,
    "personer": lambda p: len(p.ages),
    "frist": lambda p: (p.due_on or date.max, p.pk),
    "ventet": lambda p: (p.waited_days or 0, p.pk),
}


def _sort_rows(rows: list, keys: dict, sort: str, default: str) -> tuple[list, str]:
    """``rows`` sorted by ``keys[sort]`` (``-`` in front: descending); a sort not in ``keys`` is
    ``default``."""
    if sort.lstrip("-") not in keys or sort.count("-") > 1:
        sort = default
    return sorted(rows, key=keys[sort.lstrip("-")], reverse=sort.startswith("-")), sort


def _incoming_cells(p) -> list:
    unit = p.unit.code if p.unit else ""
    return [
        p.household.reference,
        f"{p.household.get_household_type_display()}; {len(p.ages)}",
        unit,
        p.due_on,
        p.due_text,
        p.waited_days,
        p.explanation.get("text_nb", "") if isinstance(p.explanation, dict) else "",
    ]


INCOMING_EXPORT_HEADER = (
    gettext_lazy("Sak"),
    gettext_lazy("Husholdning"),
    gettext_lazy("Bolig"),
    gettext_lazy("Svarfrist"),
    gettext_lazy("Dager til svarfristen"),
    gettext_lazy("Ventet (dager)"),
    gettext_lazy("Begrunnelse"),
)


def _municipal_worklist(request: HttpRequest, scope) -> HttpResponse:
    user = request.user
    today = clock.today()
    incoming, sort = _sort_rows(
        [_with_ages(p, today) for p in matching.incoming_for(user)],
        _INCOMING_KEYS,
        request.GET.get("sort", ""),
        "frist",
    )
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "xlsx"):
        header = [(None, label) for label in INCOMING_EXPORT_HEADER]
        return _export(incoming, header, "innkomne-forslag", fmt, _incoming_cells)
    mine = cases.cases_for(user)
    households = list(mine.filter(status__in=list(CHECKLIST_STATES)).prefetch_related("persons"))
    progress = cases.checklist_progress(households, today)
    preparing = [
        {"h": h, "done": progress[h.pk][0], "required": progress[h.pk][1]} for h in households
    ]
    number = next(iter(scope.municipality_numbers or ()), None)
    own = get_municipality(number, structure_year_for(today.year)) if number else None
    horizon = today + timedelta(days=UNITS_HORIZON_DAYS)
    settled = mine.filter(status__in=cases.SETTLED_STATUSES).order_by("-settled_on", "-pk")[:10]
    return render(
        request,
        "lifecycle/worklist_municipal.html",
        {
            "incoming": incoming,
            "preparing": preparing,
            "self_settlements": _self_settlement_rows(_pending_self_settlements(user), today),
            "settled": settled,
            "settled_year": cases.settled_persons_in_year(user, today.year),
            "year": today.year,
            "today": today,
            "reasons": DeclineReason.choices,
            "capacity": matching.capacity_for(own, today.year) if own else None,
            "units_free": free_units([own.pk], horizon).count() if own else 0,
            "municipality": own,
            "columns": _sort_links(request.GET.copy(), INCOMING_COLUMNS, sort),
            "export_query": urlencode({"sort": sort}),
        },
    )


def _aggregate_worklist(request: HttpRequest, scope) -> HttpResponse:
    today = clock.today()
    counts = cases.status_counts(request.user)
    table = [
        {
            "status": label,
            "households": counts.get(value, {}).get("households", 0),
            "persons": counts.get(value, {}).get("persons", 0),
        }
        for value, label in CaseStatus.choices
    ]
    return render(
        request,
        "lifecycle/worklist_aggregate.html",
        {
            "rows": table,
            "settled_year": cases.settled_persons_in_year(request.user, today.year),
            "year": today.year,
            "national": scope.municipality_numbers is None,
        },
    )


# --- the case page -------------------------------------------------------------------------------------

PHASES = (
    ("case_opened", gettext_lazy("Sak opprettet")),
    ("permit_date", gettext_lazy("Innvilget opphold")),
    ("notified_on", gettext_lazy("Vedtak forkynt")),
    ("interview_on", gettext_lazy("Bosettingssamtale")),
    ("ready_on", gettext_lazy("Bosettingsklar")),
    ("proposed_on", gettext_lazy("Foreslått for kommune")),
    ("accepted_on", gettext_lazy("Akseptert")),
    ("agreement_on", gettext_lazy("Avtale inngått")),
    ("settled_on", gettext_lazy("Bosatt")),
)
# The report's four phases, each from one phase date to the next.
FOUR_PHASES = (
    (gettext_lazy("1. Søknad til vedtak"), "case_opened", "permit_date"),
    (gettext_lazy("2. Vedtak til forkynt"), "permit_date", "notified_on"),
    (gettext_lazy("3. Bosettingsklar til akseptert"), "ready_on", "accepted_on"),
    (gettext_lazy("4. Akseptert til bosatt"), "accepted_on", "settled_on"),
)


def _timeline(h) -> tuple[list[dict], list[dict]]:
    steps, previous = [], None
    for field_name, label in PHASES:
        on = getattr(h, field_name)
        if on is None:
            continue
        steps.append({"label": label, "on": on, "days": (on - previous).days if previous else None})
        previous = on
    phases = []
    for label, start, end in FOUR_PHASES:
        a, b = getattr(h, start), getattr(h, end)
        phases.append({"label": label, "days": (b - a).days if a and b else None})
    return steps, phases


def _checklist_context(user, h) -> dict:
    if h.status not in AFTER_ACCEPTANCE or h.self_settled:
        return {"checklist": None}
    state = cases.checklist_state(h, h.settled_on or clock.today())
    checklist = state.checklist
    editable = h.status in CHECKLIST_STATES and may_keep_checklist(user, h)
    return {
        "checklist": checklist,
        "checklist_unit": checklist.housing_unit if checklist else None,
        "checklist_items": state.items,
        "checklist_editable": editable,
        "checklist_units": units_to_choose(h.municipality_id, h.pk, clock.today())
        if editable and h.municipality_id
        else [],
        "checklist_missing": [ChecklistItem(m).label for m in state.missing],
        "checklist_done": len(state.required) - len(state.missing),
        "checklist_required": len(state.required),
    }


def _case_context(request: HttpRequest, h) -> dict:
    user = request.user
    today = clock.today()
    proposals = list(matching.open_proposals_of(user, h))
    self_settlements = list(cases.self_settlements_for(user).filter(household=h))
    steps, phases = _timeline(h)
    checklist_ctx = _checklist_context(user, h)
    objects = [h, checklist_ctx.get("checklist"), *self_settlements, *proposals]
    return {
        "h": h,
        "today": today,
        "persons": [{"p": p, "age": p.age_on(today)} for p in h.persons.all()],
        "steps": steps,
        "phases": phases,
        "events": h.events.select_related("user"),
        "proposals": proposals,
        "self_settlements": [
            {"ss": ss, "days_left": (ss.lease_offer_deadline - today).days}
            for ss in self_settlements
        ],
        "show_health": cases.can_see_health_note(user, h),
        "moves": [(t.target.value, Step(t.event).label) for t in services.allowed_moves(user, h)],
        "can_decide_self": bool(self_settlements)
        and any(services.may_decide_self_settlement(user, ss) for ss in self_settlements),
        "can_set_preferences": h.status in PREFERENCE_STATES and cases.can_handle_as_imdi(user, h),
        "can_reunify": bool(services.actors_of(user, h)),
        "reunification_sources": ReunificationSource.choices,
        "family_size": h.persons.count() + h.expected_reunification_persons,
        "can_register_arrival": h.status in SETTLED_STATES and bool(services.actors_of(user, h)),
        "wait_days": h.wait_days(today),
        "target_months": target_months(h.household_type),
        "priority": priority(h.permit_date, h.household_type, h.settled_on or today),
        "trail": rows(user, entries_for_objects(user, objects)[:200]),
        "trail_link": reverse("audit:log") + f"?type=cases.household&id={h.pk}",
        **checklist_ctx,
        **case_letters(user, h, proposals),
    }


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The case page ("saksside"). Every view is in the access log, and so is a health note shown."""
    context = _case_context(request, _case(request, pk))
    do_log_access(request, AccessAction.VIEW_CASE, context["h"], purpose="saksside")
    if context["show_health"] and context["h"].health_note:
        do_log_access(request, AccessAction.VIEW_HEALTH, context["h"], purpose="saksside")
    return render(request, "lifecycle/detail.html", context)


def _back(pk: int) -> HttpResponse:
    return redirect(reverse("lifecycle:detail", args=[pk]))


@login_required
@require_POST
def transition(request: HttpRequest, pk: int) -> HttpResponse:
    """Take one plain step on the case (a form on the case page)."""
    h = _case(request, pk)
    to_status = request.POST.get("to_status", "")
    try:
        on = _date(request.POST.get("on"), clock.today())
        services.do_transition(
            request.user,
            h,
            to_status,
            on=on,
            note=request.POST.get("note", ""),
            expected_version=_version(request),
        )
    except (Conflict, ValidationError) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(
            request, _("Saken har nå status «%(s)s».") % {"s": CaseStatus(to_status).label}
        )
    return _back(pk)


def _checklist_fragment(request: HttpRequest, h, template: str, **extra) -> HttpResponse:
    """One part of the checklist (an item or the flat) with the progress and the summary swapped
    out of band, so that nothing else on the page is replaced while other ticks are in flight."""
    h.refresh_from_db()
    ctx = {"h": h, **_checklist_context(request.user, h), **extra}
    body = render(request, template, ctx).content
    oob = {**ctx, "oob": True}
    body += render(request, "lifecycle/partials/checklist_progress.html", oob).content
    body += render(request, "lifecycle/partials/checklist_summary.html", oob).content
    return HttpResponse(body)


def _after_checklist(request: HttpRequest, h, error: str) -> HttpResponse:
    """Without HTMX: back to the case page with a message."""
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Sjekklisten er lagret."))
    return _back(h.pk)


@login_required
@require_POST
def checklist_item(request: HttpRequest, pk: int, item: str) -> HttpResponse:
    """Tick or untick one checklist item. Each item is saved on its own, so two officers ticking
    different items at the same time keep both ticks."""
    h = _case(request, pk)
    done = request.POST.getlist("done")[-1:] == ["1"]
    error = ""
    try:
        do_set_checklist_item(request.user, h.pk, item, done)
    except (Conflict, ValidationError) as exc:
        error = _error_text(exc)
    if not request.headers.get("HX-Request"):
        return _after_checklist(request, h, error)
    ctx = _checklist_context(request.user, h)
    row = next((i for i in ctx["checklist_items"] if i["name"] == item), None)
    if row is None:
        return HttpResponse(error, status=400)
    return _checklist_fragment(
        request, h, "lifecycle/partials/checklist_item.html", item=row, item_error=error
    )


@login_required
@require_POST
def choose_unit(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose the flat on the checklist: the lifecycle releases the old reservation and books the
    new one (refused if someone else has booked it)."""
    h = _case(request, pk)
    error = ""
    try:
        services.do_choose_unit(request.user, h, request.POST.get("housing_unit_id") or None)
    except (Conflict, ValidationError) as exc:
        error = _error_text(exc)
    if not request.headers.get("HX-Request"):
        return _after_checklist(request, h, error)
    return _checklist_fragment(
        request, h, "lifecycle/partials/checklist_unit.html", unit_error=error
    )


@login_required
@require_POST
def preferences(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the refugee's wishes from the settlement interview (comma-separated numbers)."""
    h = _case(request, pk)
    wishes = request.POST.get("preferences", "").replace(";", ",").split(",")
    try:
        do_set_preferences(request.user, h.pk, wishes, request.POST.get("country_group"))
    except (Conflict, ValidationError) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Ønskene er registrert."))
    return _back(pk)


@login_required
@require_POST
def reunification(request: HttpRequest, pk: int) -> HttpResponse:
    """Register expected family reunification."""
    h = _case(request, pk)
    try:
        persons = int(request.POST.get("persons", "0"))
        on = _date(request.POST.get("expected_on"), clock.today())
        services.do_register_reunification(
            request.user, h, persons, on, request.POST.get("source", "")
        )
    except ValueError:
        messages.error(request, _("Antall personer må være et heltall."))
    except (Conflict, ValidationError) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Familiegjenforening er registrert."))
    return _back(pk)


@login_required
@require_POST
def reunification_arrived(request: HttpRequest, pk: int) -> HttpResponse:
    """Register family members who have arrived and joined a settled household."""
    h = _case(request, pk)
    try:
        years = [
            int(y) for y in request.POST.get("birth_years", "").replace(" ", "").split(",") if y
        ]
        on = _date(request.POST.get("on"), clock.today())
        arrival = services.do_register_reunification_arrival(
            request.user, h, [{"birth_year": y} for y in years], on
        )
    except ValueError:
        messages.error(request, _("Skriv fødselsårene som tall adskilt med komma."))
    except (Conflict, ValidationError) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(
            request,
            _("%(n)s familiemedlemmer er registrert; husholdningen er nå %(size)s personer.")
            % {"n": arrival.added, "size": arrival.size},
        )
        for warning in arrival.warnings:
            messages.warning(request, warning)
    return _back(pk)


@login_required
@require_POST
def submit_self_settlement(request: HttpRequest) -> HttpResponse:
    """A municipality reports a self-found private rental, by case reference."""
    scope = scope_for(request.user)
    if scope.role != Role.MUNICIPAL and not settlement_powers(request.user).any:
        raise PermissionDenied(_("Din rolle kan ikke melde selvbosetting."))
    if scope.role == Role.MUNICIPAL:
        number = next(iter(scope.municipality_numbers or ()), "")
    else:
        number = request.POST.get("municipality", "").strip()
    reference = request.POST.get("reference", "").strip()
    h = cases.ready_case_by_reference(reference)
    if h is None:
        messages.error(
            request,
            _("Fant ingen bosettingsklar sak med referansen «%(r)s».") % {"r": reference},
        )
        return redirect("lifecycle:worklist")
    try:
        deadline = _date(request.POST.get("deadline"))
        if deadline is None:
            raise ValidationError(_("Oppgi fristen i leietilbudet."))
        rent = int(request.POST.get("rent_nok") or 0)
        services.do_submit_self_settlement(
            request.user, h, number, deadline, rent, request.POST.get("note", "")
        )
    except ValueError:
        messages.error(request, _("Husleien må være et helt antall kroner."))
    except (Conflict, ValidationError) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(
            request, _("Selvbosetting for %(r)s er sendt til IMDi.") % {"r": reference}
        )
    return redirect("lifecycle:worklist")


@login_required
@require_POST
def decide_self_settlement(request: HttpRequest, ss_pk: int) -> HttpResponse:
    """IMDi approves or rejects a self-settlement."""
    ss = cases.self_settlement_for(request.user, ss_pk)
    approve = request.POST.get("approve") == "1"
    try:
        services.do_decide_self_settlement(
            request.user, ss.pk, approve, request.POST.get("note", "")
        )
    except (Conflict, ValidationError) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(
            request,
            _("Selvbosettingen er godkjent.") if approve else _("Selvbosettingen er avslått."),
        )
    target = request.POST.get("next", "")
    if not (target.startswith("/") and not target.startswith("//")):
        target = reverse("lifecycle:detail", args=[ss.household_id])
    return redirect(target)


# --- rounds and proposals --------------------------------------------------------------------------


@login_required
@require_POST
def send_round(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a finished round's proposals to the municipalities: the button shows a confirmation
    page (how many proposals to which municipalities); only its own button (``confirm=1``) sends."""
    if not matching.may_see_rounds(request.user):
        raise PermissionDenied(
            _(
                "Bare bosettingsmyndigheten (IMDi, eller fylkesmannen i et forsøksfylke) har tilgang til utsøkingsrunder."
            )
        )
    rnd = matching.round_for(request.user, pk)
    if request.POST.get("confirm") != "1":
        # A bulk action: first a page that says what will be sent, to whom, and asks to confirm.
        if not matching.may_send_round(request.user, rnd):
            raise PermissionDenied(_("Du kan ikke sende denne runden."))
        counts = matching.draft_counts(rnd)
        return render(
            request,
            "lifecycle/send_confirm.html",
            {
                "round": rnd,
                "counts": counts,
                "total": sum(c["n"] for c in counts),
            },
        )
    try:
        sent = services.do_send_round(request.user, rnd.pk)
    except (Conflict, ValidationError) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("%(n)s forslag er sendt til kommunene.") % {"n": sent})
    return redirect("matching:round", pk=rnd.pk)


def _answer(request: HttpRequest, pk: int, accept: bool) -> HttpResponse:
    proposal = matching.proposal_for(request.user, pk)
    error = ""
    try:
        if accept:
            services.do_accept_proposal(request.user, proposal.pk)
        else:
            services.do_decline_proposal(
                request.user,
                proposal.pk,
                request.POST.get("reason", ""),
                request.POST.get("text", ""),
            )
    except (Conflict, ValidationError) as exc:
        error = _error_text(exc)
    if request.headers.get("HX-Request"):
        p = _with_ages(matching.proposal_for(request.user, pk), clock.today())
        return render(
            request,
            "lifecycle/partials/incoming_row.html",
            {"p": p, "reasons": DeclineReason.choices, "error": error},
        )
    if error:
        messages.error(request, error)
    elif accept:
        messages.success(
            request,
            _("Forslaget for %(r)s er akseptert.") % {"r": proposal.household.reference},
        )
        return redirect(reverse("lifecycle:detail", args=[proposal.household_id]))
    else:
        messages.success(
            request, _("Forslaget for %(r)s er avslått.") % {"r": proposal.household.reference}
        )
    return redirect("lifecycle:worklist")


@login_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    """The municipality accepts a proposal."""
    return _answer(request, pk, accept=True)


@login_required
@require_POST
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    """The municipality declines a proposal with a reason."""
    return _answer(request, pk, accept=False)
