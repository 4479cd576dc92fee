"""Release notes with the toggles of the code trees, read at both git refs: ``opsdocs notes
--toggle-tree`` and ``LMS toggles: TREE...`` in ``.. release-notes::``, as a reader sees
them."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from docutils import nodes

from opsdocs.changelog.code_toggles import TogglesCache, service_toggles
from opsdocs.cli import main
from opsdocs.toggles import reader
from tests.changelog.openedx import TEAK, ULMO, make_openedx, write
from tests.changelog.repository import git
from tests.changelog.test_release_notes import INDEX as NOTES_PAGE
from tests.helpers import ROOTS, own_warnings

OLD, NEW = "open-release/teak.1", "open-release/ulmo.1"
SERVICES = ["--service", "LMS=lms/envs/common.py", "--service", "CMS=cms/envs/common.py"]
TREES = ["--toggle-tree", "LMS=lms,openedx", "--toggle-tree", "CMS=cms,openedx"]


def flag(name: str, code: str, description: str, implementation: str = "WaffleFlag",
         extra: str = "") -> str:
    """A toggle under its code-annotations block."""
    return (f"# .. toggle_name: {name}\n# .. toggle_implementation: {implementation}\n"
            f"# .. toggle_default: False\n# .. toggle_description: {description}\n"
            f"{extra or '# .. toggle_use_cases: open_edx'}\n{code}\n\n")


HEADER = "from edx_toggles.toggles import SettingToggle, WaffleFlag, WaffleSwitch\n\n" \
    "NAMESPACE = 'grades'\n\n"
TEMPORARY = "# .. toggle_use_cases: temporary\n# .. toggle_target_removal_date: 2024-01-01"
TEAKS_GRADES = HEADER + "".join([
    flag("grades.freeze", "FREEZE = WaffleFlag(f'{NAMESPACE}.enforce_freeze', __name__)",
         "Freezes grades after the course ends."),
    flag("grades.old_report", "OLD_REPORT = WaffleSwitch(f'{NAMESPACE}.old_report', __name__)",
         "Builds the old report.", "WaffleSwitch"),
    flag("grades.overrides", "OVERRIDES = WaffleFlag(f'{NAMESPACE}.overrides', __name__)",
         "Rejects exam overrides.", extra=TEMPORARY),
    flag("GRADES_CACHE", "GRADES_CACHE = SettingToggle('GRADES_CACHE', default=False)",
         "Caches grades.", "SettingToggle"),
])
ULMOS_GRADES = HEADER + "".join([
    flag("grades.enforce_freeze",
         "FREEZE = WaffleFlag(f'{NAMESPACE}.enforce_freeze', __name__)",
         "Freezes grades after the course ends."),
    flag("grades.overrides", "OVERRIDES = WaffleFlag(f'{NAMESPACE}.overrides', __name__)",
         "Rejects exam overrides.", extra=TEMPORARY),
    flag("GRADES_CACHE", "GRADES_CACHE = SettingToggle('GRADES_CACHE', default=True)",
         "Caches grades.", "SettingToggle"),
])
SHARED = "from edx_toggles.toggles import WaffleFlag\n\n"
TEAKS_SHARING = SHARED + flag(
    "sharing.links", "LINKS = WaffleFlag('sharing.links', __name__)",
    "Shows links to share a course.")
ULMOS_SHARING = SHARED + flag(
    "social.links", "LINKS = WaffleFlag('social.links', __name__)",
    "Shows links to share a course.") + flag(
    "sharing.badges", "BADGES = WaffleFlag('sharing.badges', __name__)",
    "Shows the learner's badges.")
#: Copies that are no code of the service: never listed.
VENDORED = {
    "lms/.venv/lib/python3.11/site-packages/vendor/toggles.py": SHARED + flag(
        "vendor.flag", "VENDOR = WaffleFlag('vendor.flag', __name__)", "A vendored flag."),
    "openedx/node_modules/pkg/toggles.py": SHARED + flag(
        "node.flag", "NODE = WaffleFlag('node.flag', __name__)", "A node module's."),
    "lms/djangoapps/grades/tests/test_toggles.py": SHARED + flag(
        "tests.flag", "TESTS = WaffleFlag('tests.flag', __name__)", "A test's flag."),
}
#: A toggle of an app's plugin settings at teak, in the LMS's settings at ulmo: it moved.
DIGEST = "".join(f"    {line}\n" for line in flag(
    "FEATURES['ENABLE_DIGEST']", "settings.FEATURES['ENABLE_DIGEST'] = False",
    "Sends a daily digest.", "DjangoSetting").splitlines())
TOGGLES_TEAK = {**TEAK, **VENDORED, "lms/djangoapps/grades/toggles.py": TEAKS_GRADES,
                "openedx/core/djangoapps/sharing/toggles.py": TEAKS_SHARING,
                "lms/djangoapps/digest/settings.py": f"def plugin_settings(settings):\n{DIGEST}"}
TOGGLES_ULMO = {**ULMO, "lms/djangoapps/grades/toggles.py": ULMOS_GRADES,
                "openedx/core/djangoapps/sharing/toggles.py": ULMOS_SHARING,
                "lms/djangoapps/digest/settings.py": None,
                "lms/envs/common.py": ULMO["lms/envs/common.py"] + flag(
                    "settings.ENABLE_DIGEST", "ENABLE_DIGEST = False", "Sends a daily digest.",
                    "DjangoSetting")}

LMS_AND_CMS = """\
- Renamed (the code says so):

  - ``FEATURES['ENABLE_TEAMS']`` to ``ENABLE_TEAMS``

