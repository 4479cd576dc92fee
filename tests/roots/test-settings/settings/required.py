"""Settings the operator must provide."""

#: Base URL of the LMS, e.g. ``https://lms.example.com``.
LMS_BASE_URL: str

#: Django's secret key.
#:
#: :secret:
SECRET_KEY: str = None
