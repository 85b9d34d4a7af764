"""Reads of archived letters, scoped by the user: a letter is visible to whoever may see the object
it is about — the owning apps say which objects that is (``audit.registry``, the same answer the
change log uses), and IMDi national sees every letter. The PDF is read only for a download."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from bosetting.apps.accounts.choices import Role
from bosetting.apps.accounts.selectors import scope_for
from bosetting.apps.audit.registry import visible_objects
from bosetting.apps.letters.models import Letter


def letters_for(user) -> QuerySet[Letter]:
    """The letters the user may see, newest first, without their PDFs."""
    scope = scope_for(user)
    qs = Letter.objects.defer("pdf").select_related("municipality")
    if scope.role is None:
        return qs.none()
    if scope.role == Role.IMDI_NATIONAL:
        return qs
    q = Q(pk__in=[])
    for object_type, objects in visible_objects(user).items():
        q |= Q(object_type=object_type, object_id__in=objects.values("pk"))
    return qs.filter(q)


def letters_about(user, obj) -> list[Letter]:
    """The letters about one object the user may see, newest first (the object's page)."""
    if obj is None or obj.pk is None:
        return []
    return list(letters_for(user).filter(object_type=obj._meta.label_lower, object_id=obj.pk))


def letter_for(user, pk) -> Letter:
    """One letter with its PDF, if the user may see it; ``Http404`` otherwise (no existence leak)."""
    try:
        found = letters_for(user).filter(pk=pk).values_list("pk", flat=True).first()
    except (ValueError, TypeError):
        found = None
    if found is None:
        raise Http404(_("Brevet finnes ikke, eller du har ikke tilgang til det."))
    return Letter.objects.select_related("municipality").get(pk=found)


def lettered_objects(kind: str, object_type: str, object_ids) -> set[int]:
    """Which of the objects have a letter of ``kind`` already (a system read: a job that makes
    letters skips those, so it may run again)."""
    return set(
        Letter.objects.filter(
            kind=kind, object_type=object_type, object_id__in=list(object_ids)
        ).values_list("object_id", flat=True)
    )
