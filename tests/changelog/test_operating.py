"""Operating concerns in the changelog: commands and the image, release by release."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from docutils import nodes

from opsdocs.changelog.cache import ChangelogCache, read_changelog
from opsdocs.changelog.history import HistorySource
from opsdocs.cli import main
from opsdocs.settings.snapshot import SNAPSHOT_FORMAT
from tests.changelog.repository import PACKAGE, git
from tests.helpers import ROOTS, own_warnings, typed

SECRET = "S3CR3T-MARKER"
SETTINGS = {"required.py": "#: The key.\nSECRET_KEY: str\n",
            "defaults.py": "#: Debugging.\nDEBUG = False\n"}

COMMANDS_V1 = """\
version: 1
groups:
  - name: web
    commands:
      - name: serve
        summary: Serve web traffic.
        command: gunicorn app.wsgi
        when: long-running
        safe_to_rerun: true
        settings: [SECRET_KEY]
        environment: [APP_CFG]
        options:
          - name: --workers
            value: N
            default: 2
            description: Worker processes.
  - name: maintenance
    commands:
      - name: purge
        summary: Delete old rows.
        command: python manage.py purge
        schedule: "0 3 * * *"
        safe_to_rerun: true
      - name: old-job
        summary: Rebuild the index.
        command: python manage.py rebuild_index
      - name: gone
        summary: Goes away.
        command: python manage.py gone
"""
COMMANDS_V2 = """\
version: 1
groups:
  - name: web
    commands:
      - name: serve
        summary: Serve web traffic.
        command: gunicorn app.wsgi
        when: long-running
        safe_to_rerun: true
        settings: [SECRET_KEY, DEBUG]
        environment: [APP_CONFIG]
        options:
          - name: --workers
            value: N
            default: 4
            description: Worker processes.
          - name: --timeout
            value: SECONDS
            description: Restart a silent worker.
  - name: maintenance
    commands:
      - name: purge
        summary: Delete old rows.
        command: python manage.py purge
        schedule: "30 4 * * *"
        destructive: Deletes rows for good.
        safe_to_rerun: false
      - name: reindex
        summary: Rebuild the search index.
        command: python manage.py rebuild_index
      - name: check-migrations
        summary: Fail when migrations are missing.
        command: python manage.py migrate --check
        when: every-deploy
"""
COMMANDS_V4 = COMMANDS_V2 + """\
      - name: fail-stuck
        summary: Fail reports stuck in pending.
        command: python manage.py fail_stuck_reports
        schedule: "15 * * * *"
