"""The ``sample-config`` directive and build-time config checks, as a reader sees them."""

from __future__ import annotations

import json
import posixpath
import re
import subprocess
import sys
from pathlib import Path

import pytest
from docutils import nodes
from sphinx import addnodes

from opsdocs.config.sample import sample_config
from opsdocs.settings.reader import read_settings_package
from tests.helpers import ROOTS, copy_root, strip_colors, warning_lines


def sample_of(src: Path, name: str | None = None) -> str:
    """The sample the directive shows, naming its schema (``src.schema.json``) for editors."""
    return sample_config(read_settings_package(src / "settings"),
                         schema=f"{name or src.name}.schema.json")


@pytest.mark.sphinx("html", testroot="config")
def test_sample_is_shown_as_yaml_with_a_download(app):
    app.build()
    assert app.warning.getvalue() == ""
    doctree = app.env.get_doctree("index")
    block = next(doctree.findall(nodes.literal_block))
    assert block.astext() == sample_of(Path(app.srcdir))
    assert block["language"] == "yaml"
    reference, schema = doctree.findall(addnodes.download_reference)
    # Named after the service: the directory that holds the settings package.
    assert reference.astext() == f"{Path(app.srcdir).name}.yml"
    assert schema.astext() == f"{Path(app.srcdir).name}.schema.json"
    assert block.astext().startswith(
        f"# yaml-language-server: $schema={Path(app.srcdir).name}.schema.json\n")
    html = (Path(app.outdir) / "index.html").read_text()
    href = re.search(r'<a class="reference download internal" download="" href="([^"]+)"',
                     html).group(1)
    assert href.startswith("_downloads/") and href.endswith(f"/{Path(app.srcdir).name}.yml")
    assert (Path(app.outdir) / href).read_text() == sample_of(Path(app.srcdir))
    # The generated file is not written into the sources.
    assert sorted(p.name for p in (Path(app.srcdir) / "settings").iterdir()) == [
        "defaults.py", "devstack.yml", "required.py"]


@pytest.mark.parametrize("builder", ["html", "dirhtml", "singlehtml"])
def test_download_link_resolves_in_every_html_builder(make_app, tmp_path, builder):
    src = copy_root(tmp_path, "config")
    (src / "guide").mkdir()
    (src / "guide" / "operators.rst").write_text(
        "Operators\n=========\n\n.. sample-config:: ../settings\n   :filename: starter.yml\n")
    (src / "index.rst").write_text(
        (src / "index.rst").read_text() + "\n.. toctree::\n\n   guide/operators\n")
    app = make_app(builder, srcdir=src)
    app.build()
    assert app.warning.getvalue() == ""
    outdir = Path(app.outdir)
    pages = {"html": ["index.html", "guide/operators.html"],
             "dirhtml": ["index.html", "guide/operators/index.html"],
             "singlehtml": ["index.html"]}[builder]
    found = set()
    for page in pages:
        html = (outdir / page).read_text()
        for href in re.findall(r'class="reference download internal" download="" href="([^"]+)"',
                               html):
            target = outdir / posixpath.normpath(posixpath.join(posixpath.dirname(page), href))
            if target.name.endswith(".schema.json"):
                assert json.loads(target.read_text())["title"] == "Configuration of src"
            else:
                assert target.read_text() == sample_of(src, target.name.removesuffix(".yml"))
            found.add(target.name)
    assert found == {"src.yml", "starter.yml", "src.schema.json", "starter.schema.json"}


@pytest.mark.parametrize("builder", ["latex", "text", "man", "texinfo"])
def test_other_builders_show_the_sample(make_app, tmp_path, builder):
    src = copy_root(tmp_path, "config")
    app = make_app(builder, srcdir=src)
    app.build()
    assert app.warning.getvalue() == ""
    written = "\n".join(
        p.read_text(errors="replace") for p in Path(app.outdir).rglob("*")
        if p.is_file() and p.suffix in {".tex", ".txt", ".1", ".texi"}
    )
    assert "SECRET" in written and "PORTS" in written
    assert "Download" not in written  # no link to follow outside HTML


