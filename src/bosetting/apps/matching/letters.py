"""The live data of the notice to a municipality of a proposal ("forespørsel om bosetting"): the
household (reference, ages, waiting time, special needs, whether it has ties there — never names,
never the health note), the proposed flat, the answer's deadline and the municipality's decision for
the year. ``services.do_make_proposal_letter`` makes the letter."""

from __future__ import annotations

from typing import Any

from bosetting import clock
from bosetting.apps.cases.choices import HouseholdType, Need
from bosetting.apps.geo.choices import Agency
from bosetting.apps.geo.selectors import offices_for_municipality
from bosetting.apps.matching.models import Proposal
from bosetting.apps.planning.selectors import decision_of
from bosetting.engine.rules.targets import answer_due


def _label(choices, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def proposal_letter(proposal: Proposal) -> tuple[str, dict[str, Any], Any]:
    """The title, the template's data and the sending office of the notice of ``proposal``."""
    household = proposal.household
    today = clock.today()
    persons = list(household.persons.all())
    sent_on = proposal.sent_on or today
    context = {
        "proposal": proposal,
        "household": household,
        "household_type": _label(HouseholdType, household.household_type),
        "persons": persons,
        "ages": [max(today.year - p.birth_year, 0) for p in persons],
        "wait_days": household.wait_days(today),
        "needs": [_label(Need, n) for n in household.needs or []],
        "has_tie": proposal.municipality.number in (household.ties or []),
        "unit": proposal.unit,
        "due": answer_due(sent_on),
        "decision": decision_of(proposal.municipality_id, sent_on.year),
    }
    title = f"Forespørsel om bosetting av husholdning {household.reference}"
    office = offices_for_municipality(proposal.municipality).get(Agency.IMDI)
    return title, context, office
