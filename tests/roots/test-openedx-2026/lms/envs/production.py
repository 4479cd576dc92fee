"""
Override common.py with key-value pairs from YAML.
"""
# pylint: disable=wildcard-import, unused-wildcard-import
import codecs
import os

import yaml
from django.core.exceptions import ImproperlyConfigured

from openedx.core.lib.features_setting_proxy import FeaturesProxy

from .common import *  # noqa: F403

# A proxy for feature flags stored in the settings namespace
FEATURES = FeaturesProxy(globals())


def get_env_setting(setting):
    """ Get the environment setting or return exception """
    try:
        return os.environ[setting]
    except KeyError:
        raise ImproperlyConfigured("Set the %s env variable" % setting)


CONFIG_FILE = get_env_setting('LMS_CFG')

with codecs.open(CONFIG_FILE, encoding='utf-8') as f:
    _YAML_TOKENS = yaml.safe_load(f)
    vars().update({
        key: value
        for key, value in _YAML_TOKENS.items()
        if key not in ['FEATURES']
    })

for feature, value in _YAML_TOKENS.get('FEATURES', {}).items():
    FEATURES[feature] = value
