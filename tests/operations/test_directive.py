"""The operations-manual and operations-command directives, as a reader of the docs sees them."""

from __future__ import annotations

import re
import shutil
import zlib
from pathlib import Path

import pytest
from docutils import nodes
from sphinx import addnodes
from sphinx.util.inventory import InventoryFile

from tests.helpers import ROOTS, found, own_warnings, strip_colors, typed

COMMANDS = "operations/commands.yml"


def load_inventory(path: Path):
    with open(path, "rb") as stream:
        try:
            return InventoryFile.load(stream, "", lambda *a: "/".join(a[1:]))
        except TypeError:  # Sphinx >= 8.2 signature
            return InventoryFile.load(stream, "", lambda base, uri: uri)


def project(tmp_path: Path, edit=None) -> Path:
    """A copy of the test-operations root; *edit* changes the commands file's text."""
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-operations", src)
    if edit is not None:
        path = src / COMMANDS
        path.write_text(edit(path.read_text()))
    return src


def sections(doctree: nodes.Node) -> dict[str, nodes.section]:
    return {s["ids"][0]: s for s in doctree.findall(nodes.section)}


@pytest.mark.sphinx("html", testroot="operations")
def test_a_section_per_group_and_per_command(app):
    app.build()
    assert own_warnings(app) == ""
    doctree = app.env.get_doctree("operations/index")
    found = sections(doctree)
    assert list(found) == [
        "operations-manual", "operations-web", "opscommand-gunicorn", "operations-schema",
        "opscommand-migrate", "operations-maintenance", "opscommand-clearsessions",
        "opscommand-purge_stale_reports",
    ]
    assert found["operations-web"][0].astext() == "Running for web traffic"
    assert found["opscommand-gunicorn"][0].astext() == "gunicorn"
    # The manual's description is reStructuredText.
    assert doctree.next_node(nodes.emphasis).astext() == "test"
    # Groups and commands are in the table of contents.
    toc = app.env.tocs["operations/index"].astext()
    for title in ("Running for web traffic", "gunicorn", "Maintenance tasks", "clearsessions"):
        assert title in toc
    html = (app.outdir / "operations" / "index.html").read_text()
    assert 'href="#opscommand-purge_stale_reports"' in html  # local TOC and permalink


@pytest.mark.sphinx("html", testroot="operations")
def test_what_a_command_section_shows(app):
    app.build()
    section = sections(app.env.get_doctree("operations/index"))["opscommand-gunicorn"]
    text = section.astext()
    assert "Serve web traffic." in text
    assert section.next_node(nodes.strong).astext() == "gunicorn"  # description is RST
    block = next(b for b in section.findall(nodes.literal_block))
    assert block.astext() == "gunicorn service.wsgi:application --bind 0.0.0.0:8000"
    assert block["language"] == "shell"
    fields = {f[0].astext(): f[1].astext() for f in section.findall(nodes.field)}
    assert fields["Settings"] == "SECRET_KEY, DATABASES"
    assert fields["Environment"] == (
        "SERVICE_CFG_PATH: the YAML configuration file\n\nDJANGO_SETTINGS_MODULE")
    options = {i[0].astext(): i[1].astext() for i in section.findall(nodes.definition_list_item)}
    assert options == {"--workers N": "Number of worker processes.\n\nDefault: 4."}
    badges = [b.astext() for b in section.findall(nodes.inline) if "opsdocs-badge" in b["classes"]]
    assert badges == ["Long-running process", "Safe to re-run"]


@pytest.mark.sphinx("html", testroot="operations")
def test_django_commands_show_their_help_and_arguments(app):
    app.build()
    found = sections(app.env.get_doctree("operations/index"))
    migrate = found["opscommand-migrate"]
    assert "Updates database schema." in migrate.astext()
    terms = [t.astext() for t in migrate.findall(nodes.term)]
    expected = ["[app_label]", "[migration_name]", "--noinput, --no-input", "--database DATABASE"]
    assert [t for t in terms if t in expected] == expected  # in order, whatever the Django version
    assert "--check" in terms
    purge = found["opscommand-purge_stale_reports"]
    fields = {f[0].astext(): f[1].astext() for f in purge.findall(nodes.field)}
    assert fields["Management command"] == (
        "purge_stale_reports (reports.management.commands.purge_stale_reports)")
    assert "--older-than DAYS" in [t.astext() for t in purge.findall(nodes.term)]


