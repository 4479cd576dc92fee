"""The settings-reference directive, as a reader of the built documentation sees it."""

from __future__ import annotations

import re
import shutil
from html import unescape
from inspect import signature
from pathlib import Path

import pytest
import sphinx_autodoc_typehints
from docutils import nodes
from sphinx import addnodes
from sphinx.util.inventory import InventoryFile

from opsdocs.settings.nodes import setting_entry
from tests.helpers import (
    ROOTS,
    found,
    html_blocks,
    own_warnings,
    setting_texts,
    strip_colors,
    warning_lines,
)


def entries(doctree: nodes.Node) -> dict[str, setting_entry]:
    """Every setting of the reference's doctree, by name."""
    return {entry["name"]: entry for entry in doctree.findall(setting_entry)}


def built_settings(app) -> dict[str, str]:
    """The text of each setting as the built index.html shows it."""
    return setting_texts((app.outdir / "index.html").read_text())


def load_inventory(path: Path):
    with open(path, "rb") as stream:
        try:
            return InventoryFile.load(stream, "", lambda *a: "/".join(a[1:]))
        except TypeError:  # Sphinx >= 8.2 signature
            return InventoryFile.load(stream, "", lambda base, uri: uri)


@pytest.mark.sphinx("html", testroot="settings")
def test_every_setting_is_an_entry_with_its_doc(app):
    app.build()
    assert app.warning.getvalue() == ""
    found = entries(app.env.get_doctree("index"))
    assert list(found) == ["LMS_BASE_URL", "SECRET_KEY", "FEATURES", "INSTALLED_APPS", "TIMEOUT"]
    shown = built_settings(app)
    assert list(shown) == list(found)
    assert "Base URL of the LMS" in shown["LMS_BASE_URL"]
    html = (app.outdir / "index.html").read_text()
    assert '<div class="opsdocs-setting opsdocs-required" id="setting-LMS_BASE_URL"' in html
    assert '<div class="opsdocs-setting" id="setting-FEATURES"' in html


@pytest.mark.sphinx("html", testroot="settings")
def test_defaults_types_badges_and_metadata(app):
    app.build()
    shown = built_settings(app)
    # Badges: a required secret is marked as both.
    assert shown["LMS_BASE_URL"].startswith(
        "LMS_BASE_URL¶ required Type str Default none (required) ")
    assert shown["SECRET_KEY"].startswith("SECRET_KEY¶ required secret Type str Default none")
    assert shown["TIMEOUT"].startswith("TIMEOUT¶ deprecated in 2.0 Default five seconds ")
    # A multi-line default: cut in the summary, whole in the details, as Python.
    # The default shown is the value once the literal changes are applied.
    assert "Type dict[str, bool] Default {'ENABLE_X': False, 'ENABLE_Y': True} " \
           "Keys ENABLE_X ENABLE_Y " in shown["FEATURES"]
    # :default: replaces a computed default's display; the field itself is not shown.
    assert "Default five seconds" in shown["TIMEOUT"]
    assert ":default:" not in shown["TIMEOUT"]
    # The deprecated directive inside the doc is rendered as Sphinx renders it.
    assert list(entries(app.env.get_doctree("index"))["TIMEOUT"].findall(addnodes.versionmodified))
    assert "Deprecated since version 2.0: Use HTTP_TIMEOUT." in shown["TIMEOUT"]
    # Item and augmented assignments are shown, not dropped.
    assert 'Defined by: FEATURES = {"ENABLE_X": False} (line 7) ' \
           'FEATURES["ENABLE_Y"] = True (line 10)' in shown["FEATURES"]
    assert 'INSTALLED_APPS += ["example"] (line 14)' in shown["INSTALLED_APPS"]
    assert shown["INSTALLED_APPS"].endswith("settings/defaults.py, line 13")


LONG_DEFAULTS = """\
#: Caches.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://localhost:6379/1",
    },
}

#: Where enrollments are read.
ENROLLMENTS_URL = "https://courses.example.com/api/enrollment/v1/enrollments?page_size=100"
"""


