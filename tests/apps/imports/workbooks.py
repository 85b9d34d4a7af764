"""Spreadsheets made by hand for the limit tests: a minimal XLSX whose sheet is written as a stream
into a compressed zip, so that a file that unpacks to hundreds of megabytes is built without ever
holding them in memory (a few megabytes of compressed output, about a second)."""

from __future__ import annotations

import io
import itertools
import zipfile
from collections.abc import Iterable

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" '
    b'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
ROOT_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    b'<sheets><sheet name="Ark1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)

#: A blank row of eleven formatted empty cells: 127 bytes of XML.
BLANK_ROW = b'<row s="1">' + b'<c s="1"/>' * 11 + b"</row>"


def text_row(number: int, values: list[str]) -> bytes:
    """A row of inline strings, numbered ``number``."""
    cells = b"".join(
        b'<c t="inlineStr"><is><t>' + value.encode() + b"</t></is></c>" for value in values
    )
    return b'<row r="%d">' % number + cells + b"</row>"


def sheet_xlsx(rows: Iterable[bytes], dimension: str | None = None) -> bytes:
    """A workbook whose first sheet is ``rows`` (XML row elements, written as they come), with a
    declared ``dimension`` (``A1:K3000001``) or none."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            )
            if dimension:
                sheet.write(b'<dimension ref="' + dimension.encode() + b'"/>')
            sheet.write(b"<sheetData>")
            for chunk in rows:
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def repeated(row: bytes, count: int, per_chunk: int = 10_000) -> Iterable[bytes]:
    """``row`` ``count`` times, in chunks (never all in memory)."""
    chunk = row * per_chunk
    for _ in range(count // per_chunk):
        yield chunk
    yield row * (count % per_chunk)


def blank_rows_bomb(rows: int = 3_000_000, dimension: bool = True) -> bytes:
    """The file of the finding: a header and ``rows`` blank formatted rows (3,000,000 rows unpack to
    about 380 MB of XML) in a file of a few megabytes."""
    header = text_row(1, ["kode", "kommunenummer", "type"])
    body = itertools.chain([header], repeated(BLANK_ROW, rows))
    return sheet_xlsx(body, dimension=f"A1:K{rows + 1}" if dimension else None)


def unpacked_size(content: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return sum(member.file_size for member in archive.infolist())