def test_bad_filename_option(make_app, tmp_path):
    src = copy_root(tmp_path, "config")
    (src / "index.rst").write_text(
        "Config\n======\n\n.. sample-config:: settings\n   :filename: ../evil.yml\n")
    app = make_app("html", srcdir=src)
    app.build()
    warning = strip_colors(app.warning.getvalue())
    assert f"{src / 'index.rst'}:4: ERROR: Error in \"sample-config\" directive:" in warning
    assert "a file name without a directory, like example_ida.yml" in warning


@pytest.mark.sphinx("html", testroot="config-problems")
def test_config_problems_are_located_warnings(app):
    app.build()
    root = Path(app.srcdir)
    bad, broken = root / "settings" / "bad.yml", root / "settings" / "broken.yml"
    assert warning_lines(app) == [
        f"{bad}:1: WARNING: LMS_BASE_URL is str, but the YAML value is an integer; put the "
        "value in quotes to make it a string",
        f"{bad}:3: WARNING: PORTS is list[int], but the YAML value here is a string; "
        "write a whole number, without quotes (at PORTS[0])",
        f"{bad}:4: WARNING: DEBUG is bool, but the YAML value is a string; write true or "
        "false, without quotes",
        f"{bad}:5: WARNING: unknown setting TIMOUT; did you mean 'TIMEOUT'?",
        f"{bad}:6: WARNING: setting OLD_TIMEOUT is deprecated since 2.0 (Set TIMEOUT "
        "instead.): stop setting it",
        f"{broken}:3: WARNING: YAML syntax error, column 1: while parsing a flow sequence started "
        "on line 2; expected ',' or ']', but got '<stream end>'; fix the YAML (a config is one mapping "
        "of SETTING_NAME: value lines)",
        f"{root / 'index.rst'}:4: WARNING: no config file matches 'nothing-*.yml' in "
        f"{root / 'settings'}: :check: names files of the settings package",
        f"{root / 'index.rst'}:7: WARNING: settings source '{root / 'no-such-package'}' not "
        "found: give an OEP-45 settings package (the directory that holds required.py and "
        "defaults.py), a settings module file, several, or a dotted module path found on "
        "sys.path",
        f"{root / 'broken' / 'required.py'}:3: WARNING: syntax error: invalid syntax; fix the "
        "file so that Python can import it",
    ]
    assert "hunter2" not in app.warning.getvalue()
    # A package with a broken file gets no sample, as the CLI writes none: one that lacks
    # the broken file's settings would mislead an operator.
    samples = [n for n in app.env.get_doctree("index").findall(nodes.literal_block)
               if "opsdocs-sample-config" in n["classes"]]
    assert len(samples) == 1


@pytest.mark.sphinx("html", testroot="config-problems", confoverrides={
    "suppress_warnings": ["opsdocs.config-type"]})
def test_config_warning_kinds_can_be_suppressed(app):
    app.build()
    warnings = app.warning.getvalue()
    assert "YAML value" not in warnings
    assert "did you mean 'TIMEOUT'?" in warnings


@pytest.mark.parametrize(("overrides", "expected"), [
    ({}, ""),
    ({"opsdocs_config_django_settings": False},
     "devstack.yml:9: WARNING: unknown setting DATABASES: not a setting of this service"),
    ({"opsdocs_config_django_settings": False, "opsdocs_config_allowed_keys": ["DATA*"]}, ""),
])
def test_allowed_keys_config_values(make_app, tmp_path, overrides, expected):
    app = make_app("html", srcdir=copy_root(tmp_path, "config"), confoverrides=overrides)
    app.build()
    warnings = strip_colors(app.warning.getvalue())
    if expected:
        assert expected in warnings
    else:
        assert warnings == ""