def test_a_long_default_is_cut_with_the_whole_value_a_click_away(make_app, tmp_path):
    app = make_project(make_app, tmp_path, ".. settings-reference:: settings\n   :only: defaults\n")
    (Path(app.srcdir) / "settings" / "defaults.py").write_text(LONG_DEFAULTS)
    app.build()
    blocks = html_blocks((app.outdir / "index.html").read_text(), "opsdocs-setting")
    shown = {key: text for key, (text, _) in blocks.items()}
    assert shown["setting-CACHES"].startswith(
        "CACHES¶ Default {'default': {'BACKEND': 'django.core.cache.ba... (2 lines) {")
    assert shown["setting-ENROLLMENTS_URL"].startswith(
        "ENROLLMENTS_URL¶ Default 'https://courses.example.com/api/enrollment/v... "
        "(73 characters) 'https://courses.example.com/api/enrollment/v1/enrollments?page_size=100'")
    _, caches = blocks["setting-CACHES"]
    assert re.search(r'<details class="opsdocs-default-full"><summary><code class="docutils '
                     r"literal notranslate\">\{'default': \{'BACKEND': 'django\.core\.cache\.ba\.\.\."
                     r'</code> <span class="opsdocs-default-size">\(2 lines\)</span></summary>',
                     caches), caches
    # The whole value in Python's repr style, laid out as pprint does: a block per line,
    # each wrapped line indented under its own.
    block = re.search(r"<pre>(.*?)</pre>", caches)[1]
    lines = re.findall(r'<span class="opsdocs-line"(?: style="--indent:(\d+)ch")?>(.*?)</span>'
                       r'(?=<span class="opsdocs-line"|$)', block)
    assert [(indent, unescape(re.sub("<[^>]+>", "", html))) for indent, html in lines] == [
        ("", "{'default': {'BACKEND': 'django.core.cache.backends.redis.RedisCache',"),
        ("13", "             'LOCATION': 'redis://localhost:6379/1'}}")]


@pytest.mark.sphinx("html", testroot="settings")
def test_setting_role_links_index_and_inventory(app):
    app.build()
    html = (app.outdir / "index.html").read_text()
    assert 'id="setting-LMS_BASE_URL"' in html
    assert re.search(r'<a class="reference internal" href="#setting-LMS_BASE_URL"', html)
    assert 'href="#setting-FEATURES"' in html
    assert 'class="headerlink" href="#setting-SECRET_KEY"' in html
    # Long names may break after an underscore, not inside a word.
    assert '<span class="pre">INSTALLED_</span><wbr><span class="pre">APPS</span>' in html
    genindex = (app.outdir / "genindex.html").read_text()
    assert "LMS_BASE_URL" in genindex
    inventory = load_inventory(app.outdir / "objects.inv")
    entries = inventory["std:setting"]
    assert set(entries) == {"LMS_BASE_URL", "SECRET_KEY", "FEATURES", "INSTALLED_APPS", "TIMEOUT"}


@pytest.mark.sphinx("html", testroot="settings", confoverrides={
    "opsdocs_source_url": "https://github.com/org/repo/blob/main/{path}#L{line}",
    "opsdocs_source_root": ".",
})
def test_source_url_links_each_setting(app):
    app.build()
    html = (app.outdir / "index.html").read_text()
    assert 'href="https://github.com/org/repo/blob/main/settings/defaults.py#L13"' in html
    assert 'href="https://github.com/org/repo/blob/main/settings/required.py#L4"' in html


@pytest.mark.parametrize(("options", "expected"), [
    (":only: required", ["LMS_BASE_URL", "SECRET_KEY"]),
    (":only: defaults", ["FEATURES", "INSTALLED_APPS", "TIMEOUT"]),
    (":match: *_KEY, TIME*", ["SECRET_KEY", "TIMEOUT"]),
    (":exclude: *_URL INSTALLED_*", ["SECRET_KEY", "FEATURES", "TIMEOUT"]),
])
def test_filter_options(make_app, tmp_path, options, expected):
    app = make_project(make_app, tmp_path, f".. settings-reference:: settings\n   {options}\n")
    app.build()
    # FEATURES' doc links to LMS_BASE_URL: left out, nothing documents it.
    dangling = "FEATURES" in expected and "LMS_BASE_URL" not in expected
    assert warning_lines(app) == ([
        f"{app.srcdir / 'settings' / 'defaults.py'}:6: WARNING: unknown setting 'LMS_BASE_URL' "
        "in :setting:: no page documents it, and no intersphinx inventory has it"
    ] if dangling else [])
    assert list(entries(app.env.get_doctree("index"))) == expected