@pytest.mark.sphinx("html", testroot="operations", confoverrides={
    "opsdocs_source_url": "https://example.com/blob/main/{path}#L{line}",
    "opsdocs_source_root": "."})
def test_the_services_own_commands_link_to_their_source(app):
    app.build()
    # A module's path wraps at its dots only (<wbr> between pieces that do not wrap).
    html = re.sub(r"<wbr>|</?span[^>]*>", "", (app.outdir / "operations" / "index.html").read_text())
    assert ('<a class="reference external" href="https://example.com/blob/main/service/reports/'
            'management/commands/purge_stale_reports.py#L4"><code class="docutils literal '
            'notranslate opsdocs-code">reports.management.commands.purge_stale_reports</code></a>'
            ) in html
    # Django's own are not in this repository: no link.
    assert '(<code class="docutils literal notranslate opsdocs-code">' \
        'django.core.management.commands.migrate</code>)' in html


@pytest.mark.sphinx("html", testroot="operations")
def test_destructive_commands_and_schedules_stand_out(app):
    app.build()
    found = sections(app.env.get_doctree("operations/index"))
    purge = found["opscommand-purge_stale_reports"]
    assert "opsdocs-destructive" in purge["classes"]
    warning = purge.next_node(nodes.warning)
    assert warning.astext() == "Destructive: Deletes report rows and their files."
    clear = found["opscommand-clearsessions"]
    fields = {f[0].astext(): f[1].astext() for f in clear.findall(nodes.field)}
    assert fields["Schedule"] == "0 3 * * * (every day at 03:00)"
    html = (app.outdir / "operations" / "index.html").read_text()
    assert '<span class="opsdocs-badge opsdocs-badge-schedule">Scheduled: 0 3 * * *</span>' in html
    assert '<span class="opsdocs-badge opsdocs-badge-destructive">Destructive</span>' in html
    assert "opsdocs.css" in html
    css = (app.outdir / "_static" / "opsdocs.css").read_text()
    assert ".opsdocs-badge-destructive" in css and ".opsdocs-badge-schedule" in css


@pytest.mark.sphinx("html", testroot="operations")
def test_commands_are_linkable_indexed_and_in_the_inventory(app):
    app.build()
    html = (app.outdir / "elsewhere.html").read_text()
    assert re.search(r'<a class="reference internal" href="operations/index.html#opscommand-'
                     r'clearsessions"', html)
    assert 'href="operations/index.html#opscommand-purge_stale_reports"' in html
    # Sphinx's own generic :command: role is untouched.
    assert '<strong class="command">rm</strong>' in html
    inventory = load_inventory(app.outdir / "objects.inv")
    data = inventory.data if hasattr(inventory, "data") else inventory
    commands = data["std:opscommand"]
    assert sorted(commands) == ["clearsessions", "gunicorn", "migrate", "purge_stale_reports"]
    entry = commands["clearsessions"]
    uri = entry.uri if hasattr(entry, "uri") else entry[2]
    assert uri.endswith("operations/index.html#opscommand-clearsessions")
    genindex = (app.outdir / "genindex.html").read_text()
    assert "operations command" in genindex and "purge_stale_reports" in genindex


@pytest.mark.sphinx("html", testroot="operations")
def test_settings_link_to_the_settings_reference(app):
    app.build()
    html = (app.outdir / "operations" / "index.html").read_text()
    for name in ("SECRET_KEY", "DATABASES", "SESSION_ENGINE", "REPORT_RETENTION_DAYS"):
        assert f'href="../settings.html#setting-{name}"' in html


