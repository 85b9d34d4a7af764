"""The simulator page: pick a scenario, change key parameters, start a background run, follow its
progress (HTMX polling) and compare runs side by side (Plotly offline + table)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from bosetting.apps.jobs.selectors import worker_alive
from bosetting.apps.simulation import selectors, services
from bosetting.apps.simulation.forms import SimulationForm, field_name
from bosetting.apps.simulation.models import SimulationRun
from bosetting.errors import Throttled


def _form(request: HttpRequest) -> SimulationForm:
    names = services.scenario_names()
    chosen = (
        request.POST.get("scenario") or request.GET.get("scenario") or (names[0] if names else "")
    )
    defaults = services.scenario_defaults(chosen) if chosen in names else {}
    return SimulationForm(
        request.POST or None, scenarios=names, defaults=defaults, initial={"scenario": chosen}
    )


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The form and the list of runs; POST starts a run."""
    services.check_may_simulate(request.user)
    form = _form(request)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            sim = services.do_start_simulation(
                request.user,
                d["scenario"],
                form.overrides(),
                seed=d["seed"],
                runs=d["runs"],
                years=d["years"],
                mode=d["mode"],
                label=d["label"],
            )
        except Throttled as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            for key, errors in exc.message_dict.items():
                target = field_name(key) if field_name(key) in form.fields else None
                if target is None and key in form.fields:
                    target = key
                for error in errors:
                    form.add_error(target, error)
        else:
            messages.success(request, _("Simuleringen er startet."))
            return redirect("simulation:run", pk=sim.pk)
    runs = list(selectors.runs_for(request.user)[:50])
    context = {
        "form": form,
        "runs": runs,
        "key_parameters": services.KEY_PARAMETERS,
        "no_worker": _waiting_without_worker(runs),
    }
    return render(request, "simulation/index.html", context)


def _waiting_without_worker(runs: list[SimulationRun]) -> bool:
    """Whether some of these runs wait for a background worker and none is alive to run them."""
    return any(not sim.finished and sim.task_id for sim in runs) and not worker_alive()


def _run(request: HttpRequest, pk: int) -> SimulationRun:
    try:
        return selectors.run_for(request.user, pk)
    except SimulationRun.DoesNotExist as exc:
        raise Http404 from exc


@login_required
def run_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment, polled by HTMX until the run has finished."""
    services.check_may_simulate(request.user)
    sim = _run(request, pk)
    return render(
        request,
        "simulation/partials/status.html",
        {"sim": sim, "no_worker": _waiting_without_worker([sim])},
    )


@login_required
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    services.check_may_simulate(request.user)
    sim = _run(request, pk)
    context = {
        "sim": sim,
        "comparison": selectors.comparison([sim]) if sim.result else None,
        "no_worker": _waiting_without_worker([sim]),
    }
    return render(request, "simulation/run.html", context)


@login_required
def compare(request: HttpRequest) -> HttpResponse:
    """Several finished runs side by side: charts of yearly means with 90 % bands, and a table."""
    services.check_may_simulate(request.user)
    ids = [int(x) for x in request.GET.getlist("run") if x.isdigit()][:8]
    runs = list(selectors.finished_runs(request.user).filter(pk__in=ids).order_by("pk"))
    return render(
        request,
        "simulation/compare.html",
        {
            "runs": runs,
            "comparison": selectors.comparison(runs),
            "all_runs": selectors.finished_runs(request.user)[:50],
        },
    )