- Added ``sharing.badges`` (WaffleFlag), default ``False``. Shows the learner's badges.
- Renamed ``sharing.links`` to ``social.links`` (WaffleFlag; same implementation and \
description).
"""
LMS = """\
- Added ``USE_NEW_GRADER``, default ``False``. Grades with the new grader.
- Removed ``grades.old_report`` (WaffleSwitch).
- Renamed ``grades.freeze`` to ``grades.enforce_freeze`` (WaffleFlag; the code registers \
the same name).
- Changed the default of ``GRADES_CACHE`` (SettingToggle) from ``False`` to ``True``.
- ``USE_NEW_GRADER`` (DjangoSetting) is past its target removal date (2025-01-01).
- ``grades.overrides`` (WaffleFlag) is past its target removal date (2024-01-01).
"""


@pytest.fixture(scope="module")
def openedx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_openedx(tmp_path_factory.mktemp("openedx") / "repo",
                        {"teak.1": TOGGLES_TEAK, "ulmo.1": TOGGLES_ULMO})


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def toggles_of(out: str, group: str) -> str:
    """The *Toggles* part of one group of the notes' text."""
    part = out.split(f"\n{group}\n", 1)[1].split("Toggles\n^^^^^^^\n\n", 1)[1]
    lines = part.splitlines(keepends=True)
    end = next((i - 1 for i, line in enumerate(lines) if i and line.strip() and
                set(line.strip()) <= set("~^")), len(lines))
    return "".join(lines[:end]).rstrip("\n") + "\n"


def test_the_code_toggles_of_both_releases(openedx, capsys, monkeypatch) -> None:
    monkeypatch.chdir(openedx)
    status, out, err = run(capsys, "notes", OLD, NEW, *SERVICES, *TREES)
    assert (status, err) == (0, "")
    assert toggles_of(out, "LMS and CMS") == LMS_AND_CMS  # the shared tree: once
    assert toggles_of(out, "LMS") == LMS
    assert "- LMS: settings: 1 added, 3 removed, 2 renamed, 2 changed; toggles: 2 added, " \
        "1 removed, 3 renamed, 2 past due, 1 changed." in out.splitlines()
    for copy in ("vendor.flag", "node.flag", "tests.flag"):
        assert copy not in out
    lines = [line for line in out.splitlines() if line.startswith(("- ", "  - "))
             and not line.endswith(":")]
    assert len(lines) == len(set(lines))  # no line twice: settings' toggles not again