def test_a_setting_not_in_the_catalog_warns_at_its_line(make_app, tmp_path):
    src = project(tmp_path, lambda t: t.replace("[SECRET_KEY, DATABASES]",
                                                 "[SECRET_KEY, DATABASE]"))
    app = make_app("html", srcdir=src)
    app.build()
    assert own_warnings(app) == typed(
        f"{src / COMMANDS}:19: WARNING: setting 'DATABASE' is not in the settings catalog; "
        "did you mean 'DATABASES'? (at groups[0].commands[0].settings[1]) "
        "[opsdocs.unknown-setting]\n"
    )
    # The name is still shown, as code.
    html = (app.outdir / "operations" / "index.html").read_text()
    assert '<code class="xref std std-setting docutils literal notranslate"><span class="pre">' \
           'DATABASE</span></code>' in html


def test_nitpick_ignore_silences_one_setting(make_app, tmp_path):
    src = project(tmp_path, lambda t: t.replace("[SECRET_KEY, DATABASES]",
                                                 "[SECRET_KEY, DATABASE]"))
    app = make_app("html", srcdir=src, confoverrides={
        "nitpick_ignore": [("std:setting", "DATABASE")]})
    app.build()
    assert own_warnings(app) == ""


def test_the_operations_extension_alone_links_settings_in_descriptions(make_app, tmp_path):
    """``extensions = ["opsdocs.operations"]`` sets up the settings it links to: a
    description's :setting: is a link, not an unknown role."""
    src = project(tmp_path, lambda t: t.replace(
        "      - django: clearsessions\n",
        "      - django: clearsessions\n        description: See :setting:`SESSION_ENGINE`.\n"))
    app = make_app("html", srcdir=src, confoverrides={"extensions": ["opsdocs.operations"]})
    app.build()
    assert own_warnings(app) == ""
    section = sections(app.env.get_doctree("operations/index"))["opscommand-clearsessions"]
    assert "See SESSION_ENGINE." in section.astext()
    html = (app.outdir / "operations" / "index.html").read_text()
    assert html.count('href="../settings.html#setting-SESSION_ENGINE"') == 2  # and the facts'


def write_inventory(path: Path, entries: list[str]) -> None:
    header = b"# Sphinx inventory version 2\n# Project: Django\n# Version: 5.2\n" \
             b"# The remainder of this file is compressed using zlib.\n"
    path.write_bytes(header + zlib.compress("".join(f"{e}\n" for e in entries).encode()))


def test_django_settings_resolve_through_intersphinx(make_app, tmp_path):
    src = project(tmp_path, lambda t: t.replace("[SESSION_ENGINE]",
                                                 "[SESSION_ENGINE, SESSION_COOKIE_AGE]"))
    write_inventory(src / "django.inv", [
        "SESSION_COOKIE_AGE std:setting -1 ref/settings/#std-setting-$ -"])
    app = make_app("html", srcdir=src, confoverrides={
        "extensions": ["opsdocs", "sphinx.ext.intersphinx"],
        "intersphinx_mapping": {"django": ("https://docs.djangoproject.com/en/5.2/",
                                           str(src / "django.inv"))},
    })
    app.build()
    assert own_warnings(app) == ""
    html = (app.outdir / "operations" / "index.html").read_text()
    assert ('href="https://docs.djangoproject.com/en/5.2/ref/settings/'
            '#std-setting-SESSION_COOKIE_AGE"') in html


def test_problems_in_the_file_are_located_warnings(make_app, tmp_path):
    def edit(text):
        text = text.replace('schedule: "0 3 * * *"', 'schedule: "0 3 * * * *"')
        text = text.replace("when: every-deploy", "when: every-deploy\n        destructve: true")
        return text.replace("django: clearsessions", "django: clearsesions")

    src = project(tmp_path, edit)
    app = make_app("html", srcdir=src)
    app.build()
    path = src / COMMANDS
    assert own_warnings(app) == typed(
        f"{path}:29: WARNING: unknown key 'destructve' in command; did you mean 'destructive'? "
        "(at groups[1].commands[0].destructve) [opsdocs.unknown-key]\n"
        f"{path}:34: WARNING: management command 'clearsesions' not found in "
        f"{src / 'service'} or the installed apps and Django; did you mean 'clearsessions'? "
        "(at groups[2].commands[0].django) [opsdocs.unknown-command]\n"
        f"{path}:35: WARNING: invalid cron expression '0 3 * * * *': it has 6 fields, cron "
        "needs 5 (minute hour day-of-month month day-of-week), e.g. \"30 3 * * *\" for 03:30 "
        "every day (at groups[2].commands[0].schedule) [opsdocs.cron]\n"
    )
    # What could be read is still there.
    assert "opscommand-gunicorn" in sections(app.env.get_doctree("operations/index"))


