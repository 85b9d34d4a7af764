"""What the planning year's criteria read of every municipality (a read, shared by ``services``,
which distributes the need, and ``follow_up``, which ranks municipalities for supplementary
requests by the same criteria).

Population and employment rate come from the geography's statistics (SSB), the settlement record
from the years before (``forecasting.year_records``), the housing free for settlement from the
housing app (through ``registry``), and the quality of the work from the regional offices'
assessments on the plan's rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from bosetting import clock
from bosetting.apps.geo.selectors import latest_stats, municipalities
from bosetting.apps.planning import registry
from bosetting.apps.planning.forecasting import year_records
from bosetting.engine.planning import MunicipalityCriteria, distribute
from bosetting.reference.structure import structure_year_for

RECORD_YEARS = 3  # earlier years the settlement record (settled against decided) is read from
# The weights a new plan starts from, and the ranking of a year without a plan.
DEFAULT_WEIGHTS = {"population": 40, "labour": 20, "record": 20, "housing": 10, "quality": 10}


def criteria_for(year: int, quality: Mapping[str, int] | None = None) -> list[MunicipalityCriteria]:
    """Every municipality of ``year``'s structure as the distribution's input."""
    structure_year = structure_year_for(year)
    munis = list(municipalities(structure_year).select_related("county"))
    stats = latest_stats([m.pk for m in munis], year)
    settled: dict[str, int] = {}
    decided: dict[str, int] = {}
    earlier = list(range(year - RECORD_YEARS, year))
    for record in year_records(structure_year, earlier, settled_until=clock.today()):
        if record.settled is None:
            continue
        settled[record.number] = settled.get(record.number, 0) + record.settled
        decided[record.number] = decided.get(record.number, 0) + (record.decided or 0)
    housing = registry.ask("free_housing", date(year, 12, 31), structure_year, default={})
    quality = quality or {}
    result = []
    for m in munis:
        employment, population = stats.get(m.pk, (None, None))
        result.append(
            MunicipalityCriteria(
                number=m.number,
                county=m.county.number,
                population=int(population or 0),
                employment_rate_pct=employment,
                settled_before=settled.get(m.number, 0),
                decided_before=decided.get(m.number, 0),
                free_housing=housing.get(m.number) if housing else None,
                quality=quality.get(m.number, 3),
            )
        )
    return result


def default_scores(year: int) -> dict[str, float]:
    """Each municipality's share of the country by the criteria with the default weights (the
    ranking of a year without a plan)."""
    result = distribute(1, 0, criteria_for(year), DEFAULT_WEIGHTS)
    return {a.number: a.score for a in result.allocations}
