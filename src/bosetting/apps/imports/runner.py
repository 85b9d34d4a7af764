"""The bodies of the import jobs ("bakgrunnsjobber for import"): check an uploaded file, and write a
confirmed one.

``services.do_upload`` stores a file and enqueues ``tasks.check_batch_task``; ``services.do_confirm``
enqueues ``tasks.write_batch_task``. Both are safe to run again:

- the check writes nothing but the batch's report: a check that died half-way (``checking``) starts
  over; a batch that has been checked is left alone;
- the write marks the batch ``imported`` (or ``failed``) in the transaction that writes its rows:
  an attempt that died rolled everything back and the next one starts over; one that committed left
  the batch finished, and a re-run leaves it alone.

A job runs as the user who uploaded the file (its role and area apply); a file whose uploader is
gone or inactive is refused. Progress (stage, rows done of total) is written to the batch at most
twice a second while the rows are read and checked; the write happens in one transaction, so the
page shows it as a whole. Imports go one way: ``services`` -> ``tasks`` -> ``runner``.
"""

from __future__ import annotations

import time

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bosetting.apps.audit.services import do_record
from bosetting.apps.imports.importer import Progress, run_import, summary
from bosetting.apps.imports.models import ACTIVE_STATUSES, ImportBatch

Status = ImportBatch.Status
PROGRESS_SECONDS = 0.5


def do_fail_batch(batch_id: int, error: str) -> None:
    """Mark a batch whose job was given up failed with ``error`` ("importen feilet"); a batch that
    has been checked or written is left as it is."""
    ImportBatch.objects.filter(pk=batch_id, status__in=ACTIVE_STATUSES).update(
        status=Status.FAILED, error=error[:2000], stage=""
    )


def _progress_of(batch_id: int) -> Progress:
    last = 0.0

    def write(stage: str, done: int, total: int) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last < PROGRESS_SECONDS and not (total and done >= total):
            return
        last = now
        ImportBatch.objects.filter(pk=batch_id).update(stage=stage, done=done, total=total)

    return write


def _uploader(batch: ImportBatch):
    """The user the job runs as, or None when it is gone or inactive (the file is then refused)."""
    user = batch.created_by
    return user if user is not None and user.is_active else None


def _claim(batch_id: int, waiting: tuple, status: str, stage: str):
    """Take a batch for a job: ``(batch, user)``, or the status to end with when the batch is gone,
    no longer waiting for this job, or its uploader is gone. Only a batch still in ``waiting`` is
    taken (the condition is checked again by the database at the update, so a batch another attempt
    has just finished is left alone)."""
    batch = ImportBatch.objects.select_related("created_by").filter(pk=batch_id).first()
    if batch is None:
        return "missing"
    if not ImportBatch.objects.filter(pk=batch_id, status__in=waiting).update(
        status=status, stage=stage, done=0, total=0, error=""
    ):
        return ImportBatch.objects.filter(pk=batch_id).values_list("status", flat=True).first()
    user = _uploader(batch)
    if user is None:
        do_fail_batch(batch_id, _("Brukeren som lastet opp filen, finnes ikke lenger."))
        return Status.FAILED
    return batch, user


def check_batch(batch_id: int) -> str:
    """Check an uploaded file ("kontroller importfil"): read it within the limits and check every
    row; the report (every error, the changes) becomes its preview. Returns the status it ended in.

    A file refused as a whole (over a limit, unreadable) ends ``failed``; a file with row errors is
    ``previewed`` with its errors and cannot be confirmed."""
    claimed = _claim(
        batch_id, (Status.QUEUED, Status.CHECKING), Status.CHECKING, ImportBatch.Stage.READ
    )
    if not isinstance(claimed, tuple):
        return claimed
    batch, user = claimed
    try:
        report = run_import(
            user,
            batch.kind,
            bytes(batch.content),
            batch.filename,
            commit=False,
            progress=_progress_of(batch_id),
        )
    except PermissionDenied as exc:
        do_fail_batch(batch_id, str(exc))
        return Status.FAILED
    status = Status.FAILED if report.file_errors else Status.PREVIEWED
    ImportBatch.objects.filter(pk=batch_id, status=Status.CHECKING).update(
        status=status,
        report=report.as_dict(),
        stage="",
        done=report.rows,
        total=report.rows,
    )
    return status


def write_batch(batch_id: int) -> str:
    """Write a confirmed file ("lagre importfil"): checked again against the database as it is now,
    then every row written in one transaction, or none. The batch's status, report and audit entry
    are stored in that same transaction. Returns the status it ended in."""
    claimed = _claim(
        batch_id, (Status.CONFIRMED, Status.WRITING), Status.WRITING, ImportBatch.Stage.CHECK
    )
    if not isinstance(claimed, tuple):
        return claimed
    batch, user = claimed
    with transaction.atomic():
        # Locked for the write: a second attempt (a worker wrongly taken for dead) waits here and
        # then finds the batch finished; a batch given up meanwhile is not written.
        current = (
            ImportBatch.objects.select_for_update()
            .filter(pk=batch_id)
            .values_list("status", flat=True)
            .first()
        )
        if current != Status.WRITING:
            return current or "missing"
        try:
            report = run_import(
                user,
                batch.kind,
                bytes(batch.content),
                batch.filename,
                commit=True,
                progress=_progress_of(batch_id),
            )
        except PermissionDenied as exc:
            do_fail_batch(batch_id, str(exc))
            return Status.FAILED
        status = Status.IMPORTED if report.written else Status.FAILED
        ImportBatch.objects.filter(pk=batch_id).update(
            status=status,
            report=report.as_dict(),
            imported_at=timezone.now() if report.written else None,
            stage="",
            done=report.rows,
            total=report.rows,
        )
        batch.refresh_from_db(fields=["status"])
        do_record(
            user, "import" if report.written else "import_refused", batch, after=summary(report)
        )
    return status
