"""Discussion defaults, star-imported by common.py (tests attribution across a star import)."""

# The maximum depth of nested comments shown in the discussion tab.
DISCUSSION_MAX_COMMENT_DEPTH = 2

# .. setting_name: DISCUSSION_SETTINGS
# .. setting_default: {'MAX_COMMENT_DEPTH': 2}
# .. setting_description: Settings of the discussion service; overridden per
#   deployment in production.py.
DISCUSSION_SETTINGS = {
    'MAX_COMMENT_DEPTH': DISCUSSION_MAX_COMMENT_DEPTH,
}