"""

DOCKERFILE_V1 = f"""\
# Python version.
ARG PY=3.11
FROM python:${{PY}}-slim AS build
RUN true
FROM python:${{PY}}-slim AS runtime
# The user id.
ARG APP_UID=1000
ENV APP_CFG=/config/app.yml DB_PASSWORD={SECRET}
EXPOSE 8000
VOLUME ["/config"]
USER app
ENTRYPOINT ["tini", "--"]
CMD ["gunicorn", "app.wsgi"]
"""
DOCKERFILE_V2 = f"""\
# Python version.
ARG PY=3.12
FROM python:${{PY}}-bookworm AS build
RUN true
FROM node:20 AS assets
RUN true
FROM python:${{PY}}-slim AS runtime
# Seconds before a worker restarts.
ARG GUNICORN_TIMEOUT=60
ENV APP_CONFIG=/config/app.yml DB_PASSWORD=OTHER-{SECRET} API_TOKEN={SECRET}
EXPOSE 8080
VOLUME ["/config", "/data"]
USER 1000
ENTRYPOINT ["tini", "--"]
CMD ["gunicorn", "--timeout=60", "app.wsgi"]
"""

#: Tag -> (commands file, Dockerfile); v3 breaks the commands file, v4 mends it.
RELEASES = {
    "v1": (COMMANDS_V1, DOCKERFILE_V1),
    "v2": (COMMANDS_V2, DOCKERFILE_V2),
    "v3": ("version: 1\ngroups: [\n", DOCKERFILE_V2),
    "v4": (COMMANDS_V4, DOCKERFILE_V2),
}

V2_CHANGES = [
    "Added the command `check-migrations`.",
    "Removed the command `gone`.",
    "Renamed the command `old-job` to `reindex` (same command line).",
    "`serve` takes a new argument: `--timeout SECONDS`.",
    "Changed the argument `--workers` of `serve` from `--workers N (default 2)` to "
    "`--workers N (default 4)`.",
    "Changed when `purge` runs, from `0 3 * * *` to `30 4 * * *`.",
    "`purge` is now destructive.",
    "`purge` is no longer safe to re-run.",
    "`serve` now needs the setting `DEBUG`.",
    "`serve` now reads the environment variable `APP_CONFIG`.",
    "`serve` no longer reads the environment variable `APP_CFG`.",
    "Added the build stage `assets`, from `node:20`.",
    "Changed the base image of the build stage `build` from `python:${PY}-slim` to "
    "`python:${PY}-bookworm`.",
    "Added the build argument `GUNICORN_TIMEOUT`, default `60`.",
    "Removed the build argument `APP_UID`.",
    "Changed the default of the build argument `PY` from `3.11` to `3.12`.",
    "The image sets the environment variable `APP_CONFIG` to `/config/app.yml`.",
    "The image sets the environment variable `API_TOKEN` to (secret: not shown).",
    "The image no longer sets the environment variable `APP_CFG`.",
    "The image exposes `8080`.",
    "The image no longer exposes `8000`.",
    "Added the volume `/data`.",
    "Changed the `USER` (the user the image runs as) from `app` to `1000`.",
    "Changed the `CMD` of the image from `[\"gunicorn\", \"app.wsgi\"]` to "
    "`[\"gunicorn\", \"--timeout=60\", \"app.wsgi\"]`.",
]


def make_operating_repository(root: Path) -> Path:
    """A repository whose tags change the commands file and the Dockerfile; its top."""
    root.mkdir(parents=True)
    git(root, "init", "-q")
    package = root / PACKAGE
    package.mkdir(parents=True)
    for name, text in SETTINGS.items():
        (package / name).write_text(text)
    (root / "ops").mkdir()
    for tag, (commands, dockerfile) in RELEASES.items():
        (root / "ops" / "commands.yml").write_text(commands)
        (root / "Dockerfile").write_text(dockerfile)
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", f"Release {tag}")
        git(root, "tag", tag)
    return root


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_operating_repository(tmp_path_factory.mktemp("operating") / "repo")


def operating_options(repo: Path) -> list[str]:
    return ["--settings", str(repo / PACKAGE), "--commands", str(repo / "ops" / "commands.yml"),
            "--dockerfile", str(repo / "Dockerfile")]


def diff(capsys, *argv: str) -> str:
    assert main(["diff", *argv]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    return out


def test_diff_reports_each_kind_of_change_to_commands_and_the_image(repo, capsys) -> None:
    out = diff(capsys, "v1", "v2", *operating_options(repo), "--format", "markdown")
    assert out == ("### Settings\n\nNo changes to settings.\n\n### Operations\n\n"
                   + "".join(f"- {line}\n" for line in V2_CHANGES))
    assert SECRET not in out


def test_a_dockerfile_deleted_since_a_release_is_absent_in_the_working_tree(
        repo, tmp_path, capsys) -> None:
    """As at a release where it is missing: the settings still compare, exit status 0."""
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(repo), str(clone))
    (clone / "Dockerfile").unlink()
    out = diff(capsys, "v1", "WORKTREE", *operating_options(clone))
    assert out.startswith("Settings\n~~~~~~~~\n")
    assert "Added the command ``check-migrations``." in out  # the commands still compare
    assert "stage" not in out and "image" not in out  # and the image says nothing


def test_diff_as_json_and_without_operations_files(repo, capsys) -> None:
    data = json.loads(diff(capsys, "v1", "v2", *operating_options(repo), "--format", "json"))
    assert data["operations"][0] == {
        "subject": "command", "kind": "command-added", "name": "check-migrations", "old": None,
        "new": "Fail when migrations are missing.", "old_name": None, "item": None}
    assert len(data["operations"]) == len(V2_CHANGES)
    token = next(c for c in data["operations"] if c["name"] == "API_TOKEN")
    assert (token["old"], token["new"]) == (None, None)  # a secret's value is never kept
    assert not any(c["name"] == "DB_PASSWORD" for c in data["operations"])  # nor compared
    out = diff(capsys, "v1", "v2", "--settings", str(repo / PACKAGE), "--format", "json")
    assert "operations" not in json.loads(out)


def test_a_news_fragment_holds_the_operations_changes_diff_prints(repo, tmp_path,
                                                                  capsys) -> None:
    news = tmp_path / "newsfragments"
    news.mkdir()
    assert main(["diff", "v1", "v2", *operating_options(repo), "--format", "markdown",
                 "--fragment", str(news)]) == 0
    assert (news / "+settings-v2.feature.md").read_text() == (
        "Settings changed since v1:\n\nNo changes to settings.\n\n"
        "Commands and the image changed since v1:\n\n"
        + "".join(f"- {line}\n" for line in V2_CHANGES))
    scriv = tmp_path / "changelog.d"
    scriv.mkdir()
    assert main(["diff", "v1", "v2", *operating_options(repo), "--format", "markdown",
                 "--fragment", str(scriv), "--fragment-style", "scriv"]) == 0
    capsys.readouterr()
    [written] = scriv.iterdir()
    sections = {section.split("\n", 1)[0]: section.split("\n\n", 1)[1]
                for section in written.read_text().split("### ")[1:]}
    assert list(sections) == ["Added", "Changed", "Removed"]
    assert sections["Added"].startswith("- Added the command `check-migrations`.\n")
    assert "- The image exposes `8080`.\n" in sections["Added"]
    assert "- `serve` now needs the setting `DEBUG`.\n" in sections["Changed"]
    assert sections["Removed"].startswith("- Removed the command `gone`.\n")
    assert sorted(line for text in sections.values() for line in text.splitlines() if line) \
        == sorted(f"- {line}" for line in V2_CHANGES)
    assert SECRET not in written.read_text()


def test_snapshots_carry_operations_and_older_snapshots_still_read(repo, tmp_path,
                                                                   capsys) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(repo), str(clone))
    snapshots = {}
    for tag in ("v1", "v2"):
        git(clone, "checkout", "-q", tag)
        snapshots[tag] = tmp_path / f"{tag}.json"
        assert main(["snapshot", "--settings", str(clone / PACKAGE), *operating_options(clone)[2:],
                     "-o", str(snapshots[tag])]) == 0
    old_style = tmp_path / "old.json"
    assert main(["snapshot", "--settings", str(clone / PACKAGE), "-o", str(old_style)]) == 0
    capsys.readouterr()
    assert SECRET not in snapshots["v1"].read_text() + snapshots["v2"].read_text()
    assert "operations" not in json.loads(old_style.read_text())
    out = diff(capsys, str(snapshots["v1"]), str(snapshots["v2"]), "--format", "markdown")
    assert out.endswith("".join(f"- {line}\n" for line in V2_CHANGES))
    out = diff(capsys, str(old_style), str(snapshots["v2"]), "--format", "markdown")
    assert out == "### Settings\n\nNo changes to settings.\n"


@pytest.fixture(scope="module")
def snapshots(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Snapshots of v1, v2 and v4 with their commands and image."""
    root = tmp_path_factory.mktemp("operating-snapshots")
    (root / "snapshots").mkdir()
    clone = root / "clone"
    git(root, "clone", "-q", str(repo), str(clone))
    for tag in ("v1", "v2", "v4"):
        git(clone, "checkout", "-q", tag)
        assert main(["snapshot", "--settings", str(clone / PACKAGE), *operating_options(clone)[2:],
                     "-o", str(root / "snapshots" / f"{tag}.json")]) == 0
    return root / "snapshots"


