"""Labels for the codes the KPI engine names things by (``engine/rules/kpi``), in the active language."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

register = template.Library()

#: The six phases of a case (``engine.rules.kpi.cases.PHASES``), as a reader names them.
PHASE_LABELS = {
    "permit_to_notified": _("Vedtak om opphold → forkynt"),
    "notified_to_interview": _("Forkynt → bosettingssamtale"),
    "interview_to_ready": _("Bosettingssamtale → bosettingsklar"),
    "ready_to_proposed": _("Bosettingsklar → foreslått for kommune"),
    "proposed_to_accepted": _("Foreslått → akseptert av kommunen"),
    "accepted_to_settled": _("Akseptert → bosatt"),
}


@register.filter
def phase_label(code: str) -> str:
    """A phase's label; an unknown code as it is."""
    return str(PHASE_LABELS.get(code, code))


@register.filter
def report_label(label: str) -> str:
    """A report table's row label (marked with ``gettext_noop`` in ``reports/tables.py``) in the
    active language. Not ``{% trans label %}``: that looks a label with "%" up as "%%"."""
    return gettext(label)
