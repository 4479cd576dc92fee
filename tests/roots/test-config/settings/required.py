"""Settings every deployment gives."""

# ---- Service ----

#: Public URL of the LMS.
LMS_BASE_URL: str

#: Key that signs sessions.
#:
#: :secret:
SECRET_KEY: str

#: Ports to listen on.
#:
#: :example: [8000, 8001]
PORTS: list[int]
