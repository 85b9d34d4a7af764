"""Writes of planning data: real IMDi figures, requests and decisions."""

from __future__ import annotations

from django.db import transaction

from bosetting.apps.geo.models import Municipality
from bosetting.apps.planning.models import (
    CouncilDecision,
    NationalNeed,
    Provenance,
    ReportedSettlement,
    SettlementRequest,
)
from bosetting.reference import loaders

# The national committee's target for 2014 (report L1406–1407).
NATIONAL_NEED = {2014: (10000, "Fafo 2015 L1406–1407: mål om 10 000 plasser i 2014")}


@transaction.atomic
def do_load_real_settlement_figures() -> dict[str, int]:
    """Load IMDi's real requests, decisions and settled counts (2012–2014 in the 2014 structure, 2024 in
    the 2024 structure). Idempotent: real rows are replaced, other rows are left alone."""
    for year, (persons, source) in NATIONAL_NEED.items():
        NationalNeed.objects.update_or_create(
            year=year, defaults={"persons": persons, "source": source}
        )
    SettlementRequest.objects.filter(provenance=Provenance.REAL).delete()
    CouncilDecision.objects.filter(provenance=Provenance.REAL).delete()
    ReportedSettlement.objects.all().delete()
    requests, decisions, settled = [], [], []
    for structure, rows in (
        (2014, loaders.settlement_figures_2012_2014()),
        (2024, loaders.settlement_figures_2024()),
    ):
        munis = {m.number: m for m in Municipality.objects.filter(structure_year=structure)}
        for r in rows:
            m = munis.get(r.municipality_number)
            if m is None:  # 9999 "Uoppgitt kommune": settled, municipality unknown
                continue
            if r.requested is not None:
                requests.append(
                    SettlementRequest(
                        municipality=m,
                        year=r.year,
                        persons=r.requested,
                        provenance=Provenance.REAL,
                        period_start=r.year,
                        period_years=1,
                    )
                )
            if r.decided is not None:
                decisions.append(
                    CouncilDecision(
                        municipality=m,
                        year=r.year,
                        persons=r.decided,
                        provenance=Provenance.REAL,
                        period_start=r.year,
                        period_years=1,
                    )
                )
            if r.settled is not None:
                settled.append(
                    ReportedSettlement(
                        municipality=m,
                        year=r.year,
                        persons=r.settled,
                        status=r.status,
                        as_of=r.as_of,
                    )
                )
    SettlementRequest.objects.bulk_create(requests, batch_size=2000)
    CouncilDecision.objects.bulk_create(decisions, batch_size=2000)
    ReportedSettlement.objects.bulk_create(settled, batch_size=2000)
    return {
        "requests_real": len(requests),
        "decisions_real": len(decisions),
        "reported_settlements": len(settled),
    }


def classify_decision(requested: int | None, decided: int | None) -> str:
    """Table 2.4's classes: ``in_line``, ``fewer``, ``none`` (decided to settle none), ``no_decision``.

    A municipality with a decision but no (or a zero) request counts as ``in_line``."""
    if decided is None:
        return "no_decision"
    if decided == 0:
        return "none"
    if not requested or decided >= requested:
        return "in_line"
    return "fewer"
