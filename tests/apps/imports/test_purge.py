"""Uploaded files are kept for ``BOSETTING_IMPORT_RETENTION_DAYS``; then their content is emptied
(``bosetting import purge``), their report and counts kept, and each purge is audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from typer.testing import CliRunner

from bosetting.apps.audit.models import AuditEntry
from bosetting.apps.imports.models import ImportBatch
from bosetting.apps.imports.services import do_confirm, do_purge_contents
from bosetting.cli import app

pytestmark = pytest.mark.django_db

REPORT = {"kind": "units", "filename": "b.csv", "rows": 2, "created": 2, "errors": []}


@pytest.fixture
def batches(imdi_officer):
    """Uploads of several ages and states: {name: batch}."""
    now = timezone.now()

    def make(name: str, days_old: int, status: str) -> ImportBatch:
        batch = ImportBatch.objects.create(
            kind="units",
            filename=f"{name}.csv",
            content=b"kode,kommunenummer\n" + name.encode(),
            size=20 + len(name),
            created_by=imdi_officer,
            status=status,
            report=dict(REPORT, filename=f"{name}.csv"),
        )
        ImportBatch.objects.filter(pk=batch.pk).update(created_at=now - timedelta(days=days_old))
        return batch

    return {
        "old_imported": make("old_imported", 45, "imported"),
        "old_previewed": make("old_previewed", 31, "previewed"),
        "old_failed": make("old_failed", 90, "failed"),
        "old_but_queued": make("old_but_queued", 40, "queued"),
        "recent": make("recent", 29, "imported"),
    }


def _content(batch) -> bytes:
    return bytes(ImportBatch.objects.get(pk=batch.pk).content)


def test_purge_empties_old_contents_only_and_keeps_the_reports(batches):
    result = do_purge_contents(days=30)
    assert result.batches == 3 and result.days == 30
    for name in ("old_imported", "old_previewed", "old_failed"):
        batch = ImportBatch.objects.get(pk=batches[name].pk)
        assert bytes(batch.content) == b"" and batch.purged_at is not None
        assert batch.report["filename"] == f"{name}.csv" and batch.report["created"] == 2
        assert batch.size > 0 and batch.status == batches[name].status
    assert _content(batches["recent"]).startswith(b"kode")
    assert _content(batches["old_but_queued"]).startswith(b"kode")  # a job still needs it


def test_purge_is_audited_and_running_it_again_changes_nothing(batches):
    do_purge_contents(days=30)
    entries = AuditEntry.objects.filter(action="purge_content", object_type="imports.importbatch")
    assert entries.count() == 3
    entry = entries.get(object_id=str(batches["old_imported"].pk))
    assert entry.before == {"content_bytes": batches["old_imported"].size, "purged_at": None}
    assert entry.after["content_bytes"] == 0 and entry.after["purged_at"]
    assert "30 dager" in entry.note and entry.username == "system"
    again = do_purge_contents(days=30)
    assert again.batches == 0 and entries.count() == 3


def test_a_dry_run_counts_and_changes_nothing(batches):
    result = do_purge_contents(days=30, dry_run=True)
    assert result.batches == 3 and result.bytes == sum(
        batches[n].size for n in ("old_imported", "old_previewed", "old_failed")
    )
    assert _content(batches["old_imported"]).startswith(b"kode")
    assert not AuditEntry.objects.filter(action="purge_content").exists()


def test_the_retention_period_is_a_setting(batches, settings):
    settings.BOSETTING_IMPORT_RETENTION_DAYS = 60
    assert do_purge_contents().batches == 1  # only the 90 days old one
    assert _content(batches["old_imported"]).startswith(b"kode")


def test_a_purged_preview_cannot_be_confirmed(batches, imdi_officer, client):
    do_purge_contents(days=30)
    batch = batches["old_previewed"]
    client.force_login(imdi_officer)
    page = client.get(f"/import/{batch.pk}/").content.decode()
    assert 'data-testid="purged"' in page and 'data-testid="confirm"' not in page
    response = client.post(f"/import/{batch.pk}/bekreft/", follow=True).content.decode()
    assert "Innholdet i filen er slettet" in response
    with pytest.raises(Exception, match="slettet"):
        do_confirm(imdi_officer, batch.pk)


def test_the_command_line_purges(batches):
    result = CliRunner().invoke(app, ["import", "purge", "--days", "30", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "3 importfiler eldre enn 30 dager ville fått innholdet slettet" in result.output
    assert _content(batches["old_imported"]).startswith(b"kode")
    result = CliRunner().invoke(app, ["import", "purge", "--days", "30"])
    assert result.exit_code == 0 and "3 importfiler eldre enn 30 dager fikk" in result.output
    assert _content(batches["old_imported"]) == b""
