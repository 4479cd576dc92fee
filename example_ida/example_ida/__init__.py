"""example_ida: a minimal Django service configured the OEP-45 way.

The Celery app lives in :mod:`example_ida.celery` and is not imported here: only the
worker (``celery -A example_ida worker``) needs Celery.
"""
