"""Commands ``grants`` (integreringstilskudd) and ``housing-allowance`` (bostøtte).

Doors only: they read options, call ``bosetting.engine.rules`` and print.
Unknown figures are printed as "ukjent (ikke i datagrunnlaget)", never guessed silently: where the
yearly rates are missing, ``grants`` names them and shows the stated assumption (the five-year total
split evenly over the five years, ``GrantTable.assumed_rate``) in its own column, marked as such;
``--no-assumption`` leaves it out.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from bosetting.engine.rules import grants as grant_rules
from bosetting.engine.rules.housing_allowance import (
    CAP_GROUPS,
    HousingAllowanceDataError,
    HousingAllowanceRules,
)

UNKNOWN = "ukjent (ikke i datagrunnlaget)"
FORMATS = ("table", "json")

CATEGORY_LABELS = {
    "adult": "voksne",
    "single_adult": "enslige voksne",
    "child": "barn",
    "uam": "enslige mindreårige",
    "elderly": "eldre",
}
STATUS_LABELS = {
    "in_force": "gjeldende sats (bekreftet av to kilder)",
    "proposed": "sats fra budsjettforslaget (vedtak ikke kontrollert)",
    "estimated": "estimat",
}


def _fail(message: str) -> typer.Exit:
    typer.echo(f"Feil: {message}", err=True)
    return typer.Exit(2)


def _kr(amount: float | None) -> str:
    if amount is None:
        return UNKNOWN
    return f"{round(amount):,} kr".replace(",", " ")


def _check_format(output_format: str) -> None:
    if output_format not in FORMATS:
        raise _fail(f"--format må være en av {', '.join(FORMATS)} (fikk {output_format!r})")


def grants_command(
    year: int = typer.Option(..., "--year", help="Budsjettår, f.eks. 2014."),
    category: str = typer.Option(
        "adult",
        "--category",
        help="Kategori: adult, single_adult, child, uam eller elderly.",
    ),
    output_format: str = typer.Option("table", "--format", help="table eller json."),
    data: Path | None = typer.Option(
        None,
        "--data",
        help="Egen CSV med satser (samme kolonner som integration_grant.csv) i stedet for den innebygde.",
    ),
    no_assumption: bool = typer.Option(
        False,
        "--no-assumption",
        help="Vis ikke antakelsen (lik fordeling av femårssummen) der satsene per år mangler.",
    ),
) -> None:
    """Integreringstilskudd per person: satsene for år 1–5 og summen for et budsjettår."""
    _check_format(output_format)
    if category not in grant_rules.INTEGRATION_CATEGORIES:
        raise _fail(
            f"--category {category!r} finnes ikke; bruk en av "
            f"{', '.join(grant_rules.INTEGRATION_CATEGORIES)}"
        )
    try:
        table = grant_rules.GrantTable.from_csv(data) if data else grant_rules.GrantTable.default()
    except (OSError, grant_rules.GrantDataError) as error:
        raise _fail(str(error)) from None
    schedule = table.schedule(year, category)
    assumed = [
        table.assumed_rate(year, category, i, assume=not no_assumption)
        for i in range(1, grant_rules.SETTLEMENT_YEARS + 1)
    ]
    assumed = [r if r.assumed else None for r in assumed]
    missing = [i for i, v in enumerate(schedule.yearly_nok, start=1) if v is None]

    if output_format == "json":
        typer.echo(
            json.dumps(
                asdict(schedule)
                | {
                    "known": schedule.known,
                    "yearly_known": schedule.yearly_known,
                    "missing_settlement_years": missing,
                    "assumption": None
                    if not any(assumed)
                    else {
                        "name": grant_rules.EVEN_SPLIT,
                        "yearly_nok": [None if r is None else r.amount_nok for r in assumed],
                        "basis_year": next(r.basis_year for r in assumed if r),
                        "basis_category": next(r.basis_category for r in assumed if r),
                        "basis_total_nok": next(r.basis_total_nok for r in assumed if r),
                    },
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return

    console = Console(highlight=False)
    out = Table(title=f"Integreringstilskudd {year} – {CATEGORY_LABELS[category]}")
    out.add_column("Bosettingsår")
    out.add_column("Publisert sats per person", justify="right")
    if any(assumed):
        out.add_column("Antakelse: lik fordeling", justify="right")
    for index, amount in enumerate(schedule.yearly_nok, start=1):
        label = "År 1 (bosettingsåret)" if index == 1 else f"År {index}"
        row = [label, _kr(amount)]
        if any(assumed):
            guess = assumed[index - 1]
            row.append("" if guess is None else f"{_kr(guess.amount_nok)} (antakelse)")
        out.add_row(*row)
    total_row = ["Sum over fem år", _kr(schedule.total_nok)]
    if any(assumed):
        total_row.append(
            _kr(
                sum(r.amount_nok or 0 for r in assumed if r)
                + sum(v for v in schedule.yearly_nok if v is not None)
            )
        )
    out.add_row(*total_row, style="bold")
    console.print(out)
    if missing:
        console.print(
            f"Mangler: satsen for år {', '.join(map(str, missing))} (budsjett {year}, "
            f"{CATEGORY_LABELS[category]}) er ikke funnet i kildene vi har."
        )
    first = next((r for r in assumed if r), None)
    if first is not None:
        basis = CATEGORY_LABELS[first.basis_category or category]
        console.print(
            f"Antakelse (kan slås av med --no-assumption): femårssummen {_kr(first.basis_total_nok)} "
            f"for {basis}, budsjett {first.basis_year}, delt likt på fem bosettingsår = "
            f"{_kr(first.amount_nok)} per år. Ikke en publisert sats."
        )
        if first.basis_year != year or first.basis_category != category:
            console.print(
                f"Budsjett {year} for {CATEGORY_LABELS[category]} har ingen kjent femårssum; "
                f"summen for {basis}, budsjett {first.basis_year}, er brukt (et minimum)."
            )

    if not schedule.known:
        console.print(
            f"Bosetting har ingen tall for integreringstilskudd {year} for "
            f"{CATEGORY_LABELS[category]}. Legg dem inn med kilde i integration_grant.csv, "
            "eller bruk --data med din egen fil."
        )
    elif all(v is None for v in schedule.yearly_nok):
        console.print(
            "Bare summen over fem år er publisert i kildene vi har; fordelingen per bosettingsår "
            "er ikke."
        )
    if schedule.status:
        console.print(f"Status: {STATUS_LABELS.get(schedule.status, schedule.status)}")
    for source in schedule.sources:
        console.print(f"Kilde: {source}")
    if first is not None and first.source and first.source not in schedule.sources:
        console.print(f"Kilde for femårssummen i antakelsen: {first.source}")


def housing_allowance_command(
    income: int = typer.Option(..., "--income", help="Husstandens brutto inntekt per år (kr)."),
    housing_cost: int = typer.Option(
        ..., "--housing-cost", help="Godkjente boutgifter per år (kr), f.eks. husleie."
    ),
    household_size: int = typer.Option(
        ..., "--household-size", help="Antall personer i husstanden."
    ),
    year: int = typer.Option(..., "--year", help="Parameterår (2022 er kjent som estimat)."),
    cap_group: str | None = typer.Option(
        None,
        "--cap-group",
        help="Kommunegruppe for boutgiftstaket: ordinary, oslo, large_cities eller pressure_area.",
    ),
    municipality: str | None = typer.Option(
        None, "--municipality", help="Kommunenavn; gir kommunegruppen når --cap-group mangler."
    ),
    adapted_dwelling: bool = typer.Option(
        False, "--adapted-dwelling", help="Boligen er tilpasset en funksjonshemmet i husstanden."
    ),
    output_format: str = typer.Option("table", "--format", help="table eller json."),
) -> None:
    """Anslag på bostøtte fra Husbanken, med hele utregningen."""
    _check_format(output_format)
    if cap_group is not None and cap_group not in CAP_GROUPS:
        raise _fail(f"--cap-group {cap_group!r} finnes ikke; bruk en av {', '.join(CAP_GROUPS)}")
    for name, value, minimum in (
        ("--income", income, 0),
        ("--housing-cost", housing_cost, 0),
        ("--household-size", household_size, 1),
    ):
        if value < minimum:
            raise _fail(f"{name} må være minst {minimum} (fikk {value})")
    try:
        rules = HousingAllowanceRules.default()
    except (OSError, HousingAllowanceDataError) as error:
        raise _fail(str(error)) from None
    group = cap_group or "ordinary"
    if cap_group is None and municipality and rules.params(year) is not None:
        group = rules.cap_group_for_municipality(municipality, year)
    estimate = rules.estimate(
        income,
        housing_cost,
        household_size,
        year,
        cap_group=group,
        adapted_dwelling=adapted_dwelling,
    )

    if output_format == "json":
        typer.echo(json.dumps(asdict(estimate), ensure_ascii=False, indent=2))
        return

    console = Console(highlight=False)
    if not estimate.known:
        console.print(f"Bostøtte {year}: {UNKNOWN}")
        console.print(f"Årsak: {estimate.reason}")
        for source in estimate.sources:
            console.print(f"Kilde: {source}")
        return

    out = Table(title=f"Bostøtte {year} – {household_size} person(er), kommunegruppe {group}")
    out.add_column("Ledd")
    out.add_column("Verdi", justify="right")
    rows = [
        ("Inntekt per år", _kr(estimate.income_nok)),
        ("Husstandsvekt", f"{estimate.income_weight:g}".replace(".", ",")),
        ("Vektet inntekt", _kr(estimate.weighted_income_nok)),
        ("Boutgifter per år", _kr(estimate.housing_cost_nok)),
        ("Boutgiftstak", _kr(estimate.cap_nok)),
        ("Godkjente boutgifter", _kr(estimate.approved_housing_cost_nok)),
        ("Minste egenandel", _kr(estimate.own_share_minimum_nok)),
        ("Inntektsavhengig egenandel", _kr(estimate.own_share_income_part_nok)),
        ("Progressivt ledd", _kr(estimate.own_share_progressive_nok)),
        ("Egenandel i alt", _kr(estimate.own_share_nok)),
        ("Dekningsprosent", f"{(estimate.coverage_share or 0) * 100:.1f} %".replace(".", ",")),
        ("Beregnet bostøtte per år", _kr(estimate.calculated_annual_nok)),
    ]
    for label, value in rows:
        out.add_row(label, value)
    out.add_row("Bostøtte per år", _kr(estimate.allowance_annual_nok), style="bold")
    out.add_row("Bostøtte per måned", _kr(estimate.allowance_monthly_nok), style="bold")
    console.print(out)
    if estimate.below_minimum_payment:
        console.print("Beløpet er under minste utbetaling per måned og blir ikke utbetalt.")
    console.print(
        f"Status: {STATUS_LABELS.get(estimate.status or '', estimate.status)}. {estimate.caveat}"
    )
    for source in estimate.sources:
        console.print(f"Kilde: {source}")


def register(app: typer.Typer) -> None:
    """Add ``grants`` and ``housing-allowance`` to the ``bosetting`` command line."""
    app.command("grants")(grants_command)
    app.command("housing-allowance")(housing_allowance_command)
