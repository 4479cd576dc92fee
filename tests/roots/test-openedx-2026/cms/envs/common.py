"""
This is the common settings file of Studio, intended to set sane defaults.

Shaped like openedx-platform's cms/envs/common.py after the settings simplification.
"""
# pylint: disable=wildcard-import, unused-wildcard-import
from openedx.core.lib.derived import Derived
from openedx.core.lib.features_setting_proxy import FeaturesProxy
from openedx.envs.common import *  # noqa: F403

# A proxy for feature flags stored in the settings namespace
FEATURES = FeaturesProxy(globals())

# Turn off account locking if failed login attempts exceeds a limit
ENABLE_MAX_FAILED_LOGIN_ATTEMPTS = False

ENABLE_DISCUSSION_HOME_PANEL = True

FRONTEND_REGISTER_URL = Derived(lambda settings: settings.LMS_ROOT_URL + '/register')

CONTENTSTORE['DOC_STORE_CONFIG']['read_preference'] = 'PRIMARY'  # noqa: F405

REGISTRATION_EXTRA_FIELDS['marketing_emails_opt_in'] = 'hidden'  # noqa: F405

# .. setting_name: LIBRARY_ENABLED_BLOCKS
# .. setting_default: ['problem', 'video', 'html', 'drag-and-drop-v2']
# .. setting_description: List of block types that are ready/enabled to be created/used
# .. in libraries.
LIBRARY_ENABLED_BLOCKS = [
    'problem',
    'video',
    'html',
    'drag-and-drop-v2',
    'openassessment',
    'conditional',
    'done',
    'lti',
]
