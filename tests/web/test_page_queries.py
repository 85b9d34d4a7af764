"""The main pages ask the database the same number of questions whatever the number of rows.

Each page is opened on a small hand-made world; the world is then made many times larger (more
cases in every state, proposals, flats and leases, self-settlements, decisions, events on the case
that is opened) and the page must not ask more (pytest-django's ``django_assert_max_num_queries``):
no query per row (N+1), whatever the user's role. A ceiling per page keeps the per-request work in
check too (the user's scope was once computed afresh by every selector: 50–120 queries a page).

No timings here: speed is measured by ``benchmarks/bench_load.py`` (docs/performance.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import count

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bosetting.apps.cases.choices import CaseStatus, HouseholdType, SelfSettlementStatus
from bosetting.apps.cases.models import CaseChecklist, CaseEvent, Household, Person, SelfSettlement
from bosetting.apps.geo.models import Municipality
from bosetting.apps.housing.choices import BookingStatus
from bosetting.apps.housing.models import HousingUnit, Lease
from bosetting.apps.matching.choices import ProposalStatus, RoundStatus
from bosetting.apps.matching.models import MatchingRound, Proposal
from bosetting.apps.planning.models import CouncilDecision, SettlementRequest

pytestmark = pytest.mark.django_db
S = CaseStatus
_serial = count(1)

#: The most queries any main page may ask (session, user and profile, the scope, the page's own
#: reads, the session's save): far above what the pages need, far below a query per row.
CEILING = 40
#: How many more rows of every kind the larger world has than the small one.
GROWTH = 12


def _muni(number: str) -> Municipality:
    return Municipality.objects.get(structure_year=2014, number=number)


@dataclass
class World:
    """A hand-made world in Bergen (1201, IMDi Vest), Oslo (0301) and the national queue, and the
    objects the pages open."""

    imdi: object
    bergen: Municipality = field(init=False)
    oslo: Municipality = field(init=False)
    ids: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.bergen, self.oslo = _muni("1201"), _muni("0301")
        self.round = MatchingRound.objects.create(
            as_of=date(2015, 1, 5), created_by=self.imdi, status=RoundStatus.DONE
        )
        self.case = self._household(S.PREPARING, self.bergen, ages=(40, 12, 3))
        CaseChecklist.objects.create(household=self.case, gp=True)
        self.unit = self._unit(self.bergen)
        self.ids = {"case": self.case.pk, "unit": self.unit.pk, "round": self.round.pk}
        self.grow(1)

    def _household(self, status, municipality=None, ages=(34, 6), settled_on=None):
        h = Household.objects.create(
            reference=f"Q-{next(_serial):05d}",
            household_type=HouseholdType.FAMILY_CHILDREN
            if any(a < 18 for a in ages)
            else HouseholdType.SINGLE,
            status=status,
            permit_date=date(2014, 3, 1) + timedelta(days=next(_serial) % 200),
            ready_on=date(2014, 7, 1),
            settled_on=settled_on,
            municipality=municipality,
        )
        Person.objects.bulk_create(
            [
                Person(household=h, birth_year=2015 - a, sex="f", is_principal=i == 0)
                for i, a in enumerate(ages)
            ]
        )
        return h

    def _unit(self, municipality) -> HousingUnit:
        n = next(_serial)
        return HousingUnit.objects.create(
            municipality=municipality,
            code=f"q-{municipality.number}-{n:05d}",
            kind="municipal",
            bedrooms=2,
            max_occupants=4,
            zone=f"{municipality.number}-{n % 3}",
            available_from=date(2015, 1, 1),
            rent_nok=9000,
        )

    def grow(self, n: int) -> None:
        """``n`` more rows of every kind."""
        for _ in range(n):
            self._household(S.READY)
            self._household(S.SETTLED, self.oslo, settled_on=date(2014, 5, 1))
            for number in (self.bergen, self.oslo):
                proposed = self._household(S.PROPOSED, number)
                Proposal.objects.create(
                    round=self.round,
                    household=proposed,
                    municipality=number,
                    unit=self._unit(number),
                    score=1.0,
                    explanation={"text_nb": "Test."},
                    status=ProposalStatus.SENT,
                    sent_on=date(2015, 1, 5),
                )
            draft = self._household(S.READY)
            Proposal.objects.create(
                round=self.round,
                household=draft,
                municipality=self.bergen,
                score=0.5,
                explanation={"text_nb": "Utkast."},
            )
            preparing = self._household(S.PREPARING, self.bergen, ages=(30, 8))
            CaseChecklist.objects.create(household=preparing, school=True)
            settled = self._household(S.SETTLED, self.bergen, settled_on=date(2014, 9, 1))
            unit = self._unit(self.bergen)
            Lease.objects.create(
                unit=unit,
                household=settled,
                status=BookingStatus.CONTRACT,
                start=date(2014, 9, 1),
                end=date(2017, 8, 31),
            )
            Lease.objects.create(
                unit=self.unit,
                status=BookingStatus.CONTRACT,
                start=date(2010, 1, 1) + timedelta(days=40 * next(_serial)),
                end=date(2010, 1, 1) + timedelta(days=40 * next(_serial) + 30),
            )
            pending = self._household(S.SELF_SETTLEMENT_PENDING, self.bergen)
            SelfSettlement.objects.create(
                household=pending,
                municipality=self.bergen,
                lease_offer_deadline=date(2015, 1, 20),
                rent_nok=8000,
                status=SelfSettlementStatus.PENDING,
                previous_status=S.READY,
            )
            CaseEvent.objects.create(
                household=self.case,
                from_status=S.ACCEPTED,
                to_status=S.PREPARING,
                event="make_agreement",
                on=date(2015, 1, 5),
                user=self.imdi,
                note="Test.",
            )
        # Decisions and requests for the next municipalities without one (the planning page).
        taken = set(
            CouncilDecision.objects.filter(year=2015).values_list("municipality", flat=True)
        )
        for m in Municipality.objects.filter(structure_year=2014).exclude(pk__in=taken)[:n]:
            CouncilDecision.objects.create(municipality=m, year=2015, persons=10)
            SettlementRequest.objects.create(municipality=m, year=2015, persons=12)


@pytest.fixture
def world(reference_db, imdi_officer) -> World:
    return World(imdi_officer)


#: (persona, page): every main page for the roles that use it.
PAGES = [
    ("imdi_officer", "/"),
    ("imdi_regional_officer", "/"),
    ("municipal_officer", "/"),
    ("husbanken_advisor", "/"),
    ("imdi_officer", "/saker/?status=open&over=mal&sort=-ventet"),
    ("imdi_officer", "/saker/"),
    ("imdi_officer", "/saker/?status=&side=2"),
    ("imdi_regional_officer", "/saker/"),
    ("imdi_regional_officer", "/saker/?status=open&kommune=1201"),
    ("municipal_officer", "/saker/"),
    ("husbanken_advisor", "/saker/"),
    ("analyst", "/saker/"),
    ("imdi_regional_officer", "/saker/{case}/"),
    ("municipal_officer", "/saker/{case}/"),
    ("imdi_officer", "/saker/{case}/"),
    ("imdi_officer", "/utsoking/"),
    ("imdi_regional_officer", "/utsoking/"),
    ("imdi_officer", "/utsoking/{round}/"),
    ("imdi_regional_officer", "/planlegging/"),
    ("municipal_officer", "/planlegging/"),
    ("analyst", "/planlegging/"),
    ("municipal_officer", "/boliger/"),
    ("husbanken_advisor", "/boliger/"),
    ("municipal_officer", "/boliger/?available=on"),
    ("municipal_officer", "/boliger/{unit}/"),
    ("husbanken_advisor", "/boliger/{unit}/"),
    ("husbanken_advisor", "/boliger/boliggap/"),
    ("husbanken_advisor", "/boliger/gjennomstromning/"),
    ("analyst", "/rapporter/"),
    ("imdi_regional_officer", "/rapporter/"),
    ("analyst", "/rapporter/tabeller/"),
]


@pytest.mark.parametrize("persona,page", PAGES)
def test_a_page_asks_no_more_queries_for_a_larger_world(
    client, request, world, django_assert_max_num_queries, persona, page
):
    client.force_login(request.getfixturevalue(persona))
    path = page.format(**world.ids)
    assert client.get(path).status_code == 200  # first use: nothing of it is measured
    with CaptureQueriesContext(connection) as small:
        small_page = client.get(path)
    assert small_page.status_code == 200
    assert len(small) <= CEILING, [q["sql"][:120] for q in small.captured_queries]

    world.grow(GROWTH)
    with django_assert_max_num_queries(len(small)):
        large_page = client.get(path)
    assert large_page.status_code == 200


def test_the_larger_world_is_on_the_pages(client, world, imdi_officer, municipal_officer):
    """The pages above do show the added rows (so the counts compare a small and a large page)."""
    client.force_login(municipal_officer)
    before = client.get("/saker/").content.decode().count('data-testid="proposal-row"')
    world.grow(3)
    after = client.get("/saker/").content.decode().count('data-testid="proposal-row"')
    assert after == before + 3
    client.force_login(imdi_officer)
    body = client.get(f"/saker/{world.case.pk}/").content.decode()
    assert body.count("Test.") >= 4
