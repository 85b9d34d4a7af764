"""Writes of the good-practice library: the report's six examples (idempotent) and new examples."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify

from bosetting.apps.accounts.choices import Role
from bosetting.apps.accounts.selectors import role_of, scope_for
from bosetting.apps.audit.services import do_record, snapshot
from bosetting.apps.geo import selectors as geo
from bosetting.apps.knowledge import seed_data
from bosetting.apps.knowledge.models import PracticeExample
from bosetting.apps.planning.selectors import reported_settlement

FIELDS = (
    "title",
    "problem",
    "solution",
    "organisation",
    "instruments",
    "results",
    "population",
    "population_note",
    "settled_per_year",
    "settled_note",
    "immigrant_share_pct",
    "municipal_dwellings",
    "housing_note",
    "labour_market",
    "economy",
    "intro_to_work_pct",
)


def _verify(entry: dict, municipality) -> list[dict]:
    """Compare the report's figures with the shipped data (SSB population, IMDi settled counts)."""
    notes = []
    checks = entry.get("checks", {})
    if checks.get("population"):
        year, printed = checks["population"]
        population = geo.population_of(municipality, year)
        if population:
            diff_pct = round(100 * (printed - population) / population, 1)
            notes.append(
                {
                    "figure": f"folketall 1.1.{year}",
                    "report": printed,
                    "data": population,
                    "data_source": "SSB (kommuner_2014_folketall.csv)",
                    "difference_pct": diff_pct,
                    "agrees": abs(diff_pct) <= 2.0,
                }
            )
    if checks.get("settled_2013") is not None:
        printed = checks["settled_2013"]
        row = reported_settlement(municipality, 2013)
        if row is not None:
            notes.append(
                {
                    "figure": "bosatte 2013",
                    "report": printed,
                    "data": row.persons,
                    "data_source": "IMDi (imdi_bosetting_kommune_2012_2014.csv)",
                    "difference_pct": round(100 * (printed - row.persons) / row.persons, 1)
                    if row.persons
                    else None,
                    "agrees": printed == row.persons,
                }
            )
    return notes


@transaction.atomic
def do_load_examples() -> dict[str, int]:
    """Load the six case municipalities of chapter 4 (idempotent by slug)."""
    munis = {
        m.number: m
        for m in geo.municipalities().filter(
            number__in=[e["municipality"] for e in seed_data.EXAMPLES]
        )
    }
    for entry in seed_data.EXAMPLES:
        municipality = munis[entry["municipality"]]
        values = {name: entry.get(name) for name in FIELDS}
        values = {k: ("" if v is None and k in _TEXT else v) for k, v in values.items()}
        example = PracticeExample.objects.filter(slug=entry["slug"]).first() or PracticeExample(
            slug=entry["slug"]
        )
        for key, value in values.items():
            setattr(example, key, value)
        example.municipality = municipality
        example.source = f"{seed_data.REPORT}, kap. 4 ({entry['source_lines']})"
        example.source_lines = entry["source_lines"]
        example.citations = entry["citations"]
        example.verification = _verify(entry, municipality)
        example.seeded = True
        example.save()
    return {"practice_examples": PracticeExample.objects.count()}


def may_add_examples(user) -> bool:
    """IMDi, Husbanken and municipalities add examples; county governors and analysts only read."""
    if getattr(user, "is_superuser", False):
        return True
    return role_of(user) in (Role.IMDI_NATIONAL, Role.IMDI_REGIONAL, Role.HUSBANKEN, Role.MUNICIPAL)


def can_write_examples(user, municipality_number: str) -> bool:
    """May the user add an example for this municipality (its role may, and it is in scope)?"""
    return may_add_examples(user) and scope_for(user).covers(municipality_number)


@transaction.atomic
def do_save_example(
    user, municipality_number: str, values: dict, example: PracticeExample | None = None
) -> PracticeExample:
    """Create (or update) a practice example. Title, problem and solution are required."""
    if not can_write_examples(user, municipality_number):
        raise PermissionDenied("Du kan ikke registrere eksempler for denne kommunen.")
    unknown = set(values) - set(FIELDS) - {"source"}
    if unknown:
        raise ValidationError({sorted(unknown)[0]: "Ukjent felt."})
    for required in ("title", "problem", "solution"):
        if not str(values.get(required) or "").strip():
            raise ValidationError({required: "Feltet må fylles ut."})
    municipality = geo.municipality(municipality_number)
    before = snapshot(example) if example else None
    if example is None:
        base = slugify(f"{municipality.name}-{values['title']}")[:70] or "eksempel"
        slug, n = base, 2
        while PracticeExample.objects.filter(slug=slug).exists():
            slug, n = f"{base}-{n}", n + 1
        example = PracticeExample(slug=slug, created_by=user)
    example.municipality = municipality
    for key, value in values.items():
        if key == "instruments" and isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        setattr(example, key, value if value is not None or key not in _TEXT else "")
    if not example.source:
        example.source = values.get("source") or f"Registrert av {user.get_username()}"
    example.full_clean()
    example.save()
    do_record(user, "update" if before else "create", example, before=before)
    return example


_TEXT = {
    "organisation",
    "results",
    "population_note",
    "settled_note",
    "housing_note",
    "labour_market",
    "economy",
}
