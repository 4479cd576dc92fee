"""Settings of the platform."""

PLATFORM_NAME = "Example"

# .. toggle_name: ENABLE_CATALOG
# .. toggle_implementation: DjangoSetting
# .. toggle_default: False
# .. toggle_description: Shows the course catalog.
# .. toggle_use_cases: open_edx
# .. toggle_creation_date: 2020-01-20
ENABLE_CATALOG = False

REPORTS_EMAIL_ENABLED = True

FEATURES = {
    # .. toggle_name: FEATURES['ENABLE_LEGACY_API']
    # .. toggle_implementation: DjangoSetting
    # .. toggle_default: False
    # .. toggle_description: Keeps the legacy API's endpoints.
    # .. toggle_use_cases: open_edx
    # .. toggle_creation_date: 2018-04-04
    'ENABLE_LEGACY_API': False,

    # .. toggle_name: FEATURES['ENABLE_SEARCH']
    # .. toggle_implementation: WaffleFlag
    # .. toggle_default: True
    # .. toggle_description: Turns on search.
    # .. toggle_use_cases: open_edx
    # .. toggle_creation_date: 2017-07-07
    'ENABLE_SEARCHING': True,
}

#: Signs sessions.
#:
#: :secret:
SECRET_KEY = "not-a-real-key-but-secret"
