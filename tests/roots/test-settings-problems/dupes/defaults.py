#: Also here, which OEP-45 forbids.
LMS_BASE_URL = "https://lms"

UNDOCUMENTED = 1
