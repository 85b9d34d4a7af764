"""The words of a notice ("varseltekst"), made when it is shown or e-mailed, in the active language.

A notice stores its kind and the values of its text (``params``); dates are stored as ISO days and
numbers as numbers, and both are formatted here by the locale (5. januar 2015, 1 234).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import formats
from django.utils.translation import gettext_lazy as _

from bosetting.apps.notifications.choices import NoticeKind

#: (title, body) of each kind; ``%(name)s`` are the notice's params.
TEXTS = {
    NoticeKind.PROPOSAL_RECEIVED: (
        _("Nytt forslag: husholdning %(reference)s (%(persons)s personer)"),
        _(
            "IMDi foreslår at %(municipality)s bosetter husholdningen %(reference)s "
            "(%(persons)s personer). Svar innen %(due)s."
        ),
    ),
    NoticeKind.ANSWER_DUE: (
        _("Svarfrist %(due)s: forslag om %(reference)s"),
        _(
            "Forslaget om å bosette husholdningen %(reference)s i %(municipality)s er ikke besvart. "
            "Svarfristen er %(due)s."
        ),
    ),
    NoticeKind.SELF_SETTLEMENT_DUE: (
        _("Frist %(due)s: selvbosetting for %(reference)s"),
        _(
            "Leietilbudet for husholdningen %(reference)s i %(municipality)s går ut %(due)s. "
            "Selvbosettingen må godkjennes eller avslås før det."
        ),
    ),
    NoticeKind.ROUND_FINISHED: (
        _("Utsøkingsrunden «%(round)s» er ferdig"),
        _(
            "%(households)s husholdninger (%(persons)s personer) har fått forslag. "
            "Se gjennom forslagene og send dem til kommunene."
        ),
    ),
    NoticeKind.DECISION_REGISTERED: (
        _("Vedtak fra %(municipality)s for %(year)s"),
        _(
            "%(municipality)s har registrert vedtak om å bosette %(persons)s personer per år "
            "(%(period)s), av dem %(uam_persons)s enslige mindreårige."
        ),
    ),
    NoticeKind.LEASE_ENDING: (
        _("Leiekontrakt går ut %(due)s: bolig %(unit)s"),
        _(
            "Kontrakten for bolig %(unit)s i %(municipality)s går ut %(due)s. Avklar ny kontrakt "
            "eller flytting med husholdningen %(reference)s."
        ),
    ),
}

#: A round that failed has its own words.
ROUND_FAILED = (
    _("Utsøkingsrunden «%(round)s» feilet"),
    _("Runden ble ikke ferdig: %(error)s"),
)

#: Params that hold a day (ISO) and are shown as a date.
DATE_PARAMS = frozenset({"due"})


def _shown(params: dict[str, Any]) -> dict[str, str]:
    values: dict[str, str] = {}
    for name, value in params.items():
        if name in DATE_PARAMS and isinstance(value, str):
            try:
                value = formats.date_format(date.fromisoformat(value))
            except ValueError:
                pass
        elif isinstance(value, int) and not isinstance(value, bool):
            value = formats.number_format(value, use_l10n=True, force_grouping=True)
        values[name] = str(value)
    return values


def words(kind: str, params: dict[str, Any]) -> tuple[str, str]:
    """The title and body of a notice in the active language. A param missing from the stored
    values shows as empty rather than failing (an old notice outlives a change of its text)."""
    pair = ROUND_FAILED if kind == NoticeKind.ROUND_FINISHED and params.get("failed") else None
    title, body = pair or TEXTS.get(kind, (kind, ""))

    class _Missing(dict):
        def __missing__(self, key: str) -> str:
            return ""

    values = _Missing(_shown(params or {}))
    return str(title) % values, str(body) % values
