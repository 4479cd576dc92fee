import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
extensions = ["opsdocs", "sphinx.ext.autodoc"]
project = "test-untrusted"
