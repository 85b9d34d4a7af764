"""Models of the reports app (filled by its issue)."""
