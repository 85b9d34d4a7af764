"""CLI command modules. Every module here exposing ``register(app)`` is added to ``bosetting``.

Add a module to add commands; ``cli.py`` discovers them, so no two areas edit one file.
"""