@pytest.mark.parametrize(("group_by", "titles"), [
    ("section", ["Features", "Timeouts", "Other settings"]),
    ("prefix", []),  # no two settings share a prefix: nothing to group
])
def test_group_by(make_app, tmp_path, group_by, titles):
    app = make_project(make_app, tmp_path, f".. settings-reference:: settings\n   :group-by: {group_by}\n")
    app.build()
    doctree = app.env.get_doctree("index")
    sections = [s for s in doctree.findall(nodes.section) if s.parent is not doctree]
    found = [s[0].astext() for s in sections]
    assert sorted(found) == sorted(titles)
    # Grouped sections appear in the table of contents.
    toc = app.env.tocs["index"].astext()
    for title in titles:
        assert title in toc


def test_no_index_allows_a_second_listing(make_app, tmp_path):
    app = make_project(make_app, tmp_path, (
        ".. settings-reference:: settings\n\n"
        ".. settings-reference:: settings\n   :only: required\n   :no-index:\n"
    ))
    app.build()
    assert app.warning.getvalue() == ""


def test_duplicate_listing_without_no_index_warns(make_app, tmp_path):
    app = make_project(make_app, tmp_path, (
        ".. settings-reference:: settings\n\n.. settings-reference:: settings\n   :only: required\n"
    ))
    app.build()
    assert "duplicate setting description of LMS_BASE_URL" in app.warning.getvalue()


@pytest.mark.sphinx("html", testroot="settings-problems")
def test_problems_are_located_warnings(app):
    app.build()
    warnings = strip_colors(app.warning.getvalue())
    root = app.srcdir
    expected = [
        (f"{root / 'dupes/required.py'}:5", "required setting PLATFORM_NAME is given a value"),
        (f"{root / 'dupes/defaults.py'}:2",
         "setting LMS_BASE_URL is in both required.py (line 2) and defaults.py"),
        (f"{root / 'dupes/defaults.py'}:4", "setting UNDOCUMENTED has no documentation"),
        (f"{root / 'syntax/defaults.py'}:3", "syntax error:"),
        (f"{root / 'undecodable/defaults.py'}:1",
         "the settings module is not UTF-8 text (byte 0xe9 at line 1, column 7)"),
        (f"{root / 'index.rst'}:10", f"settings source '{root / 'missing'}' not found"),
        (f"{root / 'index.rst'}:12", "defaults.py not found in settings package"),
    ]
    for location, message in expected:
        assert f"{location}: WARNING: {message}" in warnings, (location, message, warnings)
    assert "no settings in" not in warnings  # the missing file is the news
    assert "Traceback" not in warnings
    # The readable file of a package with a broken one still renders.
    assert "GOOD" in entries(app.env.get_doctree("index"))


def test_a_package_listed_twice_warns_once(make_app, tmp_path):
    app = make_project(make_app, tmp_path, (
        ".. settings-reference:: settings\n   :only: required\n\n"
        ".. settings-reference:: settings\n   :only: defaults\n"
    ))
    (app.srcdir / "settings" / "defaults.py").write_text("#: Broken.\nTIMEOUT = (\n")
    app.build()
    warnings = strip_colors(app.warning.getvalue()).splitlines()
    syntax = [line for line in warnings if "syntax error" in line]
    assert len(syntax) == 1, warnings
    assert syntax[0].startswith(f"{app.srcdir / 'settings' / 'defaults.py'}:2: WARNING: ")


@pytest.mark.sphinx("html", testroot="settings-problems",
                    confoverrides={"opsdocs_undocumented": "ignore"})
def test_undocumented_can_be_ignored(app):
    app.build()
    assert "has no documentation" not in app.warning.getvalue()
    assert "is given a value" in app.warning.getvalue()


@pytest.mark.sphinx("html", testroot="settings-problems",
                    confoverrides={"suppress_warnings": ["opsdocs.undocumented"]})
def test_warning_kinds_can_be_suppressed(app):
    app.build()
    assert "has no documentation" not in app.warning.getvalue()


#: What every builder must show of test-settings' settings: its default and words of its doc.
SHOWN = {
    "LMS_BASE_URL": ("none (required)", "Base URL of the LMS"),
    "SECRET_KEY": ("none (required)", "secret key"),
    "FEATURES": ("'ENABLE_Y': True", "Feature flags"),
    "INSTALLED_APPS": ("'example'", "Installed apps"),
    "TIMEOUT": ("five seconds", "Request timeout in seconds"),
}
#: What a builder writes, and how to read it as text.
WRITTEN = {"html": "index.html", "dirhtml": "index.html", "singlehtml": "index.html",
           "epub": "index.xhtml", "latex": "test-settings.tex", "text": "index.txt",
           "man": "test-settings.1", "texinfo": "test-settings.texi"}


