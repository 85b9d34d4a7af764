"""Units are checked and written in bulk (``housing.services.prepare_units`` and
``do_save_prepared_units``) with the same rules and messages as one at a time (``prepare_unit``),
and every written unit is audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q

from bosetting.apps.audit.models import AuditEntry
from bosetting.apps.geo.models import Municipality
from bosetting.apps.housing.models import HousingUnit
from bosetting.apps.housing.services import (
    PreparedUnit,
    UnitRow,
    _condition_value,
    do_save_prepared_units,
    prepare_unit,
    prepare_units,
)
from bosetting.apps.imports.services import do_import

from .conftest import csv_bytes

pytestmark = pytest.mark.django_db

BASE = {
    "kind": "municipal",
    "bedrooms": 2,
    "max_occupants": 4,
    "beds": 1,
    "zone": "Sentrum",
    "accessible": False,
    "available_from": None,
    "rent_nok": 9000,
}


def _muni(number: str) -> Municipality:
    return Municipality.objects.get(structure_year=2014, number=number)


def _outcome(result):
    if isinstance(result, PreparedUnit):
        return ("ok", result.change)
    if isinstance(result, PermissionDenied):
        return ("denied", str(result))
    return ("invalid", sorted(result.message_dict.items()))


def _one_by_one(user, rows: list[UnitRow]):
    out = []
    for row in rows:
        try:
            out.append(
                prepare_unit(user, row.municipality, row.code, row.fields, defaults=row.defaults)
            )
        except (PermissionDenied, ValidationError) as exc:
            out.append(exc)
    return out


CASES = [
    ("NEW-1", "1201", {}),
    ("NEW-2", "1201", {"rent_nok": -5}),
    ("NEW-3", "1201", {"max_occupants": 0}),
    ("NEW-4", "1201", {"kind": "shared", "beds": 6, "max_occupants": 4}),
    ("NEW-5", "1201", {"kind": "castle"}),
    ("X" * 41, "1201", {}),
    ("NEW-6", "1201", {"zone": ""}),
    ("NEW-7", "1201", {"beds": 0}),
    ("OLD-1", "1201", {}),  # unchanged
    ("OLD-1B", "1201", {"rent_nok": 9999}),  # changed
    ("OLD-2", "0301", {}),  # would move from Bergen to Oslo
]


@pytest.fixture
def known_units(reference_db):
    for code in ("OLD-1", "OLD-1B", "OLD-2"):
        HousingUnit.objects.create(municipality=_muni("1201"), code=code, **BASE)


def _rows(cases) -> list[UnitRow]:
    return [
        UnitRow(_muni(number), code, dict(changes), defaults={**BASE, **changes})
        for code, number, changes in cases
    ]


def test_bulk_and_one_by_one_give_the_same_outcomes_and_messages(known_units, imdi_officer):
    rows = _rows(CASES)
    bulk = [_outcome(r) for r in prepare_units(imdi_officer, rows)]
    single = [_outcome(r) for r in _one_by_one(imdi_officer, rows)]
    assert bulk == single
    assert bulk[0] == ("ok", "create") and bulk[8] == ("ok", "unchanged")
    assert bulk[9] == ("ok", "update")
    assert "Husleien kan ikke være negativ." in dict(bulk[1][1])["rent_nok"]
    assert "En bolig må ha plass til minst én person." in dict(bulk[2][1])["max_occupants"]
    assert "beds" in dict(bulk[3][1]) and "kind" in dict(bulk[4][1]) and "code" in dict(bulk[5][1])
    assert "municipality" in dict(bulk[10][1])


def test_bulk_permission_is_decided_per_municipality(known_units, municipal_officer):
    # The municipal officer of the fixture works in Bergen (1201).
    rows = _rows([("NEW-B", "1201", {}), ("NEW-O", "0301", {}), ("NEW-B2", "1201", {})])
    outcomes = [_outcome(r) for r in prepare_units(municipal_officer, rows)]
    assert outcomes == [_outcome(r) for r in _one_by_one(municipal_officer, rows)]
    assert outcomes[0] == ("ok", "create") and outcomes[1][0] == "denied"


def test_a_code_given_twice_is_refused_on_its_second_row(known_units):
    rows = _rows([("DUP", "1201", {}), ("DUP", "1201", {"rent_nok": 1})])
    first, second = prepare_units(None, rows)
    assert isinstance(first, PreparedUnit)
    assert second.message_dict == {"code": ["Boligkoden DUP står to ganger."]}


def test_saving_in_bulk_writes_bumps_and_audits_only_what_changed(known_units, imdi_officer):
    rows = _rows(
        [("NEW-1", "1201", {}), ("OLD-1", "1201", {}), ("OLD-1B", "1201", {"rent_nok": 9999})]
    )
    prepared = prepare_units(imdi_officer, rows)
    counts = do_save_prepared_units(imdi_officer, prepared, note="import b.csv")
    assert counts == {"create": 1, "update": 1, "unchanged": 1}
    new = HousingUnit.objects.get(code="NEW-1")
    changed = HousingUnit.objects.get(code="OLD-1B")
    assert (changed.rent_nok, changed.version, changed.changed_by) == (9999, 2, "imdi_officer")
    assert HousingUnit.objects.get(code="OLD-1").version == 1
    entries = AuditEntry.objects.filter(object_type="housing.housingunit")
    assert entries.count() == 2
    update = entries.get(object_id=str(changed.pk))
    assert (update.action, update.before, update.after) == (
        "update",
        {"rent_nok": 9000},
        {"rent_nok": 9999},
    )
    create = entries.get(object_id=str(new.pk))
    assert create.action == "create" and create.after["code"] == "NEW-1"
    assert create.note == "import b.csv"


def test_the_check_constraints_are_evaluated_in_three_valued_logic():
    unit = HousingUnit(rent_nok=None, max_occupants=2, beds=1)
    assert _condition_value(Q(rent_nok__isnull=True) | Q(rent_nok__gte=0), unit) is True
    assert _condition_value(Q(rent_nok__gte=0), unit) is None  # unknown: a CHECK lets it pass
    unit.rent_nok = -1
    assert _condition_value(Q(rent_nok__isnull=True) | Q(rent_nok__gte=0), unit) is False
    assert _condition_value(~Q(max_occupants__lt=1), unit) is True
    assert _condition_value(Q(rent_nok__in=[1, 2]), unit) is not True  # the database decides


def test_an_import_of_many_units_reads_the_database_a_handful_of_times(
    reference_db, django_assert_max_num_queries
):
    header = (
        "kode,kommunenummer,type,soverom,maks_personer,senger,sone,tilrettelagt,ledig_fra,husleie"
    )
    rows = [
        f"Q-{i:04d},{'1201' if i % 2 else '0301'},kommunal,2,4,1,Sone,nei,,9000"
        for i in range(3000)
    ]
    with django_assert_max_num_queries(40):
        report = do_import(None, "units", csv_bytes(header, *rows), "b.csv")
    assert report.ok and report.created == 3000, report.errors[:3]
    assert HousingUnit.objects.filter(code__startswith="Q-").count() == 3000
    assert AuditEntry.objects.filter(object_type="housing.housingunit").count() == 3000


def test_a_changed_file_updates_in_bulk(reference_db):
    header = "kode,kommunenummer,type,soverom,maks_personer,sone,husleie"
    first = [f"U-{i},1201,kommunal,2,4,Sone,{8000 + i}" for i in range(50)]
    assert do_import(None, "units", csv_bytes(header, *first), "b.csv").created == 50
    second = [f"U-{i},1201,kommunal,2,4,Sone,{8000 + i + (i % 2)}" for i in range(50)]
    report = do_import(None, "units", csv_bytes(header, *second), "b.csv")
    assert (report.created, report.updated, report.unchanged) == (0, 25, 25)
    assert HousingUnit.objects.get(code="U-1").rent_nok == 8002
    assert HousingUnit.objects.get(code="U-2").rent_nok == 8002
    updates = AuditEntry.objects.filter(object_type="housing.housingunit", action="update")
    assert updates.count() == 25
