"""Views of the catalog."""

from django.conf import settings

from openedx.core.djangoapps.waffle_utils import CourseWaffleFlag

from reports.toggles import WAFFLE_FLAG_NAMESPACE as REPORTS

SHOW_PRICES = CourseWaffleFlag(f'{REPORTS}.show_prices', __name__)  # pylint: disable=toggle-missing-annotation


# .. toggle_name: FEATURES['ENABLE_CATALOG_SEARCH']
# .. toggle_implementation: SettingToggle
# .. toggle_default: False
# .. toggle_description: Adds a search box to the catalog.
# .. toggle_use_cases: open_edx
# .. toggle_creation_date: 2024-10-10
def search_enabled():
    return settings.FEATURES.get('ENABLE_CATALOG_SEARCH', False)
