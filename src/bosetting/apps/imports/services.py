"""Imports ("import av filer"): the command line's import, the web upload, its confirmation, and the
purge of old uploads.

How a file is read, checked and written (limits first, every error row by row, all rows or none,
idempotent, audited) is ``importer``; see docs/imports.md.

- The command line (``do_import``) imports a file at once, in the foreground.
- The web upload (``do_upload``) only stores the file — after the checks that cost nothing: its
  size, its name and, for XLSX, the zip directory and the declared dimension — and enqueues a
  background job that reads and checks it (``tasks.check_batch_task``); the page shows the job's
  progress and then the preview. ``do_confirm`` enqueues the write (``tasks.write_batch_task``).
  A request never reads a file's rows.
- ``do_purge_contents`` empties the content of uploads older than the retention period and keeps
  their report; audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bosetting.apps.audit.services import do_record, do_record_many
from bosetting.apps.imports import parsing
from bosetting.apps.imports.importer import (
    ImportReport,
    Progress,
    RowError,
    run_import,
    summary,
    upload_limits,
)
from bosetting.apps.imports.kinds import KINDS
from bosetting.apps.imports.models import ACTIVE_STATUSES, ImportBatch
from bosetting.apps.imports.tasks import check_batch_task, write_batch_task
from bosetting.apps.jobs.selectors import check_job_room

__all__ = [
    "ImportReport",
    "PurgeResult",
    "RowError",
    "do_confirm",
    "do_import",
    "do_purge_contents",
    "do_upload",
    "kinds_for",
    "run_import",
    "upload_limits",
]

Status = ImportBatch.Status
# Batches emptied per update when old uploads are purged.
PURGE_CHUNK = 500


def kinds_for(user) -> list[str]:
    """The kinds of file a user may import (``user=None``: the system, from the command line)."""
    return [name for name, kind in KINDS.items() if kind.may_import(user)]


def _owner(user):
    return user if user is not None and user.is_authenticated else None


def do_import(
    user,
    kind_name: str,
    content: bytes,
    filename: str,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import a file at once (the command line). A written import is kept as an audited batch."""
    report = run_import(user, kind_name, content, filename, commit=not dry_run, progress=progress)
    if report.written:
        with transaction.atomic():
            batch = ImportBatch.objects.create(
                kind=kind_name,
                filename=filename[:200],
                content=content,
                size=len(content),
                created_by=_owner(user),
                report=report.as_dict(),
                status=Status.IMPORTED,
                imported_at=timezone.now(),
            )
            do_record(user, "import", batch, after=summary(report))
    return report


def do_upload(user, kind_name: str, content: bytes, filename: str) -> ImportBatch:
    """Store an uploaded file and enqueue its check ("last opp importfil"); nothing else is written.

    The checks that cost nothing are made at once (size, name, and for XLSX the unpacked size and
    the declared dimension): a file over a limit is kept as a ``failed`` batch with the refusal in
    its report and without its content. Otherwise the batch is stored ``queued`` and its job is
    enqueued in the same transaction (``task_id``).

    Raises:
        PermissionDenied: the user may not import this kind.
        Throttled: the user has ``BOSETTING_MAX_JOBS_PER_USER`` jobs queued or running, or the
            service ``BOSETTING_MAX_PENDING_JOBS``.
    """
    kind = KINDS[kind_name]
    if not kind.may_import(user):
        raise PermissionDenied(_("Du har ikke tilgang til å importere denne filtypen."))
    owner = _owner(user)
    with transaction.atomic():
        if owner is not None:
            check_job_room(
                ImportBatch.objects.filter(created_by=owner, status__in=ACTIVE_STATUSES).count()
            )
        try:
            parsing.inspect(content, filename, upload_limits(), deep=False)
        except parsing.FileError as exc:
            report = ImportReport(kind=kind_name, filename=filename)
            report.limit = getattr(exc, "limit", "")
            report.errors.append(RowError(0, "", str(exc)))
            return ImportBatch.objects.create(
                kind=kind_name,
                filename=filename[:200],
                content=b"",
                size=len(content),
                created_by=owner,
                status=Status.FAILED,
                report=report.as_dict(),
            )
        batch = ImportBatch.objects.create(
            kind=kind_name,
            filename=filename[:200],
            content=content,
            size=len(content),
            created_by=owner,
            status=Status.QUEUED,
        )
        job = check_batch_task.enqueue(batch.pk)
        ImportBatch.objects.filter(pk=batch.pk).update(task_id=str(job.id))
    batch.refresh_from_db()
    return batch


