#: Fine.
GOOD: str
