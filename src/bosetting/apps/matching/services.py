"""Writes of matching rounds ("utsøking"): database -> engine instance -> draft proposals, and the
proposals' own records.

A round is started by ``do_start_round`` (stores its inputs and enqueues ``tasks.run_round_task`` as
a background job in the same transaction); ``run_round`` builds the exchange-format instance of
``matching.md`` from the database through the other apps' selectors, calls the engine and stores the
result as draft proposals with their
explanations. See docs/pipeline.md for how the instance is built and the demo assumptions.

Sending a round, and a municipality's answer, move cases and book flats: those steps belong to the
lifecycle (``bosetting.apps.lifecycle.services``), which calls the proposal writes at the end of this
module (``mark_sent``, ``mark_answered``, ``withdraw_open``) — matching never moves a case itself.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bosetting import clock
from bosetting.apps.accounts.selectors import scope_for, settlement_powers
from bosetting.apps.audit.services import do_record, do_record_many, snapshot
from bosetting.apps.jobs.selectors import check_job_room
from bosetting.apps.letters.choices import LetterKind
from bosetting.apps.letters.services import do_make_letter
from bosetting.apps.matching.choices import ProposalStatus, RoundStatus
from bosetting.apps.matching.letters import proposal_letter
from bosetting.apps.matching.models import MatchingRound, Proposal
from bosetting.apps.matching.notices import proposals_received
from bosetting.apps.matching.runner import run_round
from bosetting.apps.matching.selectors import may_answer, proposals_for
from bosetting.apps.matching.tasks import run_round_task
from bosetting.apps.notifications.services import do_notify

DEMO_AS_OF = clock.DEMO_TODAY
DEMO_LABEL = "Demo-runde 5. januar 2015"
DEMO_TIME_LIMIT = 20.0
MAX_OUTCOME_WEIGHT = 1.0


def _user_or_none(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None


# --- starting and running a round ----------------------------------------------------------------


@transaction.atomic
def do_create_round(
    user,
    as_of: date,
    solver: str,
    time_limit: float,
    municipality_numbers: list[str] | None,
    label: str = "",
    outcome_weight: float = 0.0,
    lookahead: bool = False,
) -> MatchingRound:
    """Create a matching round with its inputs ("opprett utsøkingsrunde"), not yet run: the
    settlement authority only (IMDi, or a running pilot's county governor); a regional office's round
    covers only the municipalities where it acts (its region outside running county-governor pilots),
    a county governor's only its county's. ``user`` None is the system (the command line, the demo).
    ``outcome_weight`` > 0 adds the predicted employment term and the rule "no group worse off";
    ``lookahead`` charges capacity potentials (matching-v2.md). Audited."""
    powers = settlement_powers(user) if user is not None else None
    if powers is not None and not powers.any:
        raise PermissionDenied(
            _(
                "Bare bosettingsmyndigheten (IMDi, eller fylkesmannen i et forsøksfylke) kan kjøre utsøkingsrunder."
            )
        )
    if solver not in ("optimal", "greedy"):
        raise ValidationError(_("Ukjent løser: %(s)s") % {"s": solver})
    if not time_limit or time_limit <= 0 or time_limit > 600:
        raise ValidationError(_("Tidsgrensen må være mellom 0 og 600 sekunder."))
    if not 0 <= outcome_weight <= MAX_OUTCOME_WEIGHT:
        raise ValidationError(
            _("Vekten for forventet arbeid må være mellom 0 og %(m)s.") % {"m": MAX_OUTCOME_WEIGHT}
        )
    numbers = sorted(set(municipality_numbers)) if municipality_numbers else []
    if powers is not None and powers.area is not None:
        outside = [n for n in numbers if not powers.acts_in(n)]
        if outside:
            raise PermissionDenied(
                _("Kommuner utenfor området der du har bosettingsmyndighet: %(n)s")
                % {"n": ", ".join(outside)}
            )
        numbers = numbers or sorted(powers.area)
    rnd = MatchingRound.objects.create(
        label=label,
        as_of=as_of,
        created_by=_user_or_none(user),
        solver=solver,
        time_limit_seconds=float(time_limit),
        scope_municipalities=numbers,
        outcome_weight=float(outcome_weight),
        lookahead=bool(lookahead),
    )
    do_record(
        user,
        "create",
        rnd,
        after={
            "as_of": as_of,
            "solver": solver,
            "time_limit_seconds": time_limit,
            "scope_municipalities": numbers,
            "outcome_weight": outcome_weight,
            "lookahead": lookahead,
        },
    )
    return rnd


def do_start_round(
    user,
    *,
    as_of: date,
    solver: str = "optimal",
    time_limit: float = 30.0,
    municipality_numbers: list[str] | None = None,
    outcome_weight: float = 0.0,
    lookahead: bool = False,
) -> MatchingRound:
    """Start a matching round ("start utsøkingsrunde") as a background task.

    An IMDi regional officer's round covers only its region's municipalities (asking for others is
    refused); IMDi national may limit a round to some municipalities or run the whole country.
    The job is enqueued in the transaction that creates the round, so both are stored or neither;
    the job's id is kept on the round (``task_id``). A user with ``BOSETTING_MAX_JOBS_PER_USER``
    rounds queued or running, or a service with ``BOSETTING_MAX_PENDING_JOBS`` jobs waiting, is
    refused (``Throttled``).
    """
    with transaction.atomic():
        if user is not None:
            check_job_room(
                MatchingRound.objects.filter(
                    created_by=user, status__in=[RoundStatus.QUEUED, RoundStatus.RUNNING]
                ).count()
            )
        rnd = do_create_round(
            user,
            as_of,
            solver,
            time_limit,
            municipality_numbers,
            outcome_weight=outcome_weight,
            lookahead=lookahead,
        )
        job = run_round_task.enqueue(rnd.pk)
        MatchingRound.objects.filter(pk=rnd.pk).update(task_id=str(job.id))
    rnd.refresh_from_db()
    return rnd


def do_run_round(round_id: int) -> MatchingRound:
    """Run a stored round now, in this process (the command line's foreground mode and the demo's
    main job), and return it as it ended (``done`` or ``failed`` with its error)."""
    run_round(round_id)
    return MatchingRound.objects.get(pk=round_id)


# --- the proposals' records (called by the lifecycle, which moves the cases) ------------------------


def locked_round(round_id: int) -> MatchingRound:
    """The round, locked for the rest of the transaction."""
    return MatchingRound.objects.select_for_update().get(pk=round_id)


def drafts_of(rnd: MatchingRound) -> list[Proposal]:
    """A round's draft proposals, best score first, with their units, municipalities and households
    (the notices of the sent ones name both)."""
    return list(
        Proposal.objects.filter(round=rnd, status=ProposalStatus.DRAFT)
        .select_related("unit", "municipality", "household")
        .order_by("-score", "pk")
    )


def mark_sent(
    user, rnd: MatchingRound, sent: list[Proposal], withdrawn: list[Proposal], on: date
) -> None:
    """Record a round as sent: ``sent`` proposals went to their municipalities on ``on``; the drafts in
    ``withdrawn`` were not sent (the household or the flat was no longer free). Each municipality's
    officers are notified of each proposal it received."""
    sent_audits, withdrawn_audits = [], []
    for proposal in sent:
        before = snapshot(proposal)
        proposal.status = ProposalStatus.SENT
        proposal.sent_on = on
        sent_audits.append((proposal, before, snapshot(proposal)))
    for proposal in withdrawn:
        before = snapshot(proposal)
        proposal.status = ProposalStatus.WITHDRAWN
        withdrawn_audits.append((proposal, before, snapshot(proposal)))
    Proposal.objects.bulk_update([*sent, *withdrawn], ["status", "sent_on"], batch_size=500)
    do_record_many(user, "send", sent_audits)
    do_record_many(
        user,
        "withdraw",
        withdrawn_audits,
        note=_("Husholdningen eller boligen er ikke lenger ledig."),
    )
    before = snapshot(rnd)
    rnd.status = MatchingRound.Status.SENT
    rnd.save()
    do_record(user, "send", rnd, before, snapshot(rnd), note=str(len(sent)))
    do_notify(proposals_received(sent))


def locked_sent_proposal(user, proposal_id: int) -> Proposal:
    """A proposal waiting for an answer that ``user`` may answer, locked.

    Raises:
        PermissionDenied: not sent to the user's municipality (nor IMDi).
        ValidationError: already answered or withdrawn.
    """
    proposal = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("municipality", "unit", "household")
        .get(pk=proposal_id)
    )
    if not may_answer(user, proposal):
        raise PermissionDenied(_("Forslaget er ikke sendt til din kommune."))
    if proposal.status != ProposalStatus.SENT:
        raise ValidationError(
            _("Forslaget er allerede besvart (status «%(s)s»).")
            % {"s": proposal.get_status_display()}
        )
    return proposal


def mark_answered(
    user, proposal: Proposal, *, accepted: bool, on: date, reason: str = "", text: str = ""
) -> Proposal:
    """Record the municipality's answer on a (locked, sent) proposal."""
    before = snapshot(proposal)
    proposal.status = ProposalStatus.ACCEPTED if accepted else ProposalStatus.DECLINED
    proposal.decided_on = on
    proposal.decline_reason = "" if accepted else reason
    proposal.decline_text = "" if accepted else text
    proposal.save()
    do_record(
        user, "accept" if accepted else "decline", proposal, before, snapshot(proposal), note=text
    )
    return proposal


def withdraw_open(user, household_id: int, note: str = "") -> int:
    """Withdraw the household's sent or accepted proposals (the case went back to the queue)."""
    rows = list(
        Proposal.objects.select_for_update(of=("self",)).filter(
            household_id=household_id, status__in=[ProposalStatus.SENT, ProposalStatus.ACCEPTED]
        )
    )
    audits = []
    for proposal in rows:
        before = snapshot(proposal)
        proposal.status = ProposalStatus.WITHDRAWN
        audits.append((proposal, before, snapshot(proposal)))
    Proposal.objects.bulk_update(rows, ["status"], batch_size=500)
    do_record_many(user, "withdraw", audits, note=note)
    return len(rows)


# --- the notice of a proposal as a letter --------------------------------------------------------------


@transaction.atomic
def do_make_proposal_letter(user, proposal_id: int):
    """Make the notice to a municipality of a proposal as PDF ("forespørsel om bosetting") from the
    proposal as it stands, and archive it on the proposal (``letters``). For IMDi within its scope
    and the municipality the proposal was sent to; never of a draft.

    Raises:
        Proposal.DoesNotExist: not a proposal the user may see (a draft, another municipality's).
        PermissionDenied: the user's role sees no proposals.
    """
    if user is not None and not scope_for(user).personal_data:
        raise PermissionDenied(_("Rollen din gir ikke tilgang til forslag."))
    visible = Proposal.objects.all() if user is None else proposals_for(user)
    # Only the id through the scoped query: the round's engine instance is never read.
    pk = (
        visible.exclude(status=ProposalStatus.DRAFT)
        .filter(pk=proposal_id)
        .values_list("pk", flat=True)
        .first()
    )
    proposal = Proposal.objects.select_related("household", "municipality__county", "unit").get(
        pk=pk if pk is not None else -1
    )
    title, context, office = proposal_letter(proposal)
    return do_make_letter(
        user,
        kind=LetterKind.PROPOSAL,
        obj=proposal,
        title=title,
        municipality=proposal.municipality,
        office=office,
        context=context,
    )


# --- the demo's main job ----------------------------------------------------------------------------


def do_demo_round(console=None) -> dict:
    """Run the demo's matching round once (IMDi national, as of 5 January 2015), synchronously.

    Idempotent: when the demo round exists already, its figures are returned and nothing is run.
    Returns households/persons proposed, municipalities, objective, upper bound, gap and seconds.
    """
    rnd = MatchingRound.objects.filter(label=DEMO_LABEL).first()
    if rnd is None or rnd.status == MatchingRound.Status.FAILED:
        user = get_user_model().objects.filter(username="imdi.nasjonal").first()
        if rnd is None:
            rnd = do_create_round(user, DEMO_AS_OF, "optimal", DEMO_TIME_LIMIT, None, DEMO_LABEL)
        if console is not None:
            with console.status("Utsøkingsrunde (hovedjobb) …"):
                run_round(rnd.pk)
        else:
            run_round(rnd.pk)
        rnd.refresh_from_db()
    if rnd.status == MatchingRound.Status.FAILED:
        raise RuntimeError(f"demo round failed: {rnd.error}")
    s = rnd.summary or {}
    figures = {
        "runde": rnd.pk,
        "husholdninger foreslått": s.get("households_placed", 0),
        "personer foreslått": s.get("persons_placed", 0),
        "kommuner": s.get("municipalities_proposed", 0),
        "husholdninger i kø": s.get("households_in", 0),
        "ledige boliger": s.get("units_in", 0),
        "målverdi": round(s.get("objective") or 0.0, 2),
        "øvre grense": None if s.get("upper_bound") is None else round(s["upper_bound"], 2),
        "gap": None if s.get("gap") is None else round(s["gap"], 6),
        "sekunder": round(s.get("total_seconds") or s.get("seconds") or 0.0, 2),
    }
    return figures


# --- retention ---


@transaction.atomic
def do_anonymise_proposals(household_ids: list[int]) -> int:
    """Empty the free text of declines and the explanations (which name the household) of the
    proposals of anonymised households; reasons, scores and dates stay for the reports."""
    return Proposal.objects.filter(household_id__in=household_ids).update(
        decline_text="", explanation={}
    )
