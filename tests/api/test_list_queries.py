"""Every list endpoint reads its page in a fixed number of queries, however many rows it holds (no
N+1), never loads a round's engine instance, and answers at most 500 rows (a larger ``limit`` is 422).

Each case grows its rows from 2 to 20 and asks as an IMDi national officer: the queries must be the
same number both times.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from itertools import count

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bosetting.apps.coordination.models import (
    Agreement,
    CoordinationAssessment,
    CoordinationEvent,
    LadderAssessment,
    OfficePair,
    Programme,
    ProgrammeMembership,
    WheelItem,
)
from bosetting.apps.finance.models import HouseholdEconomy
from bosetting.apps.geo.models import County, Municipality, RegionalCoverage, RegionalOffice
from bosetting.apps.housing.models import Lease
from bosetting.apps.knowledge.models import PracticeExample
from bosetting.apps.matching.models import MatchingRound
from bosetting.apps.planning.models import CouncilDecision
from bosetting.apps.simulation.models import SimulationRun

from .world import make_case, make_sent_proposal, make_unit, muni

pytestmark = pytest.mark.django_db

_serial = count(1)
BIG_INSTANCE = {"households": [{"id": f"h{i}", "size": 3} for i in range(2000)], "units": []}


def _n() -> int:
    return next(_serial)


def grow_cases(n: int) -> None:
    for _ in range(n):
        make_case(municipality="1201")


def grow_proposals(n: int) -> None:
    for _ in range(n):
        proposal = make_sent_proposal("1201")
        MatchingRound.objects.filter(pk=proposal.round_id).update(instance=BIG_INSTANCE)


def grow_decisions(n: int) -> None:
    numbers = list(
        Municipality.objects.filter(structure_year=2014)
        .order_by("number")
        .values_list("pk", flat=True)[:40]
    )
    existing = CouncilDecision.objects.filter(year=2031).count()
    for pk in numbers[existing : existing + n]:
        CouncilDecision.objects.create(
            municipality_id=pk, year=2031, persons=10, provenance="entered"
        )


def grow_units(n: int) -> None:
    for _ in range(n):
        make_unit("1201")


def grow_leases(n: int) -> None:
    for _ in range(n):
        unit = make_unit("1201")
        household = make_case("settled", municipality="1201")
        Lease.objects.create(
            unit=unit, household=household, start=date(2014, 1, 1), end=date(2015, 3, 1)
        )
        HouseholdEconomy.objects.create(household=household, has_work_income=True)


def grow_rounds(n: int) -> None:
    for _ in range(n):
        proposal = make_sent_proposal("1201")
        MatchingRound.objects.filter(pk=proposal.round_id).update(
            instance=BIG_INSTANCE, summary={"households": 2000}
        )


def grow_simulations(n: int) -> None:
    SimulationRun.objects.bulk_create(
        SimulationRun(
            scenario="baseline",
            seed=i,
            runs=1,
            status="done",
            result={"years": {str(y): {"settled": {"mean": y}} for y in range(2000, 2100)}},
        )
        for i in range(n)
    )


def _example_municipalities() -> list[Municipality]:
    return list(Municipality.objects.filter(structure_year=2014).order_by("number")[50:90])


def grow_examples(n: int) -> None:
    used = PracticeExample.objects.filter(slug__startswith="q-").count()
    for municipality in _example_municipalities()[used : used + n]:
        PracticeExample.objects.create(
            municipality=municipality,
            slug=f"q-{_n()}",
            title="Eksempel",
            problem="Problem",
            solution="Løsning",
            source="test",
        )


def _offices(agency: str, n: int) -> list[RegionalOffice]:
    return [
        RegionalOffice.objects.create(
            agency=agency,
            code=f"q-{agency}-{_n()}",
            name="Kontor",
            city="By",
            part_of_country="øst",
        )
        for _ in range(n)
    ]


def grow_offices(n: int) -> None:
    _offices("imdi", n)


def grow_pairs(n: int) -> None:
    (hb,) = _offices("husbanken", 1)
    for imdi in _offices("imdi", n):
        pair = OfficePair.objects.create(region="øst", imdi_office=imdi, husbanken_office=hb)
        CoordinationAssessment.objects.create(
            pair=pair, form="informal_contact", present=True, as_of=date(2014, 1, 1), source="t"
        )
        LadderAssessment.objects.create(pair=pair, level=2, as_of=date(2014, 1, 1), source="t")


_county_numbers = iter(f"{a}{b}" for a in "QRSTUVWXYZ" for b in "0123456789")


def grow_counties(n: int) -> None:
    """New counties, each covered by its own IMDi office and one shared Husbanken office (so every
    new county is also an overlap)."""
    (hb,) = _offices("husbanken", 1)
    for imdi in _offices("imdi", n):
        county = County.objects.create(structure_year=2014, number=next(_county_numbers), name="Q")
        for office in (imdi, hb):
            RegionalCoverage.objects.create(
                office=office, county=county, valid_from=date(2000, 1, 1), source="t"
            )


def grow_programmes(n: int) -> None:
    office = RegionalOffice.objects.get(code="imdi-vest")
    for _ in range(n):
        programme = Programme.objects.create(
            office=office, kind="imdi_partnership", name="P", as_of=date(2014, 1, 1), source="t"
        )
        ProgrammeMembership.objects.create(
            programme=programme, municipality=muni("1201"), source="t"
        )


@pytest.fixture
def detail_pair(reference_db, db):
    imdi, hb = _offices("imdi", 1)[0], _offices("husbanken", 1)[0]
    return OfficePair.objects.create(region="øst", imdi_office=imdi, husbanken_office=hb)


@dataclass
class ListCase:
    name: str
    path: str
    grow: Callable[[int], None]
    blobs: tuple[str, ...] = ("instance",)
    """Columns the list must not read (large JSON or binary kept for the detail)."""


CASES = [
    ListCase("cases", "/api/cases?municipality=1201&limit=500", grow_cases),
    ListCase(
        "proposals",
        "/api/proposals?municipality=1201&limit=500",
        grow_proposals,
        ("instance", "summary"),
    ),
    ListCase("decisions", "/api/decisions?year=2031&limit=500", grow_decisions),
    ListCase("units", "/api/units?municipality=1201&limit=500", grow_units),
    ListCase("leases", "/api/leases?municipality=1201&limit=500", grow_leases),
    ListCase("matching rounds", "/api/matching-rounds", grow_rounds, ("instance", "summary")),
    ListCase("simulations", "/api/simulations", grow_simulations, ("result",)),
    ListCase("knowledge examples", "/api/knowledge/examples", grow_examples),
    ListCase("comparable examples", "/api/knowledge/comparable/1201?limit=100", grow_examples),
    ListCase("office pairs", "/api/coordination/pairs", grow_pairs),
    ListCase("programmes", "/api/coordination/programmes", grow_programmes),
    ListCase("regional offices", "/api/regions/offices", grow_offices),
    ListCase("counties", "/api/regions/counties?on=2014-12-31", grow_counties),
    ListCase("overlaps", "/api/regions/overlaps?on=2014-12-31", grow_counties),
    ListCase(
        "start-loan candidates",
        "/api/finance/start-loan-candidates?municipality=1201&as_of=2015-01-05"
        "&include_not_eligible=true",
        grow_leases,
    ),
]


def _queries(client, case: ListCase) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(case.path)
    assert response.status_code == 200, response.content
    for column in case.blobs:
        read = [q["sql"] for q in captured.captured_queries if f'"{column}"' in q["sql"]]
        assert not read, f"{case.name} reads {column}: {read}"
    body = response.json()
    rows = body["count"] if isinstance(body, dict) and "count" in body else len(body)
    return len(captured.captured_queries), rows


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_list_reads_in_the_same_queries_for_2_and_20_rows(api_as, imdi_officer, case):
    client = api_as("imdi_officer")
    case.grow(2)
    client.get(case.path)  # the first request of a token records its use
    few, rows_few = _queries(client, case)
    case.grow(18)
    many, rows_many = _queries(client, case)
    assert rows_many >= rows_few + 18, (rows_few, rows_many)
    assert many == few, f"{case.name}: {few} queries for 2 rows, {many} for 20"


def test_an_office_pair_reads_its_timeline_and_agreements_in_fixed_queries(
    api_as, imdi_officer, detail_pair
):
    client = api_as("imdi_officer")
    path = f"/api/coordination/pairs/{detail_pair.slug}"

    def grow(n):
        for _ in range(n):
            CoordinationEvent.objects.create(
                pair=detail_pair, kind="meeting", title="Møte", source="t"
            )
            agreement = Agreement.objects.create(
                pair=detail_pair, kind="cooperation", status="active", title="Avtale", source="t"
            )
            WheelItem.objects.create(agreement=agreement, title="Hjul", source="t")

    grow(2)
    client.get(path)  # the first request of a token records its use
    with CaptureQueriesContext(connection) as few:
        assert client.get(path).status_code == 200
    grow(18)
    with CaptureQueriesContext(connection) as many:
        body = client.get(path).json()
    assert len(body["timeline"]) == 20 and len(body["agreements"]) == 20
    assert len(many) == len(few)


@pytest.mark.parametrize(
    "path", ["/api/cases", "/api/proposals", "/api/decisions", "/api/units", "/api/leases"]
)
def test_a_page_holds_at_most_500_rows(api_as, imdi_officer, path):
    client = api_as("imdi_officer")
    assert client.get(f"{path}?limit=500").status_code == 200
    response = client.get(f"{path}?limit=501")
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["detail"]] == ["query.limit"]
    assert client.get(f"{path}?limit=100000").status_code == 422


def test_the_proposal_list_never_loads_the_round_instance(api_as, imdi_officer):
    grow_proposals(3)
    with CaptureQueriesContext(connection) as captured:
        response = api_as("imdi_officer").get("/api/proposals?limit=500")
    assert response.json()["count"] == 3
    assert not any("instance" in q["sql"] for q in captured.captured_queries)
    assert not any('"summary"' in q["sql"] for q in captured.captured_queries)


def test_the_round_list_leaves_out_instance_and_summary(api_as, imdi_officer):
    grow_rounds(2)
    response = api_as("imdi_officer").get("/api/matching-rounds")
    assert [r["proposals"] for r in response.json()] == [1, 1]
    assert all("summary" not in r for r in response.json())
    detail = api_as("imdi_officer").get(f"/api/matching-rounds/{response.json()[0]['id']}").json()
    assert detail["summary"] == {"households": 2000}
