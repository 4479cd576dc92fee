"""The package's layout: one package per concern, each usable alone, layers kept apart."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

from tests.helpers import REPO, ROOTS, found, modules_loaded_by, own_warnings

PACKAGE = REPO / "sphinxext" / "opsdocs"

#: The Sphinx glue: each concern's directive.py and the modules it registers (the settings
#: reference's nodes and their writers, how its page is built), the kit, the extensions it
#: loads (smart quotes, breakable code, the search), its source pages and how it parses the
#: service's text (the allow-list).
SPHINX_GLUE = ("directive.py", "nodes.py", "page.py", "site.py", "source_pages.py", "_sphinx.py",
               "_smartquotes.py", "_breaks.py", "_search.py", "untrusted.py")

#: What must import without Sphinx or docutils: the models, the readers, the text
#: renderers, the CLI, the runtime loader and the package itself (services import it).
SPHINX_FREE = sorted(
    ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")
    for path in found(PACKAGE.rglob("*.py"))
    if not path.name.endswith(SPHINX_GLUE)  # notes_directive.py is glue too
)


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(
        ".__init__")


def imports(path: Path) -> set[str]:
    """The opsdocs modules *path* imports, at module level or inside functions."""
    here = module_name(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            names.add(module)
            # "from opsdocs.settings import cli" imports the module opsdocs.settings.cli
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return {name for name in names if name.split(".")[0] == "opsdocs"}


def import_graph() -> dict[str, set[str]]:
    paths = found(PACKAGE.rglob("*.py"))
    modules = {module_name(path) for path in paths}
    return {module_name(path): imports(path) & modules - {module_name(path)} for path in paths}


def cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A cycle of *graph*, as the modules along it, or ``None``."""
    state: dict[str, str] = {}

    def visit(module: str, trail: list[str]) -> list[str] | None:
        state[module] = "open"
        for target in sorted(graph[module]):
            if state.get(target) == "open":
                return [*trail[trail.index(target):], target]
            if target not in state and (loop := visit(target, [*trail, target])):
                return loop
        state[module] = "done"
        return None

    for module in sorted(graph):
        if module not in state and (loop := visit(module, [module])):
            return loop
    return None


def test_the_import_graph_has_no_cycle_even_through_imports_inside_functions():
    graph = import_graph()
    assert "opsdocs.settings.directive" in graph["opsdocs.settings"]  # the lazy setup import
    assert cycle(graph) is None, " -> ".join(cycle(graph) or [])


def test_cycle_finds_one():
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_models_readers_text_cli_and_loader_import_neither_sphinx_nor_docutils():
    assert {"opsdocs", "opsdocs.loader", "opsdocs.settings.model", "opsdocs.changelog.diff",
            "opsdocs.settings.comments", "opsdocs.cli"} <= set(SPHINX_FREE)
    code = f"import importlib\nfor name in {SPHINX_FREE!r}: importlib.import_module(name)"
    assert modules_loaded_by(code, "sphinx", "docutils") == []


def test_the_issue_s_own_import_line_loads_no_sphinx():
    code = "import opsdocs.changelog.diff, opsdocs.settings.model, opsdocs.loader"
    assert modules_loaded_by(code, "sphinx", "docutils") == []


COMMANDS = """\
version: 1
groups:
  - name: web
    commands:
      - name: gunicorn
        summary: Serves the web traffic.
        command: gunicorn service.wsgi
        when: long-running
"""

#: Each concern alone: ``(extension, page, files copied from tests/roots, text in the page)``.
ALONE = [
    ("opsdocs.settings", ".. settings-reference:: settings\n",
     {"settings": "test-settings/settings"}, "LMS_BASE_URL"),
    ("opsdocs.changelog", ".. settings-changelog:: settings\n   :snapshots: snapshots\n",
     {"settings": "test-changelog-snapshots/settings",
      "snapshots": "test-changelog-snapshots/snapshots"}, "v1.10"),
    ("opsdocs.operations", ".. operations-manual:: commands.yml\n", {}, "Serves the web traffic."),
    ("opsdocs.config", ".. sample-config:: settings\n", {"settings": "test-config/settings"},
     "Sample configuration for"),
    ("opsdocs.dockerfile", ".. dockerfile-reference:: Dockerfile\n",
     {"Dockerfile": "../../example_ida/Dockerfile"}, "Build arguments"),
    ("opsdocs.toggles", ".. feature-toggles:: models.py\n",
     {"models.py": "test-toggles/tree/reports/models.py"}, "ExportConfig.enabled"),
]


@pytest.mark.parametrize(("extension", "page", "files", "shown"), ALONE,
                         ids=[case[0] for case in ALONE])
def test_each_concern_works_alone_in_extensions(make_app, tmp_path, extension, page, files,
                                                shown):
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(f"extensions = [{extension!r}]\n")
    (src / "index.rst").write_text(f"Page\n====\n\n{page}")
    (src / "commands.yml").write_text(COMMANDS)
    for name, origin in files.items():
        copy = shutil.copytree if (ROOTS / origin).is_dir() else shutil.copy
        copy(ROOTS / origin, src / name)
    app = make_app("html", srcdir=src)
    app.build()
    assert own_warnings(app) == ""
    assert "opsdocs" not in app.extensions  # not the whole of opsdocs: this concern
    assert shown in (app.outdir / "index.html").read_text(encoding="utf-8")
    assert (app.outdir / "_static" / "opsdocs.css").is_file()


def test_every_concern_is_a_package_with_the_layers_named_alike():
    shared = {"reading"}  # the reading layer every concern uses: no directive, no setup()
    concerns = {path.parent.name for path in found(PACKAGE.glob("*/__init__.py"))} - shared
    assert concerns == {"settings", "changelog", "operations", "config", "dockerfile", "toggles"}
    for concern in concerns:
        assert (PACKAGE / concern / "directive.py").is_file(), concern
        assert (PACKAGE / concern / "__init__.py").read_text().count("def setup(") == 1


def test_toggles_import_no_concern_but_settings():
    concerns = {"settings", "changelog", "operations", "config", "dockerfile"}
    for module, targets in import_graph().items():
        if module.startswith("opsdocs.toggles"):
            reached = {t.split(".")[1] for t in targets if t.count(".") >= 1} & concerns
            assert reached <= {"settings"}, (module, reached)