def readable(text: str) -> str:
    """A written file's text without markup, escapes and line breaks, to look for words in."""
    text = re.sub(r"<[^>]+>", "", text)
    for escaped, plain in (("\\_", "_"), ("\\sphinxhyphen{}", "-"), ("\\-", "-"),
                           ("\\(aq", "'"), ("\\fB", ""), ("\\fP", ""), ("\\&", ""),
                           ("\\sphinxquotedblleft{}", '"'), ("\\sphinxquotedblright{}", '"'),
                           ("@code{", ""), ("\\textquotesingle{}", "'")):
        text = text.replace(escaped, plain)
    return " ".join(unescape(text).split())


@pytest.mark.parametrize("builder", list(WRITTEN))
def test_every_builder_shows_the_same_settings_defaults_and_docs(make_app, tmp_path, builder):
    shutil.copytree(ROOTS / "test-settings", tmp_path / "src")
    overrides = {"version": "1", "copyright": "2026"} if builder == "epub" else {}
    app = make_app(builder, srcdir=tmp_path / "src", confoverrides=overrides)
    app.build()
    assert own_warnings(app) == ""
    written = (Path(app.outdir) / WRITTEN[builder]).read_text()
    # The filter's script is on HTML pages, not in e-books.
    assert ("opsdocs-settings.js" in written) == (builder in ("html", "dirhtml", "singlehtml"))
    if builder in ("html", "dirhtml", "singlehtml", "epub"):
        shown = setting_texts(written)
    else:  # a table: a row per setting, as the builder's doctree has it
        tags = {"tags": app.tags} if "tags" in signature(
            app.env.get_and_resolve_doctree).parameters else {}  # Sphinx 11 requires it
        doctree = app.env.get_and_resolve_doctree("index", app.builder, **tags)
        [table] = [t for t in doctree.findall(nodes.table) if "opsdocs-settings" in t["classes"]]
        rows = [row for row in table.findall(nodes.row) if row.parent.tagname == "tbody"]
        shown = {row[0].astext().split()[0]: " ".join(row.astext().split()) for row in rows}
    assert list(shown) == list(SHOWN)
    text = readable(written)
    for name, (default, doc) in SHOWN.items():
        assert default in shown[name] and doc in shown[name], (name, shown[name])
        assert name in text and doc in text, name
    assert "'ENABLE_Y': True" in text and "five seconds" in text


def test_text_output_is_readable(make_app, tmp_path):
    shutil.copytree(ROOTS / "test-settings", tmp_path / "src")
    app = make_app("text", srcdir=tmp_path / "src")
    app.build()
    text = (Path(app.outdir) / "index.txt").read_text()
    assert "| Setting" in text and "| Default" in text and "| Description" in text
    assert "Deprecated" in text and '"HTTP_TIMEOUT"' in text
    assert "*none (required)*" in text
    assert "<a class" not in text  # the HTML permalink is not in other builders' output


def test_editing_defaults_rebuilds_the_page(make_app, tmp_path):
    shutil.copytree(ROOTS / "test-settings", tmp_path / "src")
    (tmp_path / "src" / "other.rst").write_text("Other\n=====\n\nNo settings here.\n")
    (tmp_path / "src" / "index.rst").write_text(
        (tmp_path / "src" / "index.rst").read_text() + "\n.. toctree::\n\n   other\n"
    )
    app = make_app("html", srcdir=tmp_path / "src")
    app.build()
    defaults = tmp_path / "src" / "settings" / "defaults.py"
    defaults.write_text(defaults.read_text() + "\n#: Added later.\nNEW_SETTING = 42\n")
    app2 = make_app("html", srcdir=tmp_path / "src", freshenv=False)
    app2.build()
    status = strip_colors(app2.status.getvalue())
    assert re.search(r"reading sources\.\.\. \[100%\] index", status), status
    assert "1 changed" in status
    assert "NEW_SETTING" in (Path(app2.outdir) / "index.html").read_text()
    assert "NEW_SETTING" not in (Path(app2.outdir) / "other.html").read_text()
    app3 = make_app("html", srcdir=tmp_path / "src", freshenv=False)
    app3.build()
    status = strip_colors(app3.status.getvalue())
    assert "0 added, 0 changed, 0 removed" in status
    assert "html_static_path" not in status  # opsdocs' CSS must not make every page rewrite


