"""The WSGI entry point for gunicorn: ``gunicorn dashboard.wsgi:server``."""

from dashboard import create_app, serving

server = serving(create_app()).server
