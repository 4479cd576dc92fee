"""Comment blocks: code-annotations fields read as code-annotations reads them."""

from __future__ import annotations

from opsdocs.settings.reader import source_from_specs
from tests.settings.support import (
    COMMON,
)


def test_annotations_and_dict_keys() -> None:
    catalog = source_from_specs([COMMON])
    entry = catalog.get("FEATURES['ENABLE_DISCUSSION_SERVICE']")
    assert (entry.parent, entry.value, entry.toggle, entry.line) == ("FEATURES", "True", True, 78)
    assert entry.doc == ("When True, the Discussion tab is shown in every course. When False, "
                         "inline discussion components are hidden too.")
    assert entry.field("toggle_warning") == (
        "If a course contains discussion components and this flag is False, expanding them "
        "causes errors. Keep the value in sync with the setting of the same name in the CMS.")
    assert [name for name, _ in entry.annotation_fields] == [
        "toggle_name", "toggle_implementation", "toggle_default", "toggle_description",
        "toggle_use_cases", "toggle_creation_date", "toggle_warning"]
    # ## lines end a field, and so does a sentence wrapped as '# .. settings.', as in
    # code-annotations (a warning says how to write it)
    assert catalog.get("FEATURES['DISABLE_START_DATES']").field("toggle_warning") == \
        "This will cause ALL courses to be immediately visible."
    assert catalog.get("FEATURES['ENABLE_V2_CERT_DISPLAY_SETTINGS']").doc.endswith(
        "certificates_display_behavior and certificate_available_date")
    assert catalog.get("FEATURES['ENABLE_V2_CERT_DISPLAY_SETTINGS']").field(
        "toggle_use_cases") == "temporary"
    # keyword arguments of dict(...), a nested key named over two lines, a subscript
    assert catalog.get("BLOCK_STRUCTURES_SETTINGS['TASK_MAX_RETRIES']").value == "5"
    nested = ("EVENT_BUS_PRODUCER_CONFIG['org.openedx.learning.course.unenrollment.completed"
              ".v1']['course-unenrollment-lifecycle']['enabled']")
    assert (catalog.get(nested).value, catalog.get(nested).parent) == (
        "False", "EVENT_BUS_PRODUCER_CONFIG")
    assert catalog.get("FEATURES['ENABLE_CREDIT_ELIGIBILITY']").value == \
        "ENABLE_CREDIT_ELIGIBILITY"
    assert catalog.get("FEATURES['ENABLE_AUTHN_MICROFRONTEND']").env_vars == (
        "EDXAPP_ENABLE_AUTHN_MFE",)
    assert catalog.get("STATIC_ROOT").env_vars == ("STATIC_ROOT_LMS",)
    assert catalog.get("RETIREMENT_STATES").field("setting_default") == (
        "[\n    'PENDING',\n    'RETIRING_LMS',\n    'COMPLETE',\n]")
    assert {"ENABLE_CORS_HEADERS", "ENABLE_CREDIT_ELIGIBILITY"} <= set(
        catalog.get("FEATURES").keys)
