"""
Common settings for the sample learning service, shaped like an Open edX ``lms/envs/common.py``.

Files that extend this one:

- ``production.py`` loads overrides from the YAML file named by ``LMS_CFG``.

Conventions
-----------

A list setting that operators extend has an ``EXTRA`` twin, e.g. ``CELERY_EXTRA_IMPORTS``.
"""

# We intentionally define lots of variables that aren't used
# pylint: disable=unused-import

# pylint: disable=invalid-name

import importlib.util
import os

from django.utils.translation import gettext_lazy as _
from path import Path as path

from sample_platform.derived import derived, derived_collection_entry  # lint-amnesty, pylint: disable=wrong-import-order

from .discussion_settings import *

################################### FEATURES ###################################
# .. setting_name: PLATFORM_NAME
# .. setting_default: Your Platform Name Here
# .. setting_description: The display name of the platform to be used in
#     templates/emails/etc.
PLATFORM_NAME = _('Your Platform Name Here')
CC_MERCHANT_NAME = PLATFORM_NAME

PLATFORM_TWITTER_ACCOUNT = "@YourPlatformTwitterAccount"

LMS_ROOT_URL = 'https://localhost:18000'
LMS_INTERNAL_ROOT_URL = LMS_ROOT_URL

# Features
FEATURES = {
    # .. toggle_name: FEATURES['DISPLAY_DEBUG_INFO_TO_STAFF']
    # .. toggle_implementation: DjangoSetting
    # .. toggle_default: True
    # .. toggle_description: Add a "Staff Debug" button to course blocks for debugging
    #   by course staff.
    # .. toggle_use_cases: open_edx
    # .. toggle_creation_date: 2015-09-04
    # .. toggle_tickets: https://example.org/tickets/2425
    'DISPLAY_DEBUG_INFO_TO_STAFF': True,

    'REROUTE_ACTIVATION_EMAIL': False,  # nonempty string = address for all activation emails

    # .. toggle_name: FEATURES['DISABLE_START_DATES']
    # .. toggle_implementation: DjangoSetting
    # .. toggle_default: False
    # .. toggle_description: When True, all courses will be active, regardless of start
    #   date.
    # .. toggle_use_cases: open_edx
    # .. toggle_creation_date: 2012-07-24
    # .. toggle_warning: This will cause ALL courses to be immediately visible.
    ## DO NOT SET TO True IN THIS FILE
    ## Doing so will cause all courses to be released on production
    'DISABLE_START_DATES': False,

    # .. toggle_name: FEATURES['ENABLE_DISCUSSION_SERVICE']
    # .. toggle_implementation: DjangoSetting
    # .. toggle_default: True
    # .. toggle_description: When True, the Discussion tab is shown in every course. When False,
    #   inline discussion components are hidden too.
    # .. toggle_use_cases: open_edx
    # .. toggle_creation_date: 2012-08-14
    # .. toggle_warning: If a course contains discussion components and this flag is False,
    #   expanding them causes errors.
    #   Keep the value in sync with the setting of the same name in the CMS.
    'ENABLE_DISCUSSION_SERVICE': True,

    # .. toggle_name: FEATURES['ENABLE_DISCUSSION_HOME_PANEL']
    # .. toggle_implementation: DjangoSetting
    # .. toggle_default: True
    # .. toggle_description: Shows a welcome panel under the Discussion tab.
    # .. toggle_use_cases: open_edx
    # .. toggle_creation_date: 2013-07-30
    'ENABLE_DISCUSSION_HOME_PANEL': False,

    # .. toggle_name: FEATURES['ENABLE_DJANGO_ADMIN_SITE']
    # .. toggle_implementation: DjangoSetting
    # .. toggle_default: True
    # .. toggle_description: Set to False to disable Django's admin site.
    # .. toggle_use_cases: open_edx
    # .. toggle_creation_date: 2013-09-26
    # .. toggle_warning: It is not recommended to disable this feature as many settings live on
    #  Django's admin site and would be inaccessible to the superuser.
    'ENABLE_DJANGO_ADMIN_SITE': True,

    # Can be turned off if course lists need to be hidden. Effects views and templates.
    # .. toggle_name: FEATURES['COURSES_ARE_BROWSABLE']
    # .. toggle_implementation: DjangoSetting
    # .. toggle_default: True
    # .. toggle_description: When True, all courses are listed on the /courses page.
    # .. toggle_use_cases: open_edx
    # .. toggle_creation_date: 2013-09-28
    'COURSES_ARE_BROWSABLE': True,

    # .. toggle_name: CUSTOM_COURSES_EDX
    # .. toggle_implementation: DjangoSetting
    # .. toggle_default: False
    # .. toggle_description: Set to True to enable Custom Courses (CCX).
    # .. toggle_use_cases: opt_in, circuit_breaker
    # .. toggle_creation_date: 2015-04-10
    'CUSTOM_COURSES_EDX': False,

    # Toggle to enable certificates of courses on dashboard
    'ENABLE_VERIFIED_CERTIFICATES': False,

    # .. toggle_name: FEATURES['ENABLE_AUTHN_MICROFRONTEND']
    # .. toggle_implementation: DjangoSetting
    # .. toggle_default: False
    # .. toggle_description: Supports staged rollout of the micro-frontend logistration.
    # .. toggle_use_cases: temporary, open_edx
    # .. toggle_creation_date: 2020-09-08
    # .. toggle_target_removal_date: None
    # .. toggle_warnings: This temporary feature toggle does not have a target removal date.
    'ENABLE_AUTHN_MICROFRONTEND': os.environ.get("EDXAPP_ENABLE_AUTHN_MFE", False),

    ### ORA Feature Flags ###
    # .. toggle_name: FEATURES['ENABLE_V2_CERT_DISPLAY_SETTINGS']
    # .. toggle_implementation: DjangoSetting
    # .. toggle_default: False
    # .. toggle_description: Whether to use the reimagined certificates_display_behavior and certificate_available_date
    # .. settings. Will eventually become the default.
    # .. toggle_use_cases: temporary
    # .. toggle_creation_date: 2021-07-26
    # .. toggle_target_removal_date: 2021-10-01
    'ENABLE_V2_CERT_DISPLAY_SETTINGS': False,

    # .. toggle_name: FEATURES['ENABLE_COURSEWARE_SEARCH_VERIFIED_REQUIRED']
    # .. toggle_implementation: DjangoSetting
    # .. toggle_default: False
    # .. toggle_description: When enabled, courseware search is only enabled for verified learners.
    # .. toggle_use_cases: open_edx
    # .. toggle_creation_date: 2024-04-24
    'ENABLE_COURSEWARE_SEARCH_VERIFIED_ENROLLMENT_REQUIRED': False,

    # .. toggle_name: FEATURES['ENABLE_EDXNOTES']
    # .. toggle_implementation: SettingToggle
    # .. toggle_default: False
    # .. toggle_description: Lets students save and manage their annotations.
    # .. toggle_warning: Requires the notes service and the settings EDXNOTES_PUBLIC_API and
    #   EDXNOTES_INTERNAL_API.
    # .. toggle_use_cases: open_edx
    # .. toggle_creation_date: 2015-01-04
    'ENABLE_EDXNOTES': False,
    'ENABLE_CORS_HEADERS': False,
}

