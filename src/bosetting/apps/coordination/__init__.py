"""Agreements, activity plans, joint meetings and the coordination ladder."""