def test_parallel_build_gives_the_same_output(make_app, tmp_path):
    outputs = []
    for jobs in (1, 2):
        src = tmp_path / f"build{jobs}" / "src"
        shutil.copytree(ROOTS / "test-settings", src)
        for n in range(4):
            (src / f"page{n}.rst").write_text(
                f"Page {n}\n=======\n\n.. settings-reference:: settings\n   :no-index:\n"
                f"   :match: *{'_' if n % 2 else 'E'}*\n"
            )
        (src / "index.rst").write_text(
            (src / "index.rst").read_text()
            + "\n.. toctree::\n\n" + "".join(f"   page{n}\n" for n in range(4))
        )
        app = make_app("text", srcdir=src, parallel=jobs)
        app.build()
        assert own_warnings(app) == ""
        outputs.append({p.name: p.read_text() for p in found(Path(app.outdir).glob("*.txt"))})
    assert outputs[0] == outputs[1]


@pytest.mark.sphinx("html", testroot="settings", confoverrides={
    "extensions": ["opsdocs", "sphinx.ext.autodoc", "sphinx_autodoc_typehints"],
})
def test_types_use_sphinx_autodoc_typehints_when_loaded(app):
    app.build()
    entry = entries(app.env.get_doctree("index"))["FEATURES"]
    xrefs = [x["reftarget"] for x in entry.findall(addnodes.pending_xref) if x.get("refdomain") == "py"]
    assert "dict" in xrefs and "str" in xrefs and "bool" in xrefs
    # Sphinx's own format only where this sphinx-autodoc-typehints keeps format_annotation
    # private (3.17.5 and later).
    sphinx_format = bool(list(entry.findall(addnodes.desc_sig_punctuation)))
    assert sphinx_format is not hasattr(sphinx_autodoc_typehints, "format_annotation")


def format_annotation_failing(value, config):
    raise TypeError("unsupported")


@pytest.mark.parametrize("format_annotation", [None, format_annotation_failing])
@pytest.mark.sphinx("html", testroot="settings", freshenv=True, confoverrides={
    "extensions": ["opsdocs", "sphinx.ext.autodoc", "sphinx_autodoc_typehints"],
})
def test_types_fall_back_to_sphinx_when_sphinx_autodoc_typehints_cannot_format(
        app, monkeypatch, format_annotation):
    # Newer versions keep format_annotation private; any version may fail on a type.
    if format_annotation is None:
        monkeypatch.delattr(sphinx_autodoc_typehints, "format_annotation", raising=False)
    else:
        monkeypatch.setattr(sphinx_autodoc_typehints, "format_annotation", format_annotation,
                            raising=False)
    app.build()
    assert own_warnings(app) == ""
    entry = entries(app.env.get_doctree("index"))["FEATURES"]
    xrefs = [x["reftarget"] for x in entry.findall(addnodes.pending_xref) if x.get("refdomain") == "py"]
    assert xrefs == ["dict", "str", "bool"]
    assert list(entry.findall(addnodes.desc_sig_punctuation))  # Sphinx's own format


@pytest.mark.sphinx("html", testroot="settings")
def test_types_use_sphinx_annotations_otherwise(app):
    app.build()
    entry = entries(app.env.get_doctree("index"))["FEATURES"]
    xrefs = [x["reftarget"] for x in entry.findall(addnodes.pending_xref) if x.get("refdomain") == "py"]
    assert xrefs == ["dict", "str", "bool"]


def test_unknown_setting_falls_through_to_intersphinx(make_app, tmp_path):
    # A stand-in for Django's documentation: its inventory has std:setting DEBUG.
    django_docs = tmp_path / "django"
    django_docs.mkdir()
    (django_docs / "conf.py").write_text("extensions = ['opsdocs']\n")
    (django_docs / "index.rst").write_text("Django\n======\n\n.. setting:: DEBUG\n\n   Debug.\n")
    django = make_app("html", srcdir=django_docs)
    django.build()
    app = make_project(make_app, tmp_path, "See :setting:`DEBUG` and :setting:`LMS_BASE_URL`.\n",
                       confoverrides={
                           "extensions": ["opsdocs", "sphinx.ext.intersphinx"],
                           "intersphinx_mapping": {
                               "django": ("https://docs.djangoproject.com/en/stable/",
                                          str(Path(django.outdir) / "objects.inv")),
                           },
                       })
    app.build()
    html = (Path(app.outdir) / "index.html").read_text()
    assert "https://docs.djangoproject.com/en/stable/index.html#setting-DEBUG" in html
    # DEBUG is resolved by intersphinx; LMS_BASE_URL is on no page of this project.
    assert [line.split(": WARNING: ")[1] for line in warning_lines(app)] == [
        "unknown setting 'LMS_BASE_URL' in :setting:: no page documents it, and no "
        "intersphinx inventory has it"]


