"""Grants, loans and allowances for households and municipalities."""
