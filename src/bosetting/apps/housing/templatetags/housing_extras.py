"""Template filters for housing and finance pages."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``{{ row|get_item:"5+" }}``: a dict value by key (None when missing)."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def kroner(value):
    """Whole kroner with thin-space thousands, or «ukjent» for None."""
    if value is None:
        return "ukjent"
    return f"{round(value):,} kr".replace(",", "\u00a0")