@transaction.atomic
def do_confirm(user, batch_id: int) -> ImportBatch:
    """Confirm a previewed file ("bekreft import"): its write is enqueued as a background job, which
    checks the file again against the database as it is then and writes every row or none.

    A preview with errors is refused at once (``failed``, audited ``import_refused``): nothing
    can be written from it.

    Raises:
        PermissionDenied: not the uploader.
        ValidationError: the file is not a preview waiting for confirmation, or its content has
            been purged.
    """
    batch = ImportBatch.objects.select_for_update(of=("self",)).get(pk=batch_id)
    if batch.created_by_id != getattr(user, "pk", None):
        raise PermissionDenied(_("Bare den som lastet opp filen kan bekrefte importen."))
    if batch.status in (Status.CONFIRMED, Status.WRITING):
        raise ValidationError(_("Filen lagres allerede."))
    if batch.status != Status.PREVIEWED:
        raise ValidationError(_("Filen er allerede behandlet."))
    report = ImportReport.from_dict(batch.report)
    if not report.ok:
        batch.status = Status.FAILED
        batch.save(update_fields=["status"])
        do_record(user, "import_refused", batch, after=summary(report))
        return batch
    if batch.purged_at is not None:
        raise ValidationError(
            _(
                "Innholdet i filen er slettet (opplastede filer beholdes i %(days)s dager). Last "
                "opp filen på nytt."
            )
            % {"days": settings.BOSETTING_IMPORT_RETENTION_DAYS}
        )
    batch.status = Status.CONFIRMED
    batch.stage, batch.done, batch.total, batch.error = "", 0, 0, ""
    batch.save(update_fields=["status", "stage", "done", "total", "error"])
    job = write_batch_task.enqueue(batch.pk)
    ImportBatch.objects.filter(pk=batch.pk).update(task_id=str(job.id))
    batch.refresh_from_db()
    return batch


@dataclass(frozen=True)
class PurgeResult:
    """What ``do_purge_contents`` emptied (or would empty): batches, bytes, and the cut-off."""

    batches: int
    bytes: int
    days: int
    before: datetime
    dry_run: bool = False


def do_purge_contents(
    *, days: int | None = None, now: datetime | None = None, dry_run: bool = False
) -> PurgeResult:
    """Empty the content of uploaded files older than ``days`` ("slett gamle importfiler"; default
    ``BOSETTING_IMPORT_RETENTION_DAYS``), keeping each batch's report, counts and metadata, and
    stamping ``purged_at``. A batch a job is still to check or write is left alone. Each emptied
    batch is audited (``purge_content``, size before and after). Running it again empties nothing
    more.
    """
    days = settings.BOSETTING_IMPORT_RETENTION_DAYS if days is None else days
    now = now or timezone.now()
    cutoff = now - timedelta(days=days)
    old = (
        ImportBatch.objects.filter(created_at__lt=cutoff, purged_at__isnull=True)
        .exclude(status__in=ACTIVE_STATUSES)
        .defer("content", "report")
        .order_by("pk")
    )
    batches = list(old)
    result = PurgeResult(len(batches), sum(b.size for b in batches), days, cutoff, dry_run)
    if dry_run or not batches:
        return result
    note = _("Innholdet er slettet etter %(days)s dager; rapporten er beholdt.") % {"days": days}
    with transaction.atomic():
        for start in range(0, len(batches), PURGE_CHUNK):
            chunk = batches[start : start + PURGE_CHUNK]
            ImportBatch.objects.filter(pk__in=[b.pk for b in chunk]).update(
                content=b"", purged_at=now
            )
        do_record_many(
            None,
            "purge_content",
            [
                (b, {"content_bytes": b.size}, {"content_bytes": 0, "purged_at": now})
                for b in batches
            ],
            note=note,
        )
    return result
