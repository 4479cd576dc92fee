"""Files as bytes and text: regular files only, size caps counted in the bytes read, decoding
errors located, Python's line numbering, and every reader going through the layer."""

from __future__ import annotations

import ast
import errno
import os
import subprocess
from pathlib import Path

import pytest

from opsdocs.reading import (
    COMMAND_MODULE,
    SETTINGS_MODULE,
    FileKind,
    decode_source,
    decode_text,
    not_the_projects,
    read_bytes,
    read_source,
    source_lines,
)
from tests.reading import problem_of

SMALL = FileKind("test file", 10, "unreadable", "big", "bad")


# -- Files that are not regular files --------------------------------------------------


def test_a_fifo_is_refused_at_once(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    # No writer ever comes: a plain open() would wait forever.
    assert problem_of(read_bytes, fifo, SMALL) == (
        "unreadable", None, "cannot read the test file: it is a named pipe (FIFO), not a "
        "regular file; give the path of the file itself")


def test_a_directory_is_refused(tmp_path):
    assert problem_of(read_bytes, tmp_path, SMALL)[2] == (
        "cannot read the test file: it is a directory, not a regular file; give the path of the "
        "file itself")


def test_a_device_behind_a_symbolic_link_is_refused(tmp_path):
    link = tmp_path / "defaults.py"
    link.symlink_to("/dev/zero")  # st_size 0, endless content
    assert problem_of(read_bytes, link, SETTINGS_MODULE)[2] == (
        "cannot read the settings module: it is a device, not a regular file; give the path of "
        "the file itself")


def test_a_symbolic_link_loop_is_refused(tmp_path):
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    assert problem_of(read_bytes, tmp_path / "a", SMALL) == (
        "unreadable", None, "cannot read the test file: a loop of symbolic links")


def test_a_missing_file_has_its_own_message(tmp_path):
    assert problem_of(read_bytes, tmp_path / "nope", SMALL)[2] == (
        "cannot read the test file: No such file or directory")
    assert problem_of(read_bytes, tmp_path / "nope", SMALL, missing="create it") == (
        "unreadable", None, "create it")


def test_an_unreadable_file_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "private"
    path.write_text("x")

    real_open = os.open

    def refuse(file: object, *args: object) -> int:  # a mode 000 file, even when run as root
        if file == path:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_open(file, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", refuse)
    assert problem_of(read_bytes, path, SMALL)[2] == (
        "cannot read the test file: Permission denied; make it readable by the user running "
        "opsdocs or the build")


# -- Size ------------------------------------------------------------------------------


def test_the_cap_is_what_is_read_not_what_stat_says(tmp_path):
    path = tmp_path / "f"
    path.write_bytes(b"x" * 10)
    assert read_bytes(path, SMALL) == b"x" * 10
    path.write_bytes(b"x" * 11)
    assert problem_of(read_bytes, path, SMALL) == (
        "big", None, "the test file is larger than 10 bytes, the most opsdocs reads of a test "
        "file: is this the right file?")


def test_a_proc_file_reports_size_0_and_is_read_bounded():
    status = Path("/proc/self/status")
    if not status.exists():
        pytest.skip("no /proc")
    assert status.stat().st_size == 0
    assert read_bytes(status, SETTINGS_MODULE).startswith(b"Name:")
    assert problem_of(read_bytes, status, SMALL)[0] == "big"


# -- Decoding --------------------------------------------------------------------------


def test_text_that_is_not_utf8_is_located():
    assert problem_of(decode_text, b"a: 1\nb: caf\xe9\n", "c.yml", SMALL) == (
        "bad", 2, "the test file is not UTF-8 text (byte 0xe9 at line 2, column 7): save it as "
        "UTF-8")
    assert decode_text("\ufeffa".encode(), "c.yml", SMALL) == "a"


@pytest.mark.parametrize(("data", "line", "message"), [
    (b"A = 1\nB = '\xff'\n", 2, "the settings module is not UTF-8 text (byte 0xff at line 2, "
     "column 6); save it"),
    (b"#: caf\xe9\nA = 1\n", 1, "the settings module is not UTF-8 text (byte 0xe9 at line 1, "
     "column 7); save it"),
    (b"#!/usr/bin/env python\n# -*- coding: klingon -*-\n", 2, "cannot decode the settings "
     "module: unknown encoding: klingon; save it"),
    (b"# coding: ascii\nA = '\xe9'\n", 2, "the settings module is not ASCII text (byte 0xe9 at "
     "line 2, column 6); save it"),
])
def test_python_source_decoding_errors_are_located(data, line, message):
    check, found_line, found = problem_of(decode_source, data, "defaults.py")
    assert (check, found_line) == ("syntax", line)
    assert found.startswith(message)


def test_python_source_keeps_its_declared_encoding():
    assert decode_source(b"# coding: latin-1\nA = '\xe9'\n", "d.py") == "# coding: latin-1\nA = 'é'\n"
    assert decode_source(b"\xef\xbb\xbfA = 1\n", "d.py") == "A = 1\n"


# -- Python's line numbering -------------------------------------------------------------


@pytest.mark.parametrize("separator", ["\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029",
                                       "\v"])
def test_source_lines_are_python_s_lines(separator):
    source = f"A = 1  # {separator} x\r\nB = 2\rC = 3\n# {separator}\nD = 4\n"
    lines = source_lines(source)
    for node in ast.parse(source).body:
        assert lines[node.lineno - 1].startswith(ast.unparse(node).split(" =")[0])
    assert len(lines) == 5


# -- Every reader goes through the layer ------------------------------------------------


def test_read_source_is_bounded_and_decoded(tmp_path):
    path = tmp_path / "command.py"
    path.write_bytes(b"X = '\xff'\n")
    assert problem_of(read_source, path, COMMAND_MODULE) == (
        "django-command", 1, "the management command module is not UTF-8 text (byte 0xff at "
        "line 1, column 6); save it as UTF-8 or declare its encoding in a '# -*- coding: ... -*-' "
        "line")


SETTINGS = "#: Doc.\nA = 1\n"


def special(tmp_path: Path, name: str, kind: str) -> Path:
    """*name* in *tmp_path* as a FIFO, or a symbolic link to ``/dev/zero``."""
    path = tmp_path / name
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    return path


@pytest.mark.parametrize("kind", ["fifo", "device"])
@pytest.mark.parametrize(("name", "argv", "message"), [
    ("settings/defaults.py", ["settings", "--settings", "{tmp}/settings"],
     "{tmp}/settings/defaults.py: cannot read the settings module: it is {what}"),
    ("config.yml", ["check-config", "{tmp}/config.yml", "--settings", "{tmp}/settings"],
     "{tmp}/config.yml: cannot read the config file: it is {what}"),
    ("commands.yml", ["operations", "{tmp}/commands.yml"],
     "{tmp}/commands.yml: cannot read the commands file: it is {what}"),
    ("commands.yml", ["check-commands", "{tmp}/commands.yml"],
     "{tmp}/commands.yml: cannot read the commands file: it is {what}"),
    ("old.json", ["diff", "{tmp}/old.json", "{tmp}/new.json"],
     "{tmp}/old.json: cannot read the snapshot: it is {what}"),
])
def test_no_command_waits_on_a_fifo_or_reads_a_device(tmp_path, capsys, kind, name, argv,
                                                     message):
    from opsdocs.cli import main
    from tests.helpers import deadline

    (tmp_path / "settings").mkdir()
    (tmp_path / "settings" / "required.py").write_text("")
    if name != "settings/defaults.py":
        (tmp_path / "settings" / "defaults.py").write_text(SETTINGS)
    (tmp_path / "new.json").write_text("{}")
    special(tmp_path, name, kind)
    with deadline(10):
        status = main([arg.format(tmp=tmp_path) for arg in argv])
    what = "a named pipe (FIFO)" if kind == "fifo" else "a device"
    assert status == 1
    assert message.format(tmp=tmp_path, what=what) + ", not a regular file" in \
        capsys.readouterr().err


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_the_loader_and_the_dockerfile_reader_refuse_special_files(tmp_path, kind):
    from opsdocs.dockerfile.reader import read_dockerfile
    from opsdocs.loader import read_config
    from tests.helpers import deadline

    what = "a named pipe (FIFO)" if kind == "fifo" else "a device"
    with deadline(10):
        values, problems = read_config(special(tmp_path, "config.yml", kind))
        assert values is None
        assert [p.message for p in problems] == [
            f"cannot read the config file: it is {what}, not a regular file; give the "
            "path of the file itself"]
        assert problem_of(read_dockerfile, special(tmp_path, "Dockerfile", kind))[2] == (
            f"cannot read the Dockerfile: it is {what}, not a regular file; give the path of the "
            "file itself")


# -- What belongs to the project ------------------------------------------------------


def _repository(top: Path) -> Path:
    top.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(top)], check=True)
    (top / ".gitignore").write_text("local.py\n")
    (top / "real").mkdir()
    for name in ("__init__.py", "local.py", "base.py"):
        (top / "real" / name).write_text("X = 1\n")
    (top / "linked").symlink_to("real")  # a folder reached through a symbolic link
    return top


