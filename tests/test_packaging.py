"""The package as users get it: a wheel and an sdist that pass ``twine check``, and a wheel
that, installed alone in a fresh virtualenv, builds the example's docs with ``-W``."""

from __future__ import annotations

import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from tests.helpers import EXAMPLE, REPO, found

#: Package data the directives need at build time.
DATA = ("opsdocs/py.typed", "opsdocs/static/opsdocs.css",
        "opsdocs/operations/commands.schema.json")


def run(*command: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(part) for part in command], cwd=cwd, capture_output=True,
                            text=True, check=False, timeout=600)
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.mark.packaging
def test_the_wheel_alone_builds_the_example_docs(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    run(sys.executable, "-m", "build", "--outdir", dist, REPO, cwd=tmp_path)
    [wheel] = found(dist.glob("*.whl"))
    [sdist] = found(dist.glob("*.tar.gz"))
    run(sys.executable, "-m", "twine", "check", "--strict", wheel, sdist, cwd=tmp_path)

    assert set(DATA) <= set(zipfile.ZipFile(wheel).namelist())
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert {f"sphinxext/{name}" for name in DATA} | {
        "tests/helpers.py", "tests/roots/test-settings/settings/required.py",
        "example_ida/docs/conf.py", "docs/conf.py", "CHANGELOG.rst"} <= names

    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    # The example's operations manual reads Django's own management commands: its extra.
    run(python, "-m", "pip", "install", "-q", f"{wheel}[example]", cwd=tmp_path)
    where = run(python, "-c", "import opsdocs; print(opsdocs.__file__)", cwd=tmp_path)
    assert Path(where.stdout.strip()).is_relative_to(venv)

    html = tmp_path / "html"
    run(python, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html",
        "-d", tmp_path / "doctrees", EXAMPLE / "docs", html, cwd=tmp_path)
    settings = (html / "settings.html").read_text(encoding="utf-8")
    assert "SECRET_KEY" in settings and "opsdocs-settings" in settings
    assert (html / "_static" / "opsdocs.css").is_file()
    assert "every-deploy" in (html / "operations" / "index.html").read_text(encoding="utf-8")
