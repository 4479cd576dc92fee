#: café
CAFE = "é"
