"""Comments are documentation, not a build script: text read from the service's files
(``#:`` comments, command descriptions, Dockerfile comments) runs no directive or role
outside the allow-list and links to no ``javascript:`` address; and plain prose takes a
shortcut past the RST parser, and must come out the same."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document

from opsdocs.markup import link_allowed, markdown_inline, plain_inline
from opsdocs.untrusted import plain_paragraphs
from tests.helpers import copy_root, strip_colors, warning_lines

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


# -- Plain prose, past the parser -------------------------------------------------------


PLAIN = [
    "Timeout of the LMS API client, in seconds.",
    "Base URL of the LMS.\nUsed to build links in e-mails.",
    "First paragraph.\n\nSecond paragraph, after an empty line.\n\n\nThird, after two.",
    "Values above 100 (or below 0) are clamped; 50 is the default.",
    "Do not set this in production. It's for tests only!",
    "Mix of quotes, \"double\" and 'single', dashes -- and +plus+ = 3/4 & 5% $6 {7}.",
    "2 workers are started... or 3.",
    "Prose in Ünïcödé — with dashes, «quotes» and ellipses… is plain too.",
    "A.B is not an enumerator, nor is v2.0 in the middle.",
    "A sentence that ends on a line of its\nown.",
]

MARKUP = [
    "Uses ``literal`` text.",
    "See :setting:`LMS_BASE_URL`.",
    "Read `the guide <https://example.com>`_ first.",
    "*Emphasis* here.",
    "Contact admin@example.com.",
    "https://example.com is the site.",
    "Example::\n\n    code",
    ".. note::\n\n   A note.",
    ".. deprecated:: 2.0",
    "- one\n- two",
    "1. first\n2. second",
    "a) first",
    "iv. fourth",
    "IV) fourth",
    "12. twelfth",
    "Z.",
    "(a) first",
    "#. auto",
    "Title\n=====",
    "Term\n    Definition.",
    "    Indented block quote.",
    ">>> 1 + 1\n2",
    "| line block",
    "-v  verbose option",
    "Text with trailing space \nand more.",
    "Word_ reference.",
    "Escaped \\*star.",
    "[1]_ footnote.",
    "Tab\tinside.",
    "Whitespace line follows\n   \nthen text.",
    "=====  =====\nA      B\n=====  =====",
]


def parse(text: str) -> nodes.document:
    document = new_document("<doc>", get_default_settings(Parser))
    document.settings.report_level = 5  # the parse itself is compared, not its messages
    Parser().parse(text, document)
    return document


def assert_same_as_parser(text: str) -> None:
    """If the shortcut takes *text*, it must give what the RST parser gives."""
    fast = plain_paragraphs(text.splitlines(), "<doc>", 0)
    if fast is None:
        return
    parsed = parse(text).children
    assert [node.pformat() for node in fast] == [node.pformat() for node in parsed], text
    assert [(n.source, n.line) for n in fast] == [(n.source, n.line) for n in parsed], text
    assert [n.rawsource for n in fast] == [n.rawsource for n in parsed], text


@pytest.mark.parametrize("text", PLAIN)
def test_plain_prose_is_paragraphs_as_the_parser_makes_them(text):
    assert plain_paragraphs(text.splitlines(), "<doc>", 0) is not None
    assert_same_as_parser(text)


@pytest.mark.parametrize("text", MARKUP)
def test_anything_like_markup_goes_to_the_parser(text):
    assert plain_paragraphs(text.splitlines(), "<doc>", 0) is None


def test_paragraphs_are_located_at_their_first_line():
    found = plain_paragraphs(["One", "line.", "", "Two."], "settings/defaults.py", 9)
    assert [(p.source, p.line, p.astext()) for p in found] == [
        ("settings/defaults.py", 10, "One\nline."), ("settings/defaults.py", 13, "Two."),
    ]


def test_random_text_is_never_taken_unless_the_parser_agrees():
    # Mostly prose-like words, with RST's meaningful characters mixed in at every position.
    prose = ["word", "Word", "2", "ok.", "v.", "x.y", "A", "a", "é", "—", "-", "+", "=", "'",
             '"', "(", ")", "...", "IV.", "iv)", "1.", "a)", "Z.", "it's", "50%", "#3", "--"]
    markup = ["(i)", "--x", "*", "`", "_", ":", "::", "|", "..", ">>>", "~", "#.", "[1]", "\\",
              "@", "<", ">", "x_", "__", "=====", "-----"]
    rng = random.Random(45)
    taken = 0
    for _ in range(4000):
        lines = []
        for _ in range(rng.randint(1, 5)):
            if rng.random() < 0.2:
                lines.append(rng.choice(("", "", "  ")))
                continue
            indent = " " * rng.choice((0,) * 12 + (2, 4))
            words = [rng.choice(markup if rng.random() < 0.03 else prose)
                     for _ in range(rng.randint(1, 6))]
            lines.append(indent + " ".join(words))
        taken += plain_paragraphs(lines, "<doc>", 0) is not None
        assert_same_as_parser("\n".join(lines))
    assert taken > 300  # the comparison really exercised the shortcut


DEFAULTS = '''\
#: Plain prose, first paragraph.
#:
#: Second paragraph.
PLAIN = 1

#: Has *unclosed emphasis.
BROKEN = 2

#: Links to :setting:`PLAIN`.
MARKED = 3

#: Uses a note without a body.
#:
#: .. note::
UNKNOWN = 4
'''


def test_docs_in_the_built_reference_keep_their_settings_file_lines(make_app, tmp_path):
    src = tmp_path / "project"
    (src / "settings").mkdir(parents=True)
    (src / "settings" / "required.py").write_text("")
    (src / "settings" / "defaults.py").write_text(DEFAULTS)
    (src / "conf.py").write_text('extensions = ["opsdocs"]\n')
    (src / "index.rst").write_text("Settings\n========\n\n.. settings-reference:: settings\n")
    app = make_app("html", srcdir=src)
    app.build()
    defaults = src / "settings" / "defaults.py"
    warnings = strip_colors(app.warning.getvalue())
    assert f"{defaults}:6: WARNING: Inline emphasis start-string without end-string." in warnings
    assert f'{defaults}:14: ERROR: Content block expected for the "note" directive; none ' \
        "found." in warnings
    # Prose stays located where a build extracts or translates messages (in HTML, plain
    # prose is written as it is: see opsdocs.settings.page).
    messages = make_app("gettext", srcdir=src, builddir=tmp_path / "gettext")
    messages.build()
    doctree = messages.env.get_doctree("index")
    paragraphs = {p.astext(): (p.source, p.line) for p in doctree.findall(nodes.paragraph)}
    assert paragraphs["Plain prose, first paragraph."] == (str(defaults), 1)
    assert paragraphs["Second paragraph."] == (str(defaults), 3)
    assert paragraphs["Links to PLAIN."] == (str(defaults), 9)
    html = (app.outdir / "index.html").read_text()
    assert '<p>Plain prose, first paragraph.</p>\n<p>Second paragraph.</p>' in html
    assert 'href="#setting-PLAIN"' in html
