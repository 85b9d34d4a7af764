"""Bosetting: the Norwegian refugee settlement model (bosettingsmodellen) end to end."""

__version__ = "0.1.0"
