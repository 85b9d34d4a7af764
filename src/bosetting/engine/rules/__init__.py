"""Dated rules of the settlement model ("regelverk og satser").

* :mod:`.kpi` – KPI definitions (Tables 2.1–2.4, time targets, waiting times,
  phases, decision classes) and the report's published figures.
* :mod:`.grants` – IMDi's integration grant and special grants by budget year.
* :mod:`.housing_allowance` – Husbanken's housing allowance (bostøtte) estimate.
* :mod:`.husbanken` – rental-housing grant, basic loan, start loan and
  establishment grant, with eligibility checks.

Pure Python and numpy: no Django, no Rich, no database. Figures live in
``data/`` with their sources; what is not there is reported as unknown.
See ``docs/rules.md``.
"""
