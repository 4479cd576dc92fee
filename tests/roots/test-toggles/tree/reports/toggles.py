"""Toggles of the reports app."""

from edx_toggles.toggles import SettingToggle, WaffleFlag, WaffleSwitch

from openedx.core.djangoapps.waffle_utils import CourseWaffleFlag

from .config import SWITCH_NAMESPACE

WAFFLE_FLAG_NAMESPACE = 'reports'

# .. toggle_name: reports.async_export
# .. toggle_implementation: CourseWaffleFlag
# .. toggle_default: False
# .. toggle_description: Builds course exports in a background task instead of in the
#   request.
# .. toggle_use_cases: temporary
# .. toggle_creation_date: 2024-02-01
# .. toggle_target_removal_date: 2024-08-01
ASYNC_EXPORT = CourseWaffleFlag(f'{WAFFLE_FLAG_NAMESPACE}.async_export', __name__)

# .. toggle_name: reports.csv_streaming
# .. toggle_implementation: WaffleSwitch
# .. toggle_default: False
# .. toggle_description: Streams CSV reports to the browser row by row.
# .. toggle_use_cases: temporary, opt_in
# .. toggle_creation_date: 2025-01-10
# .. toggle_target_removal_date: 2026-01-10
CSV_STREAMING = WaffleFlag(f'{WAFFLE_FLAG_NAMESPACE}.csv_streaming', __name__)

# .. toggle_name: reports.large_exports
# .. toggle_implementation: WaffleSwitch
# .. toggle_default: False
# .. toggle_description: Allows exports of more than ten thousand rows.
# .. toggle_use_cases: circuit_breaker
# .. toggle_creation_date: 2023-05-04
# .. toggle_warnings: Large exports hold a database connection for minutes.
LARGE_EXPORTS = WaffleSwitch(f'{SWITCH_NAMESPACE}.large_exports', __name__)

# .. toggle_name: REPORTS_EMAIL_ENABLED
# .. toggle_implementation: SettingToggle
# .. toggle_default: True
# .. toggle_description: Sends an email when a report is ready.
# .. toggle_use_cases: open_edx
# .. toggle_creation_date: 2022-11-30
REPORTS_EMAIL = SettingToggle("REPORTS_EMAIL_ENABLED", default=True, module_name=__name__)

PREVIEW_SWITCH = WaffleSwitch('reports.preview', __name__)


def switch_for(name):
    return WaffleSwitch(f'{WAFFLE_FLAG_NAMESPACE}.{name}', __name__)
