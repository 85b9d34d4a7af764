"""Start simulation runs. The web and the API call ``do_start_simulation``; the sweep itself runs as
a background job (``tasks.execute_simulation_task``, run by ``bosetting worker``, whose body is
``runner.execute_simulation``) and writes progress and result to the database. Any logged-in role
may simulate: the results are aggregates only."""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from bosetting.apps.accounts.selectors import role_of
from bosetting.apps.audit.services import do_record
from bosetting.apps.jobs.selectors import check_job_room
from bosetting.apps.simulation.models import SimulationRun
from bosetting.apps.simulation.tasks import execute_simulation_task

MAX_RUNS = 50
MAX_YEARS = 12


@dataclass(frozen=True)
class KeyParameter:
    """A parameter the simulator page lets the user change (dotted key of the scenario TOML)."""

    key: str
    label: str
    help: str
    minimum: float
    maximum: float
    step: float


# The documented key parameters (docs/simulation.md describes every scenario key).
KEY_PARAMETERS: tuple[KeyParameter, ...] = (
    KeyParameter(
        "phases.preparation_months",
        "Forberedelse etter avtale (måneder)",
        "Fase 4: fra avtale til innflytting – bolig, skole, programplass (L1151–1155).",
        0.0, 12.0, 0.1,
    ),
    KeyParameter(
        "phases.interview_months",
        "Til bosettingssamtale (måneder)",
        "Fase 3a: fra forkynt vedtak til bosettingssamtale (L1142–1169).",
        0.0, 12.0, 0.1,
    ),
    KeyParameter(
        "matching.accept_probability",
        "Sannsynlighet for at kommunen sier ja",
        "Andel av IMDis forslag kommunestyret aksepterer (forhandling, L1163–1167).",
        0.0, 1.0, 0.01,
    ),
    KeyParameter(
        "housing.search_months",
        "Måneder for å skaffe en bolig",
        "Hvor lenge kommunen i snitt trenger for å finne bolig til en åpen plass.",
        0.1, 24.0, 0.1,
    ),
    KeyParameter(
        "housing.move_out_probability",
        "Andel som flytter videre når kontrakten går ut",
        "Gjennomstrømning i kommunale boliger (L1811–1827).",
        0.0, 1.0, 0.01,
    ),
    KeyParameter(
        "housing.grant_units_per_year",
        "Ekstra boliger per år fra Husbankens tilskudd",
        "Boligtilskudd til utleieboliger: nye boliger i året, hele landet.",
        0.0, 10000.0, 10.0,
    ),
)  # fmt: skip
KEY_BY_NAME = {p.key: p for p in KEY_PARAMETERS}


def scenario_names() -> list[str]:
    """The names of the shipped scenarios."""
    # The simulation engine imports scipy.optimize (0.7 s): loaded on first use, not when the web starts.
    from bosetting.engine.simulation import shipped_scenario_names

    return shipped_scenario_names()


def scenario_defaults(name: str) -> dict[str, float | None]:
    """The scenario's own values of the key parameters (yearly tables: the first year's)."""
    # The simulation engine: loaded on first use (see scenario_names).
    from bosetting.engine.simulation import load_scenario

    data = load_scenario(name).to_dict()
    values: dict[str, float | None] = {}
    for param in KEY_PARAMETERS:
        node = data
        for part in param.key.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, dict):
            node = next(iter(node.values()), None) if node else None
        values[param.key] = float(node) if isinstance(node, (int, float)) else None
    return values


def _validate(scenario: str, overrides: dict, runs: int, years: int | None, mode: str):
    # The simulation engine: loaded on first use (see scenario_names).
    from bosetting.engine.simulation import ScenarioError, load_scenario, override_parameters
    from bosetting.engine.simulation.params import MATCHING_MODES

    if scenario not in scenario_names():
        raise ValidationError({"scenario": f"Ukjent scenario: {scenario}"})
    for key in overrides:
        if key not in KEY_BY_NAME:
            raise ValidationError({key: "Parameteren kan ikke endres her."})
    if not 1 <= runs <= MAX_RUNS:
        raise ValidationError({"runs": f"Antall kjøringer må være 1–{MAX_RUNS}."})
    if years is not None and not 1 <= years <= MAX_YEARS:
        raise ValidationError({"years": f"Antall år må være 1–{MAX_YEARS}."})
    if mode not in MATCHING_MODES:
        raise ValidationError({"mode": f"Modus må være en av {', '.join(MATCHING_MODES)}."})
    try:
        override_parameters(load_scenario(scenario), overrides)
    except ScenarioError as exc:
        key = str(exc).split(":", 1)[0]
        raise ValidationError({key if key in KEY_BY_NAME else "overrides": str(exc)}) from None


def check_may_simulate(user) -> None:
    if user is None or not getattr(user, "is_authenticated", False):
        raise PermissionDenied("Logg inn for å simulere.")
    if role_of(user) is None and not user.is_superuser:
        raise PermissionDenied("Brukeren har ingen rolle.")


def do_start_simulation(
    user,
    scenario: str,
    overrides: dict | None = None,
    seed: int | None = None,
    runs: int = 10,
    years: int | None = None,
    mode: str = "fast",
    label: str = "",
) -> SimulationRun:
    """Store the run's inputs and seed and enqueue the sweep as a background job ("bakgrunnsjobb").

    The job is enqueued in the transaction that stores the run, so both are stored or neither; its
    id is kept on the run (``task_id``). A user with ``BOSETTING_MAX_JOBS_PER_USER`` runs queued or
    running, or a service with ``BOSETTING_MAX_PENDING_JOBS`` jobs waiting, is refused
    (``Throttled``).
    """
    check_may_simulate(user)
    overrides = {k: v for k, v in (overrides or {}).items() if v is not None and v != ""}
    _validate(scenario, overrides, runs, years, mode)
    if seed is None:
        seed = random.SystemRandom().randrange(1, 2**31)
    with transaction.atomic():
        check_job_room(
            SimulationRun.objects.filter(
                created_by=user,
                status__in=[SimulationRun.Status.QUEUED, SimulationRun.Status.RUNNING],
            ).count()
        )
        sim = SimulationRun.objects.create(
            scenario=scenario,
            label=label[:120],
            overrides=overrides,
            seed=seed,
            runs=runs,
            years=years,
            mode=mode,
            created_by=user,
        )
        do_record(user, "create", sim)
        job = execute_simulation_task.enqueue(sim.pk)
        SimulationRun.objects.filter(pk=sim.pk).update(task_id=str(job.id))
    sim.refresh_from_db()
    return sim
