"""Making letters ("lage brev"): render a letter's template with live data to PDF, archive it on its
object, audit it.

The letters app lies in the floor of the layers, so that every app above may write letters: the app
that owns the object gathers the live data and checks who may make the letter, then calls
:func:`do_make_letter` —

- ``planning.services.do_make_request_letter`` — IMDi's request to a municipality (anmodning);
- ``lifecycle.services.do_make_agreement_letter`` — the settlement agreement for a household;
- ``matching.services.do_make_proposal_letter`` — the notice to a municipality of a proposal.

Every letter is in bokmål on A4 with IMDi's header (WeasyPrint), dated on the business date, and
archived as a new row (the PDF itself, who made it, when); the audit entry is written on the object
the letter is about, so it shows in that object's history.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import translation

from bosetting import clock
from bosetting.apps.audit.services import do_record
from bosetting.apps.geo.selectors import demo_world_loaded
from bosetting.apps.letters.choices import KIND_OBJECT_TYPES, LetterKind
from bosetting.apps.letters.models import Letter

#: The agency that signs every letter (the header). IMDi's regional office is named beside it.
AGENCY = "Integrerings- og mangfoldsdirektoratet (IMDi)"


def render_pdf(template: str, context: dict[str, Any]) -> tuple[bytes, int]:
    """A letter's HTML template rendered in bokmål and drawn as PDF; returns the PDF and its pages."""
    # WeasyPrint is heavy (Pango, fonts) and only letters and the monthly report need it.
    from weasyprint import HTML

    with translation.override("nb"):
        html = render_to_string(template, context)
    document = HTML(string=html).render()
    return document.write_pdf(), len(document.pages)


def _name(user) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return "system"
    return user.get_full_name() or user.get_username()


def do_make_letter(
    user,
    *,
    kind: str,
    obj: models.Model,
    title: str,
    municipality=None,
    office=None,
    context: dict[str, Any] | None = None,
) -> Letter:
    """Make a letter of ``kind`` about ``obj`` and archive it; the caller (the object's app) has
    checked that the user may. ``context`` is the letter's live data for its template
    (``letters/<kind>.html``); ``office`` is IMDi's regional office that sends it (the header).
    Returns the archived letter (its PDF in ``pdf``).

    The PDF is rendered before the transaction that stores it: rendering takes up to a second, and
    on SQLite a write transaction holds the whole database, so a plan's hundreds of letters made in
    one job would otherwise keep every other writer (a login, a session) waiting."""
    kind = LetterKind(kind)
    object_type = obj._meta.label_lower
    if KIND_OBJECT_TYPES[kind] != object_type:
        raise ValueError(f"a {kind} letter is not about {object_type}")
    dated = clock.today()
    pdf, pages = render_pdf(
        f"letters/{kind.value}.html",
        {
            **(context or {}),
            "title": title,
            "agency": AGENCY,
            "office": office,
            "municipality": municipality,
            "dated": dated,
            "made_by": _name(user),
            "reference": f"{kind.value}-{obj.pk}",
            "demo": demo_world_loaded(),
        },
    )
    is_user = user is not None and getattr(user, "is_authenticated", False)
    with transaction.atomic():
        return _store_letter(
            user, kind, obj, object_type, title, municipality, dated, pdf, pages, is_user
        )


def _store_letter(user, kind, obj, object_type, title, municipality, dated, pdf, pages, is_user):
    letter = Letter.objects.create(
        kind=kind,
        object_type=object_type,
        object_id=obj.pk,
        municipality=municipality,
        title=title,
        dated=dated,
        made_by=user if is_user else None,
        made_by_name=_name(user),
        pdf=pdf,
        size_bytes=len(pdf),
        pages=pages,
        sha256=hashlib.sha256(pdf).hexdigest(),
    )
    do_record(
        user,
        "letter",
        obj,
        None,
        {
            "letter": letter.pk,
            "kind": kind.value,
            "title": title,
            "dated": dated,
            "pages": pages,
            "sha256": letter.sha256,
        },
        note=title,
    )
    return letter
