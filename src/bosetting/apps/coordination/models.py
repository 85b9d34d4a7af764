"""Models of the coordination app (filled by its issue)."""
