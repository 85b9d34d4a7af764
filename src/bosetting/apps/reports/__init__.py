"""KPIs, the report's tables, dashboards, maps and the monthly report."""