def test_the_working_tree_as_the_new_release(tmp_path, capsys, monkeypatch) -> None:
    root = make_openedx(tmp_path / "repo", {"teak.1": TOGGLES_TEAK})
    write(root, {"lms/djangoapps/grades/toggles.py": TEAKS_GRADES + flag(
        "grades.new", "NEW = WaffleFlag('grades.new', __name__)", "A new flag.")})
    monkeypatch.chdir(root)
    status, out, _ = run(capsys, "notes", OLD, "WORKTREE", *SERVICES, *TREES,
                         "--date", "2023-01-01")
    assert status == 0
    assert toggles_of(out, "LMS") == \
        "- Added ``grades.new`` (WaffleFlag), default ``False``. A new flag.\n"


def test_bad_input_is_a_located_message_and_the_notes_are_made(tmp_path, capsys,
                                                               monkeypatch) -> None:
    broken = "from edx_toggles.toggles import WaffleFlag\n\nBROKEN = WaffleFlag(\n"
    gone = SHARED + flag("gone.flag", "GONE = WaffleFlag('gone.flag', __name__)", "Gone.")
    root = make_openedx(tmp_path / "repo", {
        "teak.1": {**TOGGLES_TEAK, "lms/djangoapps/broken/toggles.py": broken,
                   "lms/djangoapps/gone/toggles.py": gone},
        "ulmo.1": {**TOGGLES_ULMO, "xmodule/toggles.py": SHARED,
                   "lms/djangoapps/huge/toggles.py": "X = 1\n" * 200_000,
                   "lms/djangoapps/gone/toggles.py": None, "lms/djangoapps/broken/"
                   "toggles.py": SHARED + flag("broken.flag", "B = WaffleFlag('broken.flag', "
                                               "__name__)", "Mended.")}})
    oid = subprocess.run(["git", "rev-parse", f"{OLD}:lms/djangoapps/gone/toggles.py"],
                         cwd=root, capture_output=True, text=True, check=True).stdout.strip()
    (root / ".git" / "objects" / oid[:2] / oid[2:]).unlink()  # a corrupt repository
    monkeypatch.chdir(root)
    status, out, err = run(capsys, "notes", OLD, NEW, *SERVICES, "--toggle-tree",
                           "LMS=lms,openedx,xmodule", "--toggle-tree", "CMS=cms,openedx")
    assert status == 1
    missing, broken_file, corrupt, huge = err.splitlines()
    assert missing == "xmodule: the code tree 'xmodule' is not there at open-release/teak.1: " \
        "its toggles are left out of the notes, at both releases; give the trees both " \
        "releases have"
    assert broken_file == "open-release/teak.1:lms/djangoapps/broken/toggles.py:3: syntax " \
        "error: '(' was never closed; its toggles are left out of the notes, at both releases"
    assert corrupt.startswith("open-release/teak.1:lms/djangoapps/gone/toggles.py: cannot "
                              "read the Python module: ")  # then what git says of it
    assert corrupt.endswith(f"{oid}; 'git fsck' says more; its toggles are left out of the "
                            "notes, at both releases")
    assert huge == "open-release/ulmo.1:lms/djangoapps/huge/toggles.py: the Python module is " \
        "larger than 1 MiB, the most opsdocs reads of a Python module: is this the right " \
        "file? Its toggles are left out of the notes, at both releases"
    assert toggles_of(out, "LMS") == LMS  # neither broken.flag added nor gone.flag removed


