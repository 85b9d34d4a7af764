"""Audit trail of every change: who, when, before and after."""
