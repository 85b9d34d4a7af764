"""The reports app has no tables of its own: every figure is computed from the cases, requests and
decisions of the other apps by the KPI engine (see ``selectors`` and ``docs/reports.md``)."""
