"""Benchmark of notices and letters on the demo world (seed 2014) in SQLite.

- the deadline scan (``bosetting notify``) on the demo world: its first run raises the notices of
  every lease ending within 60 days, its second finds them all raised (target: under 5 s each);
- sending a round of 500 proposals: the notices to the municipalities (``do_notify``);
- one letter of each kind from live data, rendered to PDF (target: under 1 s each).

A temporary SQLite database is built (migrate, reference data, the demo world and its users).
Prints figures; asserts nothing.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time

REPEATS = 5


def _setup(var_dir: str) -> None:
    os.environ["BOSETTING_VAR_DIR"] = var_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bosetting.web.settings"
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from bosetting.bootstrap import load_reference
    from bosetting.demo.users import create_demo_users
    from bosetting.demo.world import build_demo_world

    load_reference()
    build_demo_world(2014)
    create_demo_users()


def _seconds(fn, repeats: int = REPEATS) -> tuple[float, object]:
    times, value = [], None
    for _ in range(repeats):
        began = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - began)
    return statistics.median(times), value


def main() -> None:
    with tempfile.TemporaryDirectory() as var_dir:
        began = time.perf_counter()
        _setup(var_dir)
        print(f"demo world built in {time.perf_counter() - began:.1f} s")

        from bosetting import clock
        from bosetting.apps.notifications.models import Notification
        from bosetting.apps.notifications.registry import Audience, Notice
        from bosetting.apps.notifications.services import do_notify, do_send_due_notices

        today = clock.today()
        began = time.perf_counter()
        first = do_send_due_notices(today)
        print(
            f"deadline scan, first run: {time.perf_counter() - began:.2f} s, "
            f"{first.found} deadlines, {sum(first.created.values())} notices to the demo users "
            f"{ {str(k): n for k, n in first.created.items()} }, {first.emails} e-mails "
            "(target < 5 s)"
        )
        seconds, again = _seconds(lambda: do_send_due_notices(today))
        print(
            f"deadline scan, again: {seconds:.2f} s median, "
            f"{sum(again.created.values())} new notices (target < 5 s)"
        )

        notices = [
            Notice(
                kind="proposal_received",
                key=f"bench:{i}",
                audience=Audience(municipal="1201" if i % 2 else "0301"),
                params={
                    "reference": f"B-{i}",
                    "persons": 3,
                    "municipality": "Bergen",
                    "due": "2015-01-19",
                },
                url="/saker/",
            )
            for i in range(500)
        ]
        began = time.perf_counter()
        created = do_notify(notices)
        print(
            f"500 proposals sent: {time.perf_counter() - began:.2f} s for "
            f"{sum(created.values())} notices and their e-mails"
        )
        print(f"notices stored: {Notification.objects.count()}")

        from bosetting.apps.cases.models import Household
        from bosetting.apps.lifecycle.services import do_make_agreement_letter
        from bosetting.apps.matching.models import Proposal
        from bosetting.apps.planning.models import SettlementRequest
        from bosetting.apps.planning.services import do_make_request_letter

        req = SettlementRequest.objects.filter(municipality__number="1201", year=2015).first()
        seconds, letter = _seconds(lambda: do_make_request_letter(None, req.pk))
        print(
            f"request letter (Bergen 2015): {seconds:.2f} s median, {letter.pages} page(s), "
            f"{letter.size_bytes / 1024:.0f} KiB (target < 1 s)"
        )
        settled = Household.objects.filter(
            agreement_on__isnull=False, municipality__number="1201"
        ).first()
        seconds, letter = _seconds(lambda: do_make_agreement_letter(None, settled.pk))
        print(
            f"settlement agreement: {seconds:.2f} s median, {letter.pages} page(s), "
            f"{letter.size_bytes / 1024:.0f} KiB (target < 1 s)"
        )
        from bosetting.apps.housing.models import HousingUnit
        from bosetting.apps.matching.models import MatchingRound
        from bosetting.apps.matching.services import do_make_proposal_letter

        # A proposal of a demo household and a demo flat in Bergen, as if a round had sent it.
        ready = Household.objects.filter(status="ready").first()
        unit = HousingUnit.objects.filter(municipality__number="1201").first()
        rnd = MatchingRound.objects.create(as_of=today, status=MatchingRound.Status.SENT)
        proposal = Proposal.objects.create(
            round=rnd,
            household=ready,
            municipality=unit.municipality,
            unit=unit,
            score=1.0,
            status=Proposal.Status.SENT,
            sent_on=today,
        )
        seconds, letter = _seconds(lambda: do_make_proposal_letter(None, proposal.pk))
        print(
            f"proposal notice: {seconds:.2f} s median, {letter.pages} page(s), "
            f"{letter.size_bytes / 1024:.0f} KiB (target < 1 s)"
        )


if __name__ == "__main__":
    main()
