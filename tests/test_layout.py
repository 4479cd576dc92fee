"""The package's layout: one package per concern, each usable alone, layers kept apart."""

from __future__ import annotations

import ast
import shutil
from collections.abc import Iterator
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


def import_sites(path: Path, source: str | None = None) -> Iterator[tuple[str, int]]:
    """Each opsdocs name *path* (or *source* as *path*) imports, at module level or inside
    functions, with its line."""
    here = module_name(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    text = path.read_text(encoding="utf-8") if source is None else source
    for node in ast.walk(ast.parse(text)):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            # "from opsdocs.settings import cli" imports the module opsdocs.settings.cli
            names = [module, *(f"{module}.{alias.name}" for alias in node.names)]
        for name in names:
            if name.split(".")[0] == "opsdocs":
                yield name, node.lineno


def imports(path: Path) -> set[str]:
    """The opsdocs modules *path* imports, at module level or inside functions."""
    return {name for name, _ in import_sites(path)}


def extensions_loaded(path: Path, source: str | None = None) -> Iterator[tuple[str, int]]:
    """The opsdocs modules *path* (or *source*) loads by name
    (``app.setup_extension("opsdocs._sphinx")``, ``importlib.import_module``), with their lines."""
    text = path.read_text(encoding="utf-8") if source is None else source
    for node in ast.walk(ast.parse(text)):
        if (isinstance(node, ast.Call) and node.args
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
                and node.args[0].value.split(".")[0] == "opsdocs"
                and getattr(node.func, "attr", getattr(node.func, "id", None))
                in ("setup_extension", "import_module")):
            yield node.args[0].value, node.lineno


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


#: The concerns, bottom up: a concern imports only concerns of a lower rank (so
#: dockerfile, operations and toggles import neither each other nor changelog or config).
CONCERN_RANKS = {"settings": 0, "dockerfile": 1, "operations": 1, "toggles": 1, "changelog": 2,
                 "config": 3}
#: Top-level modules that may import any concern: the package (its setup() names them), the
#: command line and the runtime loader.  Every other top-level module is shared: no concern.
ENTRY_POINTS = {"opsdocs", "opsdocs.cli", "opsdocs.loader"}

def concern_of(module: str) -> str | None:
    """The concern *module* belongs to; ``None`` for a top-level module."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in CONCERN_RANKS else None


def against_the_direction(importer: str, imported: str) -> bool:
    if importer in ENTRY_POINTS:
        return False
    source, target = concern_of(importer), concern_of(imported)
    if target is None or target == source:
        return False
    return source is None or CONCERN_RANKS[target] >= CONCERN_RANKS[source]


def violations() -> dict[tuple[str, str], set[str]]:
    """Each edge against the direction: (importer, imported module) -> where, as ``file:line``."""
    paths = found(PACKAGE.rglob("*.py"))
    modules = {module_name(path) for path in paths}
    found_edges: dict[tuple[str, str], set[str]] = {}
    for path in paths:
        importer = module_name(path)
        for name, line in [*import_sites(path), *extensions_loaded(path)]:
            # "from opsdocs.config.check import x": the module is opsdocs.config.check
            imported = max((m for m in modules if f"{name}.".startswith(f"{m}.")), key=len)
            if against_the_direction(importer, imported):
                found_edges.setdefault((importer, imported), set()).add(
                    f"{path.relative_to(REPO)}:{line}")
    return found_edges


def test_concerns_import_only_concerns_below_them_and_shared_modules_none():
    found_edges = violations()
    assert not found_edges, "imports against the direction (settings < dockerfile, operations, " \
        "toggles < changelog < config; shared modules import no concern):\n" + "\n".join(
            f"{', '.join(sorted(where))}: {importer} imports {imported}"
            for (importer, imported), where in sorted(found_edges.items()))


@pytest.mark.parametrize(("importer", "imported", "against"), [
    ("opsdocs.settings.cli", "opsdocs.config.check", True),
    ("opsdocs.config.cli", "opsdocs.settings.reader", False),
    ("opsdocs.changelog.history", "opsdocs.operations.model", False),
    ("opsdocs.operations.reader", "opsdocs.dockerfile.model", True),  # same rank
    ("opsdocs.toggles.reader", "opsdocs.changelog.model", True),
    ("opsdocs.settings.reader", "opsdocs.errors", False),
    ("opsdocs.code_text", "opsdocs.settings.model", True),
    ("opsdocs.reading.yaml", "opsdocs.settings", True),
    ("opsdocs.reading.yaml", "opsdocs.errors", False),
    ("opsdocs.cli", "opsdocs.config.cli", False),
    ("opsdocs.loader", "opsdocs.settings.model", False),
    ("opsdocs", "opsdocs.changelog", False),
])
def test_the_direction(importer, imported, against):
    assert against_the_direction(importer, imported) is against


def test_imports_are_found_inside_functions_relative_and_by_extension_name():
    path = PACKAGE / "settings" / "example.py"  # not read: only its name places the source
    source = ("def f():\n    from ..config import check\n    from . import model\n"
              "def setup(app):\n    app.setup_extension('opsdocs.changelog')\n")
    sites = [*import_sites(path, source), *extensions_loaded(path, source)]
    assert sites == [("opsdocs.config", 2), ("opsdocs.config.check", 2),
                     ("opsdocs.settings", 3), ("opsdocs.settings.model", 3),
                     ("opsdocs.changelog", 5)]


#: The longest a module of sphinxext/ may be.
MAX_LINES = 450
def test_no_module_is_over_450_lines():
    lengths = {path.relative_to(PACKAGE.parent).as_posix(): len(path.read_bytes().splitlines())
               for path in found((REPO / "sphinxext").rglob("*.py"))}
    long = {name: lines for name, lines in lengths.items() if lines > MAX_LINES}
    assert not long, f"modules over {MAX_LINES} lines: cut them along their seams: {long}"


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
    ("opsdocs.changelog", ".. release-notes:: snapshots/v1.2.json snapshots/v1.10.json\n"
     "   :date: 2026-01-01\n\n   Reports: settings\n",
     {"settings": "test-changelog-snapshots/settings",
      "snapshots": "test-changelog-snapshots/snapshots"}, "Reports"),
    ("opsdocs.operations", ".. operations-manual:: commands.yml\n", {}, "Serves the web traffic."),
    ("opsdocs.config", ".. sample-config:: settings\n", {"settings": "test-config/settings"},
     "Sample configuration for"),
    ("opsdocs.dockerfile", ".. dockerfile-reference:: Dockerfile\n",
     {"Dockerfile": "../../example_ida/Dockerfile"}, "Build arguments"),
    ("opsdocs.toggles", ".. feature-toggles:: models.py\n",
     {"models.py": "test-toggles/tree/reports/models.py"}, "ExportConfig.enabled"),
]


@pytest.mark.parametrize(("extension", "page", "files", "shown"), ALONE,
                         ids=[f"{case[0]}-{case[1].split('::')[0][3:]}" for case in ALONE])
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


def test_the_architecture_page_names_every_module():
    """docs/architecture.rst says where each module sits: a new module is named there."""
    page = (REPO / "docs" / "architecture.rst").read_text(encoding="utf-8")
    unnamed = [str(path.relative_to(PACKAGE)) for path in sorted(PACKAGE.rglob("*.py"))
               if path.name != "__init__.py" and f"``{path.name}``" not in page
               and f"``{path.relative_to(PACKAGE)}``" not in page
               and f"``{path.stem}``" not in page]
    assert unnamed == []
