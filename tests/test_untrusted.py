"""Comments are documentation, not a build script: text read from the service's files
(``#:`` comments, command descriptions, Dockerfile comments) runs no directive or role
outside the allow-list and links to no ``javascript:`` address."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from opsdocs.markup import link_allowed, markdown_inline, plain_inline
from tests.helpers import copy_root, warning_lines

ALLOW_LIST = "opsdocs runs only markup that formats there (add it to opsdocs_allowed_markup " \
    "if you trust it)"
LINKS = "only http, https, mailto and relative links are allowed there"


@pytest.fixture
def built(make_app, tmp_path: Path):
    src = copy_root(tmp_path, "untrusted")
    app = make_app("html", srcdir=src)
    app.build()
    return app, src


def test_nothing_outside_the_allow_list_takes_effect(built) -> None:
    app, src = built
    out = Path(app.outdir)
    page = (out / "index.html").read_text()
    assert not (src / "svc" / "IMPORTED").exists()  # automodule imported nothing
    assert not (out / "_downloads").exists() and not (out / "_images").exists()
    assert "passwd" not in "".join(p.name for p in out.rglob("*"))
    assert "http-equiv=\"refresh\"" not in page and "<script>alert" not in page
    assert not re.search(r"(?:href|src)=\"(?:javascript|data|file):", page)
    assert 'automodule</span><span class="p">::</span> svc.evil' in page  # shown as text
    assert "<span>click</span>" in page and "<span>javascript:alert(3</span>" in page


def test_each_refused_directive_role_and_link_is_a_located_warning(built) -> None:
    app, src = built
    defaults, commands, dockerfile = (src / "settings" / "defaults.py", src / "commands.yml",
                                      src / "Dockerfile")
    assert warning_lines(app) == [
        f"{defaults}:3: WARNING: the directive 'automodule' in text read from the service's "
        f"files is shown as text: {ALLOW_LIST}",
        f"{defaults}:9: WARNING: the role 'download' in text read from the service's files is "
        f"shown as text: {ALLOW_LIST}",
        f"{defaults}:11: WARNING: the directive 'image' in text read from the service's files "
        f"is shown as text: {ALLOW_LIST}",
        f"{defaults}:13: WARNING: the directive 'figure' in text read from the service's files "
        f"is shown as text: {ALLOW_LIST}",
        f"{defaults}:18: WARNING: the directive 'meta' in text read from the service's files "
        f"is shown as text: {ALLOW_LIST}",
        f"{defaults}:22: WARNING: the link to 'javascript:alert(1)' in text read from the "
        f"service's files is shown as text: {LINKS}",
        f"{defaults}:22: WARNING: the link to 'javascript:alert(3' in text read from the "
        f"service's files is shown as text: {LINKS}",
        f"{defaults}:22: WARNING: the link to 'javascript:alert(2)' in text read from the "
        f"service's files is shown as text: {LINKS}",
        f"{commands}:5: WARNING: the directive 'raw' in text read from the service's files is "
        f"shown as text: {ALLOW_LIST}",
        f"{commands}:3: WARNING: the link to 'javascript:alert(4)' in text read from the "
        f"service's files is shown as text: {LINKS}",
        f"{commands}:12: WARNING: the role 'download' in text read from the service's files is "
        f"shown as text: {ALLOW_LIST}",
        f"{commands}:16: WARNING: the directive 'automodule' in text read from the service's "
        f"files is shown as text: {ALLOW_LIST}",
        f"{commands}:14: WARNING: the link to 'javascript:alert(6)' in text read from the "
        f"service's files is shown as text: {LINKS}",
        f"{dockerfile}:5: WARNING: the directive 'image' in text read from the service's files "
        f"is shown as text: {ALLOW_LIST}",
        f"{dockerfile}:3: WARNING: the link to 'javascript:alert(7)' in text read from the "
        f"service's files is shown as text: {LINKS}",
    ]


def test_what_formats_still_formats(built) -> None:
    app, _ = built
    page = (Path(app.outdir) / "index.html").read_text()
    entry = page[page.index('id="setting-FORMATS"'):]
    for html in ("<strong>bold</strong>", 'href="https://example.com"', 'href="other.html"',
                 'href="mailto:', 'href="#setting-LINK"', 'class="admonition note"',
                 'class="versionadded"', "highlight-yaml", "<li><p>a list</p></li>"):
        assert html in entry, html


def test_a_project_may_trust_more(make_app, tmp_path: Path) -> None:
    src = copy_root(tmp_path, "untrusted")
    app = make_app("html", srcdir=src, confoverrides={"opsdocs_allowed_markup": ["meta"]})
    app.build()
    assert "'meta'" not in app.warning.getvalue()
    assert "http-equiv=\"refresh\"" in (Path(app.outdir) / "index.html").read_text()


@pytest.mark.parametrize(("uri", "allowed"), [
    ("https://example.com", True), ("http://x", True), ("mailto:a@b", True),
    ("other.html#x", True), ("../page", True), ("#anchor", True), ("//cdn/x", True),
    ("javascript:alert(1)", False), ("JavaScript:alert(1)", False),
    ("java\tscript:alert(1)", False), (" javascript:x", False), ("data:text/html,x", False),
    ("file:///etc/passwd", False), ("vbscript:x", False),
])
def test_link_schemes(uri, allowed) -> None:
    assert link_allowed(uri) is allowed


def test_markdown_and_plain_text_make_no_link_of_another_scheme() -> None:
    text = "`run <javascript:alert(1)>`_ and `docs <https://example.com>`_"
    assert markdown_inline(text) == "`run <javascript:alert(1)>`_ and [docs](https://example.com)"
    assert plain_inline(text) == "`run <javascript:alert(1)>`_ and docs (https://example.com)"
