"""Settings that every deployment of example_ida must provide.

None of these has a value that would be right in production, so none has a value
here: each is declared by its type alone, and the service refuses to start until the
YAML file named by ``EXAMPLE_IDA_CFG_PATH`` gives all of them.
"""

# ---- Security ----

#: The secret Django signs sessions, password-reset links and CSRF tokens with.
#:
#: Use a long random string (50 characters or more), different in every
#: environment, for instance the output of
#: ``python -c "import secrets; print(secrets.token_urlsafe(50))"``.  Changing it
#: logs every user out.  See `Django's SECRET_KEY
#: <https://docs.djangoproject.com/en/stable/ref/settings/#secret-key>`__.
#:
#: :secret:
SECRET_KEY: str

#: Host names this service answers to, such as ``["reports.example.com"]``.
#:
#: Requests with any other ``Host`` header get a 400 response.  List the public
#: name and any internal name the load balancer's health checks use.
#:
#: :example: ["reports.example.com", "example-ida.internal"]
ALLOWED_HOSTS: list[str]

# ---- Service URLs ----

#: Public root URL of the LMS, without a trailing slash, such as
#: ``https://courses.example.com``.
#:
#: Learners are sent here to sign in, and
#: :setting:`BACKEND_SERVICE_EDX_OAUTH2_PROVIDER_URL` is derived from it unless set.
LMS_BASE_URL: str

#: Root URL of the course-discovery service's REST API, such as
#: ``https://discovery.example.com/api/v1``.
#:
#: Report generation reads course metadata from it, authenticating with the
#: OAuth client :setting:`BACKEND_SERVICE_EDX_OAUTH2_KEY`.
DISCOVERY_API_URL: str

# ---- OAuth ----

#: Client id of this service's OAuth2 application in the LMS, used for
#: server-to-server calls (the *client credentials* grant).
#:
#: Create the application in the LMS admin under *Django OAuth Toolkit >
#: Applications* with the grant type "Client credentials"; its secret goes in
#: :setting:`BACKEND_SERVICE_EDX_OAUTH2_SECRET`.
BACKEND_SERVICE_EDX_OAUTH2_KEY: str

#: Client secret of the OAuth2 application named by
#: :setting:`BACKEND_SERVICE_EDX_OAUTH2_KEY`.
#:
#: :secret:
BACKEND_SERVICE_EDX_OAUTH2_SECRET: str

# ---- Celery ----

#: URL of the message broker Celery workers take tasks from, such as
#: ``redis://redis.internal:6379/0``.
#:
#: Include the password in the URL when the broker needs one
#: (``redis://:password@host:6379/0``); it is read from the configuration file like
#: any other value.
#:
#: .. versionchanged:: 0.4
#:    Required: the default, a Redis server on the same host, was never right in a
#:    container.
CELERY_BROKER_URL: str
