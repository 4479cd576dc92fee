"""
Settings shared by the LMS and Studio.

Shaped like openedx-platform's openedx/envs/common.py after the settings simplification
(ADR 0022): the LMS and Studio star-import it, and each sets some of these itself.
"""
from openedx.core.lib.derived import Derived

# .. setting_name: PLATFORM_NAME
# .. setting_default: Your Platform Name Here
# .. setting_description: The display name of the platform.
PLATFORM_NAME = "Your Platform Name Here"

ROOT_URLCONF = Derived(lambda settings: f'{settings.SERVICE_VARIANT}.urls')

# .. toggle_name: settings.ENABLE_DISCUSSION_HOME_PANEL
# .. toggle_implementation: DjangoSetting
# .. toggle_default: True
# .. toggle_description: Hides or displays a welcome panel under the Discussion tab.
#   (Note: set to False by default in the CMS).
# .. toggle_use_cases: open_edx
# .. toggle_creation_date: 2013-07-30
ENABLE_DISCUSSION_HOME_PANEL: bool

# .. toggle_name: settings.ENABLE_MAX_FAILED_LOGIN_ATTEMPTS
# .. toggle_implementation: DjangoSetting
# .. toggle_default: True
# .. toggle_description: Locks an account for a while after too many failed logins.
#   (Note: set to False by default in the CMS).
# .. toggle_use_cases: open_edx
# .. toggle_creation_date: 2014-01-30
ENABLE_MAX_FAILED_LOGIN_ATTEMPTS: bool

# .. toggle_name: ENABLE_SPECIAL_EXAMS
# .. toggle_implementation: DjangoSetting
# .. toggle_default: False
# .. toggle_description: Enables special exams (timed and proctored).
# .. toggle_use_cases: open_edx
# .. toggle_creation_date: 2015-11-09
ENABLE_SPECIAL_EXAMS = False

# .. toggle_name: ENABLE_COPPA_COMPLIANCE
# .. toggle_implementation: DjangoSetting
# .. toggle_default: False
# .. toggle_description: When True, removes the year of birth from the registration form and account
# .. settings page.
# .. toggle_use_cases: open_edx
# .. toggle_creation_date: 2021-10-27
ENABLE_COPPA_COMPLIANCE = False

# .. toggle_name: SOME_FEATURE_NAME
# .. toggle_implementation: DjangoSetting
# .. toggle_default: False
# .. toggle_description: Shows an account activation popup after the registration.
# .. toggle_use_cases: open_edx
# .. toggle_creation_date: 2021-06-10
SHOW_ACCOUNT_ACTIVATION_CTA = False

# .. toggle_name: USE_EXTRACTED_WORD_CLOUD_BLOCK
# .. toggle_default: False
# .. toggle_implementation: DjangoSetting
# .. toggle_description: Enables the use of the extracted Word Cloud XBlock.
# .. toggle_use_cases: temporary
# .. toggle_creation_date: 2024-11-10
USE_EXTRACTED_WORD_CLOUD_BLOCK = True

# .. setting_name: SURVEY_REPORT_CHECK_THRESHOLD
# .. setting_default: every 6 months
# .. setting_description: Survey report banner will appear if a survey report is not sent in the months defined.
SURVEY_REPORT_CHECK_THRESHOLD = 6

# .. setting_name: REGISTRATION_EXTRA_FIELDS
# .. setting_default: {'city': 'hidden', 'country': 'hidden'}
# .. setting_description: Optional fields of the registration form.
REGISTRATION_EXTRA_FIELDS = {
    'city': 'hidden',
    'country': 'hidden',
}

DOC_STORE_CONFIG = {
    'db': 'edxapp',
    'host': 'localhost',
    'port': 27017,
}

CONTENTSTORE = {
    'ENGINE': 'xmodule.contentstore.mongo.MongoContentStore',
    # connection strings are duplicated temporarily for
    # backward compatibility
    'OPTIONS': {
        'db': 'edxapp',
        'host': 'localhost',
    },
    'DOC_STORE_CONFIG': DOC_STORE_CONFIG,
}

CONTEXT_PROCESSORS = [
    'django.template.context_processors.request',
    'django.template.context_processors.static',
    'help_tokens.context_processor',
]

# .. setting_name: EVENT_BUS_PRODUCER_CONFIG
# .. setting_default: all events disabled
# .. setting_description: Dictionary of event_types mapped to dictionaries of topic to
#   topic-related configuration.
EVENT_BUS_PRODUCER_CONFIG = {
    'org.openedx.learning.certificate.created.v1': {
        'learning-certificate-lifecycle':
            {'event_key_field': 'certificate.course.course_key',
             # .. toggle_name: EVENT_BUS_PRODUCER_CONFIG['org.openedx.learning.certificate.created.v1']
             #    ['learning-certificate-lifecycle']['enabled']
             # .. toggle_implementation: DjangoSetting
             # .. toggle_default: False
             # .. toggle_description: Enables sending CERTIFICATE_CREATED events over the event bus.
             # .. toggle_use_cases: opt_in
             # .. toggle_creation_date: 2023-09-18
             'enabled': False},
    },
}
