#: The secret key.
SECRET_KEY: str

#: Where the database lives.
DATABASES: dict