def test_warnings_as_errors_fail_the_build(tmp_path):
    src = copy_root(tmp_path, "config-problems")
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html", str(src), str(tmp_path / "out")],
        capture_output=True, text=True, check=False)
    assert result.returncode != 0
    stderr = strip_colors(result.stderr)  # "file:line: WARNING: ..." ("file:line:..." in 7.2)
    assert f"{src / 'settings' / 'bad.yml'}:1:" in stderr
    assert "LMS_BASE_URL is str, but the YAML value is an integer" in stderr
    good = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html", str(ROOTS / "test-config"),
         str(tmp_path / "good"), "-d", str(tmp_path / "doctrees")],
        capture_output=True, text=True, check=False)
    assert (good.returncode, good.stderr) == (0, "")


def test_editing_a_checked_config_or_the_settings_rebuilds_the_page(make_app, tmp_path):
    src = copy_root(tmp_path, "config")
    app = make_app("html", srcdir=src)
    app.build()
    assert app.warning.getvalue() == ""
    config = src / "settings" / "devstack.yml"
    config.write_text(config.read_text() + "DEBUGG: true\n")
    app2 = make_app("html", srcdir=src, freshenv=False)
    app2.build()
    assert "1 changed" in strip_colors(app2.status.getvalue())
    assert f"{config}:10: WARNING: unknown setting DEBUGG; did you mean 'DEBUG'?" in \
        warning_lines(app2)

    required = src / "settings" / "required.py"
    required.write_text(required.read_text() + "\n#: Added later.\nNEW_REQUIRED: str\n")
    app3 = make_app("html", srcdir=src, freshenv=False)
    app3.build()
    assert "1 changed" in strip_colors(app3.status.getvalue())
    html = (Path(app3.outdir) / "index.html").read_text()
    href = re.search(r'download="" href="([^"]+)"', html).group(1)
    assert "NEW_REQUIRED: &#39;&lt;required: str&gt;&#39;" in html or "NEW_REQUIRED" in html
    assert "NEW_REQUIRED: '<required: str>'" in (Path(app3.outdir) / href).read_text()
    # The new required setting is missing from devstack.yml.
    assert (f"{src / 'index.rst'}:4: WARNING: {config}: required setting NEW_REQUIRED is "
            "missing: add 'NEW_REQUIRED: ...' (the service refuses to start without it)"
            in warning_lines(app3))

    app4 = make_app("html", srcdir=src, freshenv=False)
    app4.build()
    assert "0 added, 0 changed, 0 removed" in strip_colors(app4.status.getvalue())


def test_parallel_build_offers_every_download(make_app, tmp_path):
    src = copy_root(tmp_path, "config")
    names = []
    for n in range(4):
        (src / f"page{n}.rst").write_text(
            f"Page {n}\n=======\n\n.. sample-config:: settings\n   :filename: page{n}.yml\n")
        names.append(f"page{n}")
    (src / "index.rst").write_text((src / "index.rst").read_text() + "\n.. toctree::\n\n   "
                                   + "\n   ".join(names) + "\n")
    app = make_app("html", srcdir=src, parallel=2)
    app.build()
    assert app.warning.getvalue() == ""
    downloads = sorted(p.name for p in (Path(app.outdir) / "_downloads").rglob("*.yml"))
    assert downloads == ["page0.yml", "page1.yml", "page2.yml", "page3.yml", "src.yml"]


def test_a_package_without_its_files_is_warned_about_at_the_directive(make_app, tmp_path):
    src = copy_root(tmp_path, "config")
    (src / "empty").mkdir()
    (src / "index.rst").write_text("Config\n======\n\n.. sample-config:: empty\n")
    app = make_app("html", srcdir=src)
    app.build()
    assert warning_lines(app) == [
        f"{src / 'index.rst'}:4: WARNING: {name} not found in settings package "
        f"'{src / 'empty'}': OEP-45 asks for required.py and defaults.py (create an empty "
        f"{name} if it has no settings)"
        for name in ("required.py", "defaults.py")
    ]
