"""Shipped scenarios of the policy simulator (TOML), loadable through importlib.resources."""