def test_a_snapshot_has_no_code(openedx, tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(openedx)
    assert main(["snapshot", "lms/envs/common.py", "-o", str(tmp_path / "teak.json")]) == 0
    capsys.readouterr()
    status, out, err = run(capsys, "notes", str(tmp_path / "teak.json"), NEW, "--service",
                           "LMS=lms/envs/common.py", "--toggle-tree", "LMS=lms")
    assert status == 1
    assert "toggle trees are read at git refs and in the working tree" in err
    assert out.startswith("Settings and toggles\n")


def test_what_a_release_says_is_read_once(openedx, tmp_path) -> None:
    trees = [openedx / "lms", openedx / "openedx"]
    cache = TogglesCache(tmp_path / "cache.pickle")
    first = service_toggles(OLD, NEW, openedx / "lms/envs/common.py", trees, cache)
    cache.save()
    assert cache.reads > 0
    again = TogglesCache(tmp_path / "cache.pickle")
    assert service_toggles(OLD, NEW, openedx / "lms/envs/common.py", trees, again) == first
    assert again.reads == 0  # each release known by its commit: nothing read
    cold = TogglesCache()
    service_toggles(OLD, NEW, openedx / "lms/envs/common.py", trees, cold)
    shared = cold.reads
    assert shared < 2 * len({path for path, _ in cold.facts})  # a blob both share: once


def test_usage_mistakes(openedx, capsys, monkeypatch) -> None:
    monkeypatch.chdir(openedx)
    with pytest.raises(SystemExit):
        main(["notes", OLD, NEW, *SERVICES, "--toggle-tree", "LMS"])
    assert "'LMS' is not NAME=PATH" in capsys.readouterr().err
    status, _, err = run(capsys, "notes", OLD, NEW, "--service", "LMS=lms/envs/common.py",
                         "--toggle-tree", "Studio=cms", "--toggle-tree",
                         "LMS=../elsewhere,lmss")
    assert status == 1
    assert err.splitlines() == [
        "Studio: --toggle-tree names Studio, which no --service names: give --service "
        "Studio=PATH",
        f"../elsewhere: the code tree '../elsewhere' is not in the repository of the "
        f"service's settings ({openedx}): its toggles are left out; give a tree inside it",
        "lmss: the code tree 'lmss' is not there at open-release/teak.1 nor at "
        "open-release/ulmo.1: its toggles are left out of the notes, at both releases; give "
        "the trees both releases have"]


INDEX = NOTES_PAGE.replace("   LMS toggles: teak.json ulmo.json\n   this line is wrong\n", """\
   LMS toggles: repo/lms repo/openedx
   CMS toggles: repo/cms repo/openedx
   Studio toggles: repo/cms
""")


def test_the_directive_reads_the_trees(make_app, tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-changelog", src)
    make_openedx(src / "repo", {"teak.1": TOGGLES_TEAK, "ulmo.1": TOGGLES_ULMO})
    (src / "index.rst").write_text(INDEX)
    app = make_app("html", srcdir=src)
    app.build()
    assert "index.rst:4: WARNING: 'Studio toggles' names no service: add a line 'Studio: " \
        "PATH' (its settings)" in own_warnings(app)
    doctree = app.env.get_doctree("index")
    sections = {s[0].astext(): s for s in doctree.findall(nodes.section)
                if "opsdocs-release-notes" in s["classes"]}
    shared = [item.astext() for item in sections["LMS and CMS"].findall(nodes.list_item)]
    assert shared[-2:] == [
        "Added sharing.badges (WaffleFlag), default False. Shows the learner\u2019s badges.",
        "Renamed sharing.links to social.links (WaffleFlag; same implementation and "
        "description)."]
    lms = [item.astext() for item in sections["LMS"].findall(nodes.list_item)]
    assert "Removed grades.old_report (WaffleSwitch)." in lms
    assert Path(app.doctreedir, "opsdocs-toggles-history.pickle").is_file()


def test_notes_of_the_working_tree_follow_its_code(make_app, tmp_path: Path) -> None:
    """Against ``WORKTREE``, a changed or added toggles file rebuilds the notes; nothing
    changed, the page is not read again."""
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-changelog", src)
    repo = make_openedx(src / "repo", {"teak.1": TOGGLES_TEAK, "ulmo.1": TOGGLES_ULMO})
    (src / "index.rst").write_text(INDEX.replace("open-release/ulmo.1", "WORKTREE"))

    read: list[str] = []

    def build() -> list[str]:
        app = make_app("html", srcdir=src)
        app.connect("env-before-read-docs", lambda app, env, docs: read.extend(docs))
        app.build()
        return [item.astext() for item in app.env.get_doctree("index").findall(nodes.list_item)]

    assert not any("sharing.emails" in item for item in build())
    read.clear()
    build()
    assert read == []

    sharing = repo / "openedx/core/djangoapps/sharing/toggles.py"
    sharing.write_text(ULMOS_SHARING + flag(
        "sharing.emails", "EMAILS = WaffleFlag('sharing.emails', __name__)", "Sends emails."))
    assert any(item.startswith("Added sharing.emails (WaffleFlag)") for item in build())

    (repo / "lms/djangoapps/certificates").mkdir()  # a new folder: no file read changes
    (repo / "lms/djangoapps/certificates/toggles.py").write_text(SHARED + flag(
        "certificates.pdf", "PDF = WaffleFlag('certificates.pdf', __name__)", "PDF certificates."))
    assert any(item.startswith("Added certificates.pdf (WaffleFlag)") for item in build())


def test_a_page_with_toggles_and_notes_follows_the_toggles_trees(make_app, tmp_path) -> None:
    """Release notes between git refs on the page of a feature-toggles list keep what
    that list depends on: a file added to its tree rebuilds the page."""
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-changelog", src)
    make_openedx(src / "repo", {"teak.1": TOGGLES_TEAK, "ulmo.1": TOGGLES_ULMO})
    write(src, {"app/__init__.py": "", "app/sharing/toggles.py": TEAKS_SHARING})
    (src / "index.rst").write_text(".. feature-toggles:: app\n\n" + INDEX)
    read: list[str] = []

    def shown() -> str:
        app = make_app("html", srcdir=src)
        app.connect("env-before-read-docs", lambda app, env, docs: read.extend(docs))
        app.build()
        return (Path(app.outdir) / "index.html").read_text(encoding="utf-8")

    assert "certificates.pdf" not in shown()
    read.clear()
    shown()
    assert read == []
    (src / "app/certificates").mkdir()  # no file it read changes: only the folder's list
    (src / "app/certificates/toggles.py").write_text(SHARED + flag(
        "certificates.pdf", "PDF = WaffleFlag('certificates.pdf', __name__)", "PDF certificates."))
    assert "certificates.pdf" in shown()


def test_a_tree_git_does_not_have(openedx, tmp_path, capsys, monkeypatch) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", f"file://{openedx}", str(clone))
    write(clone, {"lms/untracked/toggles.py": SHARED})
    monkeypatch.chdir(clone)
    status, _, err = run(capsys, "notes", OLD, NEW, "--service", "LMS=lms/envs/common.py",
                         "--toggle-tree", "LMS=lms/untracked")
    assert status == 1
    assert "the code tree 'lms/untracked' is not there at open-release/teak.1" in err


def test_notes_of_the_working_tree_parse_no_file_a_toggles_page_parsed(
        make_app, tmp_path: Path, monkeypatch) -> None:
    """Release notes against ``WORKTREE`` read the working tree's files through the
    toggles pages' cache: a file both show is parsed once in a build."""
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-changelog", src)
    make_openedx(src / "repo", {"teak.1": TOGGLES_TEAK, "ulmo.1": TOGGLES_ULMO})
    (src / "index.rst").write_text(INDEX.replace("open-release/ulmo.1", "WORKTREE"))
    (src / "toggles.rst").write_text(
        "Toggles\n=======\n\n.. feature-toggles:: repo/lms repo/cms repo/openedx\n")
    parsed: list[tuple[str, bool]] = []
    parse = reader.file_facts
    monkeypatch.setattr(reader, "file_facts", lambda data, name, parse_all=False: (
        parsed.append((name, parse_all)) or parse(data, name, parse_all=parse_all)))
    app = make_app("html", srcdir=src)
    app.build()
    assert "sharing.badges" in (Path(app.outdir) / "toggles.html").read_text()
    grades = [item for item in parsed if item[0].endswith("lms/djangoapps/grades/toggles.py")]
    assert len(grades) == 1
    assert len(parsed) == len(set(parsed))
