#: Django's secret key.
SECRET_KEY: str
