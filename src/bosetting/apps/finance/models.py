"""Models of the finance app (filled by its issue)."""
