"""
Views of the sample app: settings are read in functions, with defaults.
"""
from django.conf import settings

from . import constants


def enrollment_modes_to_hide():
    """Modes hidden on the enrollment page."""
    return getattr(settings, 'ENTERPRISE_COURSE_ENROLLMENT_AUDIT_MODES', ['audit', 'honor'])


def audit_modes():
    """Same setting, another default: the reads disagree with each other."""
    return getattr(settings, 'ENTERPRISE_COURSE_ENROLLMENT_AUDIT_MODES', ['audit'])


def discussion_enabled():
    """A FEATURES key declared True in common.py, read with default False."""
    return settings.FEATURES.get('ENABLE_DISCUSSION_SERVICE', False)


def custom_theme():
    """A FEATURES key that nothing declares."""
    theme_name = getattr(settings, "THEME_NAME", None)
    return settings.FEATURES.get("USE_CUSTOM_THEME", False) and theme_name


def notes_enabled():
    """Subscript read of a documented FEATURES key (KeyError if missing)."""
    return settings.FEATURES['ENABLE_EDXNOTES']


def root_url(path):
    """Attribute read of a declared setting, no default."""
    return settings.LMS_ROOT_URL + path


def undeclared():
    """Attribute read of a setting that nothing declares."""
    return settings.SAMPLE_UNDECLARED_ENDPOINT


def braze_campaign(campaign_setting_name):
    """Dynamic read: the setting name is a variable (cannot be resolved statically)."""
    return getattr(settings, campaign_setting_name, None)


def deletion_allowed():
    """Name taken from a constant in another module (resolvable only by following the import)."""
    return getattr(settings, constants.ALLOW_DELETION_SETTING, False)


def local_dict_is_not_settings():
    """A local called ``settings`` that is not django.conf.settings: not a read."""
    settings = {'PAGE_SIZE': 10}  # pylint: disable=redefined-outer-name
    return settings.get('PAGE_SIZE')


def plugin_settings(settings):
    """As Open edX calls it: the parameter is Django's settings."""
    settings.SAMPLE_PLUGIN_ROOT = getattr(settings, 'SAMPLE_PLUGIN_BASE', '/plugin') + '/root'


# As Open edX's derived settings are computed: handed Django's settings.
SAMPLE_DERIVED_URL = lambda settings: settings.SAMPLE_DERIVED_BASE + '/x'  # noqa: E731


def parameter_named_settings_but_rebound(settings):
    """A parameter rebound in the function is not Django's settings any more."""
    settings = {'PAGE_SIZE': 10}  # pylint: disable=redefined-outer-name
    return settings.get('PAGE_SIZE')


def parameter_with_another_name(config):
    return config.SAMPLE_NOT_SETTINGS
