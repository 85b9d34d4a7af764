"""Reads of import batches: a user sees the files it uploaded itself."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from bosetting.apps.imports.models import ImportBatch


def batches_for(user) -> QuerySet[ImportBatch]:
    if user is None or not user.is_authenticated:
        return ImportBatch.objects.none()
    return ImportBatch.objects.filter(created_by=user).defer("content")


def batch_for(user, pk) -> ImportBatch:
    try:
        return batches_for(user).get(pk=pk)
    except (ImportBatch.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Importen finnes ikke.") from exc
