"""Reads of the good-practice library: listing, full-text search and comparable-municipality search.

The library is not personal data: every logged-in user may read it.

Full-text search uses PostgreSQL's text search (Norwegian configuration, ranked) when the database is
PostgreSQL, and a token matcher with simple Norwegian suffix stripping and weighted ranking on SQLite.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from bosetting.apps.coordination.selectors import latest_municipal_dwellings_of
from bosetting.apps.geo import selectors as geo
from bosetting.apps.housing.selectors import municipal_unit_counts
from bosetting.apps.knowledge.models import PracticeExample
from bosetting.apps.planning.selectors import mean_reported_settled
from bosetting.reference.structure import structure_year_for

#: The year of the statistics (SSB population and employment) the municipalities are compared by.
STAT_YEAR = 2014
#: The years whose settled counts (IMDi) are averaged into the settlement volume.
SETTLED_YEARS = (2012, 2013, 2014)


def examples() -> QuerySet[PracticeExample]:
    return PracticeExample.objects.select_related("municipality", "municipality__county")


def example(slug: str) -> PracticeExample:
    return examples().get(slug=slug)


# --- full-text search ---------------------------------------------------------------------------

_SUFFIXES = ("ene", "ane", "het", "er", "en", "et", "ar", "a", "e")
_WEIGHTS = (("title", 4.0), ("problem", 2.0), ("solution", 2.0), ("search_text", 1.0))


def _stem(token: str) -> str:
    for suffix in _SUFFIXES:
        if token.endswith(suffix) and len(token) - len(suffix) >= 4:
            return token[: -len(suffix)]
    return token


def tokens(query: str) -> list[str]:
    """Lower-case word tokens of at least two letters (Norwegian letters kept)."""
    return [t for t in re.findall(r"[\wæøå]+", query.lower()) if len(t) >= 2]


def _fallback_search(query: str) -> list[tuple[PracticeExample, float]]:
    stems = [_stem(t) for t in tokens(query)]
    if not stems:
        return []
    patterns = [re.compile(r"\b" + re.escape(s) + r"\w*", re.IGNORECASE) for s in stems]
    scored = []
    for item in examples():
        matched = 0
        score = 0.0
        for pattern in patterns:
            hits = 0.0
            for name, weight in _WEIGHTS:
                count = len(pattern.findall(getattr(item, name) or ""))
                hits += weight * count
            if hits:
                matched += 1
                score += 1.0 + math.log1p(hits)
        if matched:
            # Examples matching every word come first, then by weighted frequency.
            scored.append((item, round(matched * 10 + score, 3)))
    scored.sort(key=lambda pair: (-pair[1], pair[0].title))
    return scored


def _postgres_search(query: str) -> list[tuple[PracticeExample, float]]:
    # Only on PostgreSQL: the module needs psycopg, which a SQLite installation does not have.
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    vector = (
        SearchVector("title", weight="A", config="norwegian")
        + SearchVector("problem", "solution", weight="B", config="norwegian")
        + SearchVector("search_text", weight="C", config="norwegian")
    )
    search = SearchQuery(query, config="norwegian", search_type="websearch")
    qs = (
        examples()
        .annotate(rank=SearchRank(vector, search))
        .filter(rank__gt=0)
        .order_by("-rank", "title")
    )
    return [(item, float(item.rank)) for item in qs]


def search(query: str, limit: int | None = None) -> list[tuple[PracticeExample, float]]:
    """Examples matching the query, best first, each with its rank (at most ``limit``)."""
    if not query.strip():
        return [(item, 0.0) for item in examples()[:limit]]
    if connection.vendor == "postgresql":
        return _postgres_search(query)[:limit]
    return _fallback_search(query)[:limit]


# --- comparable-municipality search -------------------------------------------------------------

FEATURES = (
    # key, label, weight
    ("population", "Folketall", 0.35),
    ("settled", "Bosettingsvolum", 0.30),
    ("housing", "Kommunal boligmasse", 0.15),
    ("employment", "Arbeidsmarked (sysselsettingsandel)", 0.20),
)


@dataclass
class Profile:
    """A municipality's comparable features (raw values; None = not in the data).

    ``municipality`` is the ``geo`` municipality (2014 structure)."""

    municipality: Any
    raw: dict[str, float | None] = field(default_factory=dict)
    shown: dict[str, str] = field(default_factory=dict)


def _transform(key: str, value: float | None) -> float | None:
    if value is None:
        return None
    if key in ("population", "settled", "housing"):
        return math.log1p(value)  # sizes compare by ratio, not difference
    return float(value)


def _municipal_dwellings(municipality_ids: Collection[int]) -> dict[int, tuple[float | None, str]]:
    """Municipal housing stock of each municipality, by id: the latest joint report, else the
    example's figure, else the housing register (synthetic in the demo world). Three queries for
    any number of municipalities."""
    ids = list(municipality_ids)
    reported = latest_municipal_dwellings_of(ids)
    from_examples: dict[int, int] = {}
    for municipality_id, dwellings in (
        PracticeExample.objects.filter(municipality_id__in=ids, municipal_dwellings__isnull=False)
        .order_by("municipality_id", "-updated_at")
        .values_list("municipality_id", "municipal_dwellings")
    ):
        from_examples.setdefault(municipality_id, dwellings)
    registered = municipal_unit_counts(ids)
    result: dict[int, tuple[float | None, str]] = {}
    for municipality_id in ids:
        count, synthetic = registered.get(municipality_id, (0, False))
        if municipality_id in reported:
            result[municipality_id] = float(reported[municipality_id]), "felles rapport"
        elif municipality_id in from_examples:
            result[municipality_id] = float(from_examples[municipality_id]), "rapporten"
        elif count:
            source = "boligregisteret, syntetisk" if synthetic else "boligregisteret"
            result[municipality_id] = float(count), source
        else:
            result[municipality_id] = None, ""
    return result


def _population_table() -> dict[int, dict[str, float | None]]:
    """Population and employment (SSB, 2014) and mean settled per year 2012–2014 (IMDi), per
    municipality id, for every municipality of the 2014 structure."""
    structure_year = structure_year_for(STAT_YEAR)
    table: dict[int, dict[str, float | None]] = {}
    for stat in geo.year_stats(STAT_YEAR, structure_year):
        table[stat["municipality_id"]] = {
            "population": stat["population"],
            "employment": stat["employment_rate_pct"],
            "settled": None,
        }
    for municipality_id, mean in mean_reported_settled(SETTLED_YEARS, structure_year).items():
        table.setdefault(municipality_id, {"population": None, "employment": None})["settled"] = (
            mean
        )
    return table


def _scales(table: dict[int, dict[str, float | None]]) -> dict[str, float]:
    """Standard deviation of each transformed feature across all municipalities."""
    scales = {}
    for key, _label, _w in FEATURES:
        if key == "housing":
            continue
        values = [_transform(key, row.get(key)) for row in table.values()]
        values = [v for v in values if v is not None]
        if len(values) > 1:
            mean = sum(values) / len(values)
            scales[key] = math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1)) or 1.0
        else:
            scales[key] = 1.0
    # Municipal housing stock is known for few municipalities; it scales with population.
    scales["housing"] = scales.get("population", 1.0)
    return scales


def _profile(
    municipality, table: dict, dwellings: dict[int, tuple[float | None, str]] | None = None
) -> Profile:
    row = table.get(municipality.pk, {})
    if dwellings is None:
        dwellings = _municipal_dwellings([municipality.pk])
    housing, housing_src = dwellings[municipality.pk]
    raw = {
        "population": row.get("population"),
        "settled": row.get("settled"),
        "housing": housing,
        "employment": row.get("employment"),
    }
    shown = {
        "population": f"{raw['population']:,.0f}".replace(",", " ") if raw["population"] else "–",
        "settled": f"{raw['settled']:.0f} per år (snitt 2012–2014)" if raw["settled"] else "–",
        "housing": f"{housing:.0f} ({housing_src})" if housing else "–",
        "employment": f"{raw['employment']:.0f} %" if raw["employment"] else "–",
    }
    return Profile(municipality, raw, shown)


def _closeness(dz: float) -> str:
    if dz < 0.5:
        return "nær"
    if dz < 1.5:
        return "middels"
    return "langt unna"


def compare(target: Profile, other: Profile, scales: dict[str, float]) -> tuple[float, list[dict]]:
    """Weighted distance of standardised features, over the features both municipalities have,
    with one explanation row per feature."""
    total_w = 0.0
    acc = 0.0
    rows = []
    for key, label, weight in FEATURES:
        a, b = _transform(key, target.raw.get(key)), _transform(key, other.raw.get(key))
        if a is None or b is None:
            rows.append({"feature": key, "label": label, "target": target.shown.get(key, "–"),
                         "other": other.shown.get(key, "–"), "dz": None,
                         "closeness": "ikke i dataene"})  # fmt: skip
            continue
        dz = abs(a - b) / scales[key]
        total_w += weight
        acc += weight * dz * dz
        rows.append(
            {
                "feature": key,
                "label": label,
                "target": target.shown[key],
                "other": other.shown[key],
                "dz": round(dz, 2),
                "closeness": _closeness(dz),
            }
        )
    distance = math.sqrt(acc / total_w) if total_w else float("inf")
    return distance, rows


def comparable_examples(number: str, limit: int = 10, include_own: bool = False) -> list[dict]:
    """Examples from the municipalities most like ``number`` (2014 structure), nearest first, each
    with its distance and the per-feature explanation of what is close and what is far.

    Raises:
        ObjectDoesNotExist: no municipality has this number (``geo``'s ``Municipality.DoesNotExist``).
    """
    target_muni = geo.municipality(number)
    table = _population_table()
    scales = _scales(table)
    target = _profile(target_muni, table)
    profiles: dict[int, Profile] = {}
    results = []
    items = [i for i in examples() if i.municipality_id != target_muni.pk or include_own]
    dwellings = _municipal_dwellings({item.municipality_id for item in items})
    for item in items:
        prof = profiles.get(item.municipality_id) or _profile(item.municipality, table, dwellings)
        profiles[item.municipality_id] = prof
        distance, rows = compare(target, prof, scales)
        close = [r["label"] for r in rows if r["closeness"] == "nær"]
        far = [r["label"] for r in rows if r["closeness"] == "langt unna"]
        results.append(
            {
                "example": item,
                "distance": round(distance, 3),
                "similarity": round(1.0 / (1.0 + distance), 3),
                "features": rows,
                "close": close,
                "far": far,
            }
        )
    results.sort(key=lambda r: (r["distance"], r["example"].title))
    return results[:limit]


def target_profile(number: str) -> Profile:
    """The comparable features of one municipality (2014 structure); raises like
    :func:`comparable_examples`."""
    muni = geo.municipality(number)
    return _profile(muni, _population_table())
