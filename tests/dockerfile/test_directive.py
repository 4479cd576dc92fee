"""The ``dockerfile-reference`` directive, as a reader of the built documentation sees it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from docutils import nodes

from opsdocs.dockerfile.directive import without_label
from tests.helpers import ROOTS, own_warnings, strip_colors, warning_lines


def table_cells(table: nodes.table) -> list[list[str]]:
    return [[entry.astext() for entry in row.children]
            for row in table.findall(nodes.row) if row.parent.tagname == "tbody"]


def sections(doctree) -> dict[str, nodes.section]:
    return {s[0].astext(): s for s in doctree.findall(nodes.section)}


@pytest.mark.sphinx("html", testroot="dockerfile")
def test_arguments_stages_and_commands(app):
    app.build()
    root = Path(app.srcdir)
    assert warning_lines(app) == [
        f"{root / 'Dockerfile'}:9: WARNING: build argument NO_COMMENT has no comment: say what "
        "it is for in a '#' comment directly above its ARG line",
    ]
    doctree = app.env.get_doctree("index")
    found = sections(doctree)
    assert list(found) == ["Container image", "Build arguments", "Stage build",
                           "Stage runtime (the image)"]
    args = next(found["Build arguments"].findall(nodes.table))
    assert table_cells(args) == [
        ["PYTHON_VERSION", "3.12", "global, used in build", "Python version of every stage."],
        ["NO_COMMENT", "none", "build", ""],
        ["WORKERS", "3", "runtime", "Number of gunicorn workers."],
    ]
    runtime = found["Stage runtime (the image)"]
    assert runtime[1].astext() == "Built from python:${PYTHON_VERSION}-slim (line 13)."
    assert runtime[2].astext() == "The image that runs the service."
    env = next(runtime.findall(nodes.table))
    assert table_cells(env) == [
        ["EXAMPLE_CFG_PATH", "/config/example.yml", "Where the service reads its configuration."],
        ["PYTHONUNBUFFERED", "1", ""],
    ]
    fields = {field[0].astext(): field[1].astext().replace("\u2019", "'")  # smart quotes
              for field in runtime.findall(nodes.field)}
    assert fields == {
        "Exposes": "8000 (EXPOSE, line 23)\n\ngunicorn listens here.",
        "Volume": "/config (VOLUME, line 26)\n\nThe operator's configuration.",
        "User": "app (USER, line 28)",
        "Working directory": "/app (WORKDIR, line 29)",
        "Entrypoint": '["tini", "--"] (ENTRYPOINT, line 32)\n\ntini forwards signals.',
        "Default command": '["gunicorn", "example.wsgi"] (CMD, line 35)\n\nServe web traffic.',
    }
    assert "Dockerfile" in {Path(d).name for d in app.env.dependencies["index"]}


@pytest.mark.sphinx("html", testroot="dockerfile",
                    confoverrides={"opsdocs_dockerfile_undocumented_args": "ignore"})
def test_undocumented_arguments_can_be_ignored(app):
    app.build()
    assert warning_lines(app) == []


def test_bad_config_value_is_refused(make_app, tmp_path):
    shutil.copytree(ROOTS / "test-dockerfile", tmp_path / "src")
    app = make_app("html", srcdir=tmp_path / "src",
                   confoverrides={"opsdocs_dockerfile_undocumented_args": "loud"})
    assert "opsdocs_dockerfile_undocumented_args" in strip_colors(app.warning.getvalue())


@pytest.mark.parametrize(("dockerfile", "expected"), [
    (None, "{root}/index.rst:4: WARNING: cannot read the Dockerfile: No such file or directory"),
    ("FROM a\nCOPPY x y\n", "{root}/Dockerfile:2: WARNING: unknown instruction COPPY: a "
     "Dockerfile instruction is one of ADD, ARG, CMD, COPY, ENTRYPOINT, ENV, EXPOSE, FROM, "
     "HEALTHCHECK, LABEL, MAINTAINER, ONBUILD, RUN, SHELL, STOPSIGNAL, USER, VOLUME, WORKDIR"),
    ("# Only a comment.\n", "{root}/index.rst:4: WARNING: {root}/Dockerfile: no FROM "
     "instruction: a Dockerfile starts its first build stage with FROM IMAGE"),
    # A comment is reStructuredText; its errors point at the Dockerfile's lines.
    ("FROM a\n# An *unclosed emphasis.\nUSER app\n",
     "{root}/Dockerfile:2: WARNING: Inline emphasis start-string without end-string."),
])
def test_bad_dockerfiles_are_located_warnings(make_app, tmp_path, dockerfile, expected):
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-dockerfile", src)
    if dockerfile is None:
        (src / "Dockerfile").unlink()
    else:
        (src / "Dockerfile").write_text(dockerfile)
    app = make_app("html", srcdir=src)
    app.build()
    lines = warning_lines(app)
    assert expected.format(root=src) in lines, lines
    assert "Traceback" not in app.warning.getvalue()


def test_editing_the_dockerfile_rebuilds_the_page(make_app, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-dockerfile", src)
    app = make_app("html", srcdir=src)
    app.build()
    dockerfile = src / "Dockerfile"
    dockerfile.write_text(dockerfile.read_text() + "\n# Added later.\nARG NEW_ARG=1\n")
    app2 = make_app("html", srcdir=src, freshenv=False)
    app2.build()
    assert "1 changed" in strip_colors(app2.status.getvalue())
    assert "NEW_ARG" in re.sub("<[^>]+>", "", (Path(app2.outdir) / "index.html").read_text())


@pytest.mark.parametrize("builder", ["html", "singlehtml", "latex", "text", "man", "texinfo"])
def test_builders(make_app, tmp_path, builder):
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-dockerfile", src)
    app = make_app(builder, srcdir=src,
                   confoverrides={"opsdocs_dockerfile_undocumented_args": "ignore"})
    app.build()
    assert warning_lines(app) == []
    written = "\n".join(
        p.read_text(errors="replace") for p in Path(app.outdir).rglob("*")
        if p.is_file() and p.suffix in {".html", ".tex", ".txt", ".1", ".texi"}
    )
    assert "WORKERS" in written and "gunicorn" in written


def test_comments_cannot_inject_html_or_read_files(make_app, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-dockerfile", src)
    (tmp_path / "secret.txt").write_text("FILE-CONTENT-MARKER\n")
    (src / "Dockerfile").write_text(
        "FROM a\n"
        "# The user.\n#\n# .. raw:: html\n#\n#    <script>alert('INJECTED')</script>\n"
        "USER app\n"
        "# The port.\n#\n# .. include:: ../secret.txt\n"
        "EXPOSE 80\n"
        "# The command.\n#\n# .. literalinclude:: ../secret.txt\n"
        "CMD run\n")
    app = make_app("html", srcdir=src)
    app.build()
    html = (app.outdir / "index.html").read_text()
    assert "<script>alert('INJECTED')" not in html and "FILE-CONTENT-MARKER" not in html
    assert "The user." in html and "The port." in html
    lines = warning_lines(app)
    dockerfile = src / "Dockerfile"
    for line, name in ((4, "raw"), (10, "include"), (14, "literalinclude")):
        assert f"{dockerfile}:{line}: WARNING: the directive {name!r} in text read from the " \
            "service's files is shown as text: opsdocs runs only markup that formats there " \
            "(add it to opsdocs_allowed_markup if you trust it)" in lines, lines


SECRET = "S3CR3T-MARKER"
SECRET_DOCKERFILE = f"""\
# The service's API token.
ARG API_TOKEN={SECRET}
FROM python:3.12-slim
# The database password.
ENV DB_PASSWORD={SECRET} USE_CREDENTIALS=true
"""


def test_a_secret_looking_value_is_hidden_in_the_reference_and_the_changelog_alike(
        make_app, tmp_path):
    from tests.changelog.repository import git

    src, repo = tmp_path / "src", tmp_path / "src" / "repo"
    (repo / "settings").mkdir(parents=True)
    (repo / "settings" / "required.py").write_text("")
    (repo / "settings" / "defaults.py").write_text("#: Debugging.\nDEBUG = False\n")
    git(repo, "init", "-q")
    for tag, dockerfile in (("v1", "FROM python:3.12-slim\n"), ("v2", SECRET_DOCKERFILE)):
        (repo / "Dockerfile").write_text(dockerfile)
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", tag)
        git(repo, "tag", tag)
    (src / "conf.py").write_text('extensions = ["opsdocs"]\nexclude_patterns = ["repo"]\n')
    (src / "index.rst").write_text(
        "Image\n=====\n\n.. dockerfile-reference:: repo/Dockerfile\n\n"
        "Changes\n=======\n\n.. settings-changelog:: repo/settings\n"
        "   :dockerfile: repo/Dockerfile\n")
    app = make_app("html", srcdir=src)
    app.build()
    assert own_warnings(app) == ""
    doctree = app.env.get_doctree("index")
    args, env = (table_cells(table) for table in doctree.findall(nodes.table))
    assert [row[:2] for row in args] == [["API_TOKEN", "not shown (secret)"]]
    assert [row[:2] for row in env] == [["DB_PASSWORD", "not shown (secret)"],
                                        ["USE_CREDENTIALS", "true"]]
    release = next(s for s in doctree.findall(nodes.section)
                   if "opsdocs-changelog-release" in s["classes"] and s[0].astext() == "v2")
    assert [item.astext() for item in release.findall(nodes.list_item)] == [
        "Added the build argument API_TOKEN, default (secret: not shown).",
        "The image sets the environment variable DB_PASSWORD to (secret: not shown).",
        "The image sets the environment variable USE_CREDENTIALS to true.",
    ]
    assert SECRET not in (app.outdir / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("comment, label, shown", [
    ("Default command: serve web traffic.", "Default command", "Serve web traffic."),
    ("default command:  serve.", "Default command", "Serve."),
    ("Serve web traffic.", "Default command", "Serve web traffic."),
    ("Default command:", "Default command", "Default command:"),
])
def test_a_comment_does_not_repeat_its_field_s_name(comment, label, shown):
    assert without_label(comment, label) == shown
