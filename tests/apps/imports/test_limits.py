"""Files over the limits are refused before the work, with a bokmål message naming the limit, and
nothing is written: the XLSX of the finding (3,000,000 blank rows, about 380 MB unpacked, a few MB
packed), a sheet that declares millions of rows, one that hides them without declaring them, a CSV
over the row limit, too many columns, too many bytes. The web upload refuses what costs nothing to
see at once and stops an upload over the size limit while it arrives."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from typer.testing import CliRunner

from bosetting.apps.housing.models import HousingUnit
from bosetting.apps.imports import parsing
from bosetting.apps.imports.models import ImportBatch
from bosetting.apps.imports.services import do_import
from bosetting.cli import app
from bosetting.web.env import SettingError, env_bytes

from .conftest import SAMPLES, csv_bytes, xlsx_bytes
from .workbooks import BLANK_ROW, blank_rows_bomb, repeated, sheet_xlsx, text_row, unpacked_size

pytestmark = pytest.mark.django_db

UNITS = "kode,kommunenummer,type,soverom,maks_personer,senger,sone,tilrettelagt,ledig_fra,husleie"
UNIT_ROW = "K-{i},1201,kommunal,2,4,1,Sentrum,nei,,9000"


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """The finding's file, built once: a header and 3,000,000 blank rows, declared as such."""
    return blank_rows_bomb(3_000_000, dimension=True)


@pytest.fixture(scope="module")
def undeclared_bomb() -> bytes:
    """The same without a declared dimension (openpyxl would parse it end to end to open it)."""
    return blank_rows_bomb(3_000_000, dimension=False)


def _refusal(report) -> str:
    assert not report.written and len(report.errors) == 1, report.errors
    error = report.errors[0]
    assert (error.row, error.column) == (0, "")
    return error.message


def test_the_blank_rows_bomb_is_small_packed_and_huge_unpacked(bomb):
    assert len(bomb) < 10 * 1024 * 1024  # within the upload limit
    assert unpacked_size(bomb) > 350 * 1024 * 1024


def test_the_bomb_is_refused_by_its_unpacked_size_without_being_unpacked(reference_db, bomb):
    report = do_import(None, "units", bomb, "boliger.xlsx")
    message = _refusal(report)
    assert report.limit == "expanded"
    assert "Regnearket pakkes ut til" in message and "Grensen er 100 MB utpakket" in message
    assert HousingUnit.objects.count() == 0


def test_the_undeclared_bomb_is_refused_too(reference_db, undeclared_bomb):
    report = do_import(None, "units", undeclared_bomb, "boliger.xlsx")
    assert report.limit == "expanded" and "100 MB utpakket" in _refusal(report)
    assert HousingUnit.objects.count() == 0


def test_a_sheet_declaring_millions_of_rows_is_refused_by_its_dimension(reference_db):
    # Small unpacked: only the declared dimension gives it away.
    content = sheet_xlsx([text_row(1, ["kode"])], dimension="A1:K3000001")
    report = do_import(None, "units", content, "boliger.xlsx")
    message = _refusal(report)
    assert report.limit == "rows"
    assert "Regnearket oppgir 3 000 001 rader (område A1:K3000001)" in message
    assert "Grensen er 50 000 rader" in message


def test_a_sheet_declaring_too_many_columns_is_refused(reference_db):
    content = sheet_xlsx([text_row(1, ["kode"])], dimension="A1:XFD10")
    report = do_import(None, "units", content, "boliger.xlsx")
    assert report.limit == "columns"
    assert "16 384 kolonner. Grensen er 50 kolonner" in _refusal(report)


def test_rows_hidden_under_the_unpacked_limit_are_counted_before_openpyxl_opens_the_sheet(
    reference_db, settings
):
    """3,000,000 empty row elements (18 MB unpacked, under the limit) and no dimension: the
    streamed count refuses the file at row 50,002 instead of parsing it all."""
    content = sheet_xlsx([text_row(1, ["kode"]), *repeated(b"<row/>", 3_000_000)])
    assert unpacked_size(content) < settings.BOSETTING_IMPORT_MAX_EXPANDED_BYTES
    report = do_import(None, "units", content, "boliger.xlsx")
    assert report.limit == "rows"
    assert "flere enn 50 000 rader under overskriften" in _refusal(report)