def make_project(make_app, tmp_path, body, **kwargs):
    src = tmp_path / "project"
    shutil.copytree(ROOTS / "test-settings", src)
    (src / "index.rst").write_text("Settings\n========\n\n" + body)
    return make_app("html", srcdir=src, **kwargs)


@pytest.mark.parametrize(("source", "line"), [
    # A block above, with metadata fields after the text (docutils locates a paragraph).
    ("#: Fine.\n#:\n#: Broken *emphasis\n#:\n#: :secret:\nBROKEN = 1\n", 3),
    # A trailing doc on the assignment's own line.
    ("X = 1\nBROKEN = 1  #: Broken *emphasis\n", 2),
    # A docstring after the assignment.
    ('BROKEN = 1\n"""Broken *emphasis"""\n', 2),
])
def test_rst_errors_in_a_doc_point_at_its_line(make_app, tmp_path, source, line):
    app = make_project(make_app, tmp_path, ".. settings-reference:: settings\n")
    defaults = Path(app.srcdir) / "settings" / "defaults.py"
    defaults.write_text(source)
    app.build()
    warnings = strip_colors(app.warning.getvalue())
    assert f"{defaults}:{line}: WARNING: Inline emphasis start-string without end-string." in warnings


@pytest.mark.sphinx("html", testroot="settings")
def test_code_wraps_and_a_hidden_permalink_takes_no_room(app):
    """Long defaults wrap, a wrapped line's rest hanging under the line's own indentation,
    rather than scroll in a narrow cell (the browser tests measure it)."""
    app.build()
    css = (app.outdir / "_static" / "opsdocs.css").read_text()
    rules = dict(re.findall(r"^([^/\s{][^{]*?) \{([^}]*)\}", css, re.MULTILINE | re.DOTALL))
    wrapping = rules["html :is(.opsdocs-setting, .opsdocs-command, .opsdocs-sample-config, "
                     ".opsdocs-source) div.highlight pre"]
    assert "white-space: pre-wrap;" in wrapping and "overflow-wrap: anywhere" in wrapping
    assert "text-indent: calc(-1 * var(--indent, 0ch) - 2ch)" in rules[".opsdocs-line"]
    assert "visibility: hidden" in rules[".opsdocs-setting .headerlink"]


@pytest.mark.parametrize("theme", ["alabaster", "sphinx_rtd_theme", "furo"])
def test_the_reference_builds_in_each_theme(make_app, tmp_path, theme):
    """Without warnings, with the stylesheet and the filter's script (the browser tests
    check the pages themselves)."""
    app = make_project(make_app, tmp_path, ".. settings-reference:: settings\n",
                       confoverrides={"html_theme": theme})
    app.build()
    assert own_warnings(app) == ""
    html = (app.outdir / "index.html").read_text()
    assert '_static/opsdocs.css' in html and "_static/opsdocs-settings.js" in html
    assert list(setting_texts(html)) == ["LMS_BASE_URL", "SECRET_KEY", "FEATURES",
                                         "INSTALLED_APPS", "TIMEOUT"]


@pytest.mark.parametrize(("annotation", "expected"), [
    ("int", "<class 'int'>"),
    ("list[str] | None", "list[str] | None"),
    ("typing.Optional[typing.Dict[str, int]]", "typing.Optional[typing.Dict[str, int]]"),
    ("collections.abc.Mapping[str, int]", "collections.abc.Mapping[str, int]"),
    ("Literal['a', 1]", "typing.Literal['a', 1]"),
    ("Callable[[int], str]", "typing.Callable[[int], str]"),
    ("tuple[int, ...]", "tuple[int, ...]"),
    # Nothing is read through an attribute, a call, or a subscript of something not a type.
    ("typing.sys.modules['os'].environ['HOME']", "None"),
    ("os.environ['HOME']", "None"),
    ("typing.cast(int, 1)", "None"),
    ("str.__subclasses__", "None"),
    ("type(int)", "None"),
    ("__import__('os')", "None"),
    ("MyClass", "None"),
    ("[" * 5000 + "]" * 5000, "None"),
])
def test_annotations_are_built_from_known_types_only(annotation, expected):
    from opsdocs.settings.directive import safe_eval_annotation

    assert repr(safe_eval_annotation(annotation)) == expected
