"""Default settings for the core app of a reusable Django app (richie-like).

Each default can be overridden in the project's settings; the app reads them at import time.
"""

from django.conf import global_settings, settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

# Group to add plugin to placeholder "Content"
PLUGINS_GROUP = _("Sample Plugins")

# Django sets `LANGUAGES` by default with all supported languages. We can use it for example for
# the choice of languages on the course run which should not be limited to the few languages
# active in the CMS.
# pylint: disable=no-member
ALL_LANGUAGES = getattr(
    settings,
    "ALL_LANGUAGES",
    [(language, _(name)) for language, name in global_settings.LANGUAGES],
)
ALL_LANGUAGES_DICT = dict(ALL_LANGUAGES)

# Careful! Languages should be ordered by priority.
LANGUAGES_DICT = dict(settings.LANGUAGES)

# check that all languages in LANGUAGES are matching one of the languages in ALL_LANGUAGES
for site_language in LANGUAGES_DICT:
    generic_language_code = site_language.split("-")[0]
    for language in ALL_LANGUAGES_DICT:
        if language.startswith(generic_language_code):
            break
    else:
        raise ImproperlyConfigured(
            f'"{site_language:s}" in LANGUAGES does not match any language in ALL_LANGUAGES'
        )

# Our frontend expects BCP47/RFC5646 locales (eg. fr-FR). This setting lists available locales
# by order of priority.
RFC_5646_LOCALES = lazy(
    lambda: getattr(
        settings,
        "RFC_5646_LOCALES",
        [
            "en-US",
            "es-ES",
            "fr-FR",
        ],
    ),
    list,
)()

# Number of items per page in the search API (the setting name differs from the module name).
SEARCH_PAGE_SIZE = getattr(settings, "SAMPLE_SEARCH_PAGE_SIZE", 20)

# Seconds before a call to the search backend times out.
SEARCH_TIMEOUT = getattr(settings, "SAMPLE_SEARCH_TIMEOUT", 5)

# Token used to call the indexing API. Override it in production!
INDEXING_API_TOKEN = getattr(settings, "SAMPLE_INDEXING_API_TOKEN", "insecure-default-token")

SAMPLE_CACHE_TTL = getattr(settings, "SAMPLE_CACHE_TTL", 60 * 60)  # 1 hour

# Social networks shown in the footer; a mapping read from the settings, with a default.
SOCIAL_NETWORKS = getattr(
    settings,
    "SAMPLE_SOCIAL_NETWORKS",
    {
        "facebook": "https://www.facebook.com/sharer/sharer.php?u={url}",
        "twitter": "https://twitter.com/intent/tweet?url={url}",
    },
)

if not SEARCH_PAGE_SIZE > 0:
    raise ImproperlyConfigured("SAMPLE_SEARCH_PAGE_SIZE must be positive")
