"""Data files of the policy simulator (see SOURCES.md)."""
