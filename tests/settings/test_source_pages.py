"""Highlighted copies of settings files in the built docs, for source links without a URL."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from opsdocs.cli import main
from tests.helpers import ROOTS, own_warnings, typed

MARKER = "S3CR3T-MARKER"
PAGE = "_opsdocs_source/settings/defaults.py"


def project(make_app, tmp_path: Path, buildername: str = "html", **kwargs):
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-settings", src)
    defaults = src / "settings" / "defaults.py"
    defaults.write_text(defaults.read_text() + f'\n#: A token.\n#:\n#: :secret:\nAPI_TOKEN = "{MARKER}"\n')
    return make_app(buildername, srcdir=src, confoverrides={"opsdocs_source_root": "."}, **kwargs)


def every_output(outdir: Path) -> str:
    return "\n".join(path.read_text(errors="replace") for path in outdir.rglob("*")
                     if path.is_file() and path.suffix != ".pickle")


def test_source_links_go_to_highlighted_copies_with_secrets_blanked(make_app, tmp_path):
    app = project(make_app, tmp_path)
    app.build()
    assert own_warnings(app) == ""
    index = (Path(app.outdir) / "index.html").read_text()
    assert f'href="{PAGE}.html#L13">settings/defaults.py, line 13</a>' in index
    assert 'href="_opsdocs_source/settings/required.py.html#L4"' in index
    page = (Path(app.outdir) / f"{PAGE}.html").read_text()
    lines = re.findall(r'<span class="opsdocs-line" id="L(\d+)"', page)
    source = (app.srcdir / "settings" / "defaults.py").read_text().splitlines()
    assert lines == [str(n) for n in range(1, len(source) + 1)]
    assert re.search(r'id="L13".*INSTALLED_APPS', page)
    assert "API_TOKEN" in page and "secret: not shown" in page
    assert MARKER not in every_output(Path(app.outdir))


@pytest.mark.parametrize(("extension", "root", "page"), [
    ("opsdocs.settings", "test-settings", "index"),
    ("opsdocs.operations", "test-operations", "operations/index"),
])
def test_each_concern_that_links_to_source_writes_the_copies_alone(make_app, tmp_path,
                                                                     extension, root, page):
    """The settings concern owns the copies; the operations concern links to them too, and
    either listed alone in ``extensions`` writes them."""
    src = tmp_path / "src"
    shutil.copytree(ROOTS / root, src)
    conf = (src / "conf.py").read_text().replace('["opsdocs"]', f"[{extension!r}]")
    (src / "conf.py").write_text(conf)
    app = make_app("html", srcdir=src, confoverrides={"opsdocs_source_root": "."})
    app.build()
    html = (Path(app.outdir) / f"{page}.html").read_text()
    links = re.findall(r'href="((?:\.\./)?_opsdocs_source/[^"#]+)#L\d+"', html)
    assert links
    assert all((Path(app.outdir) / page).parent.joinpath(link).is_file() for link in links)


@pytest.mark.parametrize("buildername", ["dirhtml", "singlehtml"])
def test_other_html_builders(make_app, tmp_path, buildername):
    app = project(make_app, tmp_path, buildername)
    app.build()
    assert own_warnings(app) == ""
    index = (Path(app.outdir) / "index.html").read_text()
    if buildername == "dirhtml":
        assert f'href="{PAGE}/#L13"' in index
        assert (Path(app.outdir) / PAGE / "index.html").is_file()
    else:  # one page: no copies, as sphinx.ext.viewcode
        assert "<p class=\"opsdocs-setting-source\">settings/defaults.py, line 13</p>" in index
        assert not (Path(app.outdir) / "_opsdocs_source").exists()
    assert MARKER not in every_output(Path(app.outdir))


def test_with_a_url_links_go_there_and_nothing_is_copied(make_app, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-settings", src)
    app = make_app("html", srcdir=src, confoverrides={
        "opsdocs_source_url": "https://example.org/repo/{path}#L{line}",
        "opsdocs_source_root": "."})
    app.build()
    index = (Path(app.outdir) / "index.html").read_text()
    assert 'href="https://example.org/repo/settings/defaults.py#L13"' in index
    assert not (Path(app.outdir) / "_opsdocs_source").exists()


def test_a_copy_is_written_again_only_when_its_file_changed(make_app, tmp_path):
    app = project(make_app, tmp_path)
    app.build()
    page = Path(app.outdir) / f"{PAGE}.html"
    required = Path(app.outdir) / "_opsdocs_source/settings/required.py.html"
    # Marked as written a second after its file (when the defaults changed, they are older).
    stamp = (app.srcdir / "settings" / "required.py").stat().st_mtime_ns + 10**9
    os.utime(required, ns=(stamp, stamp))
    defaults = app.srcdir / "settings" / "defaults.py"
    defaults.write_text(defaults.read_text() + "\n#: Added.\nADDED = 1\n")
    again = make_app("html", srcdir=app.srcdir, freshenv=False,
                     confoverrides={"opsdocs_source_root": "."})
    again.build()
    assert "ADDED" in page.read_text()
    assert required.stat().st_mtime_ns == stamp  # its file did not change: not written again


def test_code_is_coloured_line_by_line_as_python_numbers_lines():
    from html import unescape

    from opsdocs.settings.source_pages import highlighted_lines

    code = 'X = {"a": [1, 2.5, True]}  # note\r\nS = """two\nlines"""\n\n\x0cY = f"<{x}>" + 0x1F\n'
    lines = highlighted_lines(code)
    assert [source for source, _ in lines] == [
        'X = {"a": [1, 2.5, True]}  # note', 'S = """two', 'lines"""', "", '\x0cY = f"<{x}>" + 0x1F']
    # The text is the code; every tag opened on a line is closed on it.
    for source, html in lines:
        assert unescape(re.sub(r"<[^>]+>", "", html)) == source
        assert html.count("<span") == html.count("</span>")
    assert '<span class="s2">"a"</span>' in lines[0][1] and '<span class="c1"># note</span>' \
        in lines[0][1] and '<span class="kc">True</span>' in lines[0][1]
    assert lines[2][1] == '<span class="s2">lines"""</span>'  # a string over two lines
    assert '<span class="s2">f"&lt;{x}&gt;"</span>' in lines[4][1]


