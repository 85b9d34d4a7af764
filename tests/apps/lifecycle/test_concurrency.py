"""Two households in one flat is impossible: 50 officers settling (or accepting) at the same moment,
each for a household that was promised the same flat, end with exactly one booking and a clear
refusal for everyone else — on SQLite (the service's check under the write lock) and on PostgreSQL
(row lock, and the exclusion constraint even if code forgets)."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from tests.apps.cases.world import make_household, make_unit

from bosetting.apps.cases.choices import CaseStatus
from bosetting.apps.cases.models import CaseChecklist
from bosetting.apps.housing.choices import BookingStatus
from bosetting.apps.housing.models import Lease
from bosetting.apps.lifecycle import services
from bosetting.apps.matching.models import MatchingRound, Proposal
from bosetting.errors import Conflict

# Real transactions in real threads. Only these apps' tables are emptied afterwards: the reference
# data the session loaded (geography, IMDi's figures) stays for the tests that follow.
pytestmark = [
    pytest.mark.usefixtures("reference_restored"),
    pytest.mark.django_db(
        transaction=True,
        available_apps=[
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django.contrib.sessions",
            "bosetting.apps.accounts",
            "bosetting.apps.audit",
            "bosetting.apps.cases",
            "bosetting.apps.housing",
            "bosetting.apps.matching",
            "bosetting.apps.finance",
            "bosetting.apps.lifecycle",
        ],
    ),
]
N = 50
SETTLED_ON = date(2015, 2, 2)


def _race(n: int, work) -> list[str]:
    """Run ``work(i)`` in ``n`` threads released at the same moment; each thread's outcome."""
    barrier = threading.Barrier(n)
    outcomes: list[str] = [""] * n

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=60)
            work(i)
            outcomes[i] = "ok"
        except (ValidationError, Conflict) as exc:
            outcomes[i] = " ".join(getattr(exc, "messages", [str(exc)]))
        except Exception as exc:  # noqa: BLE001 - any other failure is what the test looks for
            outcomes[i] = f"ERROR {type(exc).__name__}: {exc}"
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return outcomes


def _preparing_for(unit, n: int) -> list:
    """``n`` households in preparation, checklists complete, each told the same flat is theirs."""
    households = []
    for _ in range(n):
        h = make_household(CaseStatus.PREPARING, ages=(30,), municipality="1201")
        h.unit = unit
        h.save()
        CaseChecklist.objects.create(household=h, housing_unit=unit, intro_programme=True, gp=True)
        households.append(h)
    return households


def test_fifty_concurrent_settlements_into_one_flat_make_exactly_one_lease(
    municipal_officer,
):
    unit = make_unit("1201", max_occupants=4)
    households = _preparing_for(unit, N)
    outcomes = _race(N, lambda i: services.do_settle(municipal_officer, households[i], SETTLED_ON))
    assert [o for o in outcomes if o.startswith("ERROR")] == []
    assert outcomes.count("ok") == 1
    refusals = [o for o in outcomes if o != "ok"]
    assert len(refusals) == N - 1 and all("overlapper" in r for r in refusals)
    assert Lease.objects.filter(unit=unit).exclude(status=BookingStatus.RELEASED).count() == 1
    settled = [h for h in households if h.__class__.objects.get(pk=h.pk).status == "settled"]
    assert len(settled) == 1


def test_fifty_concurrent_acceptances_of_one_flat_reserve_it_once(municipal_officer):
    unit = make_unit("1201", max_occupants=4)
    rnd = MatchingRound.objects.create(as_of=date(2015, 1, 5), status=MatchingRound.Status.SENT)
    proposals = []
    for _ in range(N):
        h = make_household(CaseStatus.PROPOSED, ages=(30,), municipality="1201")
        proposals.append(
            Proposal.objects.create(
                round=rnd,
                household=h,
                municipality=h.municipality,
                unit=unit,
                score=1.0,
                status=Proposal.Status.SENT,
                sent_on=date(2015, 1, 5),
            )
        )
    outcomes = _race(N, lambda i: services.do_accept_proposal(municipal_officer, proposals[i].pk))
    assert [o for o in outcomes if o.startswith("ERROR")] == []
    assert outcomes.count("ok") == 1
    assert all("overlapper" in o for o in outcomes if o != "ok")
    assert Lease.objects.filter(unit=unit, status=BookingStatus.RESERVED).count() == 1
    assert Proposal.objects.filter(status=Proposal.Status.ACCEPTED).count() == 1
    assert Proposal.objects.filter(status=Proposal.Status.SENT).count() == N - 1


def test_the_database_refuses_an_overlapping_lease_even_if_code_forgets(reference_db):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no exclusion constraints: the service's check is the rule there")
    unit = make_unit("1201")
    Lease.objects.create(unit=unit, start=date(2015, 1, 1), end=date(2018, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Lease.objects.create(unit=unit, start=date(2016, 1, 1))
    Lease.objects.create(
        unit=unit, start=date(2016, 1, 1), status=BookingStatus.RELEASED
    )  # a released reservation does not occupy the flat
    Lease.objects.create(unit=unit, start=date(2018, 1, 1))  # back to back is fine
    assert Lease.objects.filter(unit=unit).count() == 3
