"""Imports of council decisions, housing units and permit notifications from CSV and XLSX files."""
