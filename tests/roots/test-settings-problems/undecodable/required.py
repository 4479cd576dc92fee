#: Fine.
OK: str
