"""Files that are not what they should be (a loop of symbolic links, a FIFO, a broken
module): each is one message naming the file and what to do, never a traceback, a cascade
of wrong advice, or silence."""

from __future__ import annotations

import os
import re
import textwrap
from pathlib import Path

import pytest

from opsdocs.cli import main
from tests.helpers import strip_colors


def loop(path: Path) -> None:
    """Make *path* a loop of symbolic links."""
    path.symlink_to(path.name + ".x")
    path.with_name(path.name + ".x").symlink_to(path.name)


def make_bad(path: Path, bad: str) -> None:
    if bad == "loop":
        loop(path)
    elif bad == "fifo":
        os.mkfifo(path)
    else:
        path.mkdir()


def sphinx_warnings(make_app, src: Path, page: str) -> list[str]:  # type: ignore[no-untyped-def]
    (src / "conf.py").write_text('extensions = ["opsdocs"]\n')
    (src / "index.rst").write_text(textwrap.dedent(page))
    app = make_app("html", srcdir=src)
    app.build()
    text = strip_colors(app.warning.getvalue()).replace(str(src), "SRC")
    return [line for line in text.splitlines() if "is already registered" not in line]


WHAT = {"loop": "a loop of symbolic links",
        "fifo": "it is a named pipe (FIFO), not a regular file; give the path of the file itself",
        "dir": "it is a directory, not a regular file; give the path of the file itself"}


@pytest.mark.parametrize(("directive", "name", "said", "check"), [
    ("settings-reference", "base.py", "SRC/base.py: the settings module", "missing"),
    ("operations-manual", "commands.yml", "SRC/commands.yml: the commands file", "missing"),
    ("dockerfile-reference", "Dockerfile", "the Dockerfile", "dockerfile-missing"),
])
@pytest.mark.parametrize("bad", ["loop", "fifo"])
def test_a_directive_given_a_loop_or_a_fifo_says_what_it_is(make_app, tmp_path, directive, name,
                                                            said, check, bad):
    src = tmp_path / "src"
    src.mkdir()
    make_bad(src / name, bad)
    warnings = sphinx_warnings(make_app, src, f".. {directive}:: {name}\n")
    assert [w.removesuffix(f" [opsdocs.{check}]") for w in warnings] == [
        "SRC/index.rst:1: WARNING: " + re.sub("^(.*: )?", r"\g<0>cannot read ", said, count=1)
        + f": {WHAT[bad]}"]


@pytest.mark.parametrize("bad", ["loop", "fifo"])
def test_the_cli_given_a_loop_or_a_fifo_as_settings_module_says_what_it_is(
        tmp_path, capsys, monkeypatch, bad):
    monkeypatch.chdir(tmp_path)
    make_bad(tmp_path / "base.py", bad)
    assert main(["settings", "--settings", "base.py"]) == 1
    # named as the command line named it, from the working directory
    assert capsys.readouterr().err == f"base.py: cannot read the settings module: {WHAT[bad]}\n"


@pytest.fixture
def broken_required(tmp_path: Path) -> Path:
    """A settings package whose required.py is not Python; defaults.py refers to its
    settings."""
    settings = tmp_path / "settings"
    settings.mkdir()
    (settings / "required.py").write_text("#: The LMS.\nLMS_BASE_URL: str = (\n")
    (settings / "defaults.py").write_text("#: Where the LMS is; see :setting:`LMS_BASE_URL`.\n"
                                          "LMS_ROOT = ''\n")
    (settings / "prod.yml").write_text("LMS_BASE_URL: https://lms\nLMS_ROOT: /\n")
    return settings


SYNTAX = ("required.py:2: syntax error: '(' was never closed; fix the file so that Python can "
          "import it")


def test_a_broken_required_py_is_its_own_message_not_unknown_settings(broken_required, capsys,
                                                                      monkeypatch):
    monkeypatch.chdir(broken_required)
    assert main(["check-config", "prod.yml", "--settings", "."]) == 1
    assert capsys.readouterr().err == f"{SYNTAX}\n"


def test_a_broken_required_py_is_one_warning_in_sphinx(make_app, broken_required):
    src = broken_required.parent
    warnings = sphinx_warnings(make_app, src, ".. settings-reference:: settings\n")
    assert [w.removesuffix(" [opsdocs.syntax]") for w in warnings] == [
        f"SRC/settings/{SYNTAX.replace(': syntax', ': WARNING: syntax', 1)}"]


def test_a_broken_file_silences_only_its_own_settings_references(make_app, broken_required):
    """A :setting: of what the broken required.py declares is no news; a typo elsewhere,
    another service's page included, is still warned about."""
    src = broken_required.parent
    good = src / "good"
    good.mkdir()
    (good / "required.py").write_text("")
    (good / "defaults.py").write_text("#: The port.\nPORT = 80\n")
    (src / "good.rst").write_text("Good\n====\n\n.. settings-reference:: good\n\n"
                                  "See :setting:`PORT`, :setting:`LMS_BASE_URL` and "
                                  ":setting:`TYPO_NAME`.\n")
    warnings = sphinx_warnings(make_app, src, ".. settings-reference:: settings\n\n"
                               ".. toctree::\n\n   good\n")
    assert [re.sub(r" \[[\w.-]+\]$", "", w.split(" WARNING: ")[1]) for w in warnings] == [
        SYNTAX.split(": ", 1)[1],
        "unknown setting 'TYPO_NAME' in :setting:: no page documents it, and no intersphinx "
        "inventory has it"]


@pytest.mark.parametrize("bad", ["loop", "fifo", "dir"])
def test_sample_config_check_of_a_config_that_is_no_file_says_why(make_app, tmp_path, bad):
    src = tmp_path / "src"
    (src / "settings").mkdir(parents=True)
    (src / "settings" / "required.py").write_text("")
    (src / "settings" / "defaults.py").write_text("#: Doc.\nA = 1\n")
    make_bad(src / "settings" / "prod.yml", bad)
    warnings = sphinx_warnings(make_app, src, ".. sample-config:: settings\n   :check: prod.yml\n")
    assert [w.removesuffix(" [opsdocs.config-missing]") for w in warnings] == [
        f"SRC/index.rst:1: WARNING: SRC/settings/prod.yml: cannot read the config file: "
        f"{WHAT[bad]}"]


def test_upgrade_to_a_snapshot_it_cannot_read_says_so_once(tmp_path, capsys):
    (tmp_path / "required.py").write_text("")
    (tmp_path / "defaults.py").write_text("#: Doc.\nA = 1\n")
    snapshots = tmp_path / "snaps"
    snapshots.mkdir()
    assert main(["snapshot", "--settings", str(tmp_path), "-o", str(snapshots / "v1.json")]) == 0
    loop(snapshots / "v2.json")
    config = tmp_path / "prod.yml"
    config.write_text("A: 2\n")
    assert main(["upgrade", str(config), "--from", "v1", "--to", "v2", "--snapshots",
                 str(snapshots), "--dry-run"]) == 1
    assert capsys.readouterr().err == (
        f"{snapshots}/v2.json: cannot read the snapshot: a loop of symbolic links\n")
