"""engine rules package."""