# Used for A/B testing
DEFAULT_GROUPS = []

# .. toggle_name: ENABLE_COPPA_COMPLIANCE
# .. toggle_implementation: DjangoSetting
# .. toggle_default: False
# .. toggle_description: When True, enforces COPPA compliance and removes the YOB field from the registration form and account
# .. settings page. Also hide YOB banner from profile page.
# .. toggle_use_cases: open_edx
# .. toggle_creation_date: 2021-10-27
ENABLE_COPPA_COMPLIANCE = False

############################# SET PATH INFORMATION #############################
PROJECT_ROOT = path(__file__).abspath().dirname().dirname()  # /sample-platform/lms
REPO_ROOT = PROJECT_ROOT.dirname()
ENV_ROOT = REPO_ROOT.dirname()  # virtualenv dir /sample-platform is in
COURSES_ROOT = ENV_ROOT / "data"

DATA_DIR = COURSES_ROOT

############################ OAUTH2 Provider ###################################
OAUTH_EXPIRE_CONFIDENTIAL_CLIENT_DAYS = 365
OAUTH_EXPIRE_PUBLIC_CLIENT_DAYS = 30

################################## DJANGO OAUTH TOOLKIT #######################################
OAUTH_ENFORCE_SECURE = True
OAUTH_EXPIRE_PUBLIC_CLIENT_DAYS = 30

