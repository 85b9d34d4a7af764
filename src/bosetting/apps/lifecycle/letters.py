"""Letters about a case: the live data of the settlement agreement ("avtale om bosetting") — the
household (reference, members by birth year and sex — never names, never the health note), the
municipality and its flat with the rent and the lease's end, the IMDi regional office that covers
the municipality (``services.do_make_agreement_letter`` makes the letter) — and the case page's
list of the letters made about the case and its proposals."""

from __future__ import annotations

from typing import Any

from bosetting.apps.cases.choices import HouseholdType, Need, Sex
from bosetting.apps.cases.selectors import can_handle_as_imdi, is_receiving_municipality
from bosetting.apps.geo.choices import Agency
from bosetting.apps.geo.selectors import offices_for_municipality
from bosetting.apps.housing.choices import BookingStatus
from bosetting.apps.housing.selectors import booking_of, unit_of
from bosetting.apps.letters.choices import LetterKind
from bosetting.apps.letters.selectors import letters_about


def _label(choices, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def members(household) -> list[dict[str, Any]]:
    """The household's members for a letter: principal first, birth year and sex (its label)."""
    return [
        {
            "birth_year": p.birth_year,
            "sex_label": _label(Sex, p.sex),
            "is_principal": p.is_principal,
        }
        for p in household.persons.all()
    ]


def need_labels(household) -> list[str]:
    """The household's special needs by their labels."""
    return [_label(Need, n) for n in household.needs or []]


def agreement_letter(household) -> tuple[str, dict[str, Any], Any]:
    """The title, the template's data and the sending office of the agreement for ``household``."""
    unit = unit_of(household.unit_id)
    booking = booking_of(household.pk, household.unit_id)
    context = {
        "household": household,
        "household_type": _label(HouseholdType, household.household_type),
        "persons": members(household),
        "needs": need_labels(household),
        "agreement_on": household.agreement_on,
        "self_settled": household.self_settled,
        "unit": unit,
        "rent_nok": (booking.rent_nok if booking and booking.rent_nok else None)
        or (unit.rent_nok if unit else None),
        "lease_end": booking.end if booking and booking.status == BookingStatus.CONTRACT else None,
    }
    title = f"Avtale om bosetting av husholdning {household.reference}"
    office = offices_for_municipality(household.municipality).get(Agency.IMDI)
    return title, context, office


def case_letters(user, h, proposals) -> dict:
    """The case page's letters: the agreements made for the household and the notices of its
    proposals, and which the user may make now."""
    may_act = can_handle_as_imdi(user, h) or is_receiving_municipality(user, h)
    return {
        "agreement_letters": [x for x in letters_about(user, h) if x.kind == LetterKind.AGREEMENT],
        "can_make_agreement": h.agreement_on is not None and may_act,
        "proposal_letters": [
            {"p": p, "letters": letters_about(user, p), "can_make": p.status != "draft"}
            for p in proposals
        ],
        "can_correct": can_handle_as_imdi(user, h),
    }
