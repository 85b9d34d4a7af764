"""engine matching package."""
