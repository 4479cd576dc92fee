#: How long a report is kept, in days.
REPORT_RETENTION_DAYS = 90

#: Where sessions are stored.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
