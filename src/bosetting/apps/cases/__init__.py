"""Households, persons and the settlement pipeline."""
