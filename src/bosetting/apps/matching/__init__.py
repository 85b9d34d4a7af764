"""Matching rounds (utsøking): database to engine instance to proposals."""
