"""Template filters that show a proposal's explanation in plain sentences (``matching/explain.py``)."""

from __future__ import annotations

from django import template

from bosetting.apps.matching import explain

register = template.Library()


def _persons(proposal) -> int | None:
    counted = getattr(proposal, "persons_n", None)
    if counted is not None:
        return counted
    ages = getattr(proposal, "ages", None)
    return len(ages) if ages is not None else None


@register.filter
def explained(proposal) -> list[str]:
    """Why this proposal, sentence by sentence, in the active language."""
    return explain.sentences(proposal, _persons(proposal))


@register.filter
def outcome_words(proposal) -> str:
    """Expected work or education here against the alternatives, in words; empty without a prediction."""
    return explain.outcome_sentence(proposal.explanation or {})


@register.filter
def score_parts(proposal) -> list[explain.ScorePart]:
    """The score's terms, named, for the analysts' view."""
    return explain.score_parts(proposal.explanation or {})