# .. setting_name: ELASTIC_SEARCH_INDEX_PREFIX
# .. setting_default: ''
# .. setting_description: Specifies the prefix used when naming elasticsearch indexes.
ELASTICSEARCH_INDEX_PREFIX = ""

EDX_API_KEY = "PUT_YOUR_API_KEY_HERE"

LOG_DIR = '/edx/var/log/edx'

DATA_DIR = '/edx/var/edxapp/data'

# .. setting_name: MAINTENANCE_BANNER_TEXT
# .. setting_default: 'Sample banner message'
# .. setting_description: Specifies the text that is rendered on the maintenance banner.
# .. setting_warning: Depends on the `open_edx_util.display_maintenance_warning` waffle switch.
#   The banner is only rendered when the switch is activated.
MAINTENANCE_BANNER_TEXT = 'Sample banner message'

### Dark code. Should be enabled in local settings for devel.

ENABLE_MULTICOURSE = False  # set to False to disable multicourse display

###

HOTJAR_SITE_ID = 00000

############################### DJANGO BUILT-INS ###############################
# Change DEBUG in your environment settings files, not here
DEBUG = False
USE_TZ = True
SESSION_COOKIE_NAME = 'sessionid'

DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.mysql',
        'HOST': '127.0.0.1',
        'NAME': 'edxapp',
        'PASSWORD': 'password',
        'PORT': '3306',
        'USER': 'edxapp001',
    },
}

# Static content
STATIC_ROOT = os.environ.get('STATIC_ROOT_LMS', ENV_ROOT / "staticfiles")

LANGUAGES = [
    ('en', 'English'),
    ('eo', 'Dummy Language (Esperanto)'),
    ('fr', 'Français'),
]

LANGUAGE_DICT = dict(LANGUAGES)


# Localization strings (e.g. django.po) are under these directories
def _make_locale_paths(settings):  # pylint: disable=missing-function-docstring
    locale_paths = list(settings.PREPEND_LOCALE_PATHS)
    locale_paths += [settings.REPO_ROOT + '/conf/locale']
    return locale_paths
LOCALE_PATHS = _make_locale_paths
derived('LOCALE_PATHS')

# .. setting_name: PREPEND_LOCALE_PATHS
# .. setting_default: []
# .. setting_description: A list of the paths to locale directories to load first e.g.
#   "PREPEND_LOCALE_PATHS" : ["/edx/my-locales/"].
PREPEND_LOCALE_PATHS = []

##### Zendesk #####
ZENDESK_URL = ''
ZENDESK_API_KEY = ''

################################# EdxNotes config  #########################

# Configure the LMS to use our stub EdxNotes implementation
# .. setting_name: EDXNOTES_PUBLIC_API
# .. setting_default: http://localhost:18120/api/v1
# .. setting_description: Set the public API endpoint LMS will use in the frontend to
#     interact with the edx_notes_api service.
# .. setting_warning: This setting must be a publicly accessible endpoint. It is only used
#     when the setting FEATURES['ENABLE_EDXNOTES'] is activated.
EDXNOTES_PUBLIC_API = 'http://localhost:18120/api/v1'
# .. setting_name: EDXNOTES_READ_TIMEOUT
# .. setting_default: 1.5
# .. setting_description: Set the number of seconds LMS will wait for a response from the
#     edx_notes_api service internal endpoint.
EDXNOTES_READ_TIMEOUT = 2.5  # time in seconds

################################# CELERY ######################################

CELERY_IMPORTS = [
    'poll.tasks',
]

# .. setting_name: CELERY_EXTRA_IMPORTS
# .. setting_default: []
# .. setting_description: Adds extra packages that don't get auto-imported (Example: XBlocks).
#    These packages are added in addition to those added by CELERY_IMPORTS.
CELERY_EXTRA_IMPORTS = []

CELERY_DEFAULT_EXCHANGE = 'edx.core'

SERVICE_VARIANT = os.environ.get('SERVICE_VARIANT', "lms")
CONFIG_PREFIX = SERVICE_VARIANT + "." if SERVICE_VARIANT else ""
QUEUE_VARIANT = CONFIG_PREFIX.lower()

