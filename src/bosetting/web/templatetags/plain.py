"""Numbers and codes as a reader expects them, in the active language (``{% load plain %}``).

- ``{{ 7672|num }}`` → "7 672" in bokmål, "7,672" in English; ``{{ 0.518|num:1 }}`` → "0,5".
- ``{{ 51.8|percent }}`` → "51,8 %" (a value already in per cent); ``{{ 0.295|share }}`` → "29,5 %"
  (a share 0..1).
- ``{{ household.needs|need_labels }}`` → "Tilgjengelig bolig, Store helsebehov" instead of the codes;
  ``{{ event.to_status|case_status }}`` → "Bosettingsklar" instead of ``ready``.

Django's own ``{{ n }}`` leaves out the thousands separator (``USE_THOUSAND_SEPARATOR`` stays off so
that ids in URLs and attributes are never grouped); these filters group where a person reads.
"""

from __future__ import annotations

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from bosetting.apps.cases.choices import CaseStatus, Need

register = template.Library()

_NEED_LABELS = dict(Need.choices)
_CASE_STATUS_LABELS = dict(CaseStatus.choices)


def _number(value, places: int) -> str:
    return number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


@register.filter
def num(value, places: int = 0) -> str:
    """A number with the locale's thousands separator and decimal mark; "–" for None."""
    if value is None or value == "":
        return "–"
    try:
        return _number(float(value) if places else round(float(value)), int(places))
    except (TypeError, ValueError):
        return str(value)


@register.filter
def percent(value, places: int = 1) -> str:
    """A value in per cent, as the locale writes it ("51,8 %" / "51.8%"); "–" for None."""
    return _percent(value, places, 1.0)


@register.filter
def share(value, places: int = 1) -> str:
    """A share between 0 and 1 as a percentage ("0.295" → "29,5 %"); "–" for None."""
    return _percent(value, places, 100.0)


def _percent(value, places, factor: float) -> str:
    if value is None or value == "":
        return "–"
    try:
        return _("%(n)s %%") % {"n": _number(factor * float(value), int(places))}
    except (TypeError, ValueError):
        return str(value)


@register.filter
def need_labels(codes) -> str:
    """A household's special needs by their labels, joined with commas."""
    return ", ".join(str(_NEED_LABELS.get(code, code)) for code in codes or ())


@register.filter
def case_status(code) -> str:
    """A case status by its label; empty stays empty."""
    if not code:
        return ""
    return str(_CASE_STATUS_LABELS.get(code, code))
