"""
API client of the sample app: settings read at import time and in a class body.
"""
from django.conf import settings
from django.conf import settings as django_settings

# Read once, at import time (a read, but also a module-level name derived from settings).
SESSION_TIMEOUT = getattr(settings, 'SAMPLE_CLIENT_SESSION_TIMEOUT', 5)


class SampleClient:
    """Client with class-level configuration."""

    MAX_RETRIES = getattr(settings, 'SAMPLE_CLIENT_MAX_RETRIES', 3)
    BACKOFF_FACTOR = getattr(settings, 'SAMPLE_CLIENT_BACKOFF_FACTOR', 1)

    def base_url(self):
        """Read through an aliased import."""
        return django_settings.SAMPLE_CLIENT_BASE_URL

    def api_key(self):
        """Secret-looking name with a literal default."""
        return getattr(settings, 'SAMPLE_CLIENT_API_KEY', 'dev-api-key')
