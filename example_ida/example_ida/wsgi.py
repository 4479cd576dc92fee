"""WSGI entry point: ``gunicorn example_ida.wsgi:application``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "example_ida.settings")

application = get_wsgi_application()
