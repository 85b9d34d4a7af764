"""What waits on a user ("oppgaver"): the task list of the home page.

Each task is a count of things that wait on *this* user, with the nearest deadline, a few of the
things themselves (each with its own deadline) and a link to the worklist where the work is done.
Everything is read through the owning app's scoped selectors, so a user is never shown a task about
something outside its scope; the deadlines are the ones the notices warn of
(``engine.rules.targets.answer_due``, the self-settlement's lease offer, a lease's end within
``notifications.choices.LEAD_DAYS``).

Order ("most urgent first"): by days left to the nearest deadline, a lapsed one first. A task
without a deadline of its own is ranked as if it were due in ``STANDING_DAYS[kind]`` days — a round
waiting to be sent holds flats (2), households past 12 months (3) or past their own target (5), a
council decision missing for the year (10) — so a self-settlement offer lapsing tomorrow comes
before them and a lease ending in seven weeks after them. Ties: a real deadline first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bosetting.apps.accounts.choices import IMDI_ROLES, Role
from bosetting.apps.accounts.selectors import scope_for
from bosetting.apps.cases import selectors as cases
from bosetting.apps.cases.choices import CaseStatus, SelfSettlementStatus
from bosetting.apps.housing.selectors import leases_for
from bosetting.apps.lifecycle.services import may_decide_self_settlement
from bosetting.apps.matching import selectors as matching
from bosetting.apps.matching.choices import ProposalStatus, RoundStatus
from bosetting.apps.notifications.choices import LEAD_DAYS, NoticeKind
from bosetting.apps.notifications.selectors import unread_by_key
from bosetting.apps.planning.selectors import decisions_for, requests_for
from bosetting.engine.rules.targets import answer_due

#: Items listed under a task (the rest are one click away on the worklist).
ITEMS_SHOWN = 10

#: Days a task without a deadline of its own is ranked as if due in (see the module's docstring).
STANDING_DAYS = {
    "rounds": 2,
    "over_12": 3,
    "over_target": 5,
    "decisions": 10,
}


@dataclass(frozen=True)
class TaskItem:
    """One thing under a task: what it is, a line about it, where to act, and its deadline."""

    label: str
    detail: str
    url: str
    due_on: date | None = None
    days_left: int | None = None
    #: Where the unread notice about this thing opens ("" when there is none).
    notice_url: str = ""

    @property
    def when(self) -> str:
        return days_text(self.days_left)

    @property
    def urgency(self) -> str:
        return urgency_of(self.days_left)


def urgency_of(days: int | None) -> str:
    """The colour of a deadline ``days`` away: ``bad`` within the answer notice's two days (or
    lapsed), ``warn`` within a week, else ``ok``."""
    if days is None:
        return "ok"
    if days <= LEAD_DAYS[NoticeKind.ANSWER_DUE]:
        return "bad"
    if days <= 7:
        return "warn"
    return "ok"


@dataclass(frozen=True)
class Task:
    """One line of the task list: a kind (stable key), its title, how many, where the work is, the
    nearest deadline (None for a standing task) and the first items."""

    kind: str
    title: str
    count: int
    url: str
    due_on: date | None = None
    days_left: int | None = None
    items: list[TaskItem] = field(default_factory=list)
    note: str = ""

    @property
    def rank(self) -> tuple[int, int]:
        if self.days_left is not None:
            return (self.days_left, 0)
        return (STANDING_DAYS.get(self.kind, 30), 1)

    @property
    def urgency(self) -> str:
        """``bad`` (lapsed, or due within two days, or a standing backlog of households past their
        target), ``warn`` (due within a week) or ``ok``: the colour beside the text."""
        if self.kind in ("over_12", "over_target"):
            return "bad"
        return urgency_of(self.rank[0])

    @property
    def when(self) -> str:
        return days_text(self.days_left)


def days_text(days_left: int | None) -> str:
    """A deadline in words: "frist i dag", "3 dager igjen", "2 dager over fristen"."""
    if days_left is None:
        return ""
    if days_left == 0:
        return _("frist i dag")
    if days_left > 0:
        return ngettext("%(n)s dag igjen", "%(n)s dager igjen", days_left) % {"n": days_left}
    return ngettext("%(n)s dag over fristen", "%(n)s dager over fristen", -days_left) % {
        "n": -days_left
    }


def _notice_url(notice_id: int | None) -> str:
    return reverse("notifications:open", args=[notice_id]) if notice_id else ""


def _worklist(**params) -> str:
    return reverse("lifecycle:worklist") + ("?" + urlencode(params) if params else "")


def _proposals_to_answer(user, today: date) -> Task | None:
    proposals = list(matching.incoming_for(user))
    if not proposals:
        return None
    unread = unread_by_key(user, [f"proposal:{p.pk}" for p in proposals])
    items = []
    for p in sorted(proposals, key=lambda p: (answer_due(p.sent_on or today), p.pk)):
        notice = unread.get(f"proposal:{p.pk}")
        due = answer_due(p.sent_on or today)
        persons = len(p.household.persons.all())
        items.append(
            TaskItem(
                label=p.household.reference,
                detail=ngettext("%(n)s person", "%(n)s personer", persons) % {"n": persons}
                + " · "
                + p.household.get_household_type_display(),
                url=_worklist() + f"#proposal-{p.pk}",
                due_on=due,
                days_left=(due - today).days,
                notice_url=_notice_url(notice),
            )
        )
    first = items[0]
    return Task(
        kind="proposals",
        title=_("Forslag om bosetting å svare på"),
        count=len(items),
        url=_worklist() + "#incoming-h",
        due_on=first.due_on,
        days_left=first.days_left,
        items=items[:ITEMS_SHOWN],
    )


def _self_settlements_to_decide(user, today: date) -> Task | None:
    # Only those this user decides: in a pilot county the county governor, not IMDi's office.
    pending = [
        ss
        for ss in cases.self_settlements_for(user)
        .filter(status=SelfSettlementStatus.PENDING)
        .order_by("lease_offer_deadline", "pk")
        if may_decide_self_settlement(user, ss)
    ]
    if not pending:
        return None
    unread = unread_by_key(user, [f"self_settlement:{ss.pk}" for ss in pending])
    items = [
        TaskItem(
            label=ss.household.reference,
            detail=ss.municipality.name,
            url=reverse("lifecycle:detail", args=[ss.household_id]),
            due_on=ss.lease_offer_deadline,
            days_left=(ss.lease_offer_deadline - today).days,
            notice_url=_notice_url(unread.get(f"self_settlement:{ss.pk}")),
        )
        for ss in pending
    ]
    return Task(
        kind="self_settlements",
        title=_("Selvbosettinger å godkjenne"),
        count=len(items),
        url=_worklist() + "#ss-h",
        due_on=items[0].due_on,
        days_left=items[0].days_left,
        items=items[:ITEMS_SHOWN],
    )


def _rounds_to_review(user) -> Task | None:
    rounds = list(
        matching.rounds_for(user)
        .filter(status=RoundStatus.DONE)
        .annotate(drafts=Count("proposals", filter=Q(proposals__status=ProposalStatus.DRAFT)))
        .filter(drafts__gt=0)
        .order_by("-created_at")
    )
    if not rounds:
        return None
    items = [
        TaskItem(
            label=str(r),
            detail=ngettext("%(n)s forslag ikke sendt", "%(n)s forslag ikke sendt", r.drafts)
            % {"n": r.drafts},
            url=reverse("matching:round", args=[r.pk]),
        )
        for r in rounds
    ]
    return Task(
        kind="rounds",
        title=_("Utsøkingsrunder å gå gjennom og sende"),
        count=len(items),
        url=items[0].url if len(items) == 1 else reverse("matching:rounds"),
        items=items[:ITEMS_SHOWN],
    )


def _decisions_missing(user, year: int) -> Task | None:
    decided = set(decisions_for(user).filter(year=year).values_list("municipality_id", flat=True))
    missing = [
        r
        for r in requests_for(user).filter(year=year).order_by("municipality__name")
        if r.municipality_id not in decided
    ]
    if not missing:
        return None
    scope = scope_for(user)
    if scope.role == Role.MUNICIPAL:
        url = reverse("planning:decision_new") + "?" + urlencode({"year": year})
    else:
        url = reverse("planning:index") + "?" + urlencode({"year": year})
    items = [
        TaskItem(
            label=r.municipality.name,
            detail=ngettext("anmodet om %(n)s person", "anmodet om %(n)s personer", r.persons or 0)
            % {"n": r.persons or 0},
            url=url,
        )
        for r in missing
    ]
    return Task(
        kind="decisions",
        title=_("Vedtak om bosetting som mangler for %(year)s") % {"year": year},
        count=len(items),
        url=url,
        items=items[:ITEMS_SHOWN],
    )


def _leases_ending(user, today: date) -> Task | None:
    last = today + timedelta(days=LEAD_DAYS[NoticeKind.LEASE_ENDING])
    leases = list(
        leases_for(user)
        .contracts()
        .filter(outcome="", end__gte=today, end__lte=last)
        .order_by("end", "pk")
    )
    if not leases:
        return None
    personal = scope_for(user).personal_data
    items = [
        TaskItem(
            label=lease.unit.code,
            # The household's reference only for roles that may see households (not Husbanken).
            detail=(f"{lease.household.reference} · " if lease.household and personal else "")
            + lease.unit.municipality.name,
            url=reverse("housing:unit_detail", args=[lease.unit_id]),
            due_on=lease.end,
            days_left=(lease.end - today).days,
        )
        for lease in leases
    ]
    return Task(
        kind="leases",
        title=_("Leiekontrakter som går ut innen %(n)s dager")
        % {"n": LEAD_DAYS[NoticeKind.LEASE_ENDING]},
        count=len(items),
        url=reverse("housing:units"),
        due_on=items[0].due_on,
        days_left=items[0].days_left,
        items=items[:ITEMS_SHOWN],
    )


def _over_targets(user, today: date) -> list[Task]:
    """IMDi: the households in its area past 12 months and past their own target, with links to the
    queue filtered so. A municipality: those it has accepted (in preparation or not) — a proposal
    still unanswered is already a task of its own."""
    mine = cases.cases_for(user)
    municipal = scope_for(user).role == Role.MUNICIPAL
    if municipal:
        mine = mine.filter(status__in=(CaseStatus.ACCEPTED, CaseStatus.PREPARING))
    kinds = (
        (
            "over_12",
            True,
            _("Husholdninger som har ventet mer enn 12 måneder"),
            {"status": "open", "over": "12", "sort": "-ventet"},
        ),
        (
            "over_target",
            False,
            _("Husholdninger over målet (3 eller 6 måneder)"),
            {"status": "open", "over": "mal", "sort": "-mal"},
        ),
    )
    tasks = []
    for kind, all_months, title, params in kinds:
        found = cases.over_target(mine, today, all_months=all_months).aggregate(
            n=Count("pk"), longest=Max("waited_days")
        )
        if not found["n"]:
            continue
        tasks.append(
            Task(
                kind=kind,
                title=title,
                count=found["n"],
                url=_worklist() + "#prep-h" if municipal else _worklist(**params),
                note=_("Lengst ventet: %(n)s dager.") % {"n": found["longest"]},
            )
        )
    return tasks


def tasks_for(user, today: date) -> list[Task]:
    """What waits on ``user`` on ``today``, most urgent first (see the module's docstring)."""
    scope = scope_for(user)
    found: list[Task | None] = []
    if scope.role == Role.MUNICIPAL:
        found += [
            _proposals_to_answer(user, today),
            _leases_ending(user, today),
            _decisions_missing(user, today.year),
            *_over_targets(user, today),
        ]
    elif scope.role in IMDI_ROLES or matching.may_see_rounds(user):
        # IMDi, and a county governor holding IMDi's role in a pilot county (engine/rules/pilots.py).
        found += [
            _self_settlements_to_decide(user, today),
            _rounds_to_review(user),
            *_over_targets(user, today),
            _decisions_missing(user, today.year),
        ]
    elif scope.role == Role.COUNTY_GOVERNOR:
        found.append(_decisions_missing(user, today.year))
    elif scope.role == Role.HUSBANKEN:
        found.append(_leases_ending(user, today))
    tasks = [t for t in found if t is not None]
    tasks.sort(key=lambda t: t.rank)
    return tasks