@pytest.fixture
def decoded(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How many times the JSON of each snapshot (by its text) is decoded from now on."""
    counts: Counter[str] = Counter()
    loads = json.loads

    def counting(text, *args, **kwargs):  # type: ignore[no-untyped-def]
        if isinstance(text, str) and f'"format": "{SNAPSHOT_FORMAT}"' in text[:100]:
            counts[text] += 1
        return loads(text, *args, **kwargs)

    monkeypatch.setattr(json, "loads", counting)
    return counts


def test_the_changelog_of_snapshots_reads_each_one_once(make_app, tmp_path, snapshots,
                                                       decoded) -> None:
    """Settings and operating concerns come from one decoding of each snapshot's JSON."""
    src = tmp_path / "src"
    src.mkdir()
    shutil.copytree(snapshots, src / "snapshots")
    for name, text in SETTINGS.items():
        (src / "settings").mkdir(exist_ok=True)
        (src / "settings" / name).write_text(text)
    (src / "conf.py").write_text('extensions = ["opsdocs"]\n')
    (src / "index.rst").write_text("Changes\n=======\n\n.. settings-changelog:: settings\n"
                                   "   :snapshots: snapshots\n   :no-unreleased:\n")
    app = make_app("text", srcdir=src)
    app.build()
    assert own_warnings(app) == ""
    text = " ".join((app.outdir / "index.txt").read_text().split())
    assert "v4 ==" in text and "* Added the command \"fail-stuck\"." in text
    v2 = text[text.index("v2 =="):text.index("v1 ==")]
    assert v2.startswith("v2 == No changes to settings. Operations")
    for line in V2_CHANGES:
        assert "* " + line.replace("`", '"') in v2
    assert sorted(decoded.values()) == [1, 1, 1]


def test_upgrade_with_snapshots_reads_each_one_once(repo, tmp_path, snapshots, decoded,
                                                     capsys) -> None:
    config = tmp_path / "app.yml"
    config.write_text("SECRET_KEY: x\nDEBUG: true\nGONE: 1\n")
    argv = ["upgrade", str(config), "--from", "v1", "--to", "v4"]
    assert main([*argv, "--settings", str(repo / PACKAGE)]) == 1
    from_git = capsys.readouterr()
    assert not decoded
    assert main([*argv, "--snapshots", str(snapshots)]) == 1
    assert capsys.readouterr() == from_git
    assert from_git.out.endswith(f"{config}:3: [to do] GONE was already unknown at v1: no "
                                 "setting of this service has that name (a typo, or a "
                                 "setting removed long ago?); remove it\n")
    assert sorted(decoded.values()) == [1, 1, 1]


def test_the_changelog_compares_across_a_broken_commands_file_and_caches_by_blob(
        repo, tmp_path) -> None:
    source = HistorySource(repo / PACKAGE, commands=repo / "ops" / "commands.yml",
                           dockerfile=repo / "Dockerfile")
    cache = ChangelogCache(tmp_path / "cache.pickle")
    entries = {entry.name: entry for entry in read_changelog(source, cache).entries}
    assert list(entries) == ["v4", "v3", "v2", "v1"]  # the working tree changed nothing
    assert [c.kind for c in entries["v2"].operating] == [
        "command-added", "command-removed", "command-renamed", "argument-added",
        "argument-changed", "schedule", "destructive", "safe-to-rerun", "setting-added",
        "env-added", "env-removed", "base-added", "base-changed", "arg-added", "arg-removed",
        "arg-changed", "env-var-added", "env-var-added", "env-var-removed", "expose-added",
        "expose-removed", "volume-added", "user", "cmd"]
    assert entries["v3"].operating == ()  # unreadable there: nothing said, nothing compared
    assert [(c.kind, c.name) for c in entries["v4"].operating] == [
        ("command-added", "fail-stuck")]
    assert entries["v1"].operating == ()
    # 4 releases, 4 contents; the working tree is v4's checkout, not a release of its own
    assert len(cache.operating) == 4
    cache.save()
    again = ChangelogCache(tmp_path / "cache.pickle")
    again.load()
    assert again.operating == cache.operating


INDEX = """\
Changelog
=========

.. settings-changelog:: repo/service/settings
   :commands: repo/ops/commands.yml
   :dockerfile: repo/Dockerfile
"""

COMMANDS_PAGE = """\
Operations
==========

.. operations-manual:: repo/ops/commands.yml
"""


def test_the_directive_lists_operations_under_each_release(make_app, tmp_path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-changelog", src)
    make_operating_repository(src / "repo")
    (src / "index.rst").write_text(INDEX + "\n.. toctree::\n\n   operations\n")
    (src / "operations.rst").write_text(COMMANDS_PAGE)
    (src / "repo" / "ops" / "commands.yml").write_text(
        COMMANDS_V4.replace("name: fail-stuck", "name: fail-stuck-reports"))
    app = make_app("html", srcdir=src)
    app.build()
    assert "settings-changelog" not in own_warnings(app)
    doctree = app.env.get_doctree("index")
    sections = {s[0].astext(): s for s in doctree.findall(nodes.section)
                if "opsdocs-changelog-release" in s["classes"]}
    assert list(sections) == ["Unreleased", "v4", "v3", "v2", "v1"]
    unreleased = [item.astext() for item in sections["Unreleased"].findall(nodes.list_item)]
    assert unreleased == ["Renamed the command fail-stuck to fail-stuck-reports "
                          "(same command line)."]
    v2 = [item.astext() for item in sections["v2"].findall(nodes.list_item)]
    assert v2 == [line.replace("`", "") for line in V2_CHANGES]
    html = (app.outdir / "index.html").read_text()
    assert 'href="operations.html#opscommand-fail-stuck-reports"' in html
    assert 'href="operations.html#opscommand-gone"' not in html
    assert SECRET not in html


def make_broken_repository(root: Path, commands: bytes | None = b"version: 1\ngroups: [\n",
                           dockerfile: bytes | None = b"FROM python:3.12\nENV NAME=caf\xe9\n",
                           ) -> Path:
    """Tags v1 to v3, v2's commands file not YAML and its Dockerfile not UTF-8 (or
    *commands* and *dockerfile*; ``None``: a symbolic link); its top."""
    root.mkdir(parents=True)
    git(root, "init", "-q")
    (root / PACKAGE).mkdir(parents=True)
    for name, text in SETTINGS.items():
        (root / PACKAGE / name).write_text(text)
    (root / "ops").mkdir()
    for tag, files in (("v1", (COMMANDS_V1.encode(), DOCKERFILE_V1.encode())),
                       ("v2", (commands, dockerfile)),
                       ("v3", (COMMANDS_V2.encode(), DOCKERFILE_V2.encode()))):
        for path, data in zip((root / "ops" / "commands.yml", root / "Dockerfile"), files, strict=True):
            path.unlink(missing_ok=True)
            if data is None:
                path.symlink_to(SECRET)  # git holds the link, not what it names
            else:
                path.write_bytes(data)
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", f"Release {tag}")
        git(root, "tag", tag)
    return root


#: The two problems of v2 in make_broken_repository, as the changelog reports them.
BROKEN_AT_V2 = [
    "v2:ops/commands.yml:3: {}the commands file at v2 cannot be read (YAML syntax error, "
    "column 1: while parsing a flow node; expected the node content, but found "
    "'<stream end>'; fix the syntax (indentation, quotes, ':' after keys)): its changes "
    "are compared across v2. {}",
    "v2:Dockerfile:2: {}the Dockerfile at v2 cannot be read (the Dockerfile is not UTF-8 "
    "text (byte 0xe9 at line 2, column 13): save it as UTF-8): its changes are compared "
    "across v2. {}",
]
ADVICE = ("A tag stays as it is, so there is nothing to fix in the working tree; to silence "
          "this in Sphinx, add 'opsdocs.operating-history' to suppress_warnings")


def test_a_broken_operations_file_at_an_old_tag_is_one_located_warning(make_app,
                                                                        tmp_path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-changelog", src)
    make_broken_repository(src / "repo")
    (src / "index.rst").write_text(INDEX)
    app = make_app("html", srcdir=src)
    app.build()
    assert own_warnings(app).splitlines() == typed([
        line.format("WARNING: ", f"{ADVICE} [opsdocs.operating-history]")
        for line in BROKEN_AT_V2])
    sections = {s[0].astext(): s for s in app.env.get_doctree("index").findall(nodes.section)
                if "opsdocs-changelog-release" in s["classes"]}
    v3 = [item.astext() for item in sections["v3"].findall(nodes.list_item)]
    assert "Added the command check-migrations." in v3  # compared with v1, across v2


def test_diff_notes_a_broken_operations_file_at_a_tag(tmp_path, capsys) -> None:
    repo = make_broken_repository(tmp_path / "repo")
    assert main(["diff", "v1", "v2", *operating_options(repo)]) == 0
    out, err = capsys.readouterr()
    assert err.splitlines() == [line.format("", ADVICE) for line in BROKEN_AT_V2]
    assert "No changes to settings." in out


#: A comment line, to make a file larger without changing what it says.
PADDING = b"# " + b"x" * 1000 + b"\n"


def test_a_commands_file_at_a_tag_is_read_up_to_its_own_cap(tmp_path, capsys) -> None:
    large = COMMANDS_V2.encode() + PADDING * 1500  # 1.5 MiB: under the 2 MiB of commands
    repo = make_broken_repository(tmp_path / "repo", large, DOCKERFILE_V1.encode())
    out = diff(capsys, "v1", "v2", *operating_options(repo))
    assert "- Added the command ``check-migrations``.\n" in out


@pytest.mark.parametrize(("dockerfile", "problem"), [
    (DOCKERFILE_V2.encode() + PADDING * 1500, "the Dockerfile is larger than 256 KiB, the most "
     "opsdocs reads of a Dockerfile: is this the right file?"),
    (None, "cannot read the Dockerfile: git holds a symbolic link there, not a regular file"),
    (b"FROM\n", "FROM takes an image and an optional 'AS name': FROM [--platform=...] IMAGE "
     "[AS NAME]"),
], ids=["over-its-cap", "link", "malformed"])
def test_a_dockerfile_at_a_tag_that_cannot_be_read_is_one_problem(tmp_path, capsys, dockerfile,
                                                                  problem) -> None:
    repo = make_broken_repository(tmp_path / "repo", COMMANDS_V1.encode(), dockerfile)
    assert main(["diff", "v1", "v2", *operating_options(repo)]) == 0
    out, err = capsys.readouterr()
    line = ":1" if dockerfile == b"FROM\n" else ""
    assert err == (f"v2:Dockerfile{line}: the Dockerfile at v2 cannot be read ({problem}): its "
                   f"changes are compared across v2. {ADVICE}\n")
    assert "No changes to commands or the image." in out  # not "Added the stage ..."


def test_a_problem_at_a_tag_without_a_line_is_located_at_the_directive(make_app,
                                                                       tmp_path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-changelog", src)
    make_broken_repository(src / "repo", COMMANDS_V1.encode(), None)
    (src / "index.rst").write_text(INDEX)
    app = make_app("html", srcdir=src)
    app.build()
    assert own_warnings(app).replace(str(src), "SRC").splitlines() == typed([
        "SRC/index.rst:4: WARNING: v2:Dockerfile: the Dockerfile at v2 cannot be read (cannot "
        "read the Dockerfile: git holds a symbolic link there, not a regular file): its "
        f"changes are compared across v2. {ADVICE} [opsdocs.operating-history]"])
