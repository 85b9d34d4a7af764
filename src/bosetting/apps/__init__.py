"""Django apps, one per domain concept."""
