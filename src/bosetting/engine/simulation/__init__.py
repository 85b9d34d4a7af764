"""engine simulation package."""
