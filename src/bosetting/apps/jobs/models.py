"""Signs of life from background workers ("bakgrunnsprosesser")."""

from __future__ import annotations

from django.db import models


class WorkerHeartbeat(models.Model):
    """A running worker's sign of life ("livstegn fra bakgrunnsprosessen").

    ``bosetting worker`` writes its row when it starts, touches ``last_seen`` every few seconds while
    it lives (also while a long job runs) and deletes the row when it stops cleanly. A row whose
    ``last_seen`` is older than ``BOSETTING_WORKER_STALE_SECONDS`` belongs to a dead worker: the job
    it was running is recovered (queued again or given up).
    """

    worker_id = models.CharField(max_length=64, unique=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    last_seen = models.DateTimeField(db_index=True)
    # The id of the job the worker runs now (empty when idle).
    current_task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-last_seen"]

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.host}:{self.pid})"
