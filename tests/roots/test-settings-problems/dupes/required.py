#: The LMS.
LMS_BASE_URL: str

#: Given a value, which a required setting must not have.
PLATFORM_NAME = "Open edX"
