"""The legacy app's toggles, with edx-toggles' legacy namespaces."""

from edx_toggles.toggles import LegacyWaffleFlag, LegacyWaffleFlagNamespace, SettingDictToggle

WAFFLE_NAMESPACE = LegacyWaffleFlagNamespace(name='legacy')

# .. toggle_name: OLD_DASHBOARD
# .. toggle_implementation: WaffleFlag
# .. toggle_default: False
# .. toggle_description: Shows the old dashboard.
# .. toggle_use_cases: temporary
# .. toggle_creation_date: 2019-13-01
# .. toggle_target_removal_date: Teak
OLD_DASHBOARD = LegacyWaffleFlag(WAFFLE_NAMESPACE, 'old_dashboard', __name__)

# The legacy API's toggle is documented with the settings.
LEGACY_API = SettingDictToggle("FEATURES", "ENABLE_LEGACY_API", default=False, module_name=__name__)

# .. toggle_name: reports.async_export
# .. toggle_implementation: CourseWaffleFlag
# .. toggle_default: False
# .. toggle_description: A copy of the reports app's annotation.
# .. toggle_use_cases: tempoary
# .. toggle_creation_date: 2024-02-01
ASYNC_COPY = LegacyWaffleFlag(WAFFLE_NAMESPACE, 'async_export', __name__)
