"""Helpers for import tests: files made in the test, in CSV or XLSX.

The web upload checks and writes files in background jobs; here they run at once (Django's
immediate backend) unless a test asks for the database queue (``db_queue``) and runs it in-process
with ``run_queued_jobs`` as ``bosetting worker --burst`` does."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from tests.apps.jobs.helpers import use_immediate_tasks

SAMPLES = Path(__file__).resolve().parents[3] / "docs" / "samples"


def csv_bytes(*lines: str, encoding: str = "utf-8") -> bytes:
    return ("\n".join(lines) + "\n").encode(encoding)


def xlsx_bytes(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _jobs_at_once(settings):
    use_immediate_tasks(settings)


DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def db_queue(settings):
    """Jobs go to the database queue (as in production) and wait for ``run_queued_jobs``."""
    settings.TASKS = DB_QUEUE