CELERY_DEFAULT_EXCHANGE = f'edx.{QUEUE_VARIANT}core'

HIGH_PRIORITY_QUEUE = f'edx.{QUEUE_VARIANT}core.high'
DEFAULT_PRIORITY_QUEUE = f'edx.{QUEUE_VARIANT}core.default'

CELERY_BROKER_PASSWORD = 'celery'

################################ Block Structures ###################################

# .. setting_name: BLOCK_STRUCTURES_SETTINGS
# .. setting_default: dict of settings
# .. setting_description: Stores all the settings used by block structures. See
#   BLOCK_STRUCTURES_SETTINGS[XXX] documentation for details of each setting.
BLOCK_STRUCTURES_SETTINGS = dict(
    # .. setting_name: BLOCK_STRUCTURES_SETTINGS['COURSE_PUBLISH_TASK_DELAY']
    # .. setting_default: 30
    # .. setting_description: Delay, in seconds, after a new edit of a course is published before
    #   updating the block structures cache.
    COURSE_PUBLISH_TASK_DELAY=30,

    # .. setting_name: BLOCK_STRUCTURES_SETTINGS['TASK_MAX_RETRIES']
    # .. setting_default: 5
    # .. setting_description: Maximum number of retries per block structure task.
    TASK_MAX_RETRIES=5,
)

################################ Bulk Email ###################################

# We want Bulk Email running on the high-priority queue.
BULK_EMAIL_ROUTING_KEY = HIGH_PRIORITY_QUEUE
BULK_EMAIL_ROUTING_KEY_SMALL_JOBS = 'edx.lms.core.default'

############################### PIPELINE #######################################

PIPELINE = {
    'PIPELINE_ENABLED': True,
    'CSS_COMPRESSOR': None,
}

PIPELINE['STYLESHEETS'] = {
    'style-main-v1': {
        'source_filenames': ['css/lms-main-v1.css'],
        'output_filename': 'css/lms-main-v1.css',
    },
}

################################### APPS ######################################

INSTALLED_APPS = [
    'django.contrib.auth',
    'django.contrib.contenttypes',
    'sample_platform.courseware',
]

### Apps only installed in some instances
OPTIONAL_APPS = [
    ('problem_builder', 'sample_platform.courseware'),
    ('edx_sga', None),
]

for app_name, insert_before in OPTIONAL_APPS:
    if importlib.util.find_spec(app_name) is None:
        continue
    try:
        INSTALLED_APPS.insert(INSTALLED_APPS.index(insert_before), app_name)
    except (IndexError, ValueError):
        INSTALLED_APPS.append(app_name)

#################SOCIAL AUTH OAUTH######################
SOCIAL_AUTH_OAUTH_SECRETS = {}

################ Enable credit eligibility feature ####################
ENABLE_CREDIT_ELIGIBILITY = True
# .. toggle_name: FEATURES['ENABLE_CREDIT_ELIGIBILITY']
# .. toggle_implementation: DjangoSetting
# .. toggle_default: True
# .. toggle_description: When enabled, it is possible to define a credit eligibility criteria in the CMS.
# .. toggle_use_cases: open_edx
# .. toggle_creation_date: 2015-06-17
FEATURES['ENABLE_CREDIT_ELIGIBILITY'] = ENABLE_CREDIT_ELIGIBILITY

############# Cross-domain requests #################

if FEATURES.get('ENABLE_CORS_HEADERS'):
    CORS_ALLOW_CREDENTIALS = True
    CORS_ORIGIN_WHITELIST = ()

# The configuration visibility of account fields.
ACCOUNT_VISIBILITY_CONFIGURATION = {
    "default_visibility": "all_users",
    "public_fields": [
        'account_privacy',
        'username',
    ],
}

# The list of account fields that are visible only to staff and users viewing their own profiles
ACCOUNT_VISIBILITY_CONFIGURATION["admin_fields"] = (
    ACCOUNT_VISIBILITY_CONFIGURATION["public_fields"] + [
        "email",
        "id",
    ]
)

