"""Reading the letters the tests make: the text of a PDF (pypdf), with every kind of space as one
space, so that "9 000 kr" matches whatever space the locale groups digits with."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader


def pdf_pages(data: bytes) -> int:
    """How many pages the PDF has."""
    return len(PdfReader(io.BytesIO(bytes(data))).pages)


def pdf_text(data: bytes) -> str:
    """The PDF's text, its whitespace (no-break spaces too) folded to single spaces."""
    assert bytes(data).startswith(b"%PDF"), "not a PDF"
    reader = PdfReader(io.BytesIO(bytes(data)))
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    return re.sub(r"\s+", " ", text.replace("\xa0", " ").replace("\u202f", " "))
