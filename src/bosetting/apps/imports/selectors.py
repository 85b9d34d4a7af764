"""Reads of imports: a user sees the files it uploaded itself; the formats and their samples."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from bosetting.apps.imports.kinds import KINDS
from bosetting.apps.imports.models import ImportBatch


def batches_for(user) -> QuerySet[ImportBatch]:
    """The files the user uploaded, newest first (without their content)."""
    if user is None or not user.is_authenticated:
        return ImportBatch.objects.none()
    return ImportBatch.objects.filter(created_by=user).defer("content")


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
