"""The Django project: settings, urls, base templates, static files."""
