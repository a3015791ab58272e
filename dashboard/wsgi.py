"""The WSGI entry point for gunicorn: ``gunicorn dashboard.wsgi:server``."""

from dashboard import create_app

server = create_app().server
