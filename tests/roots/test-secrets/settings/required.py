"""Required settings: every value of a secret here is S3CR3T-MARKER-something."""

#: The API token, given a value here by mistake.
#:
#: :secret:
API_TOKEN = "S3CR3T-MARKER-required"

#: The database password.
#:
#: :secret:
DB_PASSWORD: str
