"""The live data of IMDi's request letter to a municipality ("anmodningsbrev"): the request's years
(one, or the three of a period), the national need, the municipality's recent decisions and the
IMDi regional office that covers it. ``services.do_make_request_letter`` makes the letter."""

from __future__ import annotations

from typing import Any

from bosetting.apps.geo.choices import Agency
from bosetting.apps.geo.selectors import offices_for_municipality
from bosetting.apps.planning.models import CouncilDecision, NationalNeed, SettlementRequest
from bosetting.apps.planning.selectors import period_rows

#: How many years of the municipality's earlier decisions the letter shows.
EARLIER_YEARS = 3


def request_letter(req: SettlementRequest) -> tuple[str, dict[str, Any], Any]:
    """The title, the template's data and the sending office of the letter for ``req``."""
    rows = period_rows(req)
    first, last = rows[0].year, rows[-1].year
    need = NationalNeed.objects.filter(year=first).values_list("persons", flat=True).first()
    decisions = CouncilDecision.objects.filter(
        municipality=req.municipality, year__gte=first - EARLIER_YEARS, year__lt=first
    ).order_by("year")
    years = str(first) if first == last else f"{first}–{last}"
    title = f"Anmodning om bosetting av flyktninger i {years}"
    if req.supplementary:
        title = f"Tilleggsanmodning om bosetting av flyktninger i {years}"
    office = offices_for_municipality(req.municipality).get(Agency.IMDI)
    context = {
        "request": req,
        "rows": rows,
        "first_year": first,
        "last_year": last,
        "total": sum(r.persons for r in rows),
        "total_uam": sum(r.uam_persons for r in rows),
        "need": need,
        "decisions": list(decisions),
        "supplementary": req.supplementary,
    }
    return title, context, office
