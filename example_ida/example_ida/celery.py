"""The Celery app of example_ida: ``celery -A example_ida worker``.

Settings whose names start with ``CELERY_`` configure it (``CELERY_BROKER_URL`` ...).
Only the worker imports this module, so Celery is needed in the image but not to
run the web service or its tests.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "example_ida.settings")

app = Celery("example_ida")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