def test_malformed_yaml_is_one_located_warning(make_app, tmp_path):
    src = project(tmp_path, lambda t: t.replace("  - name: schema", " - name: schema"))
    app = make_app("html", srcdir=src)
    app.build()
    warnings = own_warnings(app)
    # One warning, though two directives read the file.
    assert warnings == typed(
        f"{src / COMMANDS}:25: WARNING: YAML syntax error on the line of name, column 2: while "
        "parsing a block mapping started on line 1; expected <block end>, but found '<block "
        "sequence start>'; fix the syntax (indentation, quotes, ':' after keys) [opsdocs.yaml]\n")


@pytest.mark.parametrize("old, new, line", [
    ("Runs the WSGI application with **gunicorn**.",
     "Runs the WSGI application with **gunicorn**.\n\n          .. note::", 13),
    ("  How to run the *test* service.",
     "  How to run the *test* service.\n\n  .. note::", 6),
    ("  - name: web\n    commands:",
     "  - name: web\n    description: |\n      .. note::\n    commands:", 8),
    ("description: Count what would be deleted.",
     "description: |\n              Count.\n\n              .. note::", 46),
])
def test_rst_errors_in_descriptions_point_into_the_yaml(make_app, tmp_path, old, new, line):
    src = project(tmp_path, lambda t: t.replace(old, new))
    app = make_app("html", srcdir=src)
    app.build()
    assert f"{src / COMMANDS}:{line}: ERROR: Content block expected for the \"note\" " \
        "directive; none found." in own_warnings(app)


@pytest.mark.parametrize("old, new, line", [
    ("summary: Serve web traffic.", "summary: Serve *web traffic.", 9),
    ("description: the YAML configuration file", "description: the *YAML file", 17),
    ("destructive: Deletes report rows", "destructive: Deletes *report rows", 38),
])
def test_inline_rst_errors_point_into_the_yaml(make_app, tmp_path, old, new, line):
    src = project(tmp_path, lambda t: t.replace(old, new))
    app = make_app("html", srcdir=src)
    app.build()
    assert (f"{src / COMMANDS}:{line}: WARNING: Inline emphasis start-string without "
            "end-string.") in own_warnings(app)


@pytest.mark.sphinx("html", testroot="operations")
def test_summaries_are_rst_and_help_is_plain_text(app):
    app.build()
    found = sections(app.env.get_doctree("operations/index"))
    gunicorn = found["opscommand-gunicorn"].next_node(
        lambda n: isinstance(n, nodes.paragraph) and "opsdocs-summary" in n["classes"])
    assert gunicorn.astext() == "Serve web traffic."
    clear = found["opscommand-clearsessions"].next_node(
        lambda n: isinstance(n, nodes.paragraph) and "opsdocs-summary" in n["classes"])
    assert clear.astext().startswith("Can be run as a cronjob")


def test_operations_command_renders_one_command(make_app, tmp_path):
    src = project(tmp_path)
    app = make_app("html", srcdir=src)
    app.build()
    doctree = app.env.get_doctree("elsewhere")
    desc = doctree.next_node(addnodes.desc)
    assert desc["objtype"] == "opscommand"
    assert desc.next_node(addnodes.desc_name).astext() == "gunicorn"
    assert "Serve web traffic." in desc.astext()
    html = (app.outdir / "elsewhere.html").read_text()
    assert 'class="headerlink" href="#opscommand-gunicorn"' in html


