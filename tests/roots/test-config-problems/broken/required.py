"""Broken."""

SECRET_KEY: str =
