"""Reads of imports: a user sees the files it uploaded itself; the formats, their samples and the
limits of a file."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from bosetting.apps.imports import parsing
from bosetting.apps.imports.importer import upload_limits
from bosetting.apps.imports.kinds import KINDS
from bosetting.apps.imports.models import ImportBatch


def batches_for(user) -> QuerySet[ImportBatch]:
    """The files the user uploaded, newest first (without their content)."""
    if user is None or not user.is_authenticated:
        return ImportBatch.objects.none()
    return ImportBatch.objects.filter(created_by=user).defer("content")


def is_running(batch: ImportBatch) -> bool:
    """Whether a background job is still to check or write the file (the page polls meanwhile)."""
    return batch.active


def limits() -> parsing.Limits:
    """The limits of an import file (``BOSETTING_IMPORT_MAX_*``): bytes, rows, columns and the
    unpacked size of an XLSX file."""
    return upload_limits()


def batch_for(user, pk) -> ImportBatch:
    """One of the user's uploaded files; 404 for any other."""
    try:
        return batches_for(user).get(pk=pk)
    except (ImportBatch.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Importen finnes ikke.") from exc


# --- reads for the command line ---


def kind_names() -> list[str]:
    """The import formats, in their documented order (``decisions``, ``units``, ``permits``)."""
    return list(KINDS)


def sample_rows(kind: str) -> tuple[tuple[str, ...], ...]:
    """A format's sample file, header first (the same as docs/samples/).

    Raises:
        KeyError: no such format.
    """
    return KINDS[kind].sample