def _git_project(tmp_path: Path) -> Path:
    """A service in a git repository: its settings star-import a developer's git-ignored
    local.py (in try/except) and a link to the git-ignored .env; the docs name a file git
    ignores and one outside the repository."""
    src = tmp_path / "repo"
    settings = src / "svc" / "settings"
    settings.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(src)], check=True)
    (src / ".gitignore").write_text("local.py\n.env\n")
    (src / ".env").write_text(f"DB_PASSWORD={MARKER}-env\n")
    outside = tmp_path / "elsewhere.py"
    outside.write_text(f'#: Outside.\nOUTSIDE = "{MARKER}-outside"\n')
    (settings / "__init__.py").write_text("")
    (settings / "local.py").write_text(f'#: Mine.\nDEBUG = True\nDB_HOST = "{MARKER}-local"\n')
    (settings / "secrets.py").symlink_to("../../.env")
    (settings / "linked.py").symlink_to(outside)
    (settings / "base.py").write_text(
        "#: Debugging.\nDEBUG = False\n\nfrom .secrets import *\nfrom .linked import *\n\n"
        "try:\n    from .local import *\nexcept ImportError:\n    pass\n")
    (src / "docs").mkdir()
    (src / "docs" / "conf.py").write_text('extensions = ["opsdocs"]\n')
    (src / "docs" / "index.rst").write_text(
        "Settings\n========\n\n.. settings-reference:: ../svc/settings/base.py\n")
    return src


def test_only_the_projects_files_are_read_and_published(make_app, tmp_path, capsys):
    src = _git_project(tmp_path)
    settings = src / "svc" / "settings"
    app = make_app("html", srcdir=src / "docs")
    app.build()
    outputs = every_output(Path(app.outdir))
    assert MARKER not in outputs
    pages = sorted(p.relative_to(Path(app.outdir) / "_opsdocs_source").as_posix()
                   for p in (Path(app.outdir) / "_opsdocs_source").rglob("*.html"))
    assert pages == ["svc/settings/base.py.html"]
    assert own_warnings(app).splitlines() == typed([
        f"{settings}/base.py:4: WARNING: 'from .secrets import *' names secrets.py, a symbolic "
        "link to a file git ignores (a developer's own, not the project's): it is not read, "
        "and not published [opsdocs.import]",
        f"{settings}/base.py:5: WARNING: 'from .linked import *' names linked.py, a symbolic "
        "link to a file outside the repository (a developer's own, not the project's): it is "
        "not read, and not published [opsdocs.import]",
        f"{settings}/base.py:8: WARNING: 'from .local import *' names local.py, a file git "
        "ignores (a developer's own, not the project's): it is not read, and not published "
        "[opsdocs.import]",
    ])
    assert main(["settings", "--settings", str(settings / "base.py"), "--format", "json"]) == 1  # warned
    out = capsys.readouterr().out
    assert [s["name"] for s in json.loads(out)["settings"]] == ["DEBUG"]
    assert MARKER not in out


def test_a_file_git_ignores_is_read_when_named_but_never_published(make_app, tmp_path):
    src = _git_project(tmp_path)
    (src / "docs" / "index.rst").write_text(
        "Settings\n========\n\n.. settings-reference:: ../svc/settings/local.py\n")
    app = make_app("html", srcdir=src / "docs")
    app.build()
    assert not (Path(app.outdir) / "_opsdocs_source").exists()
    assert "svc/settings/local.py, line 2" in (Path(app.outdir) / "index.html").read_text()