# This key is used in generating unguessable URLs to users'
# profile images. Once it has been set, changing it will make the
# platform unaware of current image URLs.
PROFILE_IMAGE_HASH_SEED = 'placeholder_secret_key'

# .. setting_name: COURSE_MEMBER_API_ENROLLMENT_LIMIT
# .. setting_implementation: DjangoSetting
# .. setting_default: 1000
# .. setting_description: This limits the response size of the `get_course_members` API.
# .. setting_use_cases: open_edx
# .. setting_creation_date: 2021-05-18
COURSE_MEMBER_API_ENROLLMENT_LIMIT = 1000

# Dummy secret key for dev/test
SECRET_KEY = 'dev key'

################################ Settings for JWTs ################################

JWT_AUTH = {
    'JWT_VERIFY_EXPIRATION': True,
    'JWT_PAYLOAD_GET_USERNAME_HANDLER': lambda d: d.get('username'),
    'JWT_ISSUER': 'http://127.0.0.1:8000/oauth2',
    'JWT_SECRET_KEY': SECRET_KEY,
    'JWT_PRIVATE_SIGNING_JWK': None,
}

############### Settings for facebook ##############################
FACEBOOK_APP_ID = 'FACEBOOK_APP_ID'
FACEBOOK_APP_SECRET = 'FACEBOOK_APP_SECRET'

############### Settings for Retirement #####################
# .. setting_name: RETIRED_USERNAME_PREFIX
# .. setting_default: retired__user_
# .. setting_description: Set the prefix part of hashed usernames for retired users. Used by the derived
#     setting RETIRED_USERNAME_FMT.
RETIRED_USERNAME_PREFIX = 'retired__user_'
# .. setting_name: RETIRED_USERNAME_FMT
# .. setting_default: retired__user_{}
# .. setting_description: Set the format a retired user username field gets transformed into. This is a
#     derived setting that depends on RETIRED_USERNAME_PREFIX value.
RETIRED_USERNAME_FMT = lambda settings: settings.RETIRED_USERNAME_PREFIX + '{}'
derived('RETIRED_USERNAME_FMT')

# These states are the default, but are designed to be overridden in configuration.
# .. setting_name: RETIREMENT_STATES
# .. setting_default:
#     [
#         'PENDING',
#         'RETIRING_LMS',
#         'COMPLETE',
#     ]
# .. setting_description: Set a list that defines the name and order of states for the retirement
#     workflow.
RETIREMENT_STATES = [
    'PENDING',

    # Use these states only when ENABLE_DISCUSSION_SERVICE is True.
    'RETIRING_LMS',

    'COMPLETE',
]

# .. toggle_name: SOME_FEATURE_NAME
# .. toggle_implementation: DjangoSetting
# .. toggle_default: False
# .. toggle_description: Flag would be used to show account activation popup after the registration
# .. toggle_use_cases: open_edx
# .. toggle_creation_date: 2021-06-10
SHOW_ACCOUNT_ACTIVATION_CTA = False

# .. setting_name: SURVEY_REPORT_CHECK_THRESHOLD
# .. setting_default: every 6 months
# .. setting_description: Survey report banner will appear if a survey report is not sent in the months defined.

SURVEY_REPORT_CHECK_THRESHOLD = 6


def _should_send_certificate_events(settings):
    return settings.FEATURES['SEND_LEARNING_CERTIFICATE_LIFECYCLE_EVENTS_TO_BUS']


#### Event bus producing ####

# .. setting_name: EVENT_BUS_PRODUCER_CONFIG
# .. setting_default: all events disabled
# .. setting_description: Dictionary of event_types mapped to dictionaries of topic to topic-related configuration.
EVENT_BUS_PRODUCER_CONFIG = {
    'org.openedx.learning.certificate.created.v1': {
        'learning-certificate-lifecycle':
            {'event_key_field': 'certificate.course.course_key', 'enabled': _should_send_certificate_events},
    },
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
}
derived_collection_entry('EVENT_BUS_PRODUCER_CONFIG', 'org.openedx.learning.certificate.created.v1',
                         'learning-certificate-lifecycle', 'enabled')

############## Plugin Django Apps #########################

from sample_platform.plugins import get_plugin_apps  # pylint: disable=wrong-import-position,wrong-import-order
INSTALLED_APPS.extend(get_plugin_apps('lms'))
