"""Three releases whose changes ask something of operators: every kind of upgrade step,
and secrets that must never show.  For the upgrade guide and ``opsdocs upgrade``."""

from __future__ import annotations

SECRET = "S3CR3T-MARKER"


TOKEN = "T0KEN-MARKER"


V1 = {
    "required.py": "#: The key.\n#:\n#: :secret:\nSECRET_KEY: str\n",
    "defaults.py": (
        "#: The queue reports go to.\nOLD_QUEUE = 'default'\n\n"
        "#: Debugging.\nDEBUG = False\n\n"
        "#: Seconds to wait.\nTIMEOUT = 5\n\n"
        "#: Log level.\nLEVEL = 'INFO'\n\n"
        "#: Flags.\nFEATURES = {'A': True, 'B': False}\n\n"
        "#: The broker.\nBROKER_URL = 'redis://'\n\n"
        "#: A token.\n#:\n#: :secret:\nAPI_TOKEN = ''\n\n"
        "#: Days to keep.\nRETENTION_DAYS = 30\n"
    ),
}


V2 = {
    "required.py": V1["required.py"] + "\n#: The broker.\nBROKER_URL: str\n\n"
                   "#: The database.\nDB_URL: str\n",
    "defaults.py": (
        "#: The queue reports go to.\nQUEUE = 'default'\n\n"
        "#: Seconds to wait.\nTIMEOUT = 10\n\n"
        "#: Log level.\nLEVEL: int = 20\n\n"
        "#: Flags.\nFEATURES = {'A': True, 'B': True, 'C': False}\n\n"
        "#: Days to keep.\n#:\n#: .. deprecated:: 2.0\n#:    Use ``RETENTION``.\n"
        "RETENTION_DAYS = 30\n"
    ),
}


V3 = {"required.py": V2["required.py"],
      "defaults.py": V2["defaults.py"].replace("QUEUE = 'default'", "TASK_QUEUE = 'default'")}
