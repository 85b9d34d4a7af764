"""Proposal explanations in sentences a municipality understands ("begrunnelse i klarspråk").

The engine stores with every proposal its score terms and its binding constraints
(``bosetting.engine.matching.result.Explanation.as_dict``): numbers and short notes. This module turns
that structure, with the proposal's household, unit and municipality, into a few plain sentences in
the active language — "Familien på 8 passer i en bolig for inntil 8 personer i Bergen. De har ventet
16 måneder …" — and leaves the engine's contract as it is: the binding notes are read from their
English form (``binding``), whose wording the engine's tests pin; a note this module does not know
is shown as the engine wrote it in the active language.

The score terms stay available for analysts (:func:`score_parts`), one click away on the round page.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from bosetting.apps.cases.choices import Need

# Services a household may need that not every municipality offers (the engine's ``SERVICE_NB``).
_SERVICE = {
    Need.HEALTH_HIGH.value: lambda: _("omfattende helsetjenester"),
    Need.DISABILITY.value: lambda: _("tilrettelegging ved funksjonsnedsettelse"),
    Need.ACCESSIBLE.value: lambda: _("tilgjengelig bolig"),
}


def _n(value) -> str:
    return number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)


def _pct(share: float) -> str:
    """A share 0..1 as a whole percentage in the active language ("51 %" / "51%")."""
    return _("%(n)s %%") % {"n": _n(round(100 * share))}


def _capacity_used_up(m: re.Match) -> str:
    return _("Med dette forslaget er plassene i kommunens vedtak brukt opp (%(a)s av %(b)s).") % {
        "a": _n(int(m[1])),
        "b": _n(int(m[2])),
    }


def _capacity_tight(m: re.Match) -> str:
    left = int(m[1])
    return ngettext(
        "Kommunen har bare %(n)s plass igjen i vedtaket.",
        "Kommunen har bare %(n)s plasser igjen i vedtaket.",
        left,
    ) % {"n": _n(left)}


def _uam_capacity(m: re.Match) -> str:
    values = {"a": _n(int(m[2])), "b": _n(int(m[3]))}
    if m[1] == "used up":
        return (
            _("Plassene for enslige mindreårige i vedtaket er brukt opp (%(a)s av %(b)s).") % values
        )
    return (
        _("Plassene for enslige mindreårige i vedtaket er nesten brukt opp (%(a)s av %(b)s).")
        % values
    )


def _zone_cap(m: re.Match) -> str:
    return _(
        "Området (sone %(zone)s) har nå så mange nybosatte husholdninger som kommunen vil ha der "
        "(%(a)s av %(b)s)."
    ) % {"zone": m[1], "a": _n(int(m[2])), "b": _n(int(m[3]))}


def _shared_full(m: re.Match) -> str:
    return _("Bofellesskapet blir fullt (%(a)s av %(b)s sengeplasser).") % {
        "a": _n(int(m[1])),
        "b": _n(int(m[2])),
    }


def _fits_exactly(m: re.Match) -> str:
    return _("Boligen har akkurat plass til alle i husstanden.")


def _only_unit(m: re.Match) -> str:
    return _("Det er den eneste ledige boligen i perioden som passer husstanden.")


def _few_units(m: re.Match) -> str:
    return _("Bare %(k)s ledige boliger i perioden passer husstanden.") % {"k": _n(int(m[1]))}


def _only_accessible(m: re.Match) -> str:
    return _("Det er den eneste tilgjengelige boligen i kommunen i perioden som passer husstanden.")


def _needs_service(m: re.Match) -> str:
    service = _SERVICE.get(m[1])
    offering, of = int(m[2]), int(m[3])
    if service is None:
        return _("Husstanden har et særskilt behov som %(a)s av %(b)s kommuner kan møte.") % {
            "a": _n(offering),
            "b": _n(of),
        }
    return _("Husstanden trenger %(service)s, som bare %(a)s av %(b)s kommuner kan gi.") % {
        "service": service(),
        "a": _n(offering),
        "b": _n(of),
    }


# The engine's binding notes (English form, ``engine/matching/result.py``) and their sentences.
_BINDING: tuple[tuple[re.Pattern[str], Callable[[re.Match], str]], ...] = (
    (re.compile(r"municipality capacity used up \((\d+) of (\d+) persons\)"), _capacity_used_up),
    (re.compile(r"municipality capacity tight \((\d+) persons left\)"), _capacity_tight),
    (re.compile(r"UAM capacity (used up|tight) \((\d+) of (\d+)\)"), _uam_capacity),
    (re.compile(r"zone cap reached in zone (\S+) \((\d+) of (\d+) households\)"), _zone_cap),
    (re.compile(r"shared unit full \((\d+) of (\d+) beds\)"), _shared_full),
    (re.compile(r"unit size fits exactly \((\d+) of (\d+) occupants\)"), _fits_exactly),
    (re.compile(r"the only unit within the horizon that fits this household"), _only_unit),
    (re.compile(r"one of only (\d+) units within the horizon that fit this household"), _few_units),
    (
        re.compile(r"the only fitting accessible unit in the municipality within the horizon"),
        _only_accessible,
    ),
    (re.compile(r"needs (\w+): offered by (\d+) of (\d+) municipalities"), _needs_service),
)


def binding_sentence(english: str, bokmal: str = "") -> str:
    """One binding note as a plain sentence; an unknown note as the engine wrote it."""
    for pattern, sentence in _BINDING:
        match = pattern.fullmatch(english.strip())
        if match:
            return sentence(match)
    if (get_language() or "nb").startswith("en") or not bokmal:
        return english[:1].upper() + english[1:] + "."
    return bokmal[:1].upper() + bokmal[1:] + "."


def _who(persons: int | None) -> str:
    if persons is None:
        return _("Husstanden")
    return ngettext("Den enslige", "Familien på %(n)s", persons) % {"n": _n(persons)}


def _they(persons: int | None) -> str:
    if persons == 1:
        return _("Personen")
    return _("De")


def fit_sentence(persons: int | None, occupants: int | None, place: str) -> str:
    """ "Familien på 8 passer i en bolig for inntil 8 personer i Bergen." """
    if occupants is None:
        return _("%(who)s får plass i %(place)s.") % {"who": _who(persons), "place": place}
    flat = ngettext("en bolig for én person", "en bolig for inntil %(m)s personer", occupants) % {
        "m": _n(occupants)
    }
    return _("%(who)s passer i %(flat)s i %(place)s.") % {
        "who": _who(persons),
        "flat": flat,
        "place": place,
    }


def wait_sentence(persons: int | None, wait_months: float, target_months: float) -> str:
    """ "De har ventet 16 måneder; målet er bosetting innen 6 måneder." """
    waited = max(0, round(wait_months))
    target = round(target_months)
    values = {"they": _they(persons), "n": _n(waited), "target": _n(target)}
    if waited > target:
        values["over"] = _n(waited - target)
        return (
            ngettext(
                "%(they)s har ventet %(n)s måned, %(over)s over målet på %(target)s måneder.",
                "%(they)s har ventet %(n)s måneder, %(over)s over målet på %(target)s måneder.",
                waited,
            )
            % values
        )
    return (
        ngettext(
            "%(they)s har ventet %(n)s måned; målet er bosetting innen %(target)s måneder.",
            "%(they)s har ventet %(n)s måneder; målet er bosetting innen %(target)s måneder.",
            waited,
        )
        % values
    )


def ties_sentence(persons: int | None, tied_here: bool, tied_elsewhere: bool) -> str:
    they = _they(persons)
    if tied_here:
        return _("%(they)s har familie eller nettverk i kommunen.") % {"they": they}
    if tied_elsewhere:
        return _("%(they)s har familie eller nettverk i en annen kommune, ikke her.") % {
            "they": they
        }
    return _("%(they)s har ikke tilknytning hit.") % {"they": they}


def outcome_sentence(explanation: dict) -> str:
    """Predicted employment here against the household's best and average alternative (format /2);
    empty without a prediction."""
    here = explanation.get("p_here")
    if here is None:
        return ""
    best, average = explanation.get("p_best"), explanation.get("p_average")
    if best is None or average is None:
        return _("Forventet andel i arbeid eller utdanning etter to år er %(here)s her.") % {
            "here": _pct(here)
        }
    values = {
        "here": _pct(here),
        "best": _pct(best),
        "average": _pct(average),
        "where": explanation.get("p_best_municipality") or _("et annet sted"),
    }
    if round(100 * best) <= round(100 * here):
        return (
            _(
                "Forventet andel i arbeid eller utdanning etter to år er %(here)s her, det beste "
                "stedet for husstanden (snittet er %(average)s)."
            )
            % values
        )
    return (
        _(
            "Forventet andel i arbeid eller utdanning etter to år er %(here)s her, %(best)s i "
            "beste alternativ (%(where)s) og %(average)s i snitt."
        )
        % values
    )


@dataclass(frozen=True)
class ScorePart:
    """One term of a proposal's score, for the analysts' view."""

    label: str
    value: float


def score_parts(explanation: dict) -> list[ScorePart]:
    """The score's terms with their names in the active language (zero /2 terms left out)."""
    parts = [
        ScorePart(_("Bosetting"), explanation.get("settle", 0.0)),
        ScorePart(_("Ventetid"), explanation.get("wait", 0.0)),
        ScorePart(_("Tilknytning"), explanation.get("ties", 0.0)),
        ScorePart(_("Arbeidsmarked"), explanation.get("labour", 0.0)),
        ScorePart(_("Tilpasning"), explanation.get("fit", 0.0)),
    ]
    if explanation.get("outcome"):
        parts.append(ScorePart(_("Integrering"), explanation["outcome"]))
    if explanation.get("preference"):
        parts.append(ScorePart(_("Ønske"), explanation["preference"]))
    return parts


def sentences(proposal, persons: int | None = None) -> list[str]:
    """Why this household was proposed for this flat, in sentences (the active language).

    Args:
        proposal: A ``Proposal`` with its household, municipality and unit loaded.
        persons: The household's size when the caller has counted it (the round page annotates it);
            otherwise the sentences say "Husstanden" rather than counting persons row by row.
    """
    explanation = proposal.explanation or {}
    household = proposal.household
    municipality = proposal.municipality
    unit = proposal.unit
    out = [fit_sentence(persons, unit.max_occupants if unit else None, municipality.name)]
    if "wait_months" in explanation and "target_months" in explanation:
        out.append(wait_sentence(persons, explanation["wait_months"], explanation["target_months"]))
    ties = household.ties or []
    out.append(ties_sentence(persons, municipality.number in ties, bool(ties)))
    rank = explanation.get("preference_rank")
    if rank:
        out.append(_("Kommunen er husstandens ønske nummer %(rank)s.") % {"rank": _n(rank)})
    english = explanation.get("binding") or []
    bokmal = explanation.get("binding_nb") or []
    for i, note in enumerate(english):
        out.append(binding_sentence(note, bokmal[i] if i < len(bokmal) else ""))
    return out
