"""Registering council decisions and requests: who may, what is validated, what is audited."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bosetting.apps.audit.models import AuditEntry
from bosetting.apps.audit.versioning import ConcurrentEdit
from bosetting.apps.planning.models import CouncilDecision, SettlementRequest
from bosetting.apps.planning.services import (
    AlreadyExists,
    do_register_decision,
    do_register_request,
    do_update_decision,
)
from bosetting.engine.rules.kpi import classify_decision

pytestmark = pytest.mark.django_db


def _decisions(number: str) -> list[tuple[int, int]]:
    return list(
        CouncilDecision.objects.filter(municipality__number=number, year__range=(2015, 2020))
        .order_by("year")
        .values_list("year", "persons")
    )


def test_municipal_officer_registers_a_decision_for_its_own_municipality(municipal_officer):
    rows = do_register_decision(
        municipal_officer, municipality_number="1201", year=2016, persons=300
    )
    assert [(r.year, r.persons, r.provenance) for r in rows] == [(2016, 300, "entered")]
    entry = AuditEntry.objects.get(
        object_type="planning.councildecision", object_id=str(rows[0].pk)
    )
    assert entry.action == "create" and entry.username == "municipal_officer"
    assert entry.after["persons"] == 300


def test_it_refuses_another_municipality(municipal_officer):
    with pytest.raises(PermissionDenied):
        do_register_decision(municipal_officer, municipality_number="0301", year=2016, persons=5)
    assert _decisions("0301") == []


@pytest.mark.parametrize("persona", ["husbanken_advisor", "county_governor", "analyst"])
def test_roles_without_the_duty_cannot_register_decisions(reference_db, persona, request):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        do_register_decision(user, municipality_number="1201", year=2016, persons=5)


def test_regional_imdi_registers_inside_its_region_only(imdi_regional_officer):
    do_register_decision(imdi_regional_officer, municipality_number="1201", year=2016, persons=10)
    with pytest.raises(PermissionDenied):
        do_register_decision(
            imdi_regional_officer, municipality_number="0301", year=2016, persons=10
        )


def test_a_three_year_decision_writes_one_row_per_year(imdi_officer):
    rows = do_register_decision(
        imdi_officer, municipality_number="1201", year=2016, persons=350, period_years=3
    )
    assert _decisions("1201") == [(2016, 350), (2017, 350), (2018, 350)]
    assert {(r.period_start, r.period_years) for r in rows} == {(2016, 3)}
    assert AuditEntry.objects.filter(object_type="planning.councildecision").count() == 3


def test_registering_again_is_refused_naming_the_existing_decision(imdi_officer):
    do_register_decision(imdi_officer, municipality_number="1201", year=2016, persons=300)
    with pytest.raises(AlreadyExists, match="300 personer"):
        do_register_decision(imdi_officer, municipality_number="1201", year=2016, persons=320)
    assert _decisions("1201") == [(2016, 300)]
    assert AuditEntry.objects.filter(object_type="planning.councildecision").count() == 1


def test_replacing_on_confirmation_audits_only_the_change(imdi_officer):
    do_register_decision(imdi_officer, municipality_number="1201", year=2016, persons=300)
    do_register_decision(
        imdi_officer, municipality_number="1201", year=2016, persons=300, replace=True
    )
    assert AuditEntry.objects.filter(object_type="planning.councildecision").count() == 1
    do_register_decision(
        imdi_officer, municipality_number="1201", year=2016, persons=320, replace=True
    )
    update = AuditEntry.objects.filter(action="update").get()
    assert update.before == {"persons": 300} and update.after == {"persons": 320}
    assert _decisions("1201") == [(2016, 320)]


def test_a_three_year_decision_over_an_existing_year_changes_nothing(imdi_officer):
    do_register_decision(imdi_officer, municipality_number="1201", year=2015, persons=120)
    with pytest.raises(AlreadyExists) as exc:
        do_register_decision(
            imdi_officer, municipality_number="1201", year=2015, persons=90, period_years=3
        )
    assert "2015" in str(exc.value) and "120 personer" in str(exc.value)
    assert _decisions("1201") == [(2015, 120)]


def test_an_edit_of_a_decision_changed_meanwhile_is_refused(imdi_officer, municipal_officer):
    [decision] = do_register_decision(
        imdi_officer, municipality_number="1201", year=2016, persons=300
    )
    read = decision.version
    do_update_decision(municipal_officer, decision.pk, persons=310, expected_version=read)
    with pytest.raises(ConcurrentEdit, match="municipal_officer"):
        do_update_decision(imdi_officer, decision.pk, persons=290, expected_version=read)
    assert _decisions("1201") == [(2016, 310)]


def test_more_minors_than_persons_is_refused_naming_the_field(imdi_officer):
    with pytest.raises(ValidationError) as exc:
        do_register_decision(
            imdi_officer, municipality_number="1201", year=2016, persons=5, uam_persons=6
        )
    assert "uam_persons" in exc.value.message_dict
    assert _decisions("1201") == []


def test_unknown_municipality_and_bad_period_are_field_errors(imdi_officer):
    with pytest.raises(ValidationError) as exc:
        do_register_decision(imdi_officer, municipality_number="9998", year=2016, persons=5)
    assert "municipality_number" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        do_register_decision(
            imdi_officer, municipality_number="1201", year=2016, persons=5, period_years=2
        )
    assert "period_years" in exc.value.message_dict


def test_imdis_published_figures_are_not_overwritten(imdi_officer):
    real = CouncilDecision.objects.get(
        municipality__number="1201", municipality__structure_year=2014, year=2014
    )
    with pytest.raises(ValidationError) as exc:
        do_register_decision(imdi_officer, municipality_number="1201", year=2014, persons=1)
    assert "year" in exc.value.message_dict
    real.refresh_from_db()
    assert real.persons != 1 and real.provenance == "real"


def test_editing_one_year_keeps_the_period(municipal_officer, other_municipal_officer):
    rows = do_register_decision(
        municipal_officer, municipality_number="1201", year=2016, persons=350, period_years=3
    )
    changed = do_update_decision(municipal_officer, rows[1].pk, persons=300, note="Revidert")
    assert (changed.persons, changed.period_start, changed.period_years) == (300, 2016, 3)
    assert _decisions("1201") == [(2016, 350), (2017, 300), (2018, 350)]
    with pytest.raises(PermissionDenied):
        do_update_decision(other_municipal_officer, rows[1].pk, persons=1)


def test_only_imdi_registers_requests(imdi_officer, municipal_officer):
    rows = do_register_request(
        imdi_officer, municipality_number="1201", year=2016, persons=400, period_years=3
    )
    assert len(rows) == 3
    assert (
        SettlementRequest.objects.filter(
            municipality__number="1201", year__range=(2015, 2020)
        ).count()
        == 3
    )
    assert AuditEntry.objects.filter(object_type="planning.settlementrequest").count() == 3
    with pytest.raises(PermissionDenied):
        do_register_request(municipal_officer, municipality_number="1201", year=2019, persons=4)


@pytest.mark.parametrize(
    ("requested", "decided", "expected"),
    [(10, 10, "in_line"), (10, 4, "fewer"), (10, 0, "none"), (10, None, "no_decision")],
)
def test_table_2_4_classes(requested, decided, expected):
    assert classify_decision(requested, decided) == expected
