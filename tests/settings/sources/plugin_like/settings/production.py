"""
Production plugin settings for the sample app: values come from the platform's YAML tokens.
"""


def plugin_settings(settings):
    """
    Override the sample app's defaults from the platform's configuration file.
    """
    env_tokens = getattr(settings, 'ENV_TOKENS', {})
    settings.SAMPLE_APP_API_URL = env_tokens.get('SAMPLE_APP_API_URL', settings.SAMPLE_APP_API_URL)
    settings.SAMPLE_APP_CACHE_TIMEOUT = env_tokens.get(
        'SAMPLE_APP_CACHE_TIMEOUT', settings.SAMPLE_APP_CACHE_TIMEOUT
    )
    settings.SAMPLE_APP_CLIENT_SECRET = getattr(settings, 'AUTH_TOKENS', {}).get(
        'SAMPLE_APP_CLIENT_SECRET', settings.SAMPLE_APP_CLIENT_SECRET
    )
