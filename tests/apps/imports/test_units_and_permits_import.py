"""Importing housing units and permit notifications (new cases)."""

import pytest
from django.core.exceptions import PermissionDenied

from bosetting.apps.audit.models import AuditEntry
from bosetting.apps.cases.models import Household
from bosetting.apps.housing.models import HousingUnit
from bosetting.apps.imports.services import do_import, run_import

from .conftest import SAMPLES, csv_bytes

pytestmark = pytest.mark.django_db

UNITS = "kode,kommunenummer,type,soverom,maks_personer,senger,sone,tilrettelagt,ledig_fra,husleie"
PERMITS = "saksreferanse,vedtaksdato,saksopprettet,personer,behov,tilknytning"


def _errors(report):
    return [(e.row, e.column, e.message) for e in report.errors]


def _units():
    return sorted(
        HousingUnit.objects.values_list(
            "code", "municipality__number", "kind", "max_occupants", "accessible", "rent_nok"
        )
    )


# --- units ----------------------------------------------------------------------------------------


def test_units_are_created_then_left_alone_on_re_import(reference_db):
    content = (SAMPLES / "units.csv").read_bytes()
    first = do_import(None, "units", content, "units.csv")
    assert first.ok and first.created == 4, first.errors
    assert ("BGO-K-0002", "1201", "municipal", 5, True, 11500) in _units()
    shared = HousingUnit.objects.get(code="BGO-B-0001")
    assert (shared.kind, shared.beds) == ("shared", 4)
    snapshot, audited = (
        _units(),
        AuditEntry.objects.filter(object_type="housing.housingunit").count(),
    )
    again = do_import(None, "units", content, "units.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    assert _units() == snapshot
    assert AuditEntry.objects.filter(object_type="housing.housingunit").count() == audited == 4
    # Written in bulk, each unit's entry still names the file and its row.
    notes = AuditEntry.objects.filter(object_type="housing.housingunit").values_list(
        "note", flat=True
    )
    assert sorted(notes) == [f"import units.csv rad {n}" for n in (2, 3, 4, 5)]


def test_a_unit_row_updates_by_code_and_keeps_columns_the_file_leaves_out(reference_db):
    do_import(None, "units", (SAMPLES / "units.csv").read_bytes(), "units.csv")
    report = do_import(
        None,
        "units",
        csv_bytes(
            "kode,kommunenummer,type,soverom,maks_personer,sone",
            "BGO-K-0001,1201,kommunal,2,3,Årstad",
        ),
        "endring.csv",
    )
    assert (report.updated, report.created) == (1, 0)
    unit = HousingUnit.objects.get(code="BGO-K-0001")
    assert (unit.max_occupants, unit.rent_nok) == (3, 9500)  # rent untouched


def test_one_bad_unit_row_writes_nothing(reference_db):
    content = csv_bytes(
        UNITS,
        "U-1,1201,kommunal,2,4,1,A,nei,2015-02-01,9500",
        "U-2,1201,bofellesskap,3,3,5,B,nei,,5000",  # more beds than occupants: the housing model's rule
        "U-3,1201,slott,3,3,1,B,nei,,5000",  # unknown type
        "U-4,1201,kommunal,2,4,1,C,kanskje,,9000",  # not yes/no
        "U-5,1201,kommunal,2,0,1,C,nei,,9000",  # room for nobody
    )
    report = do_import(None, "units", content, "boliger.csv")
    rows = {(row, column) for row, column, _ in _errors(report)}
    assert rows == {(3, "senger"), (4, "type"), (5, "tilrettelagt"), (6, "maks_personer")}
    assert not report.written and HousingUnit.objects.count() == 0


def test_a_unit_cannot_move_municipality(reference_db):
    do_import(None, "units", csv_bytes(UNITS, "U-1,1201,kommunal,2,4,1,A,nei,,9500"), "a.csv")
    report = do_import(
        None, "units", csv_bytes(UNITS, "U-1,0301,kommunal,2,4,1,A,nei,,9500"), "b.csv"
    )
    assert [(e.row, e.column) for e in report.errors] == [(2, "kommunenummer")]
    assert HousingUnit.objects.get(code="U-1").municipality.number == "1201"


def test_municipal_officers_import_units_of_their_own_municipality(municipal_officer):
    content = csv_bytes(
        UNITS, "U-1,1201,kommunal,2,4,1,A,nei,,9500", "U-2,0301,kommunal,2,4,1,A,nei,,9500"
    )
    report = do_import(municipal_officer, "units", content, "b.csv")
    assert [(e.row, e.column) for e in report.errors] == [(3, "kommunenummer")]
    assert HousingUnit.objects.count() == 0


@pytest.mark.parametrize("persona", ["husbanken_advisor", "county_governor", "analyst"])
def test_roles_that_do_not_keep_housing_may_not_import_units(reference_db, persona, request):
    with pytest.raises(PermissionDenied):
        do_import(request.getfixturevalue(persona), "units", csv_bytes(UNITS), "b.csv")


# --- permits ----------------------------------------------------------------------------------------


def test_permits_create_households_through_the_pipeline_and_re_import_is_a_no_op(imdi_officer):
    content = (SAMPLES / "permits.csv").read_bytes()
    report = do_import(imdi_officer, "permits", content, "permits.csv")
    assert report.ok and report.created == 4, report.errors
    family = Household.objects.get(reference="U2015-000101")
    assert family.status == "permit_granted" and family.household_type == "family_children"
    assert [(p.birth_year, p.sex, p.is_principal) for p in family.persons.all()][0] == (
        1985,
        "m",
        True,
    )
    assert family.ties == ["1201"] and family.events.count() == 1
    assert Household.objects.get(reference="U2015-000103").needs == ["health_high"]
    again = do_import(imdi_officer, "permits", content, "permits.csv")
    assert (again.created, again.unchanged) == (0, 4)
    assert Household.objects.count() == 4
    assert AuditEntry.objects.filter(object_type="cases.household").count() == 4


def test_one_bad_permit_row_writes_nothing(imdi_officer):
    content = csv_bytes(
        PERMITS,
        "R-1,2014-12-12,2014-03-02,1985m 2012k,,",
        "R-2,2014-12-12,2015-03-02,1985m,,",  # opened after the permit
        "R-3,2014-12-12,,1985x,,",  # unknown person token
        "R-4,2014-12-12,,2019m,,",  # born after the permit
        "R-5,2014-12-12,,1985m,flyskrekk,",  # unknown need
        "R-6,2014-12-12,,1985m,,9998",  # unknown municipality tie
        "R-1,2014-12-13,,1990k,,",  # duplicate reference
    )
    report = do_import(imdi_officer, "permits", content, "p.csv")
    assert {(row, column) for row, column, _ in _errors(report)} == {
        (3, "saksopprettet"),
        (4, "personer"),
        (5, "personer"),
        (6, "behov"),
        (7, "tilknytning"),
        (8, "saksreferanse"),
    }
    assert Household.objects.count() == 0 and not AuditEntry.objects.exists()


def test_a_known_reference_with_other_data_is_an_error_not_an_overwrite(imdi_officer):
    do_import(imdi_officer, "permits", csv_bytes(PERMITS, "R-1,2014-12-12,,1985m,,"), "a.csv")
    report = do_import(
        imdi_officer, "permits", csv_bytes(PERMITS, "R-1,2014-12-12,,1985m 2012k,,"), "b.csv"
    )
    assert [(e.row, e.column) for e in report.errors] == [(2, "saksreferanse")]
    assert Household.objects.get(reference="R-1").persons.count() == 1


@pytest.mark.parametrize(
    "persona", ["municipal_officer", "husbanken_advisor", "county_governor", "analyst"]
)
def test_only_imdi_imports_permits(reference_db, persona, request):
    with pytest.raises(PermissionDenied):
        run_import(
            request.getfixturevalue(persona), "permits", csv_bytes(PERMITS), "p.csv", commit=True
        )
