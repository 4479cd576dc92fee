"""
Common plugin settings for the sample app (an Open edX plugin app).

The platform calls ``plugin_settings(settings)`` while it builds its settings module.
"""
from typing import Any

# Shape of a filters map: ``{filter_type: {'fail_silently': bool, 'pipeline': list[str]}}``.
FiltersConfig = dict[str, dict[str, Any]]

# Module constant merged into the platform's OPEN_EDX_FILTERS_CONFIG (not itself a setting).
SAMPLE_FILTERS_CONFIG: FiltersConfig = {
    "org.openedx.learning.dashboard.render.started.v1": {
        "fail_silently": False,
        "pipeline": ["sample_app.filters.DashboardContextEnricher"],
    },
}


def _append_override(settings, setting_name, override_path):
    """
    Append an override path to a list setting, creating it when missing.
    """
    existing = getattr(settings, setting_name, [])
    if isinstance(existing, str):
        existing = [existing]
    if override_path in existing:
        return
    setattr(settings, setting_name, [*existing, override_path])


def plugin_settings(settings):
    """
    Default settings for the sample app.
    """
    # .. setting_name: SAMPLE_APP_API_URL
    # .. setting_default: 'http://localhost:18000/sample/api/v1/'
    # .. setting_description: Base URL of the sample service API.
    settings.SAMPLE_APP_API_URL = 'http://localhost:18000/sample/api/v1/'
    settings.SAMPLE_APP_CACHE_TIMEOUT = 3600  # seconds

    # .. toggle_name: SAMPLE_APP_ENABLED
    # .. toggle_implementation: DjangoSetting
    # .. toggle_default: False
    # .. toggle_description: Turns the sample app's views on.
    # .. toggle_use_cases: opt_in
    # .. toggle_creation_date: 2024-01-15
    settings.SAMPLE_APP_ENABLED = getattr(settings, 'SAMPLE_APP_ENABLED', False)

    settings.SAMPLE_APP_CLIENT_SECRET = 'sample-insecure-secret'

    # Skip everything below if the integration is off.
    if not getattr(settings, 'ENABLE_SAMPLE_INTEGRATION', False):
        return

    settings.OVERRIDE_SAMPLE_USERNAME = 'sample_app.overrides.obfuscated_username'
    _append_override(settings, 'OVERRIDE_GET_LEARNER_DISPLAY_USERNAME', 'sample_app.overrides.generic_name')

    settings.FEATURES['ENABLE_SAMPLE_DASHBOARD'] = True
    settings.INSTALLED_APPS.append('sample_app.extras')

    filters_config = getattr(settings, 'OPEN_EDX_FILTERS_CONFIG', None)
    if filters_config is None:
        filters_config = {}
        settings.OPEN_EDX_FILTERS_CONFIG = filters_config
    filters_config.update(SAMPLE_FILTERS_CONFIG)
