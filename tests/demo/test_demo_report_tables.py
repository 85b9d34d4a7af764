"""On the demo world, Tables 2.3 and 2.4 agree with the requests and decisions in the database."""

from __future__ import annotations

import json

import pytest
from django.db.models import Sum
from typer.testing import CliRunner

from bosetting.cli import app

pytestmark = pytest.mark.django_db


def test_report_tables_json_matches_the_demo_requests_and_decisions(demo_world_db):
    from bosetting.apps.geo.models import Municipality
    from bosetting.apps.planning.models import CouncilDecision, SettlementRequest

    result = CliRunner().invoke(
        app, ["report", "tables", "--from", "2009", "--to", "2015", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    for year in (2014, 2015):
        requested = SettlementRequest.objects.filter(
            year=year, municipality__structure_year=2014
        ).aggregate(n=Sum("persons"))["n"]
        decided = CouncilDecision.objects.filter(
            year=year, municipality__structure_year=2014
        ).aggregate(n=Sum("persons"))["n"]
        assert data["table_2_3"][str(year)] == {"requested": requested, "decided": decided}
        row = data["table_2_4"][str(year)]
        assert row["in_line"] + row["fewer"] + row["none"] + row["no_decision"] == row["total"]
        assert row["total"] == Municipality.objects.filter(structure_year=2014).count() == 428
    # the demo world's settled households reproduce IMDi's settled counts for 2014
    assert data["table_2_1"]["2014"]["settled"] > 0
    # before the demo world's first case there is nothing to say, and no number is made up
    assert data["table_2_1"]["2009"]["settled"] is None
    assert data["table_2_2"]["2009"]["months_permit_to_settlement"] is None