def test_files_not_the_projects_are_found_with_one_git_per_repository(tmp_path, monkeypatch):
    one, two = _repository(tmp_path / "one"), _repository(tmp_path / "two")
    (tmp_path / "elsewhere.py").write_text("X = 1\n")
    (one / "out.py").symlink_to(tmp_path / "elsewhere.py")
    runs = []
    run = subprocess.run
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: runs.append(k["cwd"]) or run(*a, **k))
    paths = [top / "real" / name for top in (one, two) for name in ("local.py", "base.py")]
    assert not_the_projects([*paths, one / "out.py", tmp_path / "elsewhere.py"]) == {
        one / "real" / "local.py": "a file git ignores",
        two / "real" / "local.py": "a file git ignores",
        one / "out.py": "a symbolic link to a file outside the repository"}
    assert sorted(runs) == [one, two]


def test_a_file_name_that_is_not_utf8_is_asked_about_as_its_bytes(tmp_path):
    """Linux allows any bytes in a name: git gets them as they are, and the other files of
    the same batch are still answered."""
    top = _repository(tmp_path / "repo")
    latin1 = top / os.fsdecode(b"caf\xe9")  # "café" in Latin-1: not UTF-8
    latin1.mkdir()
    for name in ("local.py", os.fsdecode(b"r\xe9sum\xe9.py")):
        (latin1 / name).write_text("X = 1\n")
    paths = [latin1 / "local.py", latin1 / os.fsdecode(b"r\xe9sum\xe9.py"),
             top / "real" / "local.py", top / "real" / "base.py"]
    assert not_the_projects(paths) == {latin1 / "local.py": "a file git ignores",
                                       top / "real" / "local.py": "a file git ignores"}


def test_a_file_git_ignores_in_a_linked_folder_is_not_the_projects(make_app, tmp_path):
    """git refuses a path beyond a symbolic link: the file it names is still asked about,
    so a git-ignored file star-imported through a linked folder is never published."""
    top = _repository(tmp_path / "repo")
    (top / "real" / "local.py").write_text('DB_HOST = "S3CR3T-MARKER"\n')
    (top / "settings.py").write_text("#: Debugging.\nDEBUG = False\n\n"
                                     "from linked.local import *\nfrom linked.base import *\n")
    assert not_the_projects([top / "linked" / "local.py", top / "linked" / "base.py"]) == {
        top / "linked" / "local.py": "a symbolic link to a file git ignores"}
    (top / "docs").mkdir()
    (top / "docs" / "conf.py").write_text('extensions = ["opsdocs"]\n')
    (top / "docs" / "index.rst").write_text(
        "Settings\n========\n\n.. settings-reference:: ../settings.py\n")
    app = make_app("html", srcdir=top / "docs")
    app.build()
    assert "S3CR3T-MARKER" not in (Path(app.outdir) / "index.html").read_text()
    assert "'from linked.local import *' names local.py, a symbolic link to a file git " \
        "ignores" in app.warning.getvalue()
