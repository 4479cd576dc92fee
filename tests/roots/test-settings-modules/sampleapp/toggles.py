"""
Toggles for the sample app.
"""

from edx_toggles.toggles import SettingDictToggle, SettingToggle

# .. toggle_name: sampleapp.EMAIL_USE_COURSE_ID_FROM_FOR_BULK
# .. toggle_implementation: DjangoSetting
# .. toggle_default: False
# .. toggle_description: If False, use the same DEFAULT_FROM_EMAIL as the from_addr for all bulk email.
# .. toggle_use_cases: open_edx
# .. toggle_creation_date: 2020-10-01
# .. toggle_tickets: SAMPLE-4957


def is_email_use_course_id_from_for_bulk_enabled():
    return SettingToggle("EMAIL_USE_COURSE_ID_FROM_FOR_BULK", default=False).is_enabled()


# .. toggle_name: ENABLE_EDXNOTES_APP
# .. toggle_implementation: SettingToggle
# .. toggle_default: False
# .. toggle_description: Module-level toggle object, read through is_enabled().
# .. toggle_use_cases: opt_in
# .. toggle_creation_date: 2024-02-01
ENABLE_NOTES_APP = SettingToggle("ENABLE_EDXNOTES_APP", default=False, module_name=__name__)

# A FEATURES key read through a dict toggle; common.py declares it True.
DISCUSSION_SERVICE = SettingDictToggle("FEATURES", "ENABLE_DISCUSSION_SERVICE", default=False,
                                       module_name=__name__)