def test_a_row_with_too_many_cells_is_refused_before_it_is_parsed(reference_db):
    content = sheet_xlsx([text_row(1, ["kode"]), b"<row>" + b'<c s="1"/>' * 1_000_000 + b"</row>"])
    report = do_import(None, "units", content, "boliger.xlsx")
    assert report.limit == "columns"
    assert "en rad med flere enn 50 celler" in _refusal(report)


def test_a_csv_over_the_row_limit_is_refused_and_nothing_is_written(reference_db):
    rows = [UNIT_ROW.format(i=i) for i in range(50_001)]
    report = do_import(None, "units", csv_bytes(UNITS, *rows), "boliger.csv")
    message = _refusal(report)
    assert report.limit == "rows"
    assert message.startswith("Filen har flere enn 50 000 rader under overskriften")
    assert HousingUnit.objects.count() == 0


def test_the_row_limit_is_a_setting_and_empty_rows_count(reference_db, settings):
    settings.BOSETTING_IMPORT_MAX_ROWS = 3
    three = csv_bytes(UNITS, *[UNIT_ROW.format(i=i) for i in range(3)])
    assert do_import(None, "units", three, "b.csv", dry_run=True).ok
    padded = csv_bytes(UNITS, UNIT_ROW.format(i=1), "", "", UNIT_ROW.format(i=2))
    report = do_import(None, "units", padded, "b.csv", dry_run=True)
    assert report.limit == "rows" and "flere enn 3 rader" in _refusal(report)


def test_too_many_columns_are_refused_naming_the_limit(reference_db):
    header = UNITS + "," + ",".join(f"ekstra{i}" for i in range(45))
    report = do_import(None, "units", csv_bytes(header, UNIT_ROW.format(i=1)), "b.csv")
    assert report.limit == "columns"
    assert _refusal(report) == (
        "Rad 1 har 55 kolonner. Grensen er 50 kolonner; slett tomme og ukjente kolonner."
    )
    wide_row = UNIT_ROW.format(i=1) + "," * 60 + "x"
    report = do_import(None, "units", csv_bytes(UNITS, wide_row), "b.csv")
    assert report.limit == "columns" and _refusal(report).startswith("Rad 2 har 70 kolonner")


def test_trailing_empty_cells_do_not_count_as_columns(reference_db):
    padded = csv_bytes(UNITS + "," * 80, UNIT_ROW.format(i=1) + "," * 80)
    assert do_import(None, "units", padded, "b.csv", dry_run=True).ok


def test_a_file_over_the_byte_limit_is_refused(reference_db, settings):
    settings.BOSETTING_IMPORT_MAX_BYTES = 100
    report = do_import(None, "units", (SAMPLES / "units.csv").read_bytes(), "units.csv")
    assert report.limit == "bytes"
    assert "Filen er for stor (" in _refusal(report) and "Grensen er 100 byte per fil" in (
        report.errors[0].message
    )


def test_a_sheet_declaring_too_few_rows_is_read_in_full(reference_db):
    """The declared dimension is not trusted for reading: openpyxl would stop at row 2."""
    rows = [text_row(1, UNITS.split(","))] + [
        text_row(i, UNIT_ROW.format(i=i).split(",")) for i in range(2, 12)
    ]
    report = do_import(None, "units", sheet_xlsx(rows, dimension="A1:J2"), "b.xlsx", dry_run=True)
    assert report.ok and report.rows == 10, report.errors


def test_an_ordinary_xlsx_passes_the_deep_inspection():
    content = xlsx_bytes([UNITS.split(",")] + [UNIT_ROW.format(i=i).split(",") for i in range(50)])
    assert parsing.inspect(content, "b.xlsx", parsing.Limits(), deep=True) == "xlsx"


def test_a_namespaced_sheet_is_counted_too():
    rows = b"".join(b"<x:row><x:c/></x:row>" for _ in range(20))
    content = sheet_xlsx([rows])
    with pytest.raises(parsing.LimitExceeded) as refused:
        parsing.inspect(content, "b.xlsx", parsing.Limits(max_rows=10), deep=True)
    assert refused.value.limit == "rows"


def test_an_element_cut_by_a_chunk_boundary_is_counted_once(monkeypatch):
    """Rows split across the 1 MB chunks of the stream are counted exactly once."""
    monkeypatch.setattr(parsing, "_SCAN_CHUNK", 97)
    body = BLANK_ROW * 40
    content = sheet_xlsx([body])
    parsing.inspect(content, "b.xlsx", parsing.Limits(max_rows=40, max_columns=11), deep=True)
    with pytest.raises(parsing.LimitExceeded):
        parsing.inspect(content, "b.xlsx", parsing.Limits(max_rows=38, max_columns=11), deep=True)
    with pytest.raises(parsing.LimitExceeded):
        parsing.inspect(content, "b.xlsx", parsing.Limits(max_rows=40, max_columns=10), deep=True)