def test_operations_command_with_a_file_and_index(make_app, tmp_path):
    src = project(tmp_path)
    (src / "operations" / "index.rst").write_text("Operations\n==========\n\nNone here.\n")
    (src / "elsewhere.rst").write_text(
        "Elsewhere\n=========\n\n.. operations-command:: migrate\n   :file: operations/commands.yml\n"
        "\nSee :opscommand:`migrate`.\n")
    app = make_app("html", srcdir=src, confoverrides={"opsdocs_commands_file": ""})
    app.build()
    assert own_warnings(app) == ""
    html = (app.outdir / "elsewhere.html").read_text()
    assert 'href="#opscommand-migrate"' in html
    inventory = load_inventory(app.outdir / "objects.inv")
    data = inventory.data if hasattr(inventory, "data") else inventory
    assert list(data["std:opscommand"]) == ["migrate"]


@pytest.mark.parametrize("body, warning", [
    (".. operations-command:: gunicorm\n", "no command 'gunicorm' in {commands}; did you mean "
     "'gunicorn'? [opsdocs.unknown-command]"),
    # names.py's rule, as check-config's: a longer name is no misspelling (difflib's 0.6
    # cutoff said 'gunicorn')
    (".. operations-command:: gunicorn-worker\n", "no command 'gunicorn-worker' in "
     "{commands}: it has gunicorn, migrate, clearsessions, purge_stale_reports "
     "[opsdocs.unknown-command]"),
    (".. operations-command:: gunicorn\n   :file: nope.yml\n",
     "index.rst:4: WARNING: {src}/nope.yml: cannot read the commands file: No such file or "
     "directory [opsdocs.missing]"),
    (".. operations-manual:: commands.yml\n   :groups: web, workers\n",
     "no group 'workers' in {commands} (it has web, schema, maintenance) "
     "[opsdocs.unknown-group]"),
])
def test_directive_mistakes_are_warnings(make_app, tmp_path, body, warning):
    src = project(tmp_path)
    (src / "operations" / "index.rst").write_text("Operations\n==========\n\n" + body)
    (src / "elsewhere.rst").write_text("Elsewhere\n=========\n")
    app = make_app("html", srcdir=src)
    app.build()
    expected = typed(warning.format(src=src / "operations", commands=src / COMMANDS))
    assert expected in own_warnings(app)


def test_operations_command_without_a_file_says_how_to_give_one(make_app, tmp_path):
    src = project(tmp_path)
    app = make_app("html", srcdir=src, confoverrides={"opsdocs_commands_file": ""})
    app.build()
    assert typed(f"{src / 'elsewhere.rst'}:7: WARNING: operations-command needs a commands "
                 "file: give ':file: PATH' or set opsdocs_commands_file in conf.py "
                 "[opsdocs.config]") in own_warnings(app)


def test_groups_option_selects_groups(make_app, tmp_path):
    src = project(tmp_path)
    (src / "operations" / "index.rst").write_text(
        "Operations\n==========\n\n.. operations-manual:: commands.yml\n   :groups: maintenance\n")
    (src / "elsewhere.rst").write_text("Elsewhere\n=========\n")
    app = make_app("html", srcdir=src)
    app.build()
    assert own_warnings(app) == ""
    assert list(sections(app.env.get_doctree("operations/index"))) == [
        "operations", "operations-maintenance", "opscommand-clearsessions",
        "opscommand-purge_stale_reports"]


def test_editing_the_commands_file_rebuilds_the_page(make_app, tmp_path):
    src = project(tmp_path)
    app = make_app("html", srcdir=src)
    app.build()
    path = src / COMMANDS
    path.write_text(path.read_text().replace("Serve web traffic.", "Serve all web traffic."))
    app2 = make_app("html", srcdir=src, freshenv=False)
    app2.build()
    status = strip_colors(app2.status.getvalue())
    assert re.search(r"reading sources\.\.\. \[100%\] operations/index", status), status
    assert "2 changed" in status  # the manual, and the page that shows one of its commands
    assert "Serve all web traffic." in (app2.outdir / "operations" / "index.html").read_text()
    app3 = make_app("html", srcdir=src, freshenv=False)
    app3.build()
    assert "0 added, 0 changed, 0 removed" in strip_colors(app3.status.getvalue())


