"""Prepare a case in the demo world for a browser test, through the lifecycle's services (run by
``conftest.run_in_demo`` in a subprocess on the demo server's database).

    python -m tests.e2e.prepare preparing 0301   # prints the id of a case in preparation in Oslo
    python -m tests.e2e.prepare sent 0301        # a round for Oslo sent: prints its proposals' count
    python -m tests.e2e.prepare self_settlements 1102 1103   # pending offers; prints the nearest
"""

from __future__ import annotations

import sys


def preparing(number: str) -> int:
    """A household proposed to ``number`` by a one-municipality round, accepted there and agreed:
    its preparation checklist is open. Returns the case id."""
    from django.contrib.auth import get_user_model

    from bosetting import clock
    from bosetting.apps.lifecycle.services import do_accept_proposal, do_event, do_send_round
    from bosetting.apps.matching.selectors import incoming_for
    from bosetting.apps.matching.services import do_create_round, do_run_round
    from bosetting.engine.lifecycle import Event

    users = get_user_model().objects
    imdi, municipal = users.get(username="imdi.nasjonal"), users.get(username=f"kommune.{number}")
    rnd = do_create_round(imdi, clock.today(), "greedy", 10.0, [number])
    rnd = do_run_round(rnd.pk)
    assert rnd.status == "done", rnd.error
    do_send_round(imdi, rnd.pk)
    proposal = incoming_for(municipal).first()
    do_accept_proposal(municipal, proposal.pk)
    do_event(municipal, proposal.household_id, Event.MAKE_AGREEMENT)
    return proposal.household_id


def sent(number: str) -> int:
    """A one-municipality round for ``number``, run and sent: the municipality has proposals to answer.
    Returns how many were sent."""
    from django.contrib.auth import get_user_model

    from bosetting import clock
    from bosetting.apps.lifecycle.services import do_send_round
    from bosetting.apps.matching.services import do_create_round, do_run_round

    imdi = get_user_model().objects.get(username="imdi.nasjonal")
    rnd = do_create_round(imdi, clock.today(), "greedy", 10.0, [number])
    rnd = do_run_round(rnd.pk)
    assert rnd.status == "done", rnd.error
    return do_send_round(imdi, rnd.pk)


def self_settlements(*numbers: str) -> str:
    """One self-found home per municipality in ``numbers`` reported by IMDi national for a
    settlement-ready household, the landlord's offers lapsing in 9, 5, 1… days (the last one
    nearest). Returns the reference of the household whose offer lapses first."""
    from datetime import timedelta

    from django.contrib.auth import get_user_model

    from bosetting import clock
    from bosetting.apps.cases.choices import CaseStatus
    from bosetting.apps.cases.selectors import cases_for
    from bosetting.apps.lifecycle.services import do_submit_self_settlement

    imdi = get_user_model().objects.get(username="imdi.nasjonal")
    ready = cases_for(imdi).filter(status=CaseStatus.READY).order_by("-permit_date")
    households = list(ready[: len(numbers)])
    nearest = ""
    for i, (number, household) in enumerate(zip(numbers, households, strict=True)):
        days = 1 + 4 * (len(numbers) - 1 - i)
        do_submit_self_settlement(
            imdi, household, number, clock.today() + timedelta(days=days), 8500, ""
        )
        nearest = household.reference
    return nearest


def main(argv: list[str]) -> None:
    import django

    django.setup()
    if argv[0] == "preparing":
        print(preparing(argv[1]))
    elif argv[0] == "sent":
        print(sent(argv[1]))
    elif argv[0] == "self_settlements":
        print(self_settlements(*argv[1:]))
    else:
        raise SystemExit(f"unknown step: {argv[0]}")


if __name__ == "__main__":
    main(sys.argv[1:])