def test_a_broken_xlsx_is_a_file_error_not_a_crash():
    with pytest.raises(parsing.FileError, match="ikke et gyldig regneark"):
        parsing.inspect(b"PK\x03\x04 not really a zip", "b.xlsx", parsing.Limits())


# --- the web upload ---------------------------------------------------------------------------------


def test_the_web_upload_refuses_the_bomb_at_once_and_stores_nothing(client, imdi_officer, bomb):
    client.force_login(imdi_officer)
    response = client.post(
        "/import/", {"kind": "units", "file": SimpleUploadedFile("boliger.xlsx", bomb)}
    )
    assert response.status_code == 200  # the form again, with the refusal
    body = response.content.decode()
    assert "Regnearket pakkes ut til" in body and "Grensen er 100 MB utpakket" in body
    assert not ImportBatch.objects.exists() and HousingUnit.objects.count() == 0


def test_the_web_upload_refuses_a_declared_million_rows_at_once(client, imdi_officer):
    client.force_login(imdi_officer)
    content = sheet_xlsx([text_row(1, ["kode"])], dimension="A1:K3000001")
    response = client.post(
        "/import/", {"kind": "units", "file": SimpleUploadedFile("boliger.xlsx", content)}
    )
    assert "Regnearket oppgir 3 000 001 rader" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_an_upload_over_the_size_limit_is_stopped_while_it_arrives(client, imdi_officer, settings):
    settings.BOSETTING_IMPORT_MAX_BYTES = 1000
    client.force_login(imdi_officer)
    big = csv_bytes(UNITS, *[UNIT_ROW.format(i=i) for i in range(200)])
    response = client.post(
        "/import/", {"kind": "units", "file": SimpleUploadedFile("boliger.csv", big)}
    )
    body = response.content.decode()
    assert "Filen er for stor. Grensen er 1000 byte per fil" in body
    assert not ImportBatch.objects.exists()


def test_the_upload_page_states_the_limits(client, imdi_officer):
    client.force_login(imdi_officer)
    body = client.get("/import/").content.decode()
    assert 'data-testid="limits"' in body and "10 MB, 50 000 rader og 50 kolonner" in body


def test_the_upload_is_still_protected_against_csrf(imdi_officer):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(imdi_officer)
    response = strict.post(
        "/import/",
        {
            "kind": "units",
            "file": SimpleUploadedFile("u.csv", (SAMPLES / "units.csv").read_bytes()),
        },
    )
    assert response.status_code == 403
    assert not ImportBatch.objects.exists()


# --- the command line and the settings ---------------------------------------------------------------


def test_the_command_line_names_the_limit_and_exits_2(reference_db, tmp_path, settings):
    settings.BOSETTING_IMPORT_MAX_ROWS = 2
    path = tmp_path / "boliger.csv"
    path.write_bytes(csv_bytes(UNITS, *[UNIT_ROW.format(i=i) for i in range(3)]))
    result = CliRunner().invoke(app, ["import", "units", str(path)])
    assert result.exit_code == 2
    assert "boliger.csv: filen: Filen har flere enn 2 rader under overskriften" in result.stderr
    assert "1 feil i boliger.csv; ingenting ble skrevet." in result.stderr
    assert HousingUnit.objects.count() == 0


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("10485760", 10485760), ("10MB", 10485760), ("10 MiB", 10485760), ("512kB", 524288), ("", 7)],
)
def test_sizes_from_the_environment(monkeypatch, raw, expected):
    monkeypatch.setenv("BOSETTING_IMPORT_MAX_BYTES", raw)
    assert env_bytes("BOSETTING_IMPORT_MAX_BYTES", 7) == expected


@pytest.mark.parametrize("raw", ["ten", "10 TB", "-5", "1.5MB"])
def test_a_bad_size_names_the_variable(monkeypatch, raw):
    monkeypatch.setenv("BOSETTING_IMPORT_MAX_BYTES", raw)
    with pytest.raises(SettingError, match="BOSETTING_IMPORT_MAX_BYTES"):
        env_bytes("BOSETTING_IMPORT_MAX_BYTES", 7)
