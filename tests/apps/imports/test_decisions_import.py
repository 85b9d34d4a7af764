"""Importing council decisions: every error reported by row and column, all rows or none, idempotent."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from bosetting.apps.audit.models import AuditEntry
from bosetting.apps.imports.services import do_import, run_import
from bosetting.apps.planning.models import CouncilDecision

from .conftest import SAMPLES, csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

HEADER = "kommunenummer,år,antall,enslige_mindreårige,vedtaksdato"


def _rows(year_from=2016, year_to=2020):
    return sorted(
        CouncilDecision.objects.filter(year__range=(year_from, year_to)).values_list(
            "municipality__number", "year", "persons", "uam_persons", "provenance"
        )
    )


def _errors(report):
    return [(e.row, e.column, e.message) for e in report.errors]


def test_a_good_file_creates_one_row_per_line_and_audits_each(reference_db):
    content = csv_bytes(HEADER, "1201,2016,350,20,2015-06-16", "0301,2016,0,0,17.06.2015")
    report = do_import(None, "decisions", content, "vedtak.csv")
    assert report.ok and report.written and (report.created, report.rows) == (2, 2)
    assert _rows() == [("0301", 2016, 0, 0, "imported"), ("1201", 2016, 350, 20, "imported")]
    bergen = CouncilDecision.objects.get(municipality__number="1201", year=2016)
    assert bergen.decided_on == date(2015, 6, 16)
    notes = AuditEntry.objects.filter(object_type="planning.councildecision").values_list(
        "note", flat=True
    )
    assert sorted(notes) == ["import vedtak.csv rad 2", "import vedtak.csv rad 3"]
    assert AuditEntry.objects.filter(action="import", object_type="imports.importbatch").exists()


def test_one_bad_row_writes_nothing_and_reports_that_row(reference_db):
    content = csv_bytes(
        HEADER,
        "1201,2016,350,20,2015-06-16",
        "0301,2016,mange,0,2015-06-17",  # row 3: not a number
        "1247,2016,25,0,2015-05-19",
    )
    report = do_import(None, "decisions", content, "vedtak.csv")
    assert not report.written
    assert _errors(report) == [(3, "antall", "Forventet et heltall, fikk «mange».")]
    assert _rows() == []
    assert not AuditEntry.objects.exists()


def test_re_import_changes_nothing(reference_db):
    content = csv_bytes(HEADER, "1201,2016,350,20,2015-06-16", "0301,2016,0,0,2015-06-17")
    do_import(None, "decisions", content, "vedtak.csv")
    before, audited = _rows(), AuditEntry.objects.count()
    again = do_import(None, "decisions", content, "vedtak.csv")
    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert _rows() == before
    # Only the import itself is logged again; no row was written.
    assert AuditEntry.objects.exclude(object_type="imports.importbatch").count() == audited - 1


def test_a_changed_figure_updates_that_row_only(reference_db):
    do_import(None, "decisions", csv_bytes(HEADER, "1201,2016,350,20,2015-06-16"), "a.csv")
    report = do_import(None, "decisions", csv_bytes(HEADER, "1201,2016,300,20,2015-06-16"), "b.csv")
    assert (report.created, report.updated) == (0, 1)
    update = AuditEntry.objects.get(action="update")
    assert update.before == {"persons": 350} and update.after == {"persons": 300}


def test_every_error_is_reported_with_row_and_column(reference_db):
    content = csv_bytes(
        HEADER,
        "9998,2016,10,0,",  # unknown municipality
        "1201,1850,10,0,",  # year out of range
        "1201,2016,-3,0,",  # negative
        "1201,2016,5,9,",  # more minors than persons: the model's rule
        "1247,2016,5,0,2015-13-40",  # a date that is not one
        "1247,2016,5,0,",  # fine on its own…
        "1247,2016,6,0,",  # …but the same key twice
        ",2016,5,0,",  # missing municipality
        "1201,2014,5,0,",  # IMDi's published figure
    )
    report = run_import(None, "decisions", content, "vedtak.csv", commit=True)
    errors = {(row, column): message for row, column, message in _errors(report)}
    assert set(errors) == {
        (2, "kommunenummer"),
        (3, "år"),
        (4, "antall"),
        (5, "enslige_mindreårige"),
        (6, "vedtaksdato"),
        (8, "kommunenummer"),
        (9, "kommunenummer"),
        (10, "år"),
    }
    assert "9998" in errors[(2, "kommunenummer")]
    assert "rad 7" in errors[(8, "kommunenummer")]
    assert errors[(9, "kommunenummer")] == "Mangler verdi."
    assert not report.written and _rows() == []


def test_unknown_and_missing_columns_are_reported_on_the_header_row(reference_db):
    content = csv_bytes("kommunenummer;aar;antal", "1201;2016;3")
    report = run_import(None, "decisions", content, "v.csv", commit=True)
    assert _errors(report) == [
        (1, "antal", "Ukjent kolonne."),
        (1, "antall", "Kolonnen mangler."),
    ]


def test_semicolons_windows_1252_and_headers_without_norwegian_letters(reference_db):
    content = csv_bytes(
        "Kommunenummer;Aar;Antall;Enslige mindrearige;Merknad",
        "1201;2016;350;20;Vedtatt i bystyret – «treårig»",
        encoding="cp1252",
    )
    report = do_import(None, "decisions", content, "vedtak.csv")
    assert report.ok, report.errors
    assert CouncilDecision.objects.get(year=2016).note == "Vedtatt i bystyret – «treårig»"


def test_xlsx_with_number_and_date_cells(reference_db):
    content = xlsx_bytes(
        [
            ["kommunenummer", "år", "antall", "enslige_mindreårige", "vedtaksdato"],
            [301, 2016, 12, 0, date(2015, 6, 17)],  # a spreadsheet dropped the leading zero
            [None, None, None, None, None],
            ["1201", 2016.0, "1 200", 3, None],
        ]
    )
    report = do_import(None, "decisions", content, "vedtak.xlsx")
    assert report.ok, report.errors
    assert _rows() == [("0301", 2016, 12, 0, "imported"), ("1201", 2016, 1200, 3, "imported")]


def test_xlsx_errors_count_rows_as_the_spreadsheet_does(reference_db):
    content = xlsx_bytes(
        [
            ["kommunenummer", "år", "antall"],
            ["1201", 2016, 3],
            [None, None, None],
            ["1201", 2017, 2.5],
        ]
    )
    report = run_import(None, "decisions", content, "v.xlsx", commit=True)
    assert _errors(report) == [(4, "antall", "Forventet et heltall, fikk 2.5.")]


def test_a_municipal_officer_imports_only_its_own_municipality(municipal_officer):
    content = csv_bytes(HEADER, "1201,2016,350,20,", "0301,2016,10,0,")
    report = do_import(municipal_officer, "decisions", content, "v.csv")
    assert [(e.row, e.column) for e in report.errors] == [(3, "kommunenummer")]
    assert _rows() == []
    ok = do_import(municipal_officer, "decisions", csv_bytes(HEADER, "1201,2016,350,20,"), "v.csv")
    assert ok.written
    assert AuditEntry.objects.filter(username="municipal_officer", action="create").count() == 1


@pytest.mark.parametrize("persona", ["husbanken_advisor", "county_governor", "analyst"])
def test_roles_without_the_duty_may_not_import_decisions(reference_db, persona, request):
    with pytest.raises(PermissionDenied):
        do_import(request.getfixturevalue(persona), "decisions", csv_bytes(HEADER), "v.csv")


def test_a_file_that_is_not_csv_or_xlsx_is_one_file_error(reference_db):
    report = run_import(None, "decisions", b"x", "vedtak.pdf", commit=True)
    assert _errors(report) == [(0, "", "Filen må være .csv eller .xlsx.")]


def test_the_documented_sample_imports_cleanly(reference_db):
    content = (SAMPLES / "decisions.csv").read_bytes()
    report = do_import(None, "decisions", content, "decisions.csv")
    assert report.ok, report.errors
    assert report.created == 5
    rows = CouncilDecision.objects.filter(municipality__number="1201", year__range=(2016, 2018))
    assert {(d.period_start, d.period_years) for d in rows} == {(2016, 3)}


def test_an_unknown_municipality_is_named_as_unknown_before_scope(municipal_officer):
    report = run_import(
        municipal_officer, "decisions", csv_bytes(HEADER, "9998,2016,3,0,"), "v.csv", commit=True
    )
    assert [(e.row, e.column) for e in report.errors] == [(2, "kommunenummer")]
    assert "Ukjent kommunenummer 9998" in report.errors[0].message
