"""Proposal explanations in sentences a municipality understands (``apps/matching/explain.py``), in
bokmål and English (the round page itself: ``test_views.py``)."""

from __future__ import annotations

import pytest
from django.utils import translation

from bosetting.apps.matching.explain import (
    binding_sentence,
    fit_sentence,
    ties_sentence,
    wait_sentence,
)

# The engine's binding notes as it writes them (``engine/matching/result.py``), with what a reader gets.
NOTES = [
    ("municipality capacity used up (250 of 250 persons)", "plassene i kommunens vedtak brukt opp (250 av 250)"),
    ("municipality capacity tight (3 persons left)", "bare 3 plasser igjen i vedtaket"),
    ("UAM capacity used up (4 of 4)", "enslige mindreårige i vedtaket er brukt opp (4 av 4)"),
    ("zone cap reached in zone 1201-02 (5 of 5 households)", "Området (sone 1201-02)"),
    ("shared unit full (4 of 4 beds)", "Bofellesskapet blir fullt (4 av 4 sengeplasser)"),
    ("unit size fits exactly (8 of 8 occupants)", "akkurat plass til alle i husstanden"),
    ("the only unit within the horizon that fits this household", "den eneste ledige boligen"),
    ("one of only 3 units within the horizon that fit this household", "Bare 3 ledige boliger"),
    (
        "the only fitting accessible unit in the municipality within the horizon",
        "den eneste tilgjengelige boligen i kommunen",
    ),
    ("needs health_high: offered by 12 of 40 municipalities", "omfattende helsetjenester, som bare 12 av 40"),
]  # fmt: skip


@pytest.mark.parametrize("note,words", NOTES)
def test_every_binding_note_of_the_engine_reads_as_a_sentence(note, words):
    with translation.override("nb"):
        sentence = binding_sentence(note, "ignored")
    assert words in sentence and sentence.endswith(".")
    assert "_" not in sentence


def test_an_unknown_note_is_shown_as_the_engine_wrote_it_in_the_active_language():
    with translation.override("nb"):
        assert binding_sentence("something new", "noe nytt") == "Noe nytt."
    with translation.override("en"):
        assert binding_sentence("something new", "noe nytt") == "Something new."


def test_the_family_the_flat_the_wait_and_the_ties_in_plain_words():
    with translation.override("nb"):
        assert (
            fit_sentence(8, 8, "Bergen")
            == "Familien på 8 passer i en bolig for inntil 8 personer i Bergen."
        )
        assert fit_sentence(1, 1, "Os") == "Den enslige passer i en bolig for én person i Os."
        assert wait_sentence(8, 16.2, 6) == "De har ventet 16 måneder, 10 over målet på 6 måneder."
        assert ties_sentence(8, False, False) == "De har ikke tilknytning hit."
    with translation.override("en"):
        assert (
            fit_sentence(8, 8, "Bergen")
            == "The family of 8 fits in a flat for up to 8 persons in Bergen."
        )
        assert (
            wait_sentence(1, 2, 6)
            == "The person has waited 2 months; the target is settlement within 6 months."
        )
