"""The REST API (django-ninja): one router module per app, bearer tokens from ``POST /api/token``.

A module in this package that defines ``router`` (a ninja ``Router``) and ``PREFIX`` (e.g. ``"cases"``)
is mounted at ``/api/<PREFIX>``; modules are discovered, so each app adds its own file.

Refusals: 401 without a valid token; 403 when the user's role may not do this; 404 when the object does
not exist *or lies outside the user's scope* for personal data (cases, proposals) — a municipality must
not learn that a household it was never proposed exists. Validation errors are 422 naming the field.
"""
