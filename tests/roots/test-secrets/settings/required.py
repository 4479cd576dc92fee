"""Required settings: the value of every secret here starts with the test's marker."""

#: The API token, given a value here by mistake.
#:
#: :secret:
API_TOKEN = "S3CR3T-MARKER-required"

#: The database password.
#:
#: :secret:
DB_PASSWORD: str