def test_editing_a_management_command_rebuilds_the_page(make_app, tmp_path):
    src = project(tmp_path)
    app = make_app("html", srcdir=src)
    app.build()
    module = src / "service/reports/management/commands/purge_stale_reports.py"
    module.write_text(module.read_text().replace("Only count them.", "Count, delete nothing."))
    app2 = make_app("html", srcdir=src, freshenv=False)
    app2.build()
    assert "Count, delete nothing." in (app2.outdir / "operations" / "index.html").read_text()


@pytest.mark.parametrize("builder", ["html", "text", "latex", "man"])
def test_builders_build_without_warnings(make_app, tmp_path, builder):
    app = make_app(builder, srcdir=project(tmp_path))
    app.build()
    assert own_warnings(app) == ""


def test_text_output_is_readable(make_app, tmp_path):
    app = make_app("text", srcdir=project(tmp_path))
    app.build()
    text = (app.outdir / "operations" / "index.txt").read_text()
    assert "Scheduled: 0 3 * * * Safe to re-run" in text
    assert "Schedule:\n   \"0 3 * * *\" (every day at 03:00)" in text
    assert "**Destructive:** Deletes report rows and their files." in text


def test_parallel_build_gives_the_same_output(make_app, tmp_path):
    outputs = []
    for jobs in (1, 2):
        src = project(tmp_path / f"build{jobs}")
        for n in range(4):
            (src / f"page{n}.rst").write_text(
                f"Page {n}\n=======\n\n.. operations-command:: migrate\n   :no-index:\n\n"
                f"See :opscommand:`clearsessions`.\n")
        (src / "index.rst").write_text(
            (src / "index.rst").read_text() + "".join(f"   page{n}\n" for n in range(4)))
        app = make_app("text", srcdir=src, parallel=jobs)
        app.build()
        assert own_warnings(app) == ""
        outputs.append({p.name: p.read_text() for p in found(Path(app.outdir).rglob("*.txt"))})
    assert outputs[0] == outputs[1]


def test_installed_apps_come_from_the_settings_package_and_rebuild_the_page(make_app, tmp_path):
    src = project(tmp_path, lambda text: text.replace(
        "project: ../service\n", "project: ../service\nsettings_package: ../settings\n"))
    app = make_app("html", srcdir=src)
    app.build()
    assert "not found" not in own_warnings(app)  # no INSTALLED_APPS: every django.contrib app
    defaults = src / "settings" / "defaults.py"
    defaults.write_text(defaults.read_text() + "\n#: Apps.\nINSTALLED_APPS = ['django.contrib.auth']\n")
    app2 = make_app("html", srcdir=src, freshenv=False)
    app2.build()
    line = (src / COMMANDS).read_text().splitlines().index("      - django: clearsessions") + 1
    assert typed(
        f"{src / COMMANDS}:{line}: WARNING: management command 'clearsessions' not found in "
        f"{src / 'service'} or the installed apps and Django: give 'project' (the service's "
        "directory) or 'apps' at the top of the file if it lives elsewhere (at "
        "groups[2].commands[0].django) [opsdocs.unknown-command]\n") in own_warnings(app2)


def test_a_settings_package_with_one_file_does_not_rebuild_the_manual_every_time(
        make_app, tmp_path):
    src = project(tmp_path, lambda text: text.replace(
        "project: ../service\n", "project: ../service\nsettings_package: ../apps\n"))
    (src / "apps").mkdir()
    (src / "apps" / "defaults.py").write_text("INSTALLED_APPS = ['django.contrib.sessions']\n")
    make_app("html", srcdir=src).build()
    app2 = make_app("html", srcdir=src, freshenv=False)
    app2.build()
    assert "0 added, 0 changed, 0 removed" in strip_colors(app2.status.getvalue())
