"""Retention (security finding 14): personal data of cases settled longer ago than the retention
period is anonymised — the figures stay, so the report's tables count them as before; a dry run says
what would go and changes nothing; the run is audited."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from tests.apps.cases.world import make_household
from typer.testing import CliRunner

from bosetting.apps.audit.models import AuditEntry
from bosetting.apps.audit.services import do_record, snapshot
from bosetting.apps.cases.choices import CaseStatus
from bosetting.apps.cases.models import Household
from bosetting.apps.lifecycle import services
from bosetting.cli import app

pytestmark = pytest.mark.django_db


def _settled(settled_on: date, **kw) -> Household:
    h = make_household(
        CaseStatus.SETTLED,
        ages=(40, 12),
        municipality="1201",
        health_note="Hjertesykdom (test)",
        ties=["0301"],
        needs=["health_high"],
        **kw,
    )
    h.settled_on = settled_on
    h.save()
    return h


@pytest.fixture
def cases(reference_db, imdi_officer):
    old = _settled(date(2008, 5, 1))
    before = snapshot(old)
    old.health_note = "Hjertesykdom, oppdatert (test)"
    old.save()
    do_record(imdi_officer, "update", old, before, snapshot(old))
    recent = _settled(date(2013, 5, 1))
    return old, recent


def test_a_dry_run_names_what_would_go_and_changes_nothing(cases):
    old, recent = cases
    report = services.do_apply_retention(None, years=5, dry_run=True)
    assert report.households == 1 and report.persons == 2 and report.references == [old.reference]
    old.refresh_from_db()
    assert old.health_note and old.anonymised_on is None


def test_old_cases_are_anonymised_and_recent_ones_kept(cases, business_day):
    old, recent = cases
    report = services.do_apply_retention(None, years=5)
    assert report.households == 1 and report.audit_entries >= 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.reference == f"ANON-{old.pk}" and old.anonymised_on == business_day
    assert (old.health_note, old.needs, old.ties) == ("", [], [])
    assert old.persons.count() == 2 and old.settled_on == date(2008, 5, 1)
    assert recent.health_note and recent.anonymised_on is None
    change = AuditEntry.objects.get(object_id=str(old.pk), action="update")
    assert change.before["health_note"] == "[anonymisert]"
    assert "Hjertesykdom" not in str(change.after)
    assert AuditEntry.objects.filter(object_id=str(old.pk), action="anonymise").count() == 1
    # A second run finds nothing more to do.
    assert services.do_apply_retention(None, years=5).households == 0


def _tables() -> str:
    result = CliRunner().invoke(
        app, ["report", "tables", "--from", "2008", "--to", "2014", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_the_report_tables_count_anonymised_cases_as_before(cases):
    before = _tables()
    assert json.loads(before)["table_2_1"]["2008"]["settled"] == 2
    services.do_apply_retention(None, years=5)
    assert _tables() == before


def test_only_imdi_national_may_run_it(cases, municipal_officer, imdi_officer):
    with pytest.raises(PermissionDenied):
        services.do_apply_retention(municipal_officer, years=5)
    assert services.do_apply_retention(imdi_officer, years=5, dry_run=True).households == 1
