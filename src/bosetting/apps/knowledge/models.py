"""Models of the knowledge app (filled by its issue)."""
