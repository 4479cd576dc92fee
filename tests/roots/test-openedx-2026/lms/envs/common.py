"""
This is the common settings file, intended to set sane defaults.

Shaped like openedx-platform's lms/envs/common.py after the settings simplification: the
shared settings come from openedx.envs.common, FEATURES is a proxy of the settings.
"""
# pylint: disable=wildcard-import, unused-wildcard-import
from openedx.core.lib.derived import Derived
from openedx.core.lib.features_setting_proxy import FeaturesProxy
from openedx.envs.common import *  # noqa: F403

# A proxy for feature flags stored in the settings namespace
FEATURES = FeaturesProxy(globals())

ENABLE_DISCUSSION_HOME_PANEL = False

ENABLE_MAX_FAILED_LOGIN_ATTEMPTS = True

# .. toggle_name: settings.ENABLE_SPECIAL_EXAMS
# .. toggle_implementation: DjangoSetting
# .. toggle_default: False
# .. toggle_description: Enables special exams (timed and proctored) in the LMS.
# .. toggle_use_cases: open_edx
# .. toggle_creation_date: 2015-11-09
ENABLE_SPECIAL_EXAMS = False

# .. toggle_name: settings.DISABLE_ALLOWED_ENROLLMENT_IF_ENROLLMENT_CLOSED
# .. toggle_implementation: DjangoSetting
# .. toggle_default: False
# .. toggle_description: Set to True to disable enrollment for user invited to a course
# .. if user is registering before enrollment start date or after enrollment end date
# .. toggle_use_cases: open_edx
# .. toggle_creation_date: 2022-06-06
DISABLE_ALLOWED_ENROLLMENT_IF_ENROLLMENT_CLOSED = False

# .. setting_name: ELASTIC_SEARCH_INDEX_PREFIX
# .. setting_default: ''
# .. setting_description: Specifies the prefix used when naming elasticsearch indexes.
ELASTICSEARCH_INDEX_PREFIX = ""

CONTEXT_PROCESSORS.remove('help_tokens.context_processor')  # noqa: F405
CONTEXT_PROCESSORS[1:1] = [  # noqa: F405
    'lms.djangoapps.courseware.context_processor.user_timezone_locale_prefs',
]
CONTEXT_PROCESSORS += ['lms.djangoapps.mobile_api.context_processor.is_from_mobile_app']  # noqa: F405

CONTENTSTORE['DOC_STORE_CONFIG']['read_preference'] = 'SECONDARY_PREFERRED'  # noqa: F405

EVENT_BUS_PRODUCER_CONFIG.update({  # noqa: F405
    'org.openedx.learning.course.unenrollment.completed.v1': {
        'course-unenrollment-lifecycle':
            {'event_key_field': 'enrollment.course.course_key',
             # .. toggle_name: EVENT_BUS_PRODUCER_CONFIG['org.openedx.learning.course.unenrollment.completed.v1']
             #    ['course-unenrollment-lifecycle']['enabled']
             # .. toggle_implementation: DjangoSetting
             # .. toggle_default: False
             # .. toggle_description: Enables sending COURSE_UNENROLLMENT_COMPLETED events over the event bus.
             # .. toggle_use_cases: opt_in
             # .. toggle_creation_date: 2023-09-18
             'enabled': False},
    },
})
